/** A check: metadata as data, the inventory reads it judges, and a pure verdict over a snapshot. */
import type { AwsRead } from '../aws/read-operations.js';
import type { CheckMetadata, Finding } from '../findings/model.js';
import type { InventorySnapshot } from '../inventory/snapshot.js';

/** The collectors of the inventory (inventory/reads.ts maps each read to its collector). */
export type InventoryPart = 's3' | 's3control' | 'iam' | 'ec2' | 'rds' | 'cloudwatch' | 'sqs' | 'lambda' | 'cloudtrail' | 'config' | 'kms' | 'logs' | 'sns' | 'accessanalyzer' | 'securityhub' | 'guardduty' | 'account' | 'efs' | 'ecr' | 'secretsmanager';

export interface CheckOptions {
  /** "Now" for every age computed, so one audit judges against one instant. */
  now: Date;
  /** rds_instance_idle: days of zero DatabaseConnections that make an instance idle. */
  idleDays: number;
  /** iam_credentials_unused: days without use after which a password or key counts as unused. */
  unusedCredentialDays: number;
  /** iam_access_key_rotation: oldest acceptable active access key, in days. */
  accessKeyMaxAgeDays: number;
  /** iam_role_unused: days without use after which a role counts as unused. */
  roleUnusedDays: number;
}

export const DEFAULT_CHECK_OPTIONS: Omit<CheckOptions, 'now'> = {
  idleDays: 7,
  unusedCredentialDays: 45,
  accessKeyMaxAgeDays: 90,
  roleUnusedDays: 90,
};

export interface Check {
  metadata: CheckMetadata;
  /**
   * Every AWS read the verdict rests on, by operation ("s3:GetBucketPolicy"), for every field
   * of the snapshot the check looks at. Listings and locations that a read needs first come
   * with it (inventory/reads.ts), so name what you judge: a bucket's versioning is
   * ['s3:GetBucketVersioning']. An audit collects exactly the union for the selected checks;
   * a field you forget to declare reads as a `NotCollected` error, so the check says `error`
   * (the demo test fails) instead of passing on data nobody read.
   */
  reads: readonly AwsRead[];
  /**
   * Pure: no I/O, no clock but `options.now`. May be a generator (the walkers such as
   * forEachBucket are): the audit takes its findings a slice at a time and lets the event loop
   * turn between slices (audit/evaluate.ts), so a check over a large account need not be cut up.
   */
  run(snapshot: InventorySnapshot, options: CheckOptions): Iterable<Finding>;
}
