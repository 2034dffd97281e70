/**
 * IAM: roles, their inline policies and policy attachments, customer-managed policies, users.
 * On `aws_iam_role`, `inline_policy` and `managed_policy_arns` are not compared: they are
 * computed unless the configuration manages them exclusively, and the split resources
 * (`aws_iam_role_policy`, `aws_iam_role_policy_attachment`) carry the same facts.
 */
import type { PasswordPolicy } from '@aws-sdk/client-iam';
import type { IamAccessKey, IamInstanceProfile, IamManagedPolicy, IamRole, IamUser } from '../../inventory/snapshot.js';
import { readValue, stringAttr, tagMap, unreadParts, type LiveInventory } from './inventory.js';
import type { LiveLookup, LiveObject, LiveTypeSpec } from './types.js';

/** Roles AWS creates and owns: service-linked roles and IAM Identity Center's reserved roles. */
export function isAwsOwnedRole(role: IamRole): boolean {
  return role.path?.startsWith('/aws-service-role/') === true || role.path?.startsWith('/aws-reserved/') === true;
}

function roleArn(live: LiveInventory, name: string): string {
  return `arn:${live.partition}:iam::${live.accountId}:role/${name}`;
}

function findRole(name: string | undefined, live: LiveInventory): { role: IamRole } | Exclude<LiveLookup, { found: LiveObject }> {
  if (!name) return { unknown: 'the state instance names no role' };
  if ('error' in live.roles) return { unknown: live.roles.error };
  const role = live.roles.items.get(name);
  return role ? { role } : { gone: true };
}

const role: LiveTypeSpec = {
  type: 'aws_iam_role',
  importIdFormat: 'role name',
  compared: [
    { path: 'assume_role_policy', kind: 'policy' },
    { path: 'description', kind: 'value', normalize: (a) => a.description ?? '' },
    { path: 'max_session_duration', kind: 'value' },
    { path: 'path', kind: 'value', normalize: (a) => a.path ?? '/' },
    { path: 'tags', kind: 'tags' },
  ],
  resourceIdOf: (attributes, live) => stringAttr(attributes, 'arn') ?? roleArn(live, stringAttr(attributes, 'name') ?? stringAttr(attributes, 'id') ?? ''),
  lookup(attributes, live) {
    const found = findRole(stringAttr(attributes, 'name') ?? stringAttr(attributes, 'id'), live);
    return 'role' in found ? { found: toRoleObject(found.role) } : found;
  },
  enumerate(live) {
    return 'error' in live.roles ? [] : [...live.roles.items.values()].filter((r) => !isAwsOwnedRole(r)).map(toRoleObject);
  },
};

function toRoleObject(r: IamRole): LiveObject {
  const tags = readValue(r.tags);
  return {
    type: 'aws_iam_role',
    importId: r.roleName,
    resourceId: r.arn,
    name: r.roleName,
    attributes: {
      assume_role_policy: r.assumeRolePolicyDocument,
      description: r.description ?? '',
      max_session_duration: r.maxSessionDuration,
      path: r.path ?? '/',
      tags: tags ? tagMap(tags) : undefined,
    },
    ...unreadParts([r.tags, 'GetRole', ['tags']]),
    stub: { name: r.roleName, assume_role_policy: r.assumeRolePolicyDocument },
  };
}

/** `role:policy`, the inline policy's Terraform id. */
function inlinePolicyNames(attributes: Record<string, unknown>): { role?: string; name?: string } {
  const id = stringAttr(attributes, 'id');
  const separator = id?.indexOf(':') ?? -1;
  return {
    role: stringAttr(attributes, 'role') ?? (id && separator > 0 ? id.slice(0, separator) : undefined),
    name: stringAttr(attributes, 'name') ?? (id && separator > 0 ? id.slice(separator + 1) : undefined),
  };
}

