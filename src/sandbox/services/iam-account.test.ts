import { describe, expect, it } from 'vitest';
import {
  IAMClient,
  GenerateCredentialReportCommand,
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  ListAccountAliasesCommand,
} from '@aws-sdk/client-iam';
import { useSandbox } from '../../test-support/sandbox.js';

/** The columns of AWS's credential report, in AWS's order. */
const AWS_COLUMNS =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,' +
  'access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,' +
  'access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,' +
  'cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

function parseReport(content: Uint8Array | undefined): { header: string; rows: Map<string, Record<string, string>> } {
  const text = new TextDecoder().decode(content);
  const [header, ...lines] = text.split('\n');
  const columns = header!.split(',');
  const rows = new Map<string, Record<string, string>>();
  for (const line of lines) {
    const cells = line.split(',');
    expect(cells).toHaveLength(columns.length);
    rows.set(cells[0]!, Object.fromEntries(columns.map((c, i) => [c, cells[i]!])));
  }
  return { header: header!, rows };
}

describe('sandbox IAM: credential report', () => {
  const env = useSandbox('iam-account.json');
  const iam = () => new IAMClient(env.config('iam'));

  it('answers ReportNotPresent (410) before a report is generated, as AWS does', async () => {
    const err = await iam().send(new GetCredentialReportCommand({})).catch((e: { name: string; $metadata: { httpStatusCode: number } }) => e);
    expect(err).toMatchObject({ name: 'CredentialReportNotPresentException', $metadata: { httpStatusCode: 410 } });
  });

  it('generates at once, then serves the CSV with AWS\'s columns', async () => {
    const started = Date.now();
    const generated = await iam().send(new GenerateCredentialReportCommand({}));
    expect(generated.State).toBe('COMPLETE');
    const report = await iam().send(new GetCredentialReportCommand({}));
    expect(report.ReportFormat).toBe('text/csv');
    expect(report.GeneratedTime!.getTime()).toBeGreaterThanOrEqual(Math.floor(started / 1000) * 1000);
    expect(report.GeneratedTime!.getTime()).toBeLessThanOrEqual(Date.now());
    const { header, rows } = parseReport(report.Content);
    expect(header).toBe(AWS_COLUMNS);
    expect([...rows.keys()]).toEqual(['<root_account>', 'alice', 'bob', 'carol']);
  });

  it('writes the root row from IAM.Root with not_supported where AWS does', async () => {
    await iam().send(new GenerateCredentialReportCommand({}));
    const root = parseReport((await iam().send(new GetCredentialReportCommand({}))).Content).rows.get('<root_account>')!;
    expect(root).toMatchObject({
      arn: 'arn:aws:iam::111122223333:root',
      user_creation_time: '2019-04-01T10:00:00+00:00',
      password_enabled: 'not_supported',
      password_last_used: '2025-12-24T06:00:00+00:00',
      password_last_changed: 'not_supported',
      password_next_rotation: 'not_supported',
      mfa_active: 'true',
      access_key_1_active: 'false',
      access_key_1_last_rotated: '2019-04-02T00:00:00+00:00',
      access_key_1_last_used_date: 'N/A',
      access_key_2_active: 'false',
      access_key_2_last_rotated: 'N/A',
      cert_1_active: 'false',
      cert_2_last_rotated: 'N/A',
    });
  });

  it('writes each user\'s password, MFA and key state, with N/A and no_information where AWS does', async () => {
    await iam().send(new GenerateCredentialReportCommand({}));
    const { rows } = parseReport((await iam().send(new GetCredentialReportCommand({}))).Content);
    expect(rows.get('alice')).toMatchObject({
      arn: 'arn:aws:iam::111122223333:user/alice',
      password_enabled: 'true',
      password_last_used: '2026-01-28T17:45:12+00:00',
      password_last_changed: '2025-12-01T10:00:00+00:00',
      // MaxPasswordAge 90 days after the password was set.
      password_next_rotation: '2026-03-01T10:00:00+00:00',
      mfa_active: 'true',
      // Keys in creation order: the older, inactive key is key 1.
      access_key_1_active: 'false',
      access_key_1_last_rotated: '2024-01-01T00:00:00+00:00',
      access_key_1_last_used_date: 'N/A',
      access_key_2_active: 'true',
      access_key_2_last_used_date: '2026-01-29T03:00:00+00:00',
      access_key_2_last_used_region: 'us-east-1',
      access_key_2_last_used_service: 's3',
    });
    expect(rows.get('bob')).toMatchObject({
      arn: 'arn:aws:iam::111122223333:user/contractors/bob',
      password_enabled: 'false',
      password_last_used: 'N/A',
      password_last_changed: 'N/A',
      password_next_rotation: 'N/A',
      mfa_active: 'false',
      access_key_1_active: 'true',
      access_key_1_last_used_date: 'N/A',
      access_key_1_last_used_service: 'N/A',
      access_key_2_active: 'false',
    });
    expect(rows.get('carol')).toMatchObject({ password_enabled: 'true', password_last_used: 'no_information', access_key_1_active: 'false' });
  });
});

