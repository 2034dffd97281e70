import type { CheckMetadata } from '../../findings/model.js';
import { finding } from '../finding.js';
import type { Check } from '../types.js';
import { bucketRead, bucketSubject, forEachBucket } from './buckets.js';

const metadata: CheckMetadata = {
  id: 's3_bucket_acls_disabled',
  title: 'S3 bucket has ACLs disabled (BucketOwnerEnforced)',
  failTitle: 'S3 bucket still uses ACLs (not BucketOwnerEnforced)',
  severity: 'medium',
  service: 's3',
  resourceType: 'AWS::S3::Bucket',
  risk: 'While ACLs are enabled, access is decided by two systems at once (ACLs and policies), and an object ACL can grant access that the bucket policy never shows.',
  remediation: "Set the bucket's Object Ownership to BucketOwnerEnforced, which disables ACLs; move any access that ACLs grant into the bucket policy first.",
  remediationTerraform: `resource "aws_s3_bucket_ownership_controls" "<name>" {
  bucket = aws_s3_bucket.<name>.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}`,
  terraformTypes: ['aws_s3_bucket_ownership_controls', 'aws_s3_bucket'],
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html'],
};

export const s3_bucket_acls_disabled: Check = {
  metadata,
  reads: ['s3:GetBucketOwnershipControls'],
  run(snapshot) {
    return forEachBucket(metadata, snapshot, (bucket) => {
      const controls = bucketRead(metadata, snapshot, bucket, bucket.ownershipControls, 'the ownership controls (s3:GetBucketOwnershipControls)');
      if ('finding' in controls) return controls.finding;
      const ownership = controls.value?.Rules?.[0]?.ObjectOwnership ?? 'not configured';
      const evidence = { objectOwnership: ownership };
      if (ownership === 'BucketOwnerEnforced') return finding(metadata, snapshot, bucketSubject(bucket), 'pass', `Bucket ${bucket.name} has ACLs disabled.`, evidence);
      return finding(metadata, snapshot, bucketSubject(bucket), 'fail', `Bucket ${bucket.name} still honours ACLs (Object Ownership: ${ownership}).`, evidence);
    });
  },
};
