/**
 * IAM: roles, their inline policies and policy attachments, customer-managed policies, users.
 * On `aws_iam_role`, `inline_policy` and `managed_policy_arns` are not compared: they are
 * computed unless the configuration manages them exclusively, and the split resources
 * (`aws_iam_role_policy`, `aws_iam_role_policy_attachment`) carry the same facts.
 */
import type { IamManagedPolicy, IamRole, IamUser } from '../../inventory/snapshot.js';
import { readValue, stringAttr, tagMap, type LiveInventory } from './inventory.js';
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
  return {
    type: 'aws_iam_policy',
    importId: p.arn,
    resourceId: p.arn,
    name: p.policyName,
    attributes: { policy: document, path: p.path },
    stub: { name: p.policyName, policy: document ?? '' },
  };
}

const user: LiveTypeSpec = {
  type: 'aws_iam_user',
  importIdFormat: 'user name',
  compared: [{ path: 'path', kind: 'value', normalize: (a) => a.path ?? '/' }],
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
  return { type: 'aws_iam_user', importId: u.userName, resourceId: u.arn, name: u.userName, attributes: { path: u.path }, stub: { name: u.userName } };
}

export const IAM_TYPES: readonly LiveTypeSpec[] = [role, rolePolicy, rolePolicyAttachment, policy, user];