describe('sandbox IAM: account-level reads', () => {
  const env = useSandbox('iam-account.json');
  const iam = () => new IAMClient(env.config('iam'));

  it('returns the password policy', async () => {
    const { PasswordPolicy } = await iam().send(new GetAccountPasswordPolicyCommand({}));
    expect(PasswordPolicy).toEqual({
      MinimumPasswordLength: 14,
      RequireSymbols: true,
      RequireNumbers: true,
      RequireUppercaseCharacters: true,
      RequireLowercaseCharacters: true,
      AllowUsersToChangePassword: true,
      ExpirePasswords: true,
      MaxPasswordAge: 90,
      PasswordReusePrevention: 24,
    });
  });

  it('summarises the account from its data', async () => {
    const { SummaryMap } = await iam().send(new GetAccountSummaryCommand({}));
    expect(SummaryMap).toMatchObject({
      Users: 3,
      Roles: 8,
      Groups: 0,
      Policies: 2,
      MFADevices: 1,
      MFADevicesInUse: 1,
      AccountMFAEnabled: 1,
      AccountAccessKeysPresent: 1,
      UsersQuota: 5000,
      RolesQuota: 1000,
    });
  });

  it('lists the account alias', async () => {
    expect((await iam().send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual(['acme-prod']);
  });
});

describe('sandbox IAM: an account file with an empty IAM section', () => {
  const env = useSandbox({ AccountId: '111122223333', Regions: { 'us-east-1': {} }, IAM: { Users: [{ UserName: 'solo', CreateDate: '2025-01-01T00:00:00Z' }] } });
  const iam = () => new IAMClient(env.config('iam'));

  it('answers NoSuchEntity for the password policy when none is set', async () => {
    const err = await iam().send(new GetAccountPasswordPolicyCommand({})).catch((e: { name: string; message: string }) => e);
    expect(err).toMatchObject({ name: 'NoSuchEntityException', message: 'The Password Policy with domain name 111122223333 cannot be found.' });
  });

  it('reports no MFA and no root keys, and no alias', async () => {
    const { SummaryMap } = await iam().send(new GetAccountSummaryCommand({}));
    expect(SummaryMap).toMatchObject({ Users: 1, Roles: 0, AccountMFAEnabled: 0, AccountAccessKeysPresent: 0, MFADevices: 0 });
    expect((await iam().send(new ListAccountAliasesCommand({}))).AccountAliases ?? []).toEqual([]);
  });

  it('writes no root row when the file does not describe the root user', async () => {
    await iam().send(new GenerateCredentialReportCommand({}));
    const { rows } = parseReport((await iam().send(new GetCredentialReportCommand({}))).Content);
    expect([...rows.keys()]).toEqual(['solo']);
  });
});
