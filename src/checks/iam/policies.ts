/** Shared by the IAM policy checks: the policies of each principal, gathered from the inventory. */
import type { CheckMetadata, Finding } from '../../findings/model.js';
import type { IamManagedPolicy, InventorySnapshot, ReadError } from '../../inventory/snapshot.js';
import { findEffectiveAdmin, policySetView, type PolicySetView } from '../../policy/index.js';
import { accountSubject, GLOBAL_REGION, notCollected, readError, type FindingSubject } from '../finding.js';
import type { AwsRead } from '../../aws/read-operations.js';

/** Each user's and role's inline policy documents. */
export const INLINE_POLICY_READS: readonly AwsRead[] = ['iam:GetUserPolicy', 'iam:GetRolePolicy'];
/** Every policy document that applies to a user or role: inline, and attached managed ones. */
export const PRINCIPAL_POLICY_READS: readonly AwsRead[] = [...INLINE_POLICY_READS, 'iam:ListAttachedUserPolicies', 'iam:ListAttachedRolePolicies', 'iam:GetPolicyVersion'];

export function policySubject(policy: IamManagedPolicy): FindingSubject {
  return { region: GLOBAL_REGION, resourceId: policy.arn, resourceName: policy.policyName, resourceType: 'AWS::IAM::ManagedPolicy' };
}

/** A user or role, with every policy document that applies to it. */
export interface Principal {
  kind: 'user' | 'role';
  name: string;
  arn: string;
  subject: FindingSubject;
  /** Inline (first), attached managed and group policies, by name; or why they could not all be read. */
  policies: { documents: Array<{ source: string; document: string }> } | { error: ReadError };
  inline: { documents: Array<{ source: string; document: string }> } | { error: ReadError };
}

/** Every user and role of the account with its policies; a failed listing is an `error` finding. */
export function forEachPrincipal(meta: CheckMetadata, snapshot: InventorySnapshot, judge: (principal: Principal) => Finding | undefined): Finding[] {
  if (!snapshot.iam) return [notCollected(meta, snapshot, 'iam')];
  const iam = snapshot.iam;
  const findings: Finding[] = [];
  const managed = new Map((iam.policies.value ?? []).map((p) => [p.arn, p]));
  const lists = [
    { kind: 'user' as const, list: iam.users, what: 'the IAM users (iam:ListUsers)' },
    { kind: 'role' as const, list: iam.roles, what: 'the IAM roles (iam:ListRoles)' },
  ];
  for (const { kind, list, what } of lists) {
    if (list.error) {
      findings.push(readError(meta, snapshot, accountSubject(snapshot), what, list.error));
      continue;
    }
    for (const item of list.value) {
      const name = 'userName' in item ? item.userName : item.roleName;
      const subject: FindingSubject = { region: GLOBAL_REGION, resourceId: item.arn, resourceName: name, resourceType: kind === 'user' ? 'AWS::IAM::User' : 'AWS::IAM::Role' };
      const inline: Principal['inline'] = item.inlinePolicies.error
        ? { error: item.inlinePolicies.error }
        : { documents: item.inlinePolicies.value.map((p) => ({ source: `inline policy ${p.policyName}`, document: p.document })) };
      let policies: Principal['policies'];
      if ('error' in inline) policies = inline;
      else if (item.attachedPolicies.error) policies = { error: item.attachedPolicies.error };
      else {
        const attached = item.attachedPolicies.value.map((a) => ({ arn: a.PolicyArn ?? '', policy: managed.get(a.PolicyArn ?? '') }));
        const missing = attached.find((a) => !a.policy || a.policy.document.error);
        if (missing) {
          policies = { error: missing.policy?.document.error ?? iam.policies.error ?? { code: 'PolicyNotCollected', message: `attached policy ${missing.arn} was not among the collected managed policies` } };
        } else {
          policies = { documents: [...inline.documents, ...attached.map((a) => ({ source: `managed policy ${a.arn}`, document: a.policy!.document.value! }))] };
        }
      }
      const found = judge({ kind, name, arn: item.arn, subject, policies, inline });
      if (found) findings.push(found);
    }
  }
  return findings;
}

/** Documents as one view for effective-permission judgments, with the account's own ARNs. */
export function documentsView(snapshot: InventorySnapshot, documents: ReadonlyArray<{ document: string }>): PolicySetView {
  return policySetView(documents.map((d) => d.document), { accountId: snapshot.accountId, partition: snapshot.partition });
}

/**
 * The principal's own inline policies judged under ALL its policies (a Deny in an attached or
 * group policy takes an inline grant away): the view and the indexes of the inline documents in it,
 * or the read error when a policy that could hold such a Deny was not read.
 */
export function inlineUnderAllPolicies(snapshot: InventorySnapshot, principal: Principal): { view: PolicySetView; inline: Set<number> } | { error: ReadError } {
  if ('error' in principal.inline) return principal.inline;
  if ('error' in principal.policies) return principal.policies;
  // forEachPrincipal lists the inline documents first.
  const inline = new Set(principal.inline.documents.map((_, index) => index));
  return { view: documentsView(snapshot, principal.policies.documents), inline };
}

/** Is the principal, under all its policies together, an administrator? */
export function isEffectiveAdmin(snapshot: InventorySnapshot, documents: ReadonlyArray<{ document: string }>): boolean {
  return findEffectiveAdmin(documentsView(snapshot, documents)) !== undefined;
}
