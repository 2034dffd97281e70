/**
 * IAM groups and the parts of users and groups Terraform manages as their own resources: a
 * group, its inline policies and policy attachments, a user's inline policies and attachments,
 * and a user's group memberships; and server certificates. Import ids as the AWS provider
 * documents them.
 */
import type { AttachedPolicy } from '@aws-sdk/client-iam';
import type { IamGroup, IamInlinePolicy, IamServerCertificate, IamUser, Read } from '../../inventory/snapshot.js';
import { readValue, stringAttr, tagMap, unreadParts, type Indexed, type LiveInventory } from './inventory.js';
import type { LiveLookup, LiveObject, LiveTypeSpec } from './types.js';

type Holder = { name: string; inlinePolicies: Read<IamInlinePolicy[]>; attachedPolicies: Read<AttachedPolicy[]> };
type Miss = Exclude<LiveLookup, { found: LiveObject }>;

function find<T>(index: Indexed<T>, name: string | undefined, what: string): { item: T } | Miss {
  if (!name) return { unknown: `the state instance names no ${what}` };
  if ('error' in index) return { unknown: index.error };
  const item = index.items.get(name);
  return item ? { item } : { gone: true };
}

const groupHolder = (g: IamGroup): Holder => ({ name: g.groupName, inlinePolicies: g.inlinePolicies, attachedPolicies: g.attachedPolicies });
const userHolder = (u: IamUser): Holder => ({ name: u.userName, inlinePolicies: u.inlinePolicies, attachedPolicies: u.attachedPolicies });

// ---------------------------------------------------------------- aws_iam_group

function toGroupObject(g: IamGroup): LiveObject {
  return {
    type: 'aws_iam_group',
    importId: g.groupName,
    resourceId: g.arn,
    name: g.groupName,
    attributes: { path: g.path ?? '/' },
    stub: { name: g.groupName },
  };
}

/** IAM groups carry no tags. */
const group: LiveTypeSpec = {
  type: 'aws_iam_group',
  importIdFormat: 'group name',
  compared: [{ path: 'path', kind: 'value', normalize: (a) => a.path ?? '/' }],
  resourceIdOf: (attributes, live) =>
    stringAttr(attributes, 'arn') ?? `arn:${live.partition}:iam::${live.accountId}:group/${stringAttr(attributes, 'name') ?? stringAttr(attributes, 'id') ?? ''}`,
  lookup(attributes, live) {
    const found = find(live.groups, stringAttr(attributes, 'name') ?? stringAttr(attributes, 'id'), 'group');
    return 'item' in found ? { found: toGroupObject(found.item) } : found;
  },
  enumerate: (live) => ('error' in live.groups ? [] : [...live.groups.items.values()].map(toGroupObject)),
};

// ---------------------------------------------------------------- inline policies and attachments

interface PartKind {
  /** aws_iam_group or aws_iam_user. */
  ownerType: string;
  /** The owner's argument on the part resource: `group` or `user`. */
  ownerArg: string;
  index: (live: LiveInventory) => Indexed<Holder>;
}

function holders<T>(index: Indexed<T>, holder: (item: T) => Holder): Indexed<Holder> {
  if ('error' in index) return index;
  return { items: new Map([...index.items].map(([name, item]) => [name, holder(item)])) };
}

const GROUP_PARTS: PartKind = { ownerType: 'aws_iam_group', ownerArg: 'group', index: (live) => holders(live.groups, groupHolder) };
const USER_PARTS: PartKind = { ownerType: 'aws_iam_user', ownerArg: 'user', index: (live) => holders(live.users, userHolder) };

/** `owner:policy`, the inline policy's Terraform id. */
function inlineNames(kind: PartKind, attributes: Record<string, unknown>): { owner?: string; name?: string } {
  const id = stringAttr(attributes, 'id');
  const separator = id?.indexOf(':') ?? -1;
  return {
    owner: stringAttr(attributes, kind.ownerArg) ?? (id && separator > 0 ? id.slice(0, separator) : undefined),
    name: stringAttr(attributes, 'name') ?? (id && separator > 0 ? id.slice(separator + 1) : undefined),
  };
}

