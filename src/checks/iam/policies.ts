/** Shared by the IAM policy checks: the policies of each principal, gathered from the inventory. */
import type { CheckMetadata, Finding } from '../../findings/model.js';
import type { AttachedPolicy } from '@aws-sdk/client-iam';
import type { IamGroup, IamInlinePolicy, IamInventory, IamManagedPolicy, InventorySnapshot, Read, ReadError } from '../../inventory/snapshot.js';
import { findEffectiveAdmin, policySetView, type PolicySetView } from '../../policy/index.js';
import { accountSubject, GLOBAL_REGION, notCollected, readError, type FindingSubject } from '../finding.js';
import type { AwsRead } from '../../aws/read-operations.js';

/** Each user's, group's and role's inline policy documents, and who is in which group. */
export const INLINE_POLICY_READS: readonly AwsRead[] = ['iam:GetUserPolicy', 'iam:GetRolePolicy', 'iam:GetGroupPolicy', 'iam:GetGroup'];
/** Every policy document that applies to a user or role: inline, attached managed, and (for users) their groups'. */
export const PRINCIPAL_POLICY_READS: readonly AwsRead[] = [
  ...INLINE_POLICY_READS,
  'iam:ListAttachedUserPolicies',
  'iam:ListAttachedRolePolicies',
  'iam:ListAttachedGroupPolicies',
  'iam:GetPolicyVersion',
];

export function policySubject(policy: IamManagedPolicy): FindingSubject {
  return { region: GLOBAL_REGION, resourceId: policy.arn, resourceName: policy.policyName, resourceType: 'AWS::IAM::ManagedPolicy' };
}

type Documents = { documents: Array<{ source: string; document: string }> } | { error: ReadError };

/** A user or role, with every policy document that applies to it. */
export interface Principal {
  kind: 'user' | 'role';
  name: string;
  arn: string;
  subject: FindingSubject;
  /** Inline (first: its own, then its groups'), attached managed and group-attached policies, by name; or why they could not all be read. */
  policies: Documents;
  /** Its own inline policies and, for a user, those of its groups. */
  inline: Documents;
  /** For a user: the groups it is in (empty for a role, or when they could not be read). */
  groups: string[];
}

/** A holder's inline and attached policies, with `of` naming the holder in each source (", group ops"). */
function holderPolicies(
  holder: { inlinePolicies: Read<IamInlinePolicy[]>; attachedPolicies: Read<AttachedPolicy[]> },
  of: string,
  managed: ReadonlyMap<string, IamManagedPolicy>,
  policiesError: ReadError | undefined,
): { inline: Documents; attached: Documents } {
  const inline: Documents = holder.inlinePolicies.error
    ? { error: holder.inlinePolicies.error }
    : { documents: holder.inlinePolicies.value.map((p) => ({ source: `inline policy ${p.policyName}${of}`, document: p.document })) };
  if (holder.attachedPolicies.error) return { inline, attached: { error: holder.attachedPolicies.error } };
  const attachedList = holder.attachedPolicies.value.map((a) => ({ arn: a.PolicyArn ?? '', policy: managed.get(a.PolicyArn ?? '') }));
  const missing = attachedList.find((a) => !a.policy || a.policy.document.error);
  if (missing) {
    return {
      inline,
      attached: { error: missing.policy?.document.error ?? policiesError ?? { code: 'PolicyNotCollected', message: `attached policy ${missing.arn} was not among the collected managed policies` } },
    };
  }
  return { inline, attached: { documents: attachedList.map((a) => ({ source: `managed policy ${a.arn}${of}`, document: a.policy!.document.value! })) } };
}

function joined(parts: Documents[]): Documents {
  const failed = parts.find((p): p is { error: ReadError } => 'error' in p);
  if (failed) return failed;
  return { documents: parts.flatMap((p) => ('documents' in p ? p.documents : [])) };
}

/**
 * The groups each user is in, from GetGroup's members. A failed group listing or member list
 * leaves every user's groups unknown: any user could be in the group that was not read.
 */
function groupsByUser(iam: IamInventory): { byUser: Map<string, IamGroup[]> } | { error: ReadError } {
  if (iam.groups.error) return { error: iam.groups.error };
  const byUser = new Map<string, IamGroup[]>();
  for (const group of iam.groups.value) {
    if (group.members.error) return { error: group.members.error };
    for (const user of group.members.value) byUser.set(user, [...(byUser.get(user) ?? []), group]);
  }
  return { byUser };
}

/** Every user and role of the account with its policies, one finding at a time (a generator); a failed listing is an `error` finding. */
export function* forEachPrincipal(meta: CheckMetadata, snapshot: InventorySnapshot, judge: (principal: Principal) => Finding | undefined): Generator<Finding> {
  if (!snapshot.iam) {
    yield notCollected(meta, snapshot, 'iam');
    return;
  }
  const iam = snapshot.iam;
  const managed = new Map((iam.policies.value ?? []).map((p) => [p.arn, p]));
  const membership = groupsByUser(iam);
  const lists = [
    { kind: 'user' as const, list: iam.users, what: 'the IAM users (iam:ListUsers)' },
    { kind: 'role' as const, list: iam.roles, what: 'the IAM roles (iam:ListRoles)' },
  ];
  for (const { kind, list, what } of lists) {
    if (list.error) {
      yield readError(meta, snapshot, accountSubject(snapshot), what, list.error);
      continue;
    }
    for (const item of list.value) {
      const name = 'userName' in item ? item.userName : item.roleName;
      const subject: FindingSubject = { region: GLOBAL_REGION, resourceId: item.arn, resourceName: name, resourceType: kind === 'user' ? 'AWS::IAM::User' : 'AWS::IAM::Role' };
      const own = holderPolicies(item, '', managed, iam.policies.error);
      let inline: Documents = own.inline;
      let policies: Documents;
      let groups: string[] = [];
      if (kind === 'user' && 'error' in membership) {
        inline = 'error' in own.inline ? own.inline : membership;
        policies = inline;
      } else {
        const ofGroups = kind === 'user' && 'byUser' in membership ? (membership.byUser.get(name) ?? []) : [];
        groups = ofGroups.map((g) => g.groupName);
        const fromGroups = ofGroups.map((g) => holderPolicies(g, ` of group ${g.groupName}`, managed, iam.policies.error));
        inline = joined([own.inline, ...fromGroups.map((g) => g.inline)]);
        // Inline documents first (inlineUnderAllPolicies relies on it), then attached ones.
        policies = joined([inline, own.attached, ...fromGroups.map((g) => g.attached)]);
      }
      const found = judge({ kind, name, arn: item.arn, subject, policies, inline, groups });
      if (found) yield found;
    }
  }
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
