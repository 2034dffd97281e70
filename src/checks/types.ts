/** A check: metadata as data, the inventory parts it reads, and a pure verdict over a snapshot. */
import type { CheckMetadata, Finding } from '../findings/model.js';
import type { InventorySnapshot } from '../inventory/snapshot.js';

/** The collectors a check's input comes from; the engine runs only those the selected checks need. */
export type InventoryPart = 's3' | 's3control' | 'iam' | 'ec2' | 'rds' | 'cloudwatch';

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
  requires: readonly InventoryPart[];
  /** Pure: no I/O, no clock but `options.now`. */
  run(snapshot: InventorySnapshot, options: CheckOptions): Finding[];
}
