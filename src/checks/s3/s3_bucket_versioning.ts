import type { CheckMetadata } from '../../findings/model.js';
import { finding } from '../finding.js';
import type { Check } from '../types.js';
import { bucketRead, bucketSubject, forEachBucket } from './buckets.js';

const metadata: CheckMetadata = {
  id: 's3_bucket_versioning',
  title: 'S3 bucket has versioning enabled',
  failTitle: 'S3 bucket has versioning disabled',
  severity: 'low',
  service: 's3',
  resourceType: 'AWS::S3::Bucket',
  risk: 'Without versioning, an overwrite or delete (by mistake, by a bug, or by ransomware holding stolen keys) destroys the only copy of an object.',
  remediation: 'Enable versioning on the bucket, with a lifecycle rule that expires noncurrent versions after the retention you need.',
  remediationTerraform: `resource "aws_s3_bucket_versioning" "<name>" {
  bucket = aws_s3_bucket.<name>.id
  versioning_configuration {
    status = "Enabled"
  }
}`,
  terraformTypes: ['aws_s3_bucket_versioning', 'aws_s3_bucket'],
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html'],
};

export const s3_bucket_versioning: Check = {
  metadata,
  reads: ['s3:GetBucketVersioning'],
  run(snapshot) {
    return forEachBucket(metadata, snapshot, (bucket) => {
      const versioning = bucketRead(metadata, snapshot, bucket, bucket.versioning, 'the versioning state (s3:GetBucketVersioning)');
      if ('finding' in versioning) return versioning.finding;
      const status = versioning.value.status;
      const evidence = { versioningStatus: status ?? 'never enabled', mfaDelete: versioning.value.mfaDelete ?? 'Disabled' };
      if (status === 'Enabled') return finding(metadata, snapshot, bucketSubject(bucket), 'pass', `Bucket ${bucket.name} has versioning enabled.`, evidence);
      const state = status === 'Suspended' ? 'suspended' : 'never been enabled';
      return finding(metadata, snapshot, bucketSubject(bucket), 'fail', `Bucket ${bucket.name} versioning has ${status === 'Suspended' ? 'been ' : ''}${state}.`, evidence);
    });
  },
};