const rolePolicy: LiveTypeSpec = {
  type: 'aws_iam_role_policy',
  importIdFormat: 'role name:policy name',
  compared: [{ path: 'policy', kind: 'policy' }],
  resourceIdOf(attributes) {
    const { role: roleName, name } = inlinePolicyNames(attributes);
    return `${roleName ?? ''}:${name ?? ''}`;
  },
  lookup(attributes, live) {
    const { role: roleName, name } = inlinePolicyNames(attributes);
    const found = findRole(roleName, live);
    if (!('role' in found)) return found;
    const inline = found.role.inlinePolicies;
    if (inline.error) return { unknown: `${inline.error.code}: ${inline.error.message}` };
    const document = inline.value.find((p) => p.policyName === name);
    return document ? { found: toInlineObject(found.role, document.policyName, document.document) } : { gone: true };
  },
  enumerate(live) {
    if ('error' in live.roles) return [];
    return [...live.roles.items.values()]
      .filter((r) => !isAwsOwnedRole(r))
      .flatMap((r) => (r.inlinePolicies.value ?? []).map((p) => toInlineObject(r, p.policyName, p.document)));
  },
};

function toInlineObject(r: IamRole, name: string, document: string): LiveObject {
  const id = `${r.roleName}:${name}`;
  return {
    type: 'aws_iam_role_policy',
    importId: id,
    resourceId: id,
    name: id,
    attributes: { policy: document },
    stub: { name, role: r.roleName, policy: document },
    parent: { type: 'aws_iam_role', importId: r.roleName },
  };
}

const rolePolicyAttachment: LiveTypeSpec = {
  type: 'aws_iam_role_policy_attachment',
  importIdFormat: 'role name/policy ARN',
  compared: [],
  resourceIdOf: (attributes) => `${stringAttr(attributes, 'role') ?? ''}/${stringAttr(attributes, 'policy_arn') ?? ''}`,
  lookup(attributes, live) {
    const found = findRole(stringAttr(attributes, 'role'), live);
    if (!('role' in found)) return found;
    const attached = found.role.attachedPolicies;
    if (attached.error) return { unknown: `${attached.error.code}: ${attached.error.message}` };
    const policyArn = stringAttr(attributes, 'policy_arn');
    return attached.value.some((p) => p.PolicyArn === policyArn) ? { found: toAttachmentObject(found.role, policyArn!) } : { gone: true };
  },
  enumerate(live) {
    if ('error' in live.roles) return [];
    return [...live.roles.items.values()]
      .filter((r) => !isAwsOwnedRole(r))
      .flatMap((r) => (r.attachedPolicies.value ?? []).filter((p) => p.PolicyArn).map((p) => toAttachmentObject(r, p.PolicyArn!)));
  },
};

function toAttachmentObject(r: IamRole, policyArn: string): LiveObject {
  const id = `${r.roleName}/${policyArn}`;
  return {
    type: 'aws_iam_role_policy_attachment',
    importId: id,
    resourceId: id,
    name: id,
    attributes: {},
    stub: { role: r.roleName, policy_arn: policyArn },
    parent: { type: 'aws_iam_role', importId: r.roleName },
  };
}

const policy: LiveTypeSpec = {
  type: 'aws_iam_policy',
  importIdFormat: 'policy ARN',
  compared: [
    { path: 'policy', kind: 'policy' },
    { path: 'path', kind: 'value', normalize: (a) => a.path ?? '/' },
    { path: 'tags', kind: 'tags' },
  ],
  resourceIdOf: (attributes) => stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'id') ?? '',
  lookup(attributes, live) {
    const arn = stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'id');
    if (!arn) return { unknown: 'the state instance names no policy ARN' };
    if ('error' in live.policies) return { unknown: live.policies.error };
    const found = live.policies.items.get(arn);
    if (!found) return { gone: true };
    return { found: toPolicyObject(found) };
  },
  enumerate(live) {
    return 'error' in live.policies ? [] : [...live.policies.items.values()].filter((p) => !p.awsManaged).map(toPolicyObject);
  },
};

function toPolicyObject(p: IamManagedPolicy): LiveObject {
  const document = readValue(p.document);
  const tags = p.tags ? readValue(p.tags) : undefined;
  return {
    type: 'aws_iam_policy',
    importId: p.arn,
    resourceId: p.arn,
    name: p.policyName,
    attributes: { policy: document, path: p.path, tags: tags ? tagMap(tags) : undefined },
    ...unreadParts([p.document, 'GetPolicyVersion', ['policy']], [p.tags, 'ListPolicyTags', ['tags']]),
    stub: { name: p.policyName, policy: document ?? '' },
  };
}

