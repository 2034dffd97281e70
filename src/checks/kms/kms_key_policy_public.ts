import type { CheckMetadata } from '../../findings/model.js';
import { policyExposureFinding } from '../exposure.js';
import type { Check } from '../types.js';
import { forEachCustomerKey, isPendingDeletion } from './keys.js';

const metadata: CheckMetadata = {
  id: 'kms_key_policy_public',
  title: 'KMS key policies are not public or open to other accounts',
  failTitle: 'KMS key policy is public or open to other accounts',
  severity: 'critical',
  service: 'kms',
  resourceType: 'AWS::KMS::Key',
  risk: 'A key policy that allows everyone (or another account) lets outsiders decrypt whatever the key protects (S3 objects, EBS snapshots, secrets, database backups), re-encrypt data under keys they hold, or, with kms:* or kms:PutKeyPolicy, take the key over.',
  remediation:
    'Grant the key to principals of this account (the account root, so IAM policies decide, and named roles) instead of "*"; where a service or another account needs the key, pin "*" with kms:CallerAccount plus kms:ViaService, aws:PrincipalOrgID, aws:SourceAccount or aws:SourceArn, or grant the one outside role by ARN and only the actions it needs.',
  remediationTerraform: `resource "aws_kms_key" "<name>" {
  # ...
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AccountAdministersThroughIam"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::<account-id>:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}`,
  terraformTypes: ['aws_kms_key', 'aws_kms_key_policy'],
  references: ['https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html', 'https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html'],
};

export const kms_key_policy_public: Check = {
  metadata,
  reads: ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:ListAliases'],
  run: (snapshot) =>
    forEachCustomerKey(
      metadata,
      snapshot,
      (m) => !isPendingDeletion(m),
      (key, _m, subject) =>
        policyExposureFinding(metadata, snapshot, subject, `KMS key ${subject.resourceName}`, key.policy, `the key policy of KMS key ${key.keyId} (kms:GetKeyPolicy)`),
    ),
};
