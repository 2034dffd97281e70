/** Account-level IAM reads: the password policy, the account summary and the account alias. */
import { list, type XmlValue } from '../protocol/xml.js';
import { isAwsManaged } from './iam-policies.js';
import { iamData, noSuchEntity, pageTail, paginate, type IamHandler } from './iam-wire.js';

/** Default quotas of a new account, as GetAccountSummary reports them. */
const ACCOUNT_QUOTAS = {
  UsersQuota: 5000,
  GroupsQuota: 300,
  ServerCertificatesQuota: 20,
  UserPolicySizeQuota: 2048,
  GroupPolicySizeQuota: 5120,
  GroupsPerUserQuota: 10,
  SigningCertificatesPerUserQuota: 2,
  AccessKeysPerUserQuota: 2,
  AttachedPoliciesPerGroupQuota: 10,
  AttachedPoliciesPerRoleQuota: 10,
  AttachedPoliciesPerUserQuota: 10,
  PoliciesQuota: 1500,
  PolicySizeQuota: 6144,
  PolicyVersionsInUseQuota: 10000,
  VersionsPerPolicyQuota: 5,
  RolesQuota: 1000,
  RolePolicySizeQuota: 10240,
  InstanceProfilesQuota: 1000,
  AssumeRolePolicySizeQuota: 2048,
  GlobalEndpointTokenVersion: 1,
};

export const accountHandlers: Record<string, IamHandler> = {
  GetAccountPasswordPolicy(_params, ctx) {
    const policy = iamData(ctx).PasswordPolicy;
    if (!policy) throw noSuchEntity(`The Password Policy with domain name ${ctx.account.AccountId} cannot be found.`);
    // AWS always sends the length, the four character classes, AllowUsersToChangePassword and ExpirePasswords.
    return {
      PasswordPolicy: {
        MinimumPasswordLength: policy.MinimumPasswordLength ?? 6,
        RequireSymbols: policy.RequireSymbols ?? false,
        RequireNumbers: policy.RequireNumbers ?? false,
        RequireUppercaseCharacters: policy.RequireUppercaseCharacters ?? false,
        RequireLowercaseCharacters: policy.RequireLowercaseCharacters ?? false,
        AllowUsersToChangePassword: policy.AllowUsersToChangePassword ?? false,
        ExpirePasswords: policy.ExpirePasswords ?? (policy.MaxPasswordAge ?? 0) > 0,
        MaxPasswordAge: policy.MaxPasswordAge,
        PasswordReusePrevention: policy.PasswordReusePrevention,
        HardExpiry: policy.HardExpiry,
      },
    };
  },

  GetAccountSummary(_params, ctx) {
    const iam = iamData(ctx);
    const users = iam.Users ?? [];
    const roles = iam.Roles ?? [];
    const mfaDevices = users.reduce((n, u) => n + (u.MFADevices?.length ?? 0), 0);
    const groups = iam.Groups ?? [];
    const attachments = [...users, ...roles, ...groups].reduce((n, p) => n + (p.AttachedPolicies?.length ?? 0), 0);
    const entries: Record<string, number> = {
      Users: users.length,
      Groups: groups.length,
      Roles: roles.length,
      Policies: (iam.Policies ?? []).filter((p) => !isAwsManaged(p)).length,
      PolicyVersionsInUse: attachments,
      InstanceProfiles: 0,
      Providers: (iam.OpenIDConnectProviders ?? []).length,
      ServerCertificates: (iam.ServerCertificates ?? []).length,
      MFADevices: mfaDevices,
      MFADevicesInUse: mfaDevices,
      AccountMFAEnabled: iam.Root?.MFAActive ? 1 : 0,
      AccountAccessKeysPresent: iam.Root?.AccessKeys?.length ? 1 : 0,
      AccountSigningCertificatesPresent: 0,
      ...ACCOUNT_QUOTAS,
    };
    const summary: XmlValue = list(
      'entry',
      Object.entries(entries).map(([key, value]) => ({ key, value })),
    );
    return { SummaryMap: summary };
  },

  ListAccountAliases(params, ctx) {
    const alias = iamData(ctx).AccountAlias;
    const page = paginate(alias ? [alias] : [], params);
    return { AccountAliases: list('member', page.items), ...pageTail(page) };
  },
};