const user: LiveTypeSpec = {
  type: 'aws_iam_user',
  importIdFormat: 'user name',
  compared: [
    { path: 'path', kind: 'value', normalize: (a) => a.path ?? '/' },
    { path: 'tags', kind: 'tags' },
  ],
  resourceIdOf: (attributes, live) =>
    stringAttr(attributes, 'arn') ?? `arn:${live.partition}:iam::${live.accountId}:user/${stringAttr(attributes, 'name') ?? stringAttr(attributes, 'id') ?? ''}`,
  lookup(attributes, live) {
    const name = stringAttr(attributes, 'name') ?? stringAttr(attributes, 'id');
    if (!name) return { unknown: 'the state instance names no user' };
    if ('error' in live.users) return { unknown: live.users.error };
    const found = live.users.items.get(name);
    return found ? { found: toUserObject(found) } : { gone: true };
  },
  enumerate(live) {
    return 'error' in live.users ? [] : [...live.users.items.values()].map(toUserObject);
  },
};

function toUserObject(u: IamUser): LiveObject {
  const tags = readValue(u.tags);
  return {
    type: 'aws_iam_user',
    importId: u.userName,
    resourceId: u.arn,
    name: u.userName,
    attributes: { path: u.path ?? '/', tags: tags ? tagMap(tags) : undefined },
    ...unreadParts([u.tags, 'ListUserTags', ['tags']]),
    stub: { name: u.userName },
  };
}

/**
 * An access key: its metadata only. The secret is never read (no API returns it) nor compared.
 * Access key ids are redacted wherever they appear, the loaded state included, so a state key is
 * matched to its live key by user and creation time, or as the user's only key, and reported by
 * those rather than by its id. (So a user's only key replaced outside Terraform, with the state's
 * id redacted and the creation times apart, is taken for the same key: status is still compared.)
 */
function keyCreated(value: unknown): string | undefined {
  const time = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(time) ? undefined : new Date(time).toISOString().replace('.000Z', 'Z');
}

function accessKeyResourceId(userArn: string, created: string | undefined): string {
  return `${userArn}/access-key/${created ?? 'unknown-creation-time'}`;
}

function toAccessKeyObject(u: IamUser, key: IamAccessKey): LiveObject {
  const created = keyCreated(key.createDate);
  return {
    type: 'aws_iam_access_key',
    importId: key.accessKeyId,
    resourceId: accessKeyResourceId(u.arn, created),
    name: `${u.userName} key created ${created ?? '(unknown)'}`,
    // create_date as the provider records it: how a state whose key id is redacted finds its key.
    attributes: { user: u.userName, status: key.status, ...(created ? { create_date: created } : {}) },
    stub: { user: u.userName },
    parent: { type: 'aws_iam_user', importId: u.userName },
  };
}

const accessKey: LiveTypeSpec = {
  type: 'aws_iam_access_key',
  importIdFormat: 'access key id',
  compared: [
    { path: 'user', kind: 'value' },
    { path: 'status', kind: 'value', normalize: (a) => a.status ?? 'Active' },
  ],
  resourceIdOf: (attributes, live) => {
    const userName = stringAttr(attributes, 'user') ?? '';
    return accessKeyResourceId(`arn:${live.partition}:iam::${live.accountId}:user/${userName}`, keyCreated(attributes.create_date));
  },
  lookup(attributes, live) {
    const userName = stringAttr(attributes, 'user');
    if (!userName) return { unknown: 'the state instance names no user' };
    if ('error' in live.users) return { unknown: live.users.error };
    const owner = live.users.items.get(userName);
    if (!owner) return { gone: true };
    if (owner.accessKeys.error) return { unknown: `${owner.accessKeys.error.code}: ${owner.accessKeys.error.message}` };
    const keys = owner.accessKeys.value;
    const id = stringAttr(attributes, 'id');
    const created = keyCreated(attributes.create_date);
    // By id where the state's is readable; else by creation time; else the user's only key is it.
    const key =
      keys.find((k) => id !== undefined && k.accessKeyId === id) ??
      (created ? keys.find((k) => keyCreated(k.createDate) === created) : undefined) ??
      (keys.length === 1 ? keys[0] : undefined);
    return key ? { found: toAccessKeyObject(owner, key) } : { gone: true };
  },
  enumerate(live) {
    return 'error' in live.users ? [] : [...live.users.items.values()].flatMap((u) => (u.accessKeys.value ?? []).map((k) => toAccessKeyObject(u, k)));
  },
};

