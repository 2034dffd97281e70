/**
 * IAM: the credential report, the account summary and password policy, every user (login
 * profile, MFA devices, access keys with their last use, attached and inline policies),
 * every group (members, attached and inline policies), every role (GetRole for RoleLastUsed, which ListRoles leaves out; attached and inline
 * policies), and the managed policies in use with their default version, each fetched once.
 */
import {
  GenerateCredentialReportCommand,
  GetAccessKeyLastUsedCommand,
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  GetGroupPolicyCommand,
  paginateGetGroup,
  paginateListAttachedGroupPolicies,
  paginateListGroupPolicies,
  paginateListGroups,
  paginateListEntitiesForPolicy,
  paginateListServerCertificates,
  paginateListVirtualMFADevices,
  type Group,
  GetLoginProfileCommand,
  GetOpenIDConnectProviderCommand,
  ListOpenIDConnectProvidersCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  paginateListAccessKeys,
  paginateListAttachedRolePolicies,
  paginateListAttachedUserPolicies,
  paginateListMFADevices,
  paginateListPolicies,
  paginateListPolicyTags,
  paginateListRolePolicies,
  paginateListRoles,
  paginateListUserPolicies,
  paginateListInstanceProfiles,
  paginateListInstanceProfileTags,
  paginateListServerCertificateTags,
  paginateListUsers,
  paginateListUserTags,
  type IAMClient,
  type InstanceProfile,
  type Policy,
  type Role,
  type User,
} from '@aws-sdk/client-iam';
import { collectPages } from '../../aws/paginate.js';
import { notCollected, read, type CollectorContext, type CollectorReads, type ReadLabel } from '../context.js';
import type { CredentialReportRow, IamGroup, IamInlinePolicy, IamInstanceProfile, IamInventory, IamManagedPolicy, IamOidcProvider, IamRole, IamServerCertificate, IamUser, Read } from '../snapshot.js';
import { parseCredentialReport } from './credential-report.js';
import { mapBounded } from '../bounded.js';

/** IAM is global; its endpoint lives in us-east-1 (aws partition). */
const IAM_REGION = 'us-east-1';
const REPORT_POLLS = 10;
const REPORT_POLL_MS = 1_000;

export const IAM_READS = {
  'iam:GenerateCredentialReport': [],
  'iam:GetCredentialReport': ['iam:GenerateCredentialReport'],
  'iam:GetAccountSummary': [],
  'iam:GetAccountPasswordPolicy': [],
  'iam:ListUsers': [],
  'iam:GetLoginProfile': ['iam:ListUsers'],
  'iam:ListMFADevices': ['iam:ListUsers'],
  'iam:ListAccessKeys': ['iam:ListUsers'],
  'iam:GetAccessKeyLastUsed': ['iam:ListAccessKeys'],
  'iam:ListUserTags': ['iam:ListUsers'],
  'iam:ListAttachedUserPolicies': ['iam:ListUsers'],
  'iam:ListUserPolicies': ['iam:ListUsers'],
  'iam:GetUserPolicy': ['iam:ListUserPolicies'],
  'iam:ListRoles': [],
  'iam:ListInstanceProfiles': [],
  'iam:ListInstanceProfileTags': ['iam:ListInstanceProfiles'],
  'iam:GetRole': ['iam:ListRoles'],
  'iam:ListAttachedRolePolicies': ['iam:ListRoles'],
  'iam:ListRolePolicies': ['iam:ListRoles'],
  'iam:GetRolePolicy': ['iam:ListRolePolicies'],
  'iam:ListGroups': [],
  'iam:GetGroup': ['iam:ListGroups'],
  'iam:ListAttachedGroupPolicies': ['iam:ListGroups'],
  'iam:ListGroupPolicies': ['iam:ListGroups'],
  'iam:GetGroupPolicy': ['iam:ListGroupPolicies'],
  'iam:ListVirtualMFADevices': [],
  'iam:ListEntitiesForPolicy': [],
  'iam:ListServerCertificates': [],
  'iam:ListServerCertificateTags': ['iam:ListServerCertificates'],
  'iam:ListOpenIDConnectProviders': [],
  'iam:GetOpenIDConnectProvider': ['iam:ListOpenIDConnectProviders'],
  'iam:ListPolicies': [],
  'iam:GetPolicyVersion': ['iam:ListPolicies'],
  'iam:ListPolicyTags': ['iam:ListPolicies'],
} satisfies CollectorReads;

/** IAM returns policy documents URL-encoded. */
export function decodePolicyDocument(document: string | undefined): string {
  if (!document) return '';
  try {
    return decodeURIComponent(document);
  } catch {
    return document;
  }
}

