import type { CheckMetadata } from '../../findings/model.js';
import type { Check } from '../types.js';
import { judgePublicAccess, PUBLIC_ACCESS_REMEDIATION_TERRAFORM, PUBLIC_ACCESS_READS } from './public-access.js';

const metadata: CheckMetadata = {
  id: 's3_bucket_public_write',
  title: 'S3 bucket is not publicly writable',
  failTitle: 'S3 bucket is publicly writable',
  severity: 'critical',
  service: 's3',
  resourceType: 'AWS::S3::Bucket',
  risk: 'Anyone can upload, overwrite or delete objects: malware hosting, defacement, data destruction and a bill for the storage.',
  remediation: 'Remove the ACL grants of WRITE, WRITE_ACP or FULL_CONTROL to AllUsers and AuthenticatedUsers and the policy statements that let everyone write, and turn on Block Public Access.',
  remediationTerraform: PUBLIC_ACCESS_REMEDIATION_TERRAFORM,
  terraformTypes: ['aws_s3_bucket_policy', 'aws_s3_bucket_acl', 'aws_s3_bucket_public_access_block', 'aws_s3_bucket_ownership_controls'],
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status'],
};

export const s3_bucket_public_write: Check = {
  metadata,
  reads: PUBLIC_ACCESS_READS,
  run: (snapshot) => judgePublicAccess(metadata, snapshot, 'write'),
};
