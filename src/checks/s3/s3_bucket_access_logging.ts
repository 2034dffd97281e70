import type { CheckMetadata } from '../../findings/model.js';
import { finding } from '../finding.js';
import type { Check } from '../types.js';
import { bucketRead, bucketSubject, forEachBucket } from './buckets.js';

const metadata: CheckMetadata = {
  id: 's3_bucket_access_logging',
  title: 'S3 bucket has server access logging enabled',
  failTitle: 'S3 bucket has no server access logging',
  severity: 'low',
  service: 's3',
  resourceType: 'AWS::S3::Bucket',
  risk: 'Without access logs there is no record of who read or changed which object, which leaves an incident without evidence.',
  remediation: 'Enable server access logging to a dedicated log bucket (or CloudTrail S3 data events for the buckets that matter most).',
  remediationTerraform: `resource "aws_s3_bucket_logging" "<name>" {
  bucket        = aws_s3_bucket.<name>.id
  target_bucket = aws_s3_bucket.<log_bucket>.id
  target_prefix = "s3-access/<name>/"
}`,
  terraformTypes: ['aws_s3_bucket_logging', 'aws_s3_bucket'],
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html'],
};

export const s3_bucket_access_logging: Check = {
  metadata,
  reads: ['s3:GetBucketLogging'],
  run(snapshot) {
    return forEachBucket(metadata, snapshot, (bucket) => {
      const logging = bucketRead(metadata, snapshot, bucket, bucket.logging, 'the logging configuration (s3:GetBucketLogging)');
      if ('finding' in logging) return logging.finding;
      if (!logging.value?.TargetBucket) return finding(metadata, snapshot, bucketSubject(bucket), 'fail', `Bucket ${bucket.name} has server access logging off.`, { loggingEnabled: null });
      return finding(metadata, snapshot, bucketSubject(bucket), 'pass', `Bucket ${bucket.name} logs access to ${logging.value.TargetBucket}.`, { loggingEnabled: logging.value });
    });
  },
};