export async function collectIam(ctx: CollectorContext): Promise<IamInventory> {
  const iam = ctx.session.client('iam', IAM_REGION);
  const label = (operation: string, resource?: string): ReadLabel => ({ service: 'iam', region: 'global', operation, resource });

  const [credentialReport, accountSummary, passwordPolicy, users, roles, groups, policies, instanceProfiles, virtualMfaDevices, supportAccess, serverCertificates, openIdConnectProviders] = await Promise.all([
    collectCredentialReport(ctx, iam),
    read(ctx, label('GetAccountSummary'), async () => {
      const map = (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap ?? {};
      return Object.fromEntries(Object.entries(map).filter((e): e is [string, number] => typeof e[1] === 'number'));
    }),
    read(ctx, label('GetAccountPasswordPolicy'), async () => (await iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy ?? null, ['NoSuchEntity', 'NoSuchEntityException']),
    read(ctx, label('ListUsers'), () => collectPages(paginateListUsers({ client: iam }, {}), (p) => p.Users)).then((r) =>
      r.error ? r : settle(mapBounded(r.value, ctx.session.concurrency, (u) => collectUser(ctx, iam, u), ctx.session.work('iam'))),
    ),
    read(ctx, label('ListRoles'), () => collectPages(paginateListRoles({ client: iam }, {}), (p) => p.Roles)).then((r) =>
      r.error ? r : settle(mapBounded(r.value, ctx.session.concurrency, (role) => collectRole(ctx, iam, role), ctx.session.work('iam'))),
    ),
    read(ctx, label('ListGroups'), () => collectPages(paginateListGroups({ client: iam }, {}), (p) => p.Groups)).then((r) =>
      r.error ? r : settle(mapBounded(r.value, ctx.session.concurrency, (group) => collectGroup(ctx, iam, group), ctx.session.work('iam'))),
    ),
    collectManagedPolicies(ctx, iam),
    collectInstanceProfiles(ctx, iam),
    read(ctx, label('ListVirtualMFADevices'), async () =>
      (await collectPages(paginateListVirtualMFADevices({ client: iam }, { AssignmentStatus: 'Any' }), (p) => p.VirtualMFADevices)).map((d) => ({
        serialNumber: d.SerialNumber ?? '',
        userArn: d.User?.Arn,
        enableDate: d.EnableDate,
      })),
    ),
    collectSupportAccess(ctx, iam),
    collectServerCertificates(ctx, iam),
    collectOidcProviders(ctx, iam),
  ]);
  ctx.progress?.({ service: 'iam', region: 'global', done: true });
  return { credentialReport, accountSummary, passwordPolicy, users, roles, groups, policies, instanceProfiles, virtualMfaDevices, supportAccess, serverCertificates, openIdConnectProviders };
}

/** The instance profiles, each with its tags (ListInstanceProfileTags; the listing leaves them out) when drift asks for them. */
async function collectInstanceProfiles(ctx: CollectorContext, iam: IAMClient): Promise<Read<IamInstanceProfile[]>> {
  const label = (operation: string, resource?: string): ReadLabel => ({ service: 'iam', region: 'global', operation, resource });
  const listed = await read(ctx, label('ListInstanceProfiles'), () => collectPages(paginateListInstanceProfiles({ client: iam }, {}), (p) => p.InstanceProfiles));
  if (listed.error) return listed;
  const profile = (p: InstanceProfile, tags: IamInstanceProfile['tags']): IamInstanceProfile => ({
    name: p.InstanceProfileName ?? '',
    arn: p.Arn ?? '',
    path: p.Path ?? '/',
    roles: (p.Roles ?? []).map((role) => role.RoleName ?? ''),
    tags,
  });
  // An audit reads no tags: no per-profile fan-out, nor per-profile work in its progress.
  if (!ctx.needs.has('iam:ListInstanceProfileTags')) return { value: listed.value.map((p) => profile(p, notCollected('iam:ListInstanceProfileTags'))) };
  const profiles = await mapBounded(
    listed.value,
    ctx.session.concurrency,
    async (p) => profile(p, await read(ctx, label('ListInstanceProfileTags', p.Arn), () => collectPages(paginateListInstanceProfileTags({ client: iam }, { InstanceProfileName: p.InstanceProfileName }), (page) => page.Tags))),
    ctx.session.work('iam'),
  );
  return { value: profiles };
}

/** The server certificates (CIS 1.19), each with its tags (ListServerCertificateTags) when drift asks for them. */
async function collectServerCertificates(ctx: CollectorContext, iam: IAMClient): Promise<Read<IamServerCertificate[]>> {
  const label = (operation: string, resource?: string): ReadLabel => ({ service: 'iam', region: 'global', operation, resource });
  const listed = await read(ctx, label('ListServerCertificates'), () => collectPages(paginateListServerCertificates({ client: iam }, {}), (p) => p.ServerCertificateMetadataList));
  if (listed.error) return listed;
  // An audit reads no tags: its listing stays one call, with no per-certificate work to report.
  if (!ctx.needs.has('iam:ListServerCertificateTags')) return { value: listed.value.map((c) => ({ ...c, tags: notCollected('iam:ListServerCertificateTags') })) };
  const certificates = await mapBounded(
    listed.value,
    ctx.session.concurrency,
    async (c): Promise<IamServerCertificate> => ({
      ...c,
      tags: await read(ctx, label('ListServerCertificateTags', c.Arn), () =>
        collectPages(paginateListServerCertificateTags({ client: iam }, { ServerCertificateName: c.ServerCertificateName }), (page) => page.Tags),
      ),
    }),
    ctx.session.work('iam'),
  );
  return { value: certificates };
}

/** Every OIDC provider (ListOpenIDConnectProviders names only ARNs and is not paginated), each read once. */
async function collectOidcProviders(ctx: CollectorContext, iam: IAMClient): Promise<Read<IamOidcProvider[]>> {
  const listed = await read(ctx, { service: 'iam', region: 'global', operation: 'ListOpenIDConnectProviders' }, async () =>
    ((await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList ?? []).flatMap((p) => (p.Arn ? [p.Arn] : [])),
  );
  if (listed.error) return listed;
  const providers = await mapBounded(
    listed.value,
    ctx.session.concurrency,
    async (arn): Promise<IamOidcProvider> => ({
      arn,
      details: await read(ctx, { service: 'iam', region: 'global', operation: 'GetOpenIDConnectProvider', resource: arn }, async () => {
        const p = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
        return { url: p.Url ?? '', clientIds: p.ClientIDList ?? [], thumbprints: p.ThumbprintList ?? [], createDate: p.CreateDate, tags: p.Tags ?? [] };
      }),
    }),
    ctx.session.work('iam'),
  );
  return { value: providers };
}

async function settle<T>(values: Promise<T>): Promise<Read<T>> {
  return { value: await values };
}

/** Ask IAM to build the report, wait a bounded time for it, then read it. */
async function collectCredentialReport(ctx: CollectorContext, iam: IAMClient): Promise<Read<CredentialReportRow[]>> {
  const label: ReadLabel = { service: 'iam', region: 'global', operation: 'GenerateCredentialReport' };
  const generated = await read(ctx, label, async () => {
    for (let poll = 0; poll < REPORT_POLLS; poll++) {
      const state = (await iam.send(new GenerateCredentialReportCommand({}))).State;
      if (state === 'COMPLETE') return state;
      await new Promise((r) => setTimeout(r, REPORT_POLL_MS));
    }
    throw Object.assign(new Error(`the credential report was not ready after ${REPORT_POLLS} polls`), { name: 'ReportInProgress' });
  });
  if (generated.error) return generated;
  return read(ctx, { ...label, operation: 'GetCredentialReport' }, async () => {
    const content = (await iam.send(new GetCredentialReportCommand({}))).Content;
    return parseCredentialReport(content ? Buffer.from(content).toString('utf8') : '');
  });
}

async function inlinePolicies(
  ctx: CollectorContext,
  names: () => Promise<string[]>,
  document: (name: string) => Promise<string | undefined>,
  resource: string,
  listOperation: string,
  getOperation: string,
): Promise<Read<IamInlinePolicy[]>> {
  const listed = await read(ctx, { service: 'iam', region: 'global', operation: listOperation, resource }, names);
  if (listed.error) return listed;
  const docs = await Promise.all(
    listed.value.map((policyName) => read(ctx, { service: 'iam', region: 'global', operation: getOperation, resource: `${resource}/${policyName}` }, () => document(policyName))),
  );
  // One unreadable inline policy makes the set unknown: a check must not pass on the rest.
  const failed = docs.find((d) => d.error);
  if (failed?.error) return { error: failed.error };
  return { value: listed.value.map((policyName, i) => ({ policyName, document: decodePolicyDocument(docs[i]!.value ?? undefined) })) };
}

async function collectUser(ctx: CollectorContext, iam: IAMClient, user: User): Promise<IamUser> {
  const UserName = user.UserName!;
  const arn = user.Arn ?? `arn:${ctx.partition}:iam::${ctx.accountId}:user/${UserName}`;
  const label = (operation: string, resource = arn): ReadLabel => ({ service: 'iam', region: 'global', operation, resource });
  const [loginProfile, mfaDevices, accessKeys, attachedPolicies, inline, tags] = await Promise.all([
    read(ctx, label('GetLoginProfile'), async () => ({ createDate: (await iam.send(new GetLoginProfileCommand({ UserName }))).LoginProfile?.CreateDate }), ['NoSuchEntity', 'NoSuchEntityException']),
    read(ctx, label('ListMFADevices'), async () =>
      (await collectPages(paginateListMFADevices({ client: iam }, { UserName }), (p) => p.MFADevices)).map((d) => ({ serialNumber: d.SerialNumber ?? '', enableDate: d.EnableDate })),
    ),
    read(ctx, label('ListAccessKeys'), () => collectPages(paginateListAccessKeys({ client: iam }, { UserName }), (p) => p.AccessKeyMetadata)).then(async (r) => {
      if (r.error) return r;
      const keys = await Promise.all(
        r.value.map(async (k) => ({
          accessKeyId: k.AccessKeyId ?? '',
          status: k.Status ?? 'Active',
          createDate: k.CreateDate,
          lastUsed: await read(ctx, label('GetAccessKeyLastUsed', `${arn}/${k.AccessKeyId}`), async () => {
            const used = (await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: k.AccessKeyId }))).AccessKeyLastUsed;
            return { lastUsedDate: used?.LastUsedDate, serviceName: used?.ServiceName, region: used?.Region };
          }),
        })),
      );
      return { value: keys };
    }),
    read(ctx, label('ListAttachedUserPolicies'), () => collectPages(paginateListAttachedUserPolicies({ client: iam }, { UserName }), (p) => p.AttachedPolicies)),
    inlinePolicies(
      ctx,
      () => collectPages(paginateListUserPolicies({ client: iam }, { UserName }), (p) => p.PolicyNames),
      async (PolicyName) => (await iam.send(new GetUserPolicyCommand({ UserName, PolicyName }))).PolicyDocument,
      arn,
      'ListUserPolicies',
      'GetUserPolicy',
    ),
    read(ctx, label('ListUserTags'), () => collectPages(paginateListUserTags({ client: iam }, { UserName }), (p) => p.Tags)),
  ]);
  return {
    userName: UserName,
    arn,
    path: user.Path,
    userId: user.UserId,
    createDate: user.CreateDate,
    passwordLastUsed: user.PasswordLastUsed,
    loginProfile,
    mfaDevices,
    accessKeys,
    attachedPolicies,
    inlinePolicies: inline,
    tags,
  };
}

