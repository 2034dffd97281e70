import type { CheckMetadata } from '../../findings/model.js';
import { finding } from '../finding.js';
import type { Check } from '../types.js';
import { forEachTrail, trailSubject } from './trails.js';

const metadata: CheckMetadata = {
  id: 'cloudtrail_kms_encryption',
  title: 'CloudTrail trail logs are encrypted with a KMS key',
  failTitle: 'CloudTrail trail logs are not encrypted with a KMS key',
  severity: 'medium',
  service: 'cloudtrail',
  resourceType: 'AWS::CloudTrail::Trail',
  risk: 'With SSE-S3 only, anyone who can read the log bucket reads every API call of the account; a KMS key adds a second permission (kms:Decrypt) and its own audit trail of who decrypted the logs.',
  remediation: 'Create a customer-managed KMS key whose policy lets CloudTrail encrypt and your auditors decrypt, and set it as the trail\'s KMS key.',
  remediationTerraform: `resource "aws_cloudtrail" "<name>" {
  # ...
  kms_key_id = aws_kms_key.<trail_key>.arn
}`,
  cis: ['3.5'],
  terraformTypes: ['aws_cloudtrail', 'aws_kms_key'],
  references: ['https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html'],
};

export const cloudtrail_kms_encryption: Check = {
  metadata,
  reads: ['cloudtrail:DescribeTrails'],
  run: (snapshot) =>
    forEachTrail(metadata, snapshot, (trail) => {
      const key = trail.trail.KmsKeyId;
      if (!key) return finding(metadata, snapshot, trailSubject(trail), 'fail', `Trail ${trail.name} is not encrypted with a KMS key (SSE-S3 only).`, { kmsKeyId: null });
      return finding(metadata, snapshot, trailSubject(trail), 'pass', `Trail ${trail.name} is encrypted with KMS key ${key}.`, { kmsKeyId: key });
    }),
};
