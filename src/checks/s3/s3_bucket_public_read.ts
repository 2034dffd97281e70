import type { CheckMetadata } from '../../findings/model.js';
import type { Check } from '../types.js';
import { judgePublicAccess, PUBLIC_ACCESS_REMEDIATION_TERRAFORM, PUBLIC_ACCESS_READS } from './public-access.js';

const metadata: CheckMetadata = {
  id: 's3_bucket_public_read',
  title: 'S3 bucket is not publicly readable',
  failTitle: 'S3 bucket is publicly readable',
  severity: 'critical',
  service: 's3',
  resourceType: 'AWS::S3::Bucket',
  risk: 'Anyone on the internet (or any AWS account) can list or download the objects: the classic S3 data leak.',
  remediation: 'Remove the public ACL grants and the bucket policy statements for everyone (or narrow them with aws:SourceVpce, aws:PrincipalOrgID and the like), and turn on Block Public Access. Serve public content through CloudFront with origin access control instead.',
  remediationTerraform: PUBLIC_ACCESS_REMEDIATION_TERRAFORM,
  terraformTypes: ['aws_s3_bucket_policy', 'aws_s3_bucket_acl', 'aws_s3_bucket_public_access_block', 'aws_s3_bucket_ownership_controls'],
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status'],
};

export const s3_bucket_public_read: Check = {
  metadata,
  reads: PUBLIC_ACCESS_READS,
  run: (snapshot) => judgePublicAccess(metadata, snapshot, 'read'),
};
