/**
 * Need-driven collection: from the reads checks and tools declare to the reads an audit
 * makes (with their prerequisites), and to the collectors that make them.
 */
import type { AwsRead } from '../aws/read-operations.js';
import type { InventoryPart } from '../checks/types.js';
import type { CollectorReads } from './context.js';
import { CLOUDTRAIL_READS } from './collectors/cloudtrail.js';
import { CLOUDWATCH_READS } from './collectors/cloudwatch.js';
import { CONFIG_READS } from './collectors/config.js';
import { EC2_READS } from './collectors/ec2.js';
import { IAM_READS } from './collectors/iam.js';
import { RDS_READS } from './collectors/rds.js';
import { S3_READS } from './collectors/s3.js';
import { S3CONTROL_READS } from './collectors/s3control.js';
import { SQS_READS } from './collectors/sqs.js';
import { LAMBDA_READS } from './collectors/lambda.js';
import { EFS_READS } from './collectors/efs.js';
import { ECR_READS } from './collectors/ecr.js';
import { SECRETS_MANAGER_READS } from './collectors/secretsmanager.js';
import { ACCESS_ANALYZER_READS, ACCOUNT_READS, GUARDDUTY_READS, SECURITY_HUB_READS } from './collectors/security-services.js';
import { KMS_READS } from './collectors/kms.js';
import { LOGS_READS } from './collectors/logs.js';
import { SNS_READS } from './collectors/sns.js';

/** Every collector's reads. A new collector adds its table here. */
export const PART_READS: Readonly<Record<InventoryPart, CollectorReads>> = {
  s3: S3_READS,
  s3control: S3CONTROL_READS,
  iam: IAM_READS,
  ec2: EC2_READS,
  rds: RDS_READS,
  cloudwatch: CLOUDWATCH_READS,
  sqs: SQS_READS,
  lambda: LAMBDA_READS,
  cloudtrail: CLOUDTRAIL_READS,
  config: CONFIG_READS,
  kms: KMS_READS,
  accessanalyzer: ACCESS_ANALYZER_READS,
  securityhub: SECURITY_HUB_READS,
  guardduty: GUARDDUTY_READS,
  account: ACCOUNT_READS,
  logs: LOGS_READS,
  sns: SNS_READS,
  efs: EFS_READS,
  ecr: ECR_READS,
  secretsmanager: SECRETS_MANAGER_READS,
};

/** Parts collected per region (the others are global). */
export const REGIONAL_PARTS: ReadonlySet<InventoryPart> = new Set(['ec2', 'rds', 'cloudwatch', 'sqs', 'lambda', 'cloudtrail', 'config', 'kms', 'logs', 'sns', 'accessanalyzer', 'securityhub', 'guardduty', 'efs', 'ecr', 'secretsmanager']);

const PART_OF = new Map<AwsRead, InventoryPart>();
const PREREQUISITES = new Map<AwsRead, readonly AwsRead[]>();
for (const [part, reads] of Object.entries(PART_READS) as Array<[InventoryPart, CollectorReads]>) {
  for (const [name, before] of Object.entries(reads) as Array<[AwsRead, readonly AwsRead[]]>) {
    PART_OF.set(name, part);
    PREREQUISITES.set(name, before);
  }
}

/** Is `name` made by some collector? (A declared read no collector makes could never be collected.) */
export function isCollectedRead(name: AwsRead): boolean {
  return PART_OF.has(name);
}

/** The reads to make for `declared`: each with its prerequisites, transitively. */
export function readsToMake(declared: Iterable<AwsRead>): Set<AwsRead> {
  const needs = new Set<AwsRead>();
  const visit = (name: AwsRead): void => {
    if (needs.has(name)) return;
    if (!PART_OF.has(name)) throw new Error(`no collector makes the read ${name}: add it to a collector's reads table`);
    needs.add(name);
    for (const before of PREREQUISITES.get(name)!) visit(before);
  };
  for (const name of declared) visit(name);
  return needs;
}

/** The collectors (parts) that make `needs`. */
export function partsOf(needs: Iterable<AwsRead>): Set<InventoryPart> {
  const parts = new Set<InventoryPart>();
  for (const name of needs) parts.add(PART_OF.get(name)!);
  return parts;
}

/** Every read of the given parts: for a tool that shows everything a collector knows. */
export function partReads(...parts: InventoryPart[]): AwsRead[] {
  return parts.flatMap((p) => Object.keys(PART_READS[p]) as AwsRead[]);
}

/** The reads of `needs` that `part` makes. */
export function readsOfPart(needs: ReadonlySet<AwsRead>, part: InventoryPart): Set<AwsRead> {
  return new Set([...needs].filter((n) => PART_OF.get(n) === part));
}
