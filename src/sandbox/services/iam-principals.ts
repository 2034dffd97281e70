/** IAM roles and users: listing, reading, their policies, login profiles, MFA and access keys. */
import type { SandboxAccessKey, SandboxRole, SandboxUser } from '../account/model.js';
import { list, type XmlValue } from '../protocol/xml.js';
import type { ServiceContext } from '../types.js';
import {
  encodePolicyDocument,
  iamData,
  noSuchEntity,
  optionalParam,
  pageTail,
  paginate,
  pathPrefixFilter,
  requiredParam,
  validationError,
  type IamHandler,
} from './iam-wire.js';

// IAM names are unique case-insensitively. Indexed once per account: a large account is
// looked up thousands of times.
const roleIndexes = new WeakMap<object, Map<string, SandboxRole>>();
const userIndexes = new WeakMap<object, Map<string, SandboxUser>>();

function indexed<T>(cache: WeakMap<object, Map<string, T>>, owner: object, items: readonly T[] | undefined, name: (item: T) => string): Map<string, T> {
  let index = cache.get(owner);
  if (!index) {
    index = new Map();
    for (const item of items ?? []) if (!index.has(name(item).toLowerCase())) index.set(name(item).toLowerCase(), item);
    cache.set(owner, index);
  }
  return index;
}

export function findRole(ctx: ServiceContext, roleName: string): SandboxRole | undefined {
  return indexed(roleIndexes, ctx.account, iamData(ctx).Roles, (r) => r.RoleName).get(roleName.toLowerCase());
}

export function findUser(ctx: ServiceContext, userName: string): SandboxUser | undefined {
  return indexed(userIndexes, ctx.account, iamData(ctx).Users, (u) => u.UserName).get(userName.toLowerCase());
}

export function requireRole(ctx: ServiceContext, roleName: string): SandboxRole {
  const role = findRole(ctx, roleName);
  if (!role) throw noSuchEntity(`The role with name ${roleName} cannot be found.`);
  return role;
}

export function requireUser(ctx: ServiceContext, userName: string): SandboxUser {
  const user = findUser(ctx, userName);
  if (!user) throw noSuchEntity(`The user with name ${userName} cannot be found.`);
  return user;
}

/** The owner of an access key: an IAM user, or undefined when no user holds it. */
export function accessKeyOwner(ctx: ServiceContext, accessKeyId: string): { user: SandboxUser; key: SandboxAccessKey } | undefined {
  for (const user of iamData(ctx).Users ?? []) {
    const key = user.AccessKeys?.find((k) => k.AccessKeyId === accessKeyId);
    if (key) return { user, key };
  }
  return undefined;
}

/** ListRoles omits PermissionsBoundary, RoleLastUsed and Tags; GetRole has them all. */
function roleElement(role: SandboxRole, full: boolean): XmlValue {
  return {
    Path: role.Path,
    RoleName: role.RoleName,
    RoleId: role.RoleId,
    Arn: role.Arn,
    CreateDate: role.CreateDate,
    AssumeRolePolicyDocument: encodePolicyDocument(role.AssumeRolePolicyDocument),
    Description: role.Description,
    MaxSessionDuration: role.MaxSessionDuration,
    ...(full
      ? {
          Tags: role.Tags?.length ? role.Tags : undefined,
          // AWS always sends RoleLastUsed on GetRole, empty for a role not used in the tracking window.
          RoleLastUsed: { LastUsedDate: role.RoleLastUsed?.LastUsedDate, Region: role.RoleLastUsed?.Region },
        }
      : {}),
  };
}

/** ListUsers omits PermissionsBoundary and Tags. */
export function userElement(user: SandboxUser, full: boolean): XmlValue {
  return {
    Path: user.Path,
    UserName: user.UserName,
    UserId: user.UserId,
    Arn: user.Arn,
    CreateDate: user.CreateDate,
    PasswordLastUsed: user.PasswordLastUsed,
    ...(full ? { Tags: user.Tags?.length ? user.Tags : undefined } : {}),
  };
}

