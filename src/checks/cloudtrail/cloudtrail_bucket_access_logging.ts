import type { CheckMetadata } from '../../findings/model.js';
import { finding, readError } from '../finding.js';
import type { Check } from '../types.js';
import { forEachTrail, trailSubject } from './trails.js';

const metadata: CheckMetadata = {
  id: 'cloudtrail_bucket_access_logging',
  title: 'The S3 bucket a CloudTrail trail delivers to has server access logging enabled',
  failTitle: 'The S3 bucket a CloudTrail trail delivers to has no server access logging',
  severity: 'low',
  service: 'cloudtrail',
  resourceType: 'AWS::CloudTrail::Trail',
  risk: 'Without access logs on the trail bucket, nobody can tell who read, copied or deleted the audit logs themselves: the evidence of an incident has no chain of custody.',
  remediation: "Enable server access logging on the trail's S3 bucket, to a separate log bucket.",
  remediationTerraform: `resource "aws_s3_bucket_logging" "<trail_bucket>" {
  bucket        = aws_s3_bucket.<trail_bucket>.id
  target_bucket = aws_s3_bucket.<log_bucket>.id
  target_prefix = "s3-access/<trail_bucket>/"
}`,
  cis: ['3.4'],
  terraformTypes: ['aws_s3_bucket_logging', 'aws_cloudtrail'],
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html'],
};

export const cloudtrail_bucket_access_logging: Check = {
  metadata,
  reads: ['cloudtrail:DescribeTrails', 's3:GetBucketLogging'],
  run(snapshot) {
    return forEachTrail(metadata, snapshot, (trail) => {
      const subject = trailSubject(trail);
      const bucketName = trail.trail.S3BucketName ?? '';
      const buckets = snapshot.s3?.buckets;
      if (!buckets) return readError(metadata, snapshot, subject, 'the S3 buckets', { code: 'NotCollected', message: 's3' });
      if (buckets.error) return readError(metadata, snapshot, subject, 'the S3 buckets (s3:ListBuckets)', buckets.error);
      const bucket = buckets.value.find((b) => b.name === bucketName);
      // A bucket in another account (central logging) cannot be read from this one: say so, never guess.
      if (!bucket)
        return readError(metadata, snapshot, subject, `the logging of bucket ${bucketName}`, {
          code: 'BucketNotInAccount',
          message: `bucket ${bucketName} is not in account ${snapshot.accountId}: audit the account that owns it`,
        });
      const evidence = { bucket: bucketName };
      if (bucket.logging.error) return readError(metadata, snapshot, subject, `the logging of bucket ${bucketName} (s3:GetBucketLogging)`, bucket.logging.error);
      const logging = bucket.logging.value;
      if (!logging?.TargetBucket) return finding(metadata, snapshot, subject, 'fail', `Trail ${trail.name} delivers to bucket ${bucketName}, which has server access logging off.`, { ...evidence, loggingEnabled: null });
      return finding(metadata, snapshot, subject, 'pass', `Trail ${trail.name} delivers to bucket ${bucketName}, which logs access to ${logging.TargetBucket}.`, { ...evidence, loggingEnabled: logging });
    });
  },
};
