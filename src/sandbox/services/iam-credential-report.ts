/**
 * The IAM credential report: GenerateCredentialReport and GetCredentialReport, with the CSV
 * columns and the "N/A" / "no_information" / "not_supported" values AWS writes.
 *
 * Like AWS, GetCredentialReport before any GenerateCredentialReport answers ReportNotPresent
 * (410): a collector that forgets to generate first fails here as it would on a real account.
 * Generation is instant, so GenerateCredentialReport answers COMPLETE at once (AWS answers
 * STARTED first and COMPLETE once done; clients poll until COMPLETE either way).
 */
import type { SandboxAccessKey, SandboxAccount } from '../account/model.js';
import { AwsError, type ServiceContext } from '../types.js';
import type { IamHandler } from './iam-wire.js';

export const CREDENTIAL_REPORT_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
] as const;

type Row = Record<(typeof CREDENTIAL_REPORT_COLUMNS)[number], string>;

/** When each running account's report was generated; absent until GenerateCredentialReport. */
const generatedAt = new WeakMap<SandboxAccount, Date>();

/** The report's timestamp form: ISO 8601 to the second with a numeric UTC offset. */
function reportTime(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

const DAY_MS = 24 * 60 * 60 * 1000;

function accessKeyColumns(keys: readonly SandboxAccessKey[] | undefined) {
  const sorted = [...(keys ?? [])].sort((a, b) => Date.parse(a.CreateDate) - Date.parse(b.CreateDate));
  const columns = (n: 1 | 2) => {
    const key = sorted[n - 1];
    return {
      [`access_key_${n}_active`]: String(key?.Status === 'Active'),
      [`access_key_${n}_last_rotated`]: key ? reportTime(key.CreateDate) : 'N/A',
      [`access_key_${n}_last_used_date`]: key?.LastUsed?.LastUsedDate ? reportTime(key.LastUsed.LastUsedDate) : 'N/A',
      [`access_key_${n}_last_used_region`]: key?.LastUsed?.Region ?? 'N/A',
      [`access_key_${n}_last_used_service`]: key?.LastUsed?.ServiceName ?? 'N/A',
    };
  };
  return { ...columns(1), ...columns(2) };
}

// The account model has no signing certificates.
const NO_CERTIFICATES = { cert_1_active: 'false', cert_1_last_rotated: 'N/A', cert_2_active: 'false', cert_2_last_rotated: 'N/A' };

export function credentialReportRows(account: SandboxAccount): Row[] {
  const iam = account.IAM ?? {};
  const rows: Row[] = [];
  // Without IAM.Root the file says nothing about the root user, so the report does not invent a row for it.
  if (iam.Root) {
    rows.push({
      user: '<root_account>',
      arn: `arn:aws:iam::${account.AccountId}:root`,
      user_creation_time: reportTime(iam.Root.CreateDate),
      password_enabled: 'not_supported',
      password_last_used: iam.Root.PasswordLastUsed ? reportTime(iam.Root.PasswordLastUsed) : 'no_information',
      password_last_changed: 'not_supported',
      password_next_rotation: 'not_supported',
      mfa_active: String(iam.Root.MFAActive),
      ...accessKeyColumns(iam.Root.AccessKeys),
      ...NO_CERTIFICATES,
    } as Row);
  }
  const maxPasswordAge = iam.PasswordPolicy?.ExpirePasswords !== false ? iam.PasswordPolicy?.MaxPasswordAge : undefined;
  for (const user of iam.Users ?? []) {
    const profile = user.LoginProfile;
    // The model records when the login profile was created, which is when its password was last set.
    const passwordChanged = profile?.CreateDate;
    rows.push({
      user: user.UserName,
      arn: user.Arn!,
      user_creation_time: reportTime(user.CreateDate),
      password_enabled: String(profile !== undefined),
      password_last_used: !profile ? 'N/A' : user.PasswordLastUsed ? reportTime(user.PasswordLastUsed) : 'no_information',
      password_last_changed: passwordChanged ? reportTime(passwordChanged) : 'N/A',
      password_next_rotation:
        passwordChanged && maxPasswordAge ? reportTime(new Date(Date.parse(passwordChanged) + maxPasswordAge * DAY_MS).toISOString()) : 'N/A',
      mfa_active: String((user.MFADevices?.length ?? 0) > 0),
      ...accessKeyColumns(user.AccessKeys),
      ...NO_CERTIFICATES,
    } as Row);
  }
  return rows;
}

export function credentialReportCsv(account: SandboxAccount): string {
  const lines = [CREDENTIAL_REPORT_COLUMNS.join(',')];
  for (const row of credentialReportRows(account)) lines.push(CREDENTIAL_REPORT_COLUMNS.map((c) => row[c]).join(','));
  return lines.join('\n');
}

function reportNotPresent(): AwsError {
  return new AwsError({
    code: 'ReportNotPresent',
    message: 'Credential report does not exist. To generate a credential report, use GenerateCredentialReport.',
    status: 410,
  });
}

export const credentialReportHandlers: Record<string, IamHandler> = {
  GenerateCredentialReport(_params, ctx: ServiceContext) {
    if (!generatedAt.has(ctx.account)) generatedAt.set(ctx.account, new Date());
    return { State: 'COMPLETE' };
  },
  GetCredentialReport(_params, ctx: ServiceContext) {
    const generated = generatedAt.get(ctx.account);
    if (!generated) throw reportNotPresent();
    return {
      Content: Buffer.from(credentialReportCsv(ctx.account), 'utf8').toString('base64'),
      ReportFormat: 'text/csv',
      GeneratedTime: new Date(Math.floor(generated.getTime() / 1000) * 1000),
    };
  },
};
