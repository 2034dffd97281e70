import type { CheckMetadata } from '../../findings/model.js';
import { accountSubject, finding, notCollected, readError } from '../finding.js';
import type { Check } from '../types.js';
import { BPA_SETTINGS } from './buckets.js';

const metadata: CheckMetadata = {
  id: 's3_account_public_access_block',
  title: 'S3 Block Public Access is on for the whole account',
  failTitle: 'S3 Block Public Access is not on for the whole account',
  severity: 'high',
  service: 's3',
  resourceType: 'AWS::::Account',
  risk: 'Without account-level Block Public Access, any bucket policy or ACL written tomorrow can make data public; the account setting overrides every bucket.',
  remediation: 'Turn on all four account-level Block Public Access settings (S3 console > Block Public Access settings for this account), after confirming no bucket must be public.',
  remediationTerraform: `resource "aws_s3_account_public_access_block" "this" {
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}`,
  cis: ['2.1.4'],
  terraformTypes: ['aws_s3_account_public_access_block'],
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/configuring-block-public-access-account.html'],
};

export const s3_account_public_access_block: Check = {
  metadata,
  reads: ['s3control:GetPublicAccessBlock'],
  run(snapshot) {
    if (!snapshot.s3control) return [notCollected(metadata, snapshot, 's3control')];
    const subject = accountSubject(snapshot);
    const pab = snapshot.s3control.publicAccessBlock;
    if (pab.error) return [readError(metadata, snapshot, subject, 'the account-level Block Public Access (s3control:GetPublicAccessBlock)', pab.error)];
    const off = BPA_SETTINGS.filter((s) => pab.value?.[s] !== true);
    if (off.length === 0) return [finding(metadata, snapshot, subject, 'pass', 'All four account-level Block Public Access settings are on.', { publicAccessBlock: pab.value })];
    const message = pab.value
      ? `Account-level Block Public Access is partly off: ${off.join(', ')}.`
      : 'Account-level Block Public Access is not configured.';
    return [finding(metadata, snapshot, subject, 'fail', message, { publicAccessBlock: pab.value, settingsOff: off })];
  },
};
