/** Shared by the S3 checks: walking the buckets, and Block Public Access as it applies to one. */
import type { PublicAccessBlockConfiguration } from '@aws-sdk/client-s3';
import type { CheckMetadata, Finding } from '../../findings/model.js';
import type { InventorySnapshot, Read, ReadError, S3Bucket } from '../../inventory/snapshot.js';
import { accountSubject, GLOBAL_REGION, notCollected, readError, type FindingSubject } from '../finding.js';

export function bucketSubject(bucket: S3Bucket): FindingSubject {
  return { region: bucket.region.value ?? GLOBAL_REGION, resourceId: bucket.arn, resourceName: bucket.name };
}

/**
 * Run `judge` for every bucket, one finding at a time (a generator: the audit takes turns of the
 * event loop between slices of them); a failed ListBuckets is one `error` finding for the account.
 */
export function* forEachBucket(meta: CheckMetadata, snapshot: InventorySnapshot, judge: (bucket: S3Bucket) => Finding): Generator<Finding> {
  if (!snapshot.s3) {
    yield notCollected(meta, snapshot, 's3');
    return;
  }
  const { buckets } = snapshot.s3;
  if (buckets.error) {
    yield readError(meta, snapshot, accountSubject(snapshot), 'the bucket list (s3:ListBuckets)', buckets.error);
    return;
  }
  for (const bucket of buckets.value) yield judge(bucket);
}

/** A bucket-level read, or the `error` finding for it. */
export function bucketRead<T>(meta: CheckMetadata, snapshot: InventorySnapshot, bucket: S3Bucket, read: Read<T>, what: string): { value: T } | { finding: Finding } {
  if (read.error) return { finding: readError(meta, snapshot, bucketSubject(bucket), `${what} of bucket ${bucket.name}`, read.error) };
  return { value: read.value as T };
}

export const BPA_SETTINGS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;
export type BpaSetting = (typeof BPA_SETTINGS)[number];

/**
 * One Block Public Access setting as it applies to a bucket: on if either the account or the
 * bucket turns it on. Unknown (undefined) when it is off where we could read and a level we
 * could not read might turn it on.
 */
export function effectiveBpaSetting(
  setting: BpaSetting,
  account: Read<PublicAccessBlockConfiguration | null> | undefined,
  bucket: Read<PublicAccessBlockConfiguration | null>,
): { on: boolean | undefined; by: Array<'account' | 'bucket'>; unknown: ReadError[] } {
  const by: Array<'account' | 'bucket'> = [];
  const unknown: ReadError[] = [];
  for (const [level, read] of [['account', account], ['bucket', bucket]] as const) {
    if (!read) continue;
    if (read.error) unknown.push(read.error);
    else if (read.value?.[setting] === true) by.push(level);
  }
  if (by.length) return { on: true, by, unknown };
  return { on: unknown.length ? undefined : false, by, unknown };
}

/** The account-level configuration, or `{ value: null }` when S3 Control was not collected. */
export function accountBpa(snapshot: InventorySnapshot): Read<PublicAccessBlockConfiguration | null> {
  return snapshot.s3control?.publicAccessBlock ?? { error: { code: 'NotCollected', message: 'the account-level Block Public Access was not collected' } };
}
