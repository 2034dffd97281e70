/**
 * A finding's stable identity across runs: the same check on the same resource in the same
 * account and region is the same finding, whatever its message or the time of the run. SARIF
 * fingerprints, OCSF finding uids and the JSON `uid` all derive from it, so a SIEM or GitHub
 * code scanning can follow one finding from run to run.
 */
import { createHash } from 'node:crypto';
import type { Finding } from '../findings/model.js';

export function findingUid(finding: Pick<Finding, 'checkId' | 'accountId' | 'region' | 'resourceId'>): string {
  const key = [finding.checkId, finding.accountId, finding.region, finding.resourceId].join('\u0000');
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

/** The AWS partition of an ARN (`aws`, `aws-cn`, `aws-us-gov`, ...); `aws` for ids that are not ARNs. */
export function arnPartition(resourceId: string): string {
  const match = /^arn:([a-z-]+):/.exec(resourceId);
  return match?.[1] ?? 'aws';
}
