/** The root user, as the credential report describes it, with the account summary as a fallback. */
import type { IamInventory, ReadError } from '../../inventory/snapshot.js';
import { ROOT_USER } from '../../inventory/collectors/credential-report.js';
import type { AwsRead } from '../../aws/read-operations.js';

/** The credential report, with the account summary as the fallback. */
export const ROOT_READS: readonly AwsRead[] = ['iam:GetCredentialReport', 'iam:GetAccountSummary'];

export interface RootFacts {
  mfaActive: boolean;
  accessKeysActive: number;
  /** Where the facts came from, for the evidence. */
  source: 'credential report' | 'account summary';
}

/** The root user's MFA and keys, or why they could not be known. */
export function rootFacts(iam: IamInventory): { facts: RootFacts } | { error: ReadError } {
  const report = iam.credentialReport;
  const row = report.value?.find((r) => r.user === ROOT_USER);
  if (row) {
    const keys = [row.access_key_1_active, row.access_key_2_active].filter((v) => v === 'true').length;
    return { facts: { mfaActive: row.mfa_active === 'true', accessKeysActive: keys, source: 'credential report' } };
  }
  const summary = iam.accountSummary.value;
  if (summary && summary.AccountMFAEnabled !== undefined && summary.AccountAccessKeysPresent !== undefined) {
    return { facts: { mfaActive: summary.AccountMFAEnabled === 1, accessKeysActive: summary.AccountAccessKeysPresent, source: 'account summary' } };
  }
  return { error: report.error ?? iam.accountSummary.error ?? { code: 'NoRootRow', message: 'the credential report has no <root_account> row' } };
}