/** The provider's attribute → GetAccountPasswordPolicy's field, with IAM's defaults for fields it leaves out. */
const PASSWORD_POLICY_FIELDS: Record<string, (p: PasswordPolicy) => unknown> = {
  minimum_password_length: (p) => p.MinimumPasswordLength ?? 6,
  require_lowercase_characters: (p) => p.RequireLowercaseCharacters ?? false,
  require_uppercase_characters: (p) => p.RequireUppercaseCharacters ?? false,
  require_numbers: (p) => p.RequireNumbers ?? false,
  require_symbols: (p) => p.RequireSymbols ?? false,
  allow_users_to_change_password: (p) => p.AllowUsersToChangePassword ?? false,
  max_password_age: (p) => p.MaxPasswordAge ?? 0,
  password_reuse_prevention: (p) => p.PasswordReusePrevention ?? 0,
  hard_expiry: (p) => p.HardExpiry ?? false,
};

const PASSWORD_POLICY_ID = 'iam-account-password-policy';

function toPasswordPolicyObject(p: PasswordPolicy): LiveObject {
  return {
    type: 'aws_iam_account_password_policy',
    importId: PASSWORD_POLICY_ID,
    resourceId: PASSWORD_POLICY_ID,
    name: 'account password policy',
    attributes: Object.fromEntries(Object.entries(PASSWORD_POLICY_FIELDS).map(([path, field]) => [path, field(p)])),
    stub: {},
  };
}

function passwordPolicyRead(live: LiveInventory): { policy: PasswordPolicy | null } | { unknown: string } {
  const read = live.snapshot.iam?.passwordPolicy;
  if (!read) return { unknown: 'IAM GetAccountPasswordPolicy was not collected' };
  if (read.error) return { unknown: `IAM GetAccountPasswordPolicy failed: ${read.error.code}` };
  return { policy: read.value };
}

const passwordPolicy: LiveTypeSpec = {
  type: 'aws_iam_account_password_policy',
  importIdFormat: `${PASSWORD_POLICY_ID} (any string: there is one per account)`,
  compared: Object.keys(PASSWORD_POLICY_FIELDS).map((path) => ({ path, kind: 'value' as const, optional: true })),
  resourceIdOf: () => PASSWORD_POLICY_ID,
  lookup(_attributes, live) {
    const found = passwordPolicyRead(live);
    if ('unknown' in found) return found;
    return found.policy ? { found: toPasswordPolicyObject(found.policy) } : { gone: true };
  },
  enumerate(live) {
    const found = passwordPolicyRead(live);
    return 'policy' in found && found.policy ? [toPasswordPolicyObject(found.policy)] : [];
  },
};

function toProfileObject(p: IamInstanceProfile): LiveObject {
  const tags = readValue(p.tags);
  return {
    type: 'aws_iam_instance_profile',
    importId: p.name,
    resourceId: p.arn,
    name: p.name,
    attributes: { role: p.roles[0] ?? '', path: p.path, tags: tags ? tagMap(tags) : undefined },
    ...unreadParts([p.tags, 'ListInstanceProfileTags', ['tags']]),
    stub: { name: p.name, role: p.roles[0] ?? '' },
  };
}

/** Instance profiles: the role they pass to instances, and their tags (ListInstanceProfileTags: the listing leaves them out). */
const instanceProfile: LiveTypeSpec = {
  type: 'aws_iam_instance_profile',
  importIdFormat: 'instance profile name',
  compared: [
    { path: 'role', kind: 'value', normalize: (a) => a.role ?? '' },
    { path: 'path', kind: 'value', normalize: (a) => a.path ?? '/' },
    { path: 'tags', kind: 'tags' },
  ],
  resourceIdOf: (attributes) => stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'name') ?? '',
  lookup(attributes, live) {
    const name = stringAttr(attributes, 'name') ?? stringAttr(attributes, 'id');
    if (!name) return { unknown: 'the state instance names no instance profile' };
    if ('error' in live.instanceProfiles) return { unknown: live.instanceProfiles.error };
    const found = live.instanceProfiles.items.get(name);
    return found ? { found: toProfileObject(found) } : { gone: true };
  },
  enumerate: (live) => ('error' in live.instanceProfiles ? [] : [...live.instanceProfiles.items.values()].filter((p) => !p.path.startsWith('/aws-service-role/')).map(toProfileObject)),
};

export const IAM_TYPES: readonly LiveTypeSpec[] = [role, rolePolicy, rolePolicyAttachment, policy, user, accessKey, passwordPolicy, instanceProfile];
