/** IAM groups: ListGroups, GetGroup (with its members), their inline and attached policies. */
import type { SandboxGroup } from '../account/model.js';
import { list, type XmlValue } from '../protocol/xml.js';
import type { ServiceContext } from '../types.js';
import { attachedPolicies, findUser, inlinePolicy, inlinePolicyNames, userElement } from './iam-principals.js';
import { iamData, noSuchEntity, pageTail, paginate, pathPrefixFilter, requiredParam, type IamHandler } from './iam-wire.js';

const groupIndexes = new WeakMap<object, Map<string, SandboxGroup>>();

/** Group names are unique case-insensitively, as IAM's are. */
export function findGroup(ctx: ServiceContext, groupName: string): SandboxGroup | undefined {
  let index = groupIndexes.get(ctx.account);
  if (!index) {
    index = new Map();
    for (const g of iamData(ctx).Groups ?? []) if (!index.has(g.GroupName.toLowerCase())) index.set(g.GroupName.toLowerCase(), g);
    groupIndexes.set(ctx.account, index);
  }
  return index.get(groupName.toLowerCase());
}

function requireGroup(ctx: ServiceContext, groupName: string): SandboxGroup {
  const group = findGroup(ctx, groupName);
  if (!group) throw noSuchEntity(`The group with name ${groupName} cannot be found.`);
  return group;
}

function groupElement(group: SandboxGroup): XmlValue {
  return { Path: group.Path, GroupName: group.GroupName, GroupId: group.GroupId, Arn: group.Arn, CreateDate: group.CreateDate };
}

export const groupHandlers: Record<string, IamHandler> = {
  ListGroups(params, ctx) {
    const underPath = pathPrefixFilter(params);
    const page = paginate((iamData(ctx).Groups ?? []).filter((g) => underPath(g.Path)), params);
    return { Groups: list('member', page.items.map(groupElement)), ...pageTail(page) };
  },
  /** The group and a page of its members (ListUsers' shape); Marker/MaxItems page the members. */
  GetGroup(params, ctx) {
    const group = requireGroup(ctx, requiredParam(params, 'GroupName'));
    const members = (group.Users ?? []).flatMap((name) => {
      const user = findUser(ctx, name);
      return user ? [user] : [];
    });
    const page = paginate(members, params);
    return { Group: groupElement(group), Users: list('member', page.items.map((u) => userElement(u, false))), ...pageTail(page) };
  },
  ListGroupPolicies: (params, ctx) => inlinePolicyNames(requireGroup(ctx, requiredParam(params, 'GroupName')), params),
  GetGroupPolicy(params, ctx) {
    const group = requireGroup(ctx, requiredParam(params, 'GroupName'));
    return { GroupName: group.GroupName, ...inlinePolicy(group, requiredParam(params, 'PolicyName'), 'group') };
  },
  ListAttachedGroupPolicies: (params, ctx) => attachedPolicies(requireGroup(ctx, requiredParam(params, 'GroupName')), params),
};
