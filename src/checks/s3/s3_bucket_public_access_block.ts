import type { CheckMetadata } from '../../findings/model.js';
import { finding } from '../finding.js';
import type { Check } from '../types.js';
import { accountBpa, BPA_SETTINGS, bucketSubject, effectiveBpaSetting, forEachBucket } from './buckets.js';

const metadata: CheckMetadata = {
  id: 's3_bucket_public_access_block',
  title: 'S3 bucket is covered by Block Public Access',
  failTitle: 'S3 bucket is not covered by Block Public Access',
  severity: 'medium',
  service: 's3',
  resourceType: 'AWS::S3::Bucket',
  risk: 'A bucket that neither it nor the account protects with Block Public Access becomes public with one policy or ACL change.',
  remediation: "Turn on the bucket's four Block Public Access settings, or the account-level ones (which cover every bucket).",
  remediationTerraform: `resource "aws_s3_bucket_public_access_block" "<name>" {
  bucket                  = aws_s3_bucket.<name>.id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}`,
  cis: ['2.1.4'],
  terraformTypes: ['aws_s3_bucket_public_access_block', 'aws_s3_account_public_access_block', 'aws_s3_bucket'],
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html'],
};

export const s3_bucket_public_access_block: Check = {
  metadata,
  reads: ['s3:GetPublicAccessBlock', 's3control:GetPublicAccessBlock'],
  run(snapshot) {
    const account = accountBpa(snapshot);
    return forEachBucket(metadata, snapshot, (bucket) => {
      const subject = bucketSubject(bucket);
      const settings = BPA_SETTINGS.map((s) => ({ setting: s, ...effectiveBpaSetting(s, account, bucket.publicAccessBlock) }));
      const off = settings.filter((s) => s.on === false).map((s) => s.setting);
      const unknown = settings.filter((s) => s.on === undefined);
      const evidence = {
        bucketPublicAccessBlock: bucket.publicAccessBlock.value ?? null,
        accountPublicAccessBlock: account.value ?? null,
      };
      if (off.length) return finding(metadata, snapshot, subject, 'fail', `Block Public Access is off for bucket ${bucket.name} at both levels: ${off.join(', ')}.`, { ...evidence, settingsOff: off });
      if (unknown.length) {
        const error = unknown[0]!.unknown[0]!;
        return finding(metadata, snapshot, subject, 'error', `Could not read Block Public Access for bucket ${bucket.name}: ${error.code}: ${error.message}`, { ...evidence, error });
      }
      const byAccount = settings.every((s) => s.by.includes('account'));
      return finding(metadata, snapshot, subject, 'pass', `All four Block Public Access settings apply to bucket ${bucket.name}${byAccount ? ' (account level)' : ''}.`, evidence);
    });
  },
};
