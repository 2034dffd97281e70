/**
 * Request evaluation: does a set of policies allow one action on one resource?
 *
 * AWS's order within an account: an explicit Deny in any policy wins; otherwise an Allow in an
 * identity policy or in the resource policy allows; otherwise the request is implicitly denied.
 * Across accounts both the identity side and the resource policy must allow.
 */
import { evaluateCondition } from './conditions.js';
import type { ConditionContext } from './context.js';
import { accountOfPrincipal, actionMatches, principalMatches, resourceMatches, type RequestPrincipal } from './match.js';
import { toPolicyDocument, type PolicyDocument, type PolicyParseFailure, type PolicyStatement } from './parse.js';
import { truthAnd, truthNot, truthOr, type Truth } from './truth.js';

export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

export interface AccessRequest {
  action: string;
  resource: string;
  /** The caller; needed to match a resource policy's Principal. Unknown when omitted. */
  principal?: RequestPrincipal;
  /** Condition keys of the request; partial (missing keys unknown) unless marked complete. */
  context?: ConditionContext;
  /** Account that owns the resource; with the principal's account it decides same- vs cross-account. */
  resourceAccountId?: string;
}

export interface PolicySet {
  /** Identity-based policies of the caller: parsed documents, JSON objects or (URL-encoded) strings. */
  identityPolicies?: readonly unknown[];
  /** The resource's resource-based policy, if it has one. */
  resourcePolicy?: unknown;
}

export type PolicySource = 'identity' | 'resource';

export interface StatementMatch {
  source: PolicySource;
  /** Index of the policy in `identityPolicies` (0 for the resource policy). */
  policyIndex: number;
  statementIndex: number;
  sid: string | undefined;
  effect: 'Allow' | 'Deny';
}

export interface InvalidPolicy {
  source: PolicySource;
  policyIndex: number;
  error: PolicyParseFailure;
}

export interface EvaluationResult {
  /** The decision from the statements that surely apply. */
  decision: Decision;
  /** False when undecided statements or unreadable policies could change the decision. */
  conclusive: boolean;
  /** Every decision the request could get, given what is unknown; contains `decision`. */
  possibleDecisions: Decision[];
  /** Statements that surely apply to the request. */
  matchedStatements: StatementMatch[];
  /** Statements that apply or not depending on unknown values. */
  undecidedStatements: StatementMatch[];
  invalidPolicies: InvalidPolicy[];
}

/** Whether one statement applies to the request (`'unknown'` when it depends on unknown values). */
export function statementApplies(statement: PolicyStatement, request: AccessRequest, source: PolicySource): Truth {
  const context = request.context ?? {};
  const parts: Truth[] = [];
  if (source === 'resource') {
    if (statement.principal) parts.push(principalMatches(statement.principal, request.principal));
    else if (statement.notPrincipal) parts.push(truthNot(principalMatches(statement.notPrincipal, request.principal)));
    else parts.push(false); // A resource policy statement without a principal grants or denies nobody.
  }
  if (statement.action) parts.push(statement.action.some((pattern) => actionMatches(pattern, request.action)));
  else if (statement.notAction) parts.push(!statement.notAction.some((pattern) => actionMatches(pattern, request.action)));
  if (statement.resource) parts.push(truthOr(statement.resource.map((p) => resourceMatches(p, request.resource, context))));
  else if (statement.notResource) {
    parts.push(truthNot(truthOr(statement.notResource.map((p) => resourceMatches(p, request.resource, context)))));
  }
  // Cheap parts first: only evaluate conditions if the statement could still apply.
  const sofar = truthAnd(parts);
  if (sofar === false) return false;
  return truthAnd([sofar, evaluateCondition(statement.condition, context).result]);
}

interface SideOutcome {
  allow: Truth;
  deny: Truth;
  matched: StatementMatch[];
  undecided: StatementMatch[];
}