function inlinePolicyType(type: string, kind: PartKind): LiveTypeSpec {
  const toObject = (holder: Holder, policy: IamInlinePolicy): LiveObject => {
    const id = `${holder.name}:${policy.policyName}`;
    return {
      type,
      importId: id,
      resourceId: id,
      name: id,
      attributes: { policy: policy.document },
      stub: { name: policy.policyName, [kind.ownerArg]: holder.name, policy: policy.document },
      parent: { type: kind.ownerType, importId: holder.name },
    };
  };
  return {
    type,
    importIdFormat: `${kind.ownerArg} name:policy name`,
    compared: [{ path: 'policy', kind: 'policy' }],
    resourceIdOf(attributes) {
      const { owner, name } = inlineNames(kind, attributes);
      return `${owner ?? ''}:${name ?? ''}`;
    },
    lookup(attributes, live) {
      const { owner, name } = inlineNames(kind, attributes);
      const found = find(kind.index(live), owner, kind.ownerArg);
      if (!('item' in found)) return found;
      const inline = found.item.inlinePolicies;
      if (inline.error) return { unknown: `${inline.error.code}: ${inline.error.message}` };
      const policy = inline.value.find((p) => p.policyName === name);
      return policy ? { found: toObject(found.item, policy) } : { gone: true };
    },
    enumerate(live) {
      const index = kind.index(live);
      return 'error' in index ? [] : [...index.items.values()].flatMap((h) => (h.inlinePolicies.value ?? []).map((p) => toObject(h, p)));
    },
  };
}

function attachmentType(type: string, kind: PartKind): LiveTypeSpec {
  const toObject = (holder: Holder, policyArn: string): LiveObject => {
    const id = `${holder.name}/${policyArn}`;
    return {
      type,
      importId: id,
      resourceId: id,
      name: id,
      attributes: {},
      stub: { [kind.ownerArg]: holder.name, policy_arn: policyArn },
      parent: { type: kind.ownerType, importId: holder.name },
    };
  };
  return {
    type,
    importIdFormat: `${kind.ownerArg} name/policy ARN`,
    compared: [],
    resourceIdOf: (attributes) => `${stringAttr(attributes, kind.ownerArg) ?? ''}/${stringAttr(attributes, 'policy_arn') ?? ''}`,
    lookup(attributes, live) {
      const found = find(kind.index(live), stringAttr(attributes, kind.ownerArg), kind.ownerArg);
      if (!('item' in found)) return found;
      const attached = found.item.attachedPolicies;
      if (attached.error) return { unknown: `${attached.error.code}: ${attached.error.message}` };
      const policyArn = stringAttr(attributes, 'policy_arn');
      return attached.value.some((p) => p.PolicyArn === policyArn) ? { found: toObject(found.item, policyArn!) } : { gone: true };
    },
    enumerate(live) {
      const index = kind.index(live);
      return 'error' in index ? [] : [...index.items.values()].flatMap((h) => (h.attachedPolicies.value ?? []).filter((p) => p.PolicyArn).map((p) => toObject(h, p.PolicyArn!)));
    },
  };
}

// ---------------------------------------------------------------- aws_iam_user_group_membership

/** Each user's groups, from the groups' member lists; unknown when a member list failed. */
function groupsOfUsers(live: LiveInventory): { byUser: Map<string, string[]> } | { unknown: string } {
  if ('error' in live.groups) return { unknown: live.groups.error };
  const byUser = new Map<string, string[]>();
  for (const g of live.groups.items.values()) {
    if (g.members.error) return { unknown: `IAM GetGroup ${g.groupName} failed: ${g.members.error.code}` };
    for (const user of g.members.value) byUser.set(user, [...(byUser.get(user) ?? []), g.groupName]);
  }
  return { byUser };
}

/**
 * The provider's id for a membership is generated; `terraform import` takes `user/group1/group2`.
 * The resource manages only the groups it lists (the user may be in others, through other
 * resources), so the live side is the listed groups the user is still in. Live objects are keyed
 * by user, all its groups in the import id.
 */
