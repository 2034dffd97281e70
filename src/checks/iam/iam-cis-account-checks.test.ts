/**
 * CIS 1.6 (hardware root MFA), 1.7 (root use), 1.13 (one active key), 1.17 (support role) and
 * 1.19 (expired server certificates): each failing, its near miss passing, and `error` when the
 * read it rests on is denied. Through the sandbox and the real IAM client.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from '../../test-support/sandbox.js';
import { auditSandbox } from '../../test-support/audit.js';

const ACCOUNT = '111122223333';
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString().replace(/\.\d{3}Z$/, 'Z');
const SUPPORT = 'arn:aws:iam::aws:policy/AWSSupportAccess';
const CHECKS = ['iam_root_hardware_mfa', 'iam_root_usage', 'iam_user_single_active_key', 'iam_support_role', 'iam_server_certificate_expired'];
const key = (id: string, Status: 'Active' | 'Inactive', age: number) => ({ AccessKeyId: id, Status, CreateDate: ago(age), LastUsed: { LastUsedDate: ago(1), ServiceName: 's3', Region: 'us-east-1' } });
const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] };

const base = (iam: object) => ({ AccountId: ACCOUNT, Regions: { 'us-east-1': {} }, IAM: iam });

/** Everything wrong: virtual root MFA, root signed in 10 days ago, two active keys, support only through a user, an expired certificate. */
const failing = base({
  Root: { CreateDate: '2019-01-01T00:00:00Z', MFAActive: true, PasswordLastUsed: ago(10) },
  Users: [
    { UserName: 'two-keys', CreateDate: ago(400), AccessKeys: [key('AKIAAAAAAAAAAAAAAAA1', 'Active', 100), key('AKIAAAAAAAAAAAAAAAA2', 'Active', 5)] },
    // Near miss: two keys, one of them inactive.
    { UserName: 'rotated', CreateDate: ago(400), AccessKeys: [key('AKIAAAAAAAAAAAAAAAA3', 'Inactive', 100), key('AKIAAAAAAAAAAAAAAAA4', 'Active', 5)] },
    { UserName: 'helpdesk', CreateDate: ago(400), AttachedPolicies: [{ PolicyName: 'AWSSupportAccess', PolicyArn: SUPPORT }] },
  ],
  ServerCertificates: [
    { ServerCertificateName: 'legacy-api', UploadDate: ago(800), Expiration: ago(30) },
    // Near miss: uploaded long ago, valid for another month.
    { ServerCertificateName: 'api', UploadDate: ago(335), Expiration: ago(-30) },
  ],
});

/** The near misses of the account-level controls: hardware root MFA, root last used 200 days ago, a support role. */
const passing = base({
  Root: { CreateDate: '2019-01-01T00:00:00Z', MFAActive: true, HardwareMFA: true, PasswordLastUsed: ago(200) },
  Users: [{ UserName: 'ops', CreateDate: ago(400), MFADevices: [{ SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/ops`, EnableDate: ago(300) }] }],
  Roles: [{ RoleName: 'aws-support', CreateDate: ago(400), AssumeRolePolicyDocument: trust, AttachedPolicies: [{ PolicyName: 'AWSSupportAccess', PolicyArn: SUPPORT }] }],
});

describe('CIS 1.6, 1.7, 1.13, 1.17, 1.19: failures and their near misses', () => {
  const bad = useSandbox(failing);
  const good = useSandbox(passing);
  let failed: Awaited<ReturnType<typeof auditSandbox>>;
  let passed: Awaited<ReturnType<typeof auditSandbox>>;
  beforeAll(async () => {
    failed = await auditSandbox(bad.endpoint, { checks: [CHECKS.join(',')] });
    passed = await auditSandbox(good.endpoint, { checks: [CHECKS.join(',')] });
  });

  it('reads without error, each account-wide list once', () => {
    expect(failed.errors).toEqual([]);
    expect(passed.errors).toEqual([]);
    expect(failed.stats.byOperation['iam:ListVirtualMFADevices']).toBe(1);
    expect(failed.stats.byOperation['iam:ListEntitiesForPolicy']).toBe(1);
    expect(failed.stats.byOperation['iam:ListServerCertificates']).toBe(1);
  });

  it('1.6: fails root MFA that is a virtual device; passes hardware MFA with a user virtual device beside it', () => {
    const f = failed.verdict('iam_root_hardware_mfa', 'root');
    expect([f.status, f.message]).toEqual(['fail', `The root user's MFA is a virtual device (arn:aws:iam::${ACCOUNT}:mfa/root-account-mfa-device), not a hardware one.`]);
    expect(passed.verdict('iam_root_hardware_mfa', 'root').status).toBe('pass');
  });

  it('1.7: fails a root password used 10 days ago; passes one last used 200 days ago', () => {
    const f = failed.verdict('iam_root_usage', 'root');
    expect([f.status, f.message]).toEqual(['fail', "The root user's password was used 10 days ago."]);
    const p = passed.verdict('iam_root_usage', 'root');
    expect([p.status, p.message]).toEqual(['pass', 'The root user was last used 200 days ago (password).']);
  });

  it('1.13: fails two active keys; passes two keys of which one is inactive, and a user without keys', () => {
    expect(failed.verdict('iam_user_single_active_key', 'two-keys').status).toBe('fail');
    expect(failed.verdict('iam_user_single_active_key', 'rotated').status).toBe('pass');
    expect(failed.verdict('iam_user_single_active_key', 'helpdesk').status).toBe('pass');
  });

  it('1.17: fails when only a user holds AWSSupportAccess; passes with a role', () => {
    const f = failed.verdict('iam_support_role', ACCOUNT);
    expect([f.status, f.message]).toEqual(['fail', 'No role holds AWSSupportAccess (only user helpdesk).']);
    expect(passed.verdict('iam_support_role', ACCOUNT).status).toBe('pass');
  });

  it('1.19: fails the expired certificate, passes the one still valid; no certificate, no finding', () => {
    expect(failed.verdict('iam_server_certificate_expired', 'legacy-api').status).toBe('fail');
    expect(failed.verdict('iam_server_certificate_expired', 'api').status).toBe('pass');
    expect(passed.findings.filter((f) => f.checkId === 'iam_server_certificate_expired')).toEqual([]);
  });
});

describe('CIS 1.6, 1.7, 1.13, 1.17, 1.19 when their reads are denied', () => {
  const env = useSandbox(failing, { deny: ['ListVirtualMFADevices:*', 'ListEntitiesForPolicy:*', 'ListServerCertificates:*', 'ListAccessKeys:arn:aws:iam::*:user/two-keys', 'GetCredentialReport:*'] });

  it('says error, never pass', async () => {
    const audit = await auditSandbox(env.endpoint, { checks: [CHECKS.join(',')] });
    expect(audit.verdict('iam_root_hardware_mfa', 'root').status).toBe('error');
    expect(audit.verdict('iam_root_usage', 'root').status).toBe('error');
    expect(audit.verdict('iam_user_single_active_key', 'two-keys').status).toBe('error');
    expect(audit.verdict('iam_user_single_active_key', 'rotated').status).toBe('pass');
    expect(audit.verdict('iam_support_role', ACCOUNT).status).toBe('error');
    expect(audit.verdict('iam_server_certificate_expired', ACCOUNT).status).toBe('error');
  });
});
