/** Every Terraform resource type drift can compare against the live account. */
import { COMPUTE_TYPES } from './compute.js';
import { CONFIG_TYPES } from './config.js';
import { ECR_TYPES } from './ecr.js';
import { SECRETS_MANAGER_TYPES } from './secretsmanager.js';
import { EC2_TYPES } from './ec2.js';
import { EC2_STORAGE_TYPES } from './ec2-storage.js';
import { KEY_PAIR_TYPES } from './key-pairs.js';
import { LAUNCH_TEMPLATE_TYPES } from './launch-templates.js';
import { VPC_ENDPOINT_TYPES } from './vpc-endpoints.js';
import { IAM_TYPES } from './iam.js';
import { KMS_TYPES } from './kms.js';
import { LAMBDA_TYPES } from './lambda.js';
import { MONITORING_TYPES } from './monitoring.js';
import { CLOUDTRAIL_TYPES } from './cloudtrail.js';
import { IAM_GROUP_TYPES } from './iam-groups.js';
import { IAM_OIDC_TYPES } from './iam-oidc.js';
import { SECURITY_SERVICE_TYPES } from './security-services.js';
import { GATEWAY_TYPES, NETWORK_TYPES } from './network.js';
import { RDS_TYPES } from './rds.js';
import { S3_TYPES } from './s3.js';
import { S3_ACCOUNT_TYPES } from './s3-account.js';
import { SQS_TYPES } from './sqs.js';
import type { LiveTypeSpec } from './types.js';

export const LIVE_TYPES: ReadonlyMap<string, LiveTypeSpec> = new Map([...S3_TYPES, ...IAM_TYPES, ...IAM_GROUP_TYPES, ...IAM_OIDC_TYPES, ...SECURITY_SERVICE_TYPES, ...EC2_TYPES, ...NETWORK_TYPES, ...GATEWAY_TYPES, ...COMPUTE_TYPES, ...EC2_STORAGE_TYPES, ...VPC_ENDPOINT_TYPES, ...KEY_PAIR_TYPES, ...LAUNCH_TEMPLATE_TYPES, ...RDS_TYPES, ...KMS_TYPES, ...MONITORING_TYPES, ...CLOUDTRAIL_TYPES, ...ECR_TYPES, ...SECRETS_MANAGER_TYPES, ...CONFIG_TYPES, ...SQS_TYPES, ...LAMBDA_TYPES, ...S3_ACCOUNT_TYPES].map((spec) => [spec.type, spec]));

export function liveTypeSpec(type: string): LiveTypeSpec | undefined {
  return LIVE_TYPES.get(type);
}

/** The types whose live objects are enumerated to find unmanaged ones. */
export function enumerableTypes(): LiveTypeSpec[] {
  return [...LIVE_TYPES.values()].filter((spec) => spec.enumerate !== undefined);
}
