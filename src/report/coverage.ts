/**
 * What a run covered, in one line every report heads with: the regions read, what `--region`
 * did to S3 buckets, and the services that are global whatever `--region` says.
 */
import type { AuditReport } from './types.js';

export type AccountCoverage = AuditReport['accounts'][number];

export function coverageText(account: AccountCoverage): string {
  const parts: string[] = [];
  const { regions } = account;
  if (account.allRegions) parts.push(regions.length > 0 ? `all enabled regions (${regions.join(', ')})` : 'all regions');
  else parts.push(regions.length > 0 ? `${regions.length === 1 ? 'region' : 'regions'} ${regions.join(', ')}` : 'no region');
  if (account.bucketsOutsideRegions !== undefined) {
    const n = account.bucketsOutsideRegions;
    parts.push(`S3 buckets in ${regions.length === 1 ? 'that region' : 'those regions'} only (${n} bucket${n === 1 ? '' : 's'} in other regions not audited)`);
  }
  if (account.globalServices && account.globalServices.length > 0) parts.push(`global, whatever the region: ${account.globalServices.join(', ')}`);
  return parts.join('; ');
}

/** "111122223333: region eu-west-1; ..." for each account, one per line. */
export function coverageLines(report: Pick<AuditReport, 'accounts'>): string[] {
  return report.accounts.map((a) => `${a.accountId}: ${coverageText(a)}`);
}
