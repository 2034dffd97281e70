/**
 * SimulatePrincipalPolicy: the decision of a user's or role's identity policies (attached
 * managed + inline, plus any PolicyInputList) for each action and resource asked about.
 * This is how `--verify-readonly` asks "can my role write?".
 */
import { listParam } from '../protocol/query.js';
import { list } from '../protocol/xml.js';
import type { ServiceContext } from '../types.js';
import { evaluateActions, type Decision as EvalDecision } from '../../policy/index.js';
import { defaultDocument, findPolicy, isAwsManaged } from './iam-policies.js';
import { findRole, findUser } from './iam-principals.js';
import { invalidInput, noSuchEntity, pageTail, paginate, requiredParam, validationError, type IamHandler } from './iam-wire.js';

/** A policy that takes part in the simulation, named as EvaluationResult.MatchedStatements names it. */
interface SourcePolicy {
  SourcePolicyId: string;
  SourcePolicyType: 'role' | 'user' | 'aws-managed' | 'user-managed' | 'none';
  document: unknown;
}

const PRINCIPAL_ARN = /^arn:aws[\w-]*:iam::(\d{12}):(role|user|group)(\/.*)?\/([^/]+)$/;

function principalPolicies(ctx: ServiceContext, policySourceArn: string): SourcePolicy[] {
  const m = PRINCIPAL_ARN.exec(policySourceArn);
  if (!m) throw invalidInput(`Invalid Entity Arn: ${policySourceArn} does not clearly define entity type and name.`);
  const [, accountId, kind, , name] = m as unknown as [string, string, 'role' | 'user' | 'group', string, string];
  const principal = accountId !== ctx.account.AccountId ? undefined : kind === 'role' ? findRole(ctx, name) : kind === 'user' ? findUser(ctx, name) : undefined;
  if (!principal || principal.Arn !== policySourceArn) throw noSuchEntity(`The ${kind} with name ${name} cannot be found.`);
  const sources: SourcePolicy[] = (principal.InlinePolicies ?? []).map((p) => ({
    SourcePolicyId: p.PolicyName,
    SourcePolicyType: kind === 'role' ? 'role' : 'user',
    document: p.PolicyDocument,
  }));
  for (const attached of principal.AttachedPolicies ?? []) {
    // An attachment to a policy the account file does not define grants nothing we can see.
    const policy = findPolicy(ctx, attached.PolicyArn);
    if (!policy) continue;
    sources.push({ SourcePolicyId: policy.PolicyName, SourcePolicyType: isAwsManaged(policy) ? 'aws-managed' : 'user-managed', document: defaultDocument(policy) });
  }
  return sources;
}

export const simulateHandlers: Record<string, IamHandler> = {
  SimulatePrincipalPolicy(params, ctx) {
    const policySourceArn = requiredParam(params, 'PolicySourceArn');
    const actionNames = listParam(params, 'ActionNames');
    if (actionNames.length === 0) {
      throw validationError("1 validation error detected: Value null at 'actionNames' failed to satisfy constraint: Member must not be null");
    }
    const resourceArns = listParam(params, 'ResourceArns');
    const sources = [
      ...principalPolicies(ctx, policySourceArn),
      ...listParam(params, 'PolicyInputList').map((document, i): SourcePolicy => {
        try {
          return { SourcePolicyId: `PolicyInputList.${i + 1}`, SourcePolicyType: 'none', document: JSON.parse(document) };
        } catch {
          throw invalidInput(`The policy at PolicyInputList.${i + 1} is not valid JSON.`);
        }
      }),
    ];
    const documents = sources.map((s) => s.document);

    const results = actionNames.flatMap((action) =>
      (resourceArns.length ? resourceArns : ['*']).map((resource) => {
        const decision = evaluateActions(documents, action, resource);
        const matched: SourcePolicy[] =
          decision === 'implicitDeny' ? [] : sources.filter((s) => evaluateActions([s.document], action, resource) === decision);
        return {
          EvalActionName: action,
          EvalResourceName: resource,
          EvalDecision: decision satisfies EvalDecision,
          MatchedStatements: list(
            'member',
            matched.map((s) => ({ SourcePolicyId: s.SourcePolicyId, SourcePolicyType: s.SourcePolicyType })),
          ),
          MissingContextValues: list('member', []),
        };
      }),
    );
    const page = paginate(results, params);
    return { EvaluationResults: list('member', page.items), ...pageTail(page) };
  },
};
