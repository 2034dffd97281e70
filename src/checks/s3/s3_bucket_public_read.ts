import type { CheckMetadata } from '../../findings/model.js';
import { finding } from '../finding.js';
import type { Check } from '../types.js';
import { bucketSubject, forEachBucket } from './buckets.js';
import { assessPublicAccess } from './public-access.js';

const metadata: CheckMetadata = {
  id: 's3_bucket_public_read',
  title: 'S3 bucket is not publicly readable',
  severity: 'critical',
  service: 's3',
  resourceType: 'AWS::S3::Bucket',
  risk: 'Anyone on the internet (or any AWS account) can list or download the objects: the classic S3 data leak.',
  remediation: 'Remove the public ACL grants and the bucket policy statements for everyone (or narrow them with aws:SourceVpce, aws:PrincipalOrgID and the like), and turn on Block Public Access. Serve public content through CloudFront with origin access control instead.',
  remediationTerraform: `resource "aws_s3_bucket_public_access_block" "<name>" {
  bucket                  = aws_s3_bucket.<name>.id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}
resource "aws_s3_bucket_ownership_controls" "<name>" {
  bucket = aws_s3_bucket.<name>.id
  rule {
    object_ownership = "BucketOwnerEnforced" # disables ACLs
  }
}
# and remove the statements with Principal "*" from aws_s3_bucket_policy.<name>`,
  terraformTypes: ['aws_s3_bucket_policy', 'aws_s3_bucket_acl', 'aws_s3_bucket_public_access_block', 'aws_s3_bucket_ownership_controls'],
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status'],
};

export const s3_bucket_public_read: Check = {
  metadata,
  requires: ['s3', 's3control'],
  run(snapshot) {
    return forEachBucket(metadata, snapshot, (bucket) => {
      const subject = bucketSubject(bucket);
      const verdict = assessPublicAccess(bucket, snapshot, 'read');
      if (verdict.public === true) {
        const how = [verdict.acl, verdict.policy].filter((c) => c.public === true).map((c) => c.detail).join('; ');
        return finding(metadata, snapshot, subject, 'fail', `Bucket ${bucket.name} is publicly readable: ${how}.`, verdict.evidence);
      }
      if (verdict.public === false) return finding(metadata, snapshot, subject, 'pass', `Bucket ${bucket.name} is not publicly readable: ${verdict.acl.detail}; ${verdict.policy.detail}.`, verdict.evidence);
      const error = verdict.acl.unknown ?? verdict.policy.unknown ?? { code: 'Unknown', message: 'public access could not be determined' };
      return finding(metadata, snapshot, subject, 'error', `Could not tell whether bucket ${bucket.name} is publicly readable: ${error.code}: ${error.message}`, { ...verdict.evidence, error });
    });
  },
};