function evaluateSide(documents: { document: PolicyDocument; index: number }[], source: PolicySource, request: AccessRequest): SideOutcome {
  const outcome: SideOutcome = { allow: false, deny: false, matched: [], undecided: [] };
  const allows: Truth[] = [];
  const denies: Truth[] = [];
  for (const { document, index } of documents) {
    for (const statement of document.statements) {
      const applies = statementApplies(statement, request, source);
      if (applies === false) continue;
      const match: StatementMatch = { source, policyIndex: index, statementIndex: statement.index, sid: statement.sid, effect: statement.effect };
      (applies === true ? outcome.matched : outcome.undecided).push(match);
      (statement.effect === 'Allow' ? allows : denies).push(applies);
    }
  }
  outcome.allow = truthOr(allows);
  outcome.deny = truthOr(denies);
  return outcome;
}

function isCrossAccount(request: AccessRequest): boolean {
  if (!request.resourceAccountId || request.principal?.type !== 'AWS') return false;
  const callerAccount = accountOfPrincipal(request.principal.arn);
  return callerAccount !== undefined && callerAccount !== request.resourceAccountId;
}

/** Evaluate identity policies and an optional resource policy for one request. */
export function evaluateRequest(policies: PolicySet, request: AccessRequest): EvaluationResult {
  const invalidPolicies: InvalidPolicy[] = [];
  const identityDocuments: { document: PolicyDocument; index: number }[] = [];
  (policies.identityPolicies ?? []).forEach((raw, index) => {
    const parsed = toPolicyDocument(raw);
    if (parsed.ok) identityDocuments.push({ document: parsed.document, index });
    else invalidPolicies.push({ source: 'identity', policyIndex: index, error: parsed });
  });
  const resourceDocuments: { document: PolicyDocument; index: number }[] = [];
  if (policies.resourcePolicy !== undefined && policies.resourcePolicy !== null) {
    const parsed = toPolicyDocument(policies.resourcePolicy);
    if (parsed.ok) resourceDocuments.push({ document: parsed.document, index: 0 });
    else invalidPolicies.push({ source: 'resource', policyIndex: 0, error: parsed });
  }

  const identity = evaluateSide(identityDocuments, 'identity', request);
  const resource = evaluateSide(resourceDocuments, 'resource', request);
  const deny = truthOr([identity.deny, resource.deny]);
  const allow = isCrossAccount(request)
    ? truthAnd([identity.allow, resource.allow])
    : truthOr([identity.allow, resource.allow]);

  const possible = new Set<Decision>();
  if (deny !== false) possible.add('explicitDeny');
  if (deny !== true) {
    if (allow !== false) possible.add('allowed');
    if (allow !== true) possible.add('implicitDeny');
  }
  const decision: Decision = deny === true ? 'explicitDeny' : allow === true ? 'allowed' : 'implicitDeny';
  const conclusive = possible.size === 1 && invalidPolicies.length === 0;
  // An unreadable policy could hold anything, so every outcome stays possible.
  if (invalidPolicies.length > 0 && decision !== 'explicitDeny') {
    possible.add('explicitDeny').add('allowed').add('implicitDeny');
  }
  const order: Decision[] = ['allowed', 'explicitDeny', 'implicitDeny'];
  return {
    decision,
    conclusive,
    possibleDecisions: order.filter((d) => possible.has(d)),
    matchedStatements: [...identity.matched, ...resource.matched],
    undecidedStatements: [...identity.undecided, ...resource.undecided],
    invalidPolicies,
  };
}

/**
 * The decision for one action on one resource under a principal's identity policies, as IAM's
 * SimulatePrincipalPolicy gives it without context entries: a condition key the request does
 * not carry is absent, so conditional Allows do not apply. Unreadable documents contribute nothing.
 */
export function evaluateActions(documents: readonly unknown[], action: string, resource: string): Decision {
  return evaluateRequest(
    { identityPolicies: documents },
    { action, resource, context: { completeness: 'complete', values: {} } },
  ).decision;
}