/** GetUser, ListMFADevices and ListAccessKeys default to the caller, who must then be an IAM user. */
function userOrCaller(params: URLSearchParams, ctx: ServiceContext): SandboxUser {
  const userName = optionalParam(params, 'UserName');
  if (userName !== undefined) return requireUser(ctx, userName);
  const callerArn = ctx.account.CallerIdentity?.Arn ?? '';
  const caller = iamData(ctx).Users?.find((u) => u.Arn === callerArn);
  if (!caller) throw validationError('Must specify userName when calling with non-User credentials');
  return caller;
}

export type Principal = { AttachedPolicies?: SandboxRole['AttachedPolicies']; InlinePolicies?: SandboxRole['InlinePolicies'] };

export function attachedPolicies(principal: Principal, params: URLSearchParams): XmlValue {
  const underPath = pathPrefixFilter(params);
  // Attached policy entries carry only name and ARN; the path is the ARN's, between "policy" and the name.
  const pathOf = (arn: string) => /:policy(\/.*\/|\/)[^/]+$/.exec(arn)?.[1] ?? '/';
  const page = paginate((principal.AttachedPolicies ?? []).filter((p) => underPath(pathOf(p.PolicyArn))), params);
  return { AttachedPolicies: list('member', page.items), ...pageTail(page) };
}

export function inlinePolicyNames(principal: Principal, params: URLSearchParams): XmlValue {
  const page = paginate((principal.InlinePolicies ?? []).map((p) => p.PolicyName), params);
  return { PolicyNames: list('member', page.items), ...pageTail(page) };
}

export function inlinePolicy(principal: Principal, policyName: string, kind: 'role' | 'user' | 'group'): { PolicyName: string; PolicyDocument: string } {
  const policy = principal.InlinePolicies?.find((p) => p.PolicyName === policyName);
  if (!policy) throw noSuchEntity(`The ${kind} policy with name ${policyName} cannot be found.`);
  return { PolicyName: policy.PolicyName, PolicyDocument: encodePolicyDocument(policy.PolicyDocument) };
}

type SandboxInstanceProfile = NonNullable<ReturnType<typeof iamData>['InstanceProfiles']>[number];

/** Instance profile names are unique case-insensitively, as role names. */
export function findInstanceProfile(ctx: ServiceContext, name: string): SandboxInstanceProfile | undefined {
  return (iamData(ctx).InstanceProfiles ?? []).find((p) => p.InstanceProfileName.toLowerCase() === name.toLowerCase());
}

