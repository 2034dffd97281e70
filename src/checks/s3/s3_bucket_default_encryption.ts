import type { CheckMetadata } from '../../findings/model.js';
import { finding } from '../finding.js';
import type { Check } from '../types.js';
import { bucketRead, bucketSubject, forEachBucket } from './buckets.js';

const metadata: CheckMetadata = {
  id: 's3_bucket_default_encryption',
  title: 'S3 bucket has default encryption configured',
  failTitle: 'S3 bucket has no default encryption configured',
  severity: 'medium',
  service: 's3',
  resourceType: 'AWS::S3::Bucket',
  risk: 'Objects written without an encryption header are stored as the bucket default says; without one, there is no record of the intended protection and no KMS key control over reads.',
  remediation: 'Configure default encryption on the bucket (SSE-KMS with a customer-managed key where access to the data must be auditable, SSE-S3 otherwise).',
  remediationTerraform: `resource "aws_s3_bucket_server_side_encryption_configuration" "<name>" {
  bucket = aws_s3_bucket.<name>.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.<key>.arn
    }
    bucket_key_enabled = true
  }
}`,
  terraformTypes: ['aws_s3_bucket_server_side_encryption_configuration', 'aws_s3_bucket'],
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html'],
};

export const s3_bucket_default_encryption: Check = {
  metadata,
  reads: ['s3:GetBucketEncryption'],
  run(snapshot) {
    return forEachBucket(metadata, snapshot, (bucket) => {
      const encryption = bucketRead(metadata, snapshot, bucket, bucket.encryption, 'the default encryption (s3:GetBucketEncryption)');
      if ('finding' in encryption) return encryption.finding;
      const algorithms = (encryption.value?.Rules ?? [])
        .map((r) => r.ApplyServerSideEncryptionByDefault?.SSEAlgorithm)
        .filter((a): a is NonNullable<typeof a> => !!a);
      if (algorithms.length === 0) return finding(metadata, snapshot, bucketSubject(bucket), 'fail', `Bucket ${bucket.name} has no default encryption configured.`, { serverSideEncryptionConfiguration: encryption.value });
      return finding(metadata, snapshot, bucketSubject(bucket), 'pass', `Bucket ${bucket.name} encrypts by default with ${algorithms.join(', ')}.`, { serverSideEncryptionConfiguration: encryption.value });
    });
  },
};
