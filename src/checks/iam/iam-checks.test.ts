import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from '../../test-support/sandbox.js';
import { auditSandbox } from '../../test-support/audit.js';

const ACCOUNT = '111122223333';
const ANCHOR = '2026-06-01T00:00:00Z';
const daysAgo = (n: number) => new Date(Date.parse(ANCHOR) - n * 86_400_000).toISOString();
const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
const admin = doc({ Effect: 'Allow', Action: '*', Resource: '*' });
const ec2Trust = doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' });
const role = (RoleName: string, extra: object = {}) => ({ RoleName, CreateDate: daysAgo(400), AssumeRolePolicyDocument: ec2Trust, RoleLastUsed: { LastUsedDate: daysAgo(1) }, ...extra });
const policy = (PolicyName: string, Document: object) => ({ PolicyName, CreateDate: daysAgo(500), Versions: [{ VersionId: 'v1', IsDefaultVersion: true, CreateDate: daysAgo(500), Document }] });
const key = (AccessKeyId: string, created: number, used?: number) => ({ AccessKeyId, Status: 'Active', CreateDate: daysAgo(created), ...(used === undefined ? {} : { LastUsed: { LastUsedDate: daysAgo(used) } }) });

const account = {
  AccountId: ACCOUNT,
  TimeAnchor: ANCHOR,
  Regions: { 'us-east-1': {} },
  IAM: {
    Root: { CreateDate: daysAgo(2000), MFAActive: false, AccessKeys: [key('AKIAROOTKEY000000001', 900, 3)] },
    PasswordPolicy: { MinimumPasswordLength: 14, PasswordReusePrevention: 12 },
    Policies: [
      policy('attached-admin', admin),
      policy('unattached-admin', admin),
      policy('kms-everything', doc({ Effect: 'Allow', Action: 'kms:*', Resource: '*' })),
      policy('scoped', doc({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::app/*' })),
      policy('escalator', doc({ Effect: 'Allow', Action: ['iam:CreatePolicyVersion'], Resource: '*' })),
      policy('admin-then-denied', doc({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: '*', Resource: '*' })),
      policy('deny-all-but-reads', doc({ Effect: 'Deny', NotAction: ['s3:Get*', 's3:List*'], Resource: '*' })),
      policy('deny-audit-bucket', doc({ Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::audit-logs/*' })),
    ],
    Roles: [
      role('admin-role', { AttachedPolicies: [{ PolicyName: 'attached-admin', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/attached-admin` }] }),
      role('inline-admin-role', { InlinePolicies: [{ PolicyName: 'break-glass', PolicyDocument: admin }] }),
      role('scoped-role', { AttachedPolicies: [{ PolicyName: 'scoped', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/scoped` }], InlinePolicies: [{ PolicyName: 'read', PolicyDocument: doc({ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::app' }) }] }),
      role('s3-star-inline', { InlinePolicies: [{ PolicyName: 'everything-s3', PolicyDocument: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }) }] }),
      role('escalating-role', { AttachedPolicies: [{ PolicyName: 'escalator', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/escalator` }] }),
      role('passrole-ec2', { InlinePolicies: [{ PolicyName: 'launch', PolicyDocument: doc({ Effect: 'Allow', Action: ['iam:PassRole', 'ec2:RunInstances'], Resource: '*' }) }] }),
      role('passrole-only', { InlinePolicies: [{ PolicyName: 'pass', PolicyDocument: doc({ Effect: 'Allow', Action: ['iam:PassRole'], Resource: '*' }) }] }),
      role('open-trust', { AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }) }),
      role('org-trust', { AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } } }) }),
      role('vendor-no-external-id', { AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:root' }, Action: 'sts:AssumeRole' }) }),
      role('vendor-external-id', { AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:root' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'e7f1c2' } } }) }),
      role('unused-role', { RoleLastUsed: { LastUsedDate: daysAgo(120) } }),
      role('never-used-old', { RoleLastUsed: {} }),
      role('never-used-new', { CreateDate: daysAgo(10), RoleLastUsed: {} }),
      // Effective permissions: Deny over Allow across all the role's policies, resources that fit the action.
      role('allow-deny-star', { AttachedPolicies: [{ PolicyName: 'admin-then-denied', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/admin-then-denied` }], InlinePolicies: [{ PolicyName: 'both', PolicyDocument: doc({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: '*', Resource: '*' }) }] }),
      role('star-on-bucket', { InlinePolicies: [{ PolicyName: 'bucket', PolicyDocument: doc({ Effect: 'Allow', Action: '*', Resource: ['arn:aws:s3:::app-data', 'arn:aws:s3:::app-data/*'] }) }] }),
      role('inline-admin-denied-by-attached', { AttachedPolicies: [{ PolicyName: 'deny-all-but-reads', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/deny-all-but-reads` }], InlinePolicies: [{ PolicyName: 'admin', PolicyDocument: admin }] }),
      role('inline-admin-bucket-deny', { AttachedPolicies: [{ PolicyName: 'deny-audit-bucket', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/deny-audit-bucket` }], InlinePolicies: [{ PolicyName: 'admin', PolicyDocument: admin }] }),
      role('escalation-denied', { AttachedPolicies: [{ PolicyName: 'deny-all-but-reads', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/deny-all-but-reads` }], InlinePolicies: [{ PolicyName: 'launch', PolicyDocument: doc({ Effect: 'Allow', Action: ['iam:PassRole', 'ec2:RunInstances', 'kms:*'], Resource: '*' }) }] }),
      role('AWSServiceRoleForSupport', { Path: '/aws-service-role/support.amazonaws.com/', RoleLastUsed: {} }),
    ],
    Users: [
      { UserName: 'alice', CreateDate: daysAgo(700), LoginProfile: { CreateDate: daysAgo(700) }, PasswordLastUsed: daysAgo(2), MFADevices: [{ SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/alice`, EnableDate: daysAgo(700) }] },
      { UserName: 'bob', CreateDate: daysAgo(700), LoginProfile: { CreateDate: daysAgo(700) }, PasswordLastUsed: daysAgo(2) },
      { UserName: 'dormant', CreateDate: daysAgo(700), LoginProfile: { CreateDate: daysAgo(700) }, PasswordLastUsed: daysAgo(60), MFADevices: [{ SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/dormant`, EnableDate: daysAgo(700) }] },
      { UserName: 'old-key', CreateDate: daysAgo(700), AccessKeys: [key('AKIAOLDKEY0000000001', 91, 1)] },
      { UserName: 'fresh-key', CreateDate: daysAgo(700), AccessKeys: [key('AKIAFRESHKEY00000001', 89, 1)] },
      { UserName: 'new-unused-key', CreateDate: daysAgo(20), AccessKeys: [key('AKIANEWKEY0000000001', 20)] },
      { UserName: 'stale-key', CreateDate: daysAgo(700), AccessKeys: [key('AKIASTALEKEY00000001', 80, 46)] },
      { UserName: 'direct-policy', CreateDate: daysAgo(700), AttachedPolicies: [{ PolicyName: 'scoped', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/scoped` }] },
    ],
  },
};

describe('IAM checks', () => {
  const env = useSandbox(account);
  let audit: Awaited<ReturnType<typeof auditSandbox>>;
  beforeAll(async () => {
    audit = await auditSandbox(env.endpoint, { checks: ['iam_policy_admin_star,iam_inline_policy_admin_star,iam_policy_sensitive_wildcard,iam_policy_privilege_escalation,iam_role_trust_open,iam_root_access_keys,iam_root_mfa,iam_user_console_mfa,iam_credentials_unused,iam_access_key_rotation,iam_user_attached_policies,iam_password_policy,iam_role_unused'] });
  });

  it('reads everything it needs', () => {
    expect(audit.errors).toEqual([]);
    expect(audit.accounts[0]!.regions).toEqual([]); // IAM alone needs no region
  });

  it('fails attached admin policies, not unattached or scoped ones', () => {
    expect(audit.statuses('iam_policy_admin_star')).toMatchObject({ 'attached-admin': 'fail', 'unattached-admin': 'pass', scoped: 'pass', 'kms-everything': 'pass' });
    expect(audit.verdict('iam_inline_policy_admin_star', 'inline-admin-role').status).toBe('fail');
    expect(audit.verdict('iam_inline_policy_admin_star', 'scoped-role').status).toBe('pass');
  });

  it('fails sensitive service wildcards in managed and inline policies, but not admin statements again', () => {
    expect(audit.verdict('iam_policy_sensitive_wildcard', 'kms-everything').status).toBe('fail');
    expect(audit.verdict('iam_policy_sensitive_wildcard', 's3-star-inline').status).toBe('fail');
    expect(audit.verdict('iam_policy_sensitive_wildcard', 'attached-admin').status).toBe('pass');
    expect(audit.verdict('iam_policy_sensitive_wildcard', 'scoped').status).toBe('pass');
  });

  it('finds privilege escalation across a principal\'s policies, and stays silent on administrators', () => {
    expect(audit.verdict('iam_policy_privilege_escalation', 'escalating-role').status).toBe('fail');
    expect(audit.verdict('iam_policy_privilege_escalation', 'passrole-ec2').message).toContain('PassRole+EC2');
    expect(audit.verdict('iam_policy_privilege_escalation', 'passrole-only').status).toBe('pass');
    expect(audit.findings.filter((f) => f.checkId === 'iam_policy_privilege_escalation' && /admin-role$/.test(f.resourceId))).toEqual([]);
  });

  it('judges effective permissions: Deny over Allow across all policies, and only resources the action applies to', () => {
    expect(audit.verdict('iam_policy_admin_star', 'admin-then-denied').status).toBe('pass');
    expect(audit.verdict('iam_inline_policy_admin_star', 'allow-deny-star').status).toBe('pass');
    expect(audit.verdict('iam_inline_policy_admin_star', 'inline-admin-denied-by-attached').status).toBe('pass');
    // Near miss: a Deny of one bucket leaves an administrator.
    expect(audit.verdict('iam_inline_policy_admin_star', 'inline-admin-bucket-deny').status).toBe('fail');
    expect(audit.verdict('iam_policy_privilege_escalation', 'star-on-bucket').status).toBe('pass');
    expect(audit.verdict('iam_policy_privilege_escalation', 'allow-deny-star').status).toBe('pass');
    expect(audit.verdict('iam_policy_privilege_escalation', 'escalation-denied').status).toBe('pass');
    expect(audit.verdict('iam_policy_sensitive_wildcard', 'escalation-denied').status).toBe('pass');
    expect(audit.verdict('iam_policy_sensitive_wildcard', 'star-on-bucket').status).toBe('pass');
    const escalation = audit.verdict('iam_policy_privilege_escalation', 'escalating-role');
    expect(escalation.evidence).toMatchObject({ escalationPaths: [{ path: 'CreatePolicyVersion', grants: [{ action: 'iam:CreatePolicyVersion', on: [expect.stringMatching(new RegExp(`^arn:aws:iam::${ACCOUNT}:policy/`))] }] }] });
  });

  it('fails trust in anyone or a whole foreign account, not when a condition pins the caller', () => {
    expect(audit.statuses('iam_role_trust_open')).toMatchObject({ 'open-trust': 'fail', 'org-trust': 'pass', 'vendor-no-external-id': 'fail', 'vendor-external-id': 'pass', 'scoped-role': 'pass' });
  });

  it('fails root access keys and missing root MFA, from the credential report', () => {
    const keys = audit.verdict('iam_root_access_keys', 'root');
    expect(keys.status).toBe('fail');
    expect(keys.evidence).toMatchObject({ activeAccessKeys: 1, source: 'credential report' });
    expect(audit.verdict('iam_root_mfa', 'root').status).toBe('fail');
  });

  it('fails console users without MFA and passes key-only users', () => {
    expect(audit.statuses('iam_user_console_mfa')).toMatchObject({ alice: 'pass', bob: 'fail', 'old-key': 'pass' });
  });

  it('applies the 45-day unused and 90-day rotation thresholds, counting never-used keys from their creation', () => {
    expect(audit.statuses('iam_credentials_unused')).toMatchObject({ alice: 'pass', dormant: 'fail', 'stale-key': 'fail', 'new-unused-key': 'pass', 'fresh-key': 'pass' });
    expect(audit.statuses('iam_access_key_rotation')).toMatchObject({ 'old-key': 'fail', 'fresh-key': 'pass', alice: 'pass' });
  });

  it('fails users with policies of their own, a weak password policy, and roles unused for 90 days', () => {
    expect(audit.statuses('iam_user_attached_policies')).toMatchObject({ 'direct-policy': 'fail', alice: 'pass' });
    expect(audit.verdict('iam_password_policy', ACCOUNT).message).toContain('reuse prevention 12');
    const unused = audit.statuses('iam_role_unused');
    expect(unused).toMatchObject({ 'unused-role': 'fail', 'never-used-old': 'fail', 'never-used-new': 'pass', 'admin-role': 'pass' });
    expect(unused).not.toHaveProperty('AWSServiceRoleForSupport');
  });

  it('takes its thresholds as options', async () => {
    const strict = await auditSandbox(env.endpoint, { checks: ['iam_credentials_unused', 'iam_access_key_rotation', 'iam_role_unused'], unusedCredentialDays: 1, accessKeyMaxAgeDays: 30, roleUnusedDays: 200 });
    expect(strict.statuses('iam_credentials_unused')).toMatchObject({ alice: 'fail', 'fresh-key': 'pass' });
    expect(strict.statuses('iam_access_key_rotation')).toMatchObject({ 'fresh-key': 'fail' });
    expect(strict.statuses('iam_role_unused')).toMatchObject({ 'unused-role': 'pass', 'never-used-old': 'fail' });
  });
});

describe('IAM checks when reads are denied', () => {
  const env = useSandbox(account, { deny: ['GetLoginProfile:arn:aws:iam::*:user/bob', 'GetRolePolicy:*', 'GetPolicyVersion:*escalator'] });

  it('reports error for exactly the verdicts that needed the denied reads', async () => {
    const audit = await auditSandbox(env.endpoint, { checks: ['iam_user_console_mfa', 'iam_inline_policy_admin_star', 'iam_policy_privilege_escalation', 'iam_policy_admin_star'] });
    expect(audit.verdict('iam_user_console_mfa', 'bob').status).toBe('error');
    expect(audit.verdict('iam_user_console_mfa', 'alice').status).toBe('pass');
    expect(audit.verdict('iam_inline_policy_admin_star', 'inline-admin-role').status).toBe('error');
    expect(audit.verdict('iam_inline_policy_admin_star', 'admin-role').status).toBe('pass');
    expect(audit.verdict('iam_policy_privilege_escalation', 'escalating-role').status).toBe('error');
    expect(audit.verdict('iam_policy_admin_star', 'escalator').status).toBe('error');
    expect(audit.verdict('iam_policy_admin_star', 'attached-admin').status).toBe('fail');
  });
});