export const principalHandlers: Record<string, IamHandler> = {
  /** Each profile with its role (ListRoles' shape), without tags: ListInstanceProfileTags has them. */
  ListInstanceProfiles(params, ctx) {
    const underPath = pathPrefixFilter(params);
    const roles = iamData(ctx).Roles ?? [];
    const page = paginate((iamData(ctx).InstanceProfiles ?? []).filter((p) => underPath(p.Path)), params);
    return {
      InstanceProfiles: list(
        'member',
        page.items.map((p) => ({
          Path: p.Path ?? '/',
          InstanceProfileName: p.InstanceProfileName,
          InstanceProfileId: p.InstanceProfileId ?? `AIPA${p.InstanceProfileName.toUpperCase().replace(/[^A-Z0-9]/g, '').padEnd(17, 'X').slice(0, 17)}`,
          Arn: p.Arn ?? `arn:aws:iam::${ctx.account.AccountId}:instance-profile${p.Path ?? '/'}${p.InstanceProfileName}`,
          CreateDate: p.CreateDate,
          Roles: list(
            'member',
            (p.Roles ?? []).flatMap((name) => {
              const role = roles.find((r) => r.RoleName === name);
              return role ? [roleElement(role, false)] : [];
            }),
          ),
        })),
      ),
      ...pageTail(page),
    };
  },
  ListInstanceProfileTags(params, ctx) {
    const name = requiredParam(params, 'InstanceProfileName');
    const profile = findInstanceProfile(ctx, name);
    if (!profile) throw noSuchEntity(`Instance Profile ${name} cannot be found.`);
    const page = paginate(profile.Tags ?? [], params);
    return { Tags: list('member', page.items), ...pageTail(page) };
  },
  ListRoles(params, ctx) {
    const underPath = pathPrefixFilter(params);
    const page = paginate((iamData(ctx).Roles ?? []).filter((r) => underPath(r.Path)), params);
    return { Roles: list('member', page.items.map((r) => roleElement(r, false))), ...pageTail(page) };
  },
  GetRole: (params, ctx) => ({ Role: roleElement(requireRole(ctx, requiredParam(params, 'RoleName')), true) }),
  ListAttachedRolePolicies: (params, ctx) => attachedPolicies(requireRole(ctx, requiredParam(params, 'RoleName')), params),
  ListRolePolicies: (params, ctx) => inlinePolicyNames(requireRole(ctx, requiredParam(params, 'RoleName')), params),
  GetRolePolicy(params, ctx) {
    const role = requireRole(ctx, requiredParam(params, 'RoleName'));
    return { RoleName: role.RoleName, ...inlinePolicy(role, requiredParam(params, 'PolicyName'), 'role') };
  },

  ListUsers(params, ctx) {
    const underPath = pathPrefixFilter(params);
    const page = paginate((iamData(ctx).Users ?? []).filter((u) => underPath(u.Path)), params);
    return { Users: list('member', page.items.map((u) => userElement(u, false))), ...pageTail(page) };
  },
  GetUser: (params, ctx) => ({ User: userElement(userOrCaller(params, ctx), true) }),
  ListUserTags(params, ctx) {
    const page = paginate(requireUser(ctx, requiredParam(params, 'UserName')).Tags ?? [], params);
    return { Tags: list('member', page.items), ...pageTail(page) };
  },
  ListAttachedUserPolicies: (params, ctx) => attachedPolicies(requireUser(ctx, requiredParam(params, 'UserName')), params),
  ListUserPolicies: (params, ctx) => inlinePolicyNames(requireUser(ctx, requiredParam(params, 'UserName')), params),
  GetUserPolicy(params, ctx) {
    const user = requireUser(ctx, requiredParam(params, 'UserName'));
    return { UserName: user.UserName, ...inlinePolicy(user, requiredParam(params, 'PolicyName'), 'user') };
  },
  GetLoginProfile(params, ctx) {
    const user = requireUser(ctx, requiredParam(params, 'UserName'));
    if (!user.LoginProfile) throw noSuchEntity(`Login Profile for User ${user.UserName} cannot be found.`);
    return {
      LoginProfile: { UserName: user.UserName, CreateDate: user.LoginProfile.CreateDate, PasswordResetRequired: user.LoginProfile.PasswordResetRequired ?? false },
    };
  },
  ListMFADevices(params, ctx) {
    const user = userOrCaller(params, ctx);
    const page = paginate(user.MFADevices ?? [], params);
    return { MFADevices: list('member', page.items.map((d) => ({ UserName: user.UserName, SerialNumber: d.SerialNumber, EnableDate: d.EnableDate }))), ...pageTail(page) };
  },
  ListAccessKeys(params, ctx) {
    const user = userOrCaller(params, ctx);
    const page = paginate(user.AccessKeys ?? [], params);
    return {
      AccessKeyMetadata: list('member', page.items.map((k) => ({ UserName: user.UserName, AccessKeyId: k.AccessKeyId, Status: k.Status, CreateDate: k.CreateDate }))),
      ...pageTail(page),
    };
  },
  GetAccessKeyLastUsed(params, ctx) {
    const accessKeyId = requiredParam(params, 'AccessKeyId');
    const owner = accessKeyOwner(ctx, accessKeyId);
    if (!owner) throw noSuchEntity(`The Access Key with id ${accessKeyId} cannot be found.`);
    const used = owner.key.LastUsed;
    // AWS writes "N/A" for the service and region of a key that was never used, and no date.
    return {
      UserName: owner.user.UserName,
      AccessKeyLastUsed: { LastUsedDate: used?.LastUsedDate, ServiceName: used?.ServiceName ?? 'N/A', Region: used?.Region ?? 'N/A' },
    };
  },
};