async function collectRole(ctx: CollectorContext, iam: IAMClient, role: Role): Promise<IamRole> {
  const RoleName = role.RoleName!;
  const arn = role.Arn ?? `arn:${ctx.partition}:iam::${ctx.accountId}:role/${RoleName}`;
  const label = (operation: string): ReadLabel => ({ service: 'iam', region: 'global', operation, resource: arn });
  const [details, attachedPolicies, inline] = await Promise.all([
    read(ctx, label('GetRole'), async () => (await iam.send(new GetRoleCommand({ RoleName }))).Role),
    read(ctx, label('ListAttachedRolePolicies'), () => collectPages(paginateListAttachedRolePolicies({ client: iam }, { RoleName }), (p) => p.AttachedPolicies)),
    inlinePolicies(
      ctx,
      () => collectPages(paginateListRolePolicies({ client: iam }, { RoleName }), (p) => p.PolicyNames),
      async (PolicyName) => (await iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }))).PolicyDocument,
      arn,
      'ListRolePolicies',
      'GetRolePolicy',
    ),
  ]);
  return {
    roleName: RoleName,
    arn,
    path: role.Path,
    description: role.Description,
    maxSessionDuration: role.MaxSessionDuration,
    createDate: role.CreateDate,
    assumeRolePolicyDocument: decodePolicyDocument(role.AssumeRolePolicyDocument),
    lastUsed: details.error ? details : { value: { lastUsedDate: details.value?.RoleLastUsed?.LastUsedDate, region: details.value?.RoleLastUsed?.Region } },
    tags: details.error ? details : { value: details.value?.Tags ?? [] },
    attachedPolicies,
    inlinePolicies: inline,
  };
}

