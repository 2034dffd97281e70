/** IAM managed policies: ListPolicies, GetPolicy, ListPolicyVersions, GetPolicyVersion, ListPolicyTags. */
import type { SandboxManagedPolicy } from '../account/model.js';
import { list, type XmlValue } from '../protocol/xml.js';
import type { ServiceContext } from '../types.js';
import {
  booleanParam,
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

export function isAwsManaged(policy: SandboxManagedPolicy): boolean {
  return policy.AwsManaged === true || (policy.Arn ?? '').startsWith('arn:aws:iam::aws:policy/');
}

export function findPolicy(ctx: ServiceContext, policyArn: string): SandboxManagedPolicy | undefined {
  return iamData(ctx).Policies?.find((p) => p.Arn === policyArn);
}

function requirePolicy(ctx: ServiceContext, policyArn: string): SandboxManagedPolicy {
  const policy = findPolicy(ctx, policyArn);
  if (!policy) throw noSuchEntity(`Policy ${policyArn} does not exist or is not attachable.`);
  return policy;
}

/** The default version's document of a managed policy. */
export function defaultDocument(policy: SandboxManagedPolicy): unknown {
  return (policy.Versions.find((v) => v.VersionId === policy.DefaultVersionId) ?? policy.Versions[0]!).Document;
}

/** How many users, groups and roles have the policy attached. */
export function attachmentCount(ctx: ServiceContext, policyArn: string): number {
  const iam = iamData(ctx);
  const holders = [...(iam.Roles ?? []), ...(iam.Users ?? []), ...(iam.Groups ?? [])];
  return holders.filter((h) => h.AttachedPolicies?.some((a) => a.PolicyArn === policyArn)).length;
}

/** ListPolicies leaves out Description and Tags; GetPolicy has them. */
function policyElement(ctx: ServiceContext, policy: SandboxManagedPolicy, full: boolean): XmlValue {
  return {
    PolicyName: policy.PolicyName,
    PolicyId: policy.PolicyId,
    Arn: policy.Arn,
    Path: policy.Path,
    DefaultVersionId: policy.DefaultVersionId,
    AttachmentCount: attachmentCount(ctx, policy.Arn!),
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    Description: full ? policy.Description : undefined,
    Tags: full && policy.Tags?.length ? list('member', policy.Tags) : undefined,
    CreateDate: policy.CreateDate,
    UpdateDate: policy.UpdateDate,
  };
}

const SCOPES = ['All', 'AWS', 'Local'] as const;

export const policyHandlers: Record<string, IamHandler> = {
  ListPolicies(params, ctx) {
    const scope = optionalParam(params, 'Scope') ?? 'All';
    if (!(SCOPES as readonly string[]).includes(scope)) {
      throw validationError(
        `1 validation error detected: Value '${scope}' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]`,
      );
    }
    const onlyAttached = booleanParam(params, 'OnlyAttached');
    const underPath = pathPrefixFilter(params);
    const policies = (iamData(ctx).Policies ?? []).filter(
      (p) =>
        underPath(p.Path) &&
        (scope === 'All' || (scope === 'AWS') === isAwsManaged(p)) &&
        (!onlyAttached || attachmentCount(ctx, p.Arn!) > 0),
    );
    const page = paginate(policies, params);
    return { Policies: list('member', page.items.map((p) => policyElement(ctx, p, false))), ...pageTail(page) };
  },
  GetPolicy: (params, ctx) => ({ Policy: policyElement(ctx, requirePolicy(ctx, requiredParam(params, 'PolicyArn')), true) }),
  ListPolicyVersions(params, ctx) {
    const policy = requirePolicy(ctx, requiredParam(params, 'PolicyArn'));
    const page = paginate(policy.Versions, params);
    // The listing carries no documents; GetPolicyVersion does.
    const versions = page.items.map((v) => ({ VersionId: v.VersionId, IsDefaultVersion: v.VersionId === policy.DefaultVersionId, CreateDate: v.CreateDate }));
    return { Versions: list('member', versions), ...pageTail(page) };
  },
  ListPolicyTags(params, ctx) {
    const page = paginate(requirePolicy(ctx, requiredParam(params, 'PolicyArn')).Tags ?? [], params);
    return { Tags: list('member', page.items), ...pageTail(page) };
  },
  GetPolicyVersion(params, ctx) {
    const policyArn = requiredParam(params, 'PolicyArn');
    const versionId = requiredParam(params, 'VersionId');
    const policy = requirePolicy(ctx, policyArn);
    const version = policy.Versions.find((v) => v.VersionId === versionId);
    if (!version) throw noSuchEntity(`Policy ${policyArn} version ${versionId} does not exist or is not attachable.`);
    return {
      PolicyVersion: {
        Document: encodePolicyDocument(version.Document),
        VersionId: version.VersionId,
        IsDefaultVersion: version.VersionId === policy.DefaultVersionId,
        CreateDate: version.CreateDate,
      },
    };
  },
};