function toMembershipObject(user: string, groups: readonly string[], compared: readonly string[]): LiveObject {
  const importId = [user, ...[...groups].sort()].join('/');
  return {
    type: 'aws_iam_user_group_membership',
    importId,
    resourceId: `user-group-membership/${user}`,
    name: `${user} in ${groups.join(', ')}`,
    attributes: { user, groups: [...compared] },
    stub: { user, groups: [...groups].sort() },
    parent: { type: 'aws_iam_user', importId: user },
  };
}

const stateGroups = (attributes: Record<string, unknown>): string[] =>
  Array.isArray(attributes.groups) ? attributes.groups.filter((g): g is string => typeof g === 'string') : [];

const userGroupMembership: LiveTypeSpec = {
  type: 'aws_iam_user_group_membership',
  importIdFormat: 'user name/group name/group name...',
  compared: [
    { path: 'user', kind: 'value' },
    { path: 'groups', kind: 'set', normalize: stateGroups },
  ],
  resourceIdOf: (attributes) => `user-group-membership/${stringAttr(attributes, 'user') ?? ''}`,
  lookup(attributes, live) {
    const user = stringAttr(attributes, 'user');
    const found = find(live.users, user, 'user');
    if (!('item' in found)) return found;
    const membership = groupsOfUsers(live);
    if ('unknown' in membership) return membership;
    const current = membership.byUser.get(user!) ?? [];
    const listed = stateGroups(attributes);
    return { found: toMembershipObject(user!, current, listed.filter((g) => current.includes(g))) };
  },
  enumerate(live) {
    const membership = groupsOfUsers(live);
    if ('unknown' in membership) return [];
    return [...membership.byUser].map(([user, groups]) => toMembershipObject(user, groups, groups));
  },
};

// ---------------------------------------------------------------- aws_iam_server_certificate

function serverCertificates(live: LiveInventory): Indexed<IamServerCertificate> {
  const read = live.snapshot.iam?.serverCertificates;
  if (!read) return { error: 'IAM ListServerCertificates was not collected' };
  if (read.error) return { error: `IAM ListServerCertificates failed: ${read.error.code}` };
  return { items: new Map(read.value.map((c) => [c.ServerCertificateName ?? '', c])) };
}

/**
 * A certificate's metadata and tags (ListServerCertificateTags: the listing leaves them out): the
 * body and private key are never read (ListServerCertificates has neither), so an import stub
 * leaves them for the author to fill in.
 */
function toCertificateObject(c: IamServerCertificate): LiveObject {
  const name = c.ServerCertificateName ?? '';
  const tags = readValue(c.tags);
  return {
    type: 'aws_iam_server_certificate',
    importId: name,
    resourceId: c.Arn ?? name,
    name,
    attributes: { name, path: c.Path ?? '/', tags: tags ? tagMap(tags) : undefined },
    ...unreadParts([c.tags, 'ListServerCertificateTags', ['tags']]),
    stub: { name },
    stubNotes: [
      'certificate_body and private_key are required, and this stub cannot fill them in: the body is not read here, and IAM never returns the private key.',
      'Set them from where the certificate was issued before terraform plan (certificate_chain too, if it has one).',
    ],
  };
}

const serverCertificate: LiveTypeSpec = {
  type: 'aws_iam_server_certificate',
  importIdFormat: 'certificate name',
  compared: [
    { path: 'path', kind: 'value', normalize: (a) => a.path ?? '/' },
    { path: 'tags', kind: 'tags' },
  ],
  resourceIdOf: (attributes) => stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'name') ?? '',
  lookup(attributes, live) {
    // The provider's id is the certificate id; the name is what identifies and imports it.
    const found = find(serverCertificates(live), stringAttr(attributes, 'name'), 'certificate');
    return 'item' in found ? { found: toCertificateObject(found.item) } : found;
  },
  enumerate(live) {
    const index = serverCertificates(live);
    return 'error' in index ? [] : [...index.items.values()].map(toCertificateObject);
  },
};

export const IAM_GROUP_TYPES: readonly LiveTypeSpec[] = [
  serverCertificate,
  group,
  inlinePolicyType('aws_iam_group_policy', GROUP_PARTS),
  attachmentType('aws_iam_group_policy_attachment', GROUP_PARTS),
  inlinePolicyType('aws_iam_user_policy', USER_PARTS),
  attachmentType('aws_iam_user_policy_attachment', USER_PARTS),
  userGroupMembership,
];