/** The AWS-managed policy whose holders can manage AWS Support cases. */
export const SUPPORT_POLICY = 'AWSSupportAccess';

async function collectSupportAccess(ctx: CollectorContext, iam: IAMClient): Promise<IamInventory['supportAccess']> {
  const policyArn = `arn:${ctx.partition}:iam::aws:policy/${SUPPORT_POLICY}`;
  return read(ctx, { service: 'iam', region: 'global', operation: 'ListEntitiesForPolicy', resource: policyArn }, async () => {
    const holders = { policyArn, roles: [] as string[], users: [] as string[], groups: [] as string[] };
    const pages = await collectPages(paginateListEntitiesForPolicy({ client: iam }, { PolicyArn: policyArn }), (page) => [page]);
    for (const page of pages) {
      holders.roles.push(...(page.PolicyRoles ?? []).map((r) => r.RoleName ?? ''));
      holders.users.push(...(page.PolicyUsers ?? []).map((u) => u.UserName ?? ''));
      holders.groups.push(...(page.PolicyGroups ?? []).map((g) => g.GroupName ?? ''));
    }
    return holders;
  });
}

async function collectGroup(ctx: CollectorContext, iam: IAMClient, group: Group): Promise<IamGroup> {
  const GroupName = group.GroupName!;
  const arn = group.Arn ?? `arn:${ctx.partition}:iam::${ctx.accountId}:group/${GroupName}`;
  const label = (operation: string): ReadLabel => ({ service: 'iam', region: 'global', operation, resource: arn });
  const [members, attachedPolicies, inline] = await Promise.all([
    read(ctx, label('GetGroup'), async () => (await collectPages(paginateGetGroup({ client: iam }, { GroupName }), (p) => p.Users)).map((u) => u.UserName ?? '')),
    read(ctx, label('ListAttachedGroupPolicies'), () => collectPages(paginateListAttachedGroupPolicies({ client: iam }, { GroupName }), (p) => p.AttachedPolicies)),
    inlinePolicies(
      ctx,
      () => collectPages(paginateListGroupPolicies({ client: iam }, { GroupName }), (p) => p.PolicyNames),
      async (PolicyName) => (await iam.send(new GetGroupPolicyCommand({ GroupName, PolicyName }))).PolicyDocument,
      arn,
      'ListGroupPolicies',
      'GetGroupPolicy',
    ),
  ]);
  return { groupName: GroupName, arn, path: group.Path, groupId: group.GroupId, createDate: group.CreateDate, members, attachedPolicies, inlinePolicies: inline };
}

/**
 * Customer-managed policies (all of them: an unattached admin policy is one attachment away
 * from use) and AWS-managed policies that are attached. AWS keeps over a thousand managed
 * policies; only those in use say anything about this account.
 */
async function collectManagedPolicies(ctx: CollectorContext, iam: IAMClient): Promise<Read<IamManagedPolicy[]>> {
  const listed = await read(ctx, { service: 'iam', region: 'global', operation: 'ListPolicies' }, async () => [
    ...(await collectPages(paginateListPolicies({ client: iam }, { Scope: 'Local' }), (p) => p.Policies)),
    ...(await collectPages(paginateListPolicies({ client: iam }, { Scope: 'AWS', OnlyAttached: true }), (p) => p.Policies)),
  ]);
  if (listed.error) return listed;
  const distinct = new Map<string, Policy>();
  for (const p of listed.value) if (p.Arn && !distinct.has(p.Arn)) distinct.set(p.Arn, p);
  const policies = await mapBounded(
    [...distinct.values()],
    ctx.session.concurrency,
    async (p): Promise<IamManagedPolicy> => {
      const awsManaged = p.Arn!.split(':')[4] === 'aws';
      const [document, tags] = await Promise.all([
        read(ctx, { service: 'iam', region: 'global', operation: 'GetPolicyVersion', resource: p.Arn }, async () =>
          decodePolicyDocument((await iam.send(new GetPolicyVersionCommand({ PolicyArn: p.Arn, VersionId: p.DefaultVersionId ?? 'v1' }))).PolicyVersion?.Document),
        ),
        // Drift compares the tags of the policies a state can manage: never AWS-managed ones.
        awsManaged ? undefined : read(ctx, { service: 'iam', region: 'global', operation: 'ListPolicyTags', resource: p.Arn }, () => collectPages(paginateListPolicyTags({ client: iam }, { PolicyArn: p.Arn }), (page) => page.Tags)),
      ]);
      return { arn: p.Arn!, policyName: p.PolicyName ?? p.Arn!, path: p.Path, awsManaged, attachmentCount: p.AttachmentCount ?? 0, defaultVersionId: p.DefaultVersionId, document, ...(tags ? { tags } : {}) };
    },
    ctx.session.work('iam'),
  );
  return { value: policies };
}
