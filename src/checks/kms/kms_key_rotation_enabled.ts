import type { CheckMetadata } from '../../findings/model.js';
import { rotationApplies } from '../../inventory/collectors/kms.js';
import { finding, readError } from '../finding.js';
import type { Check } from '../types.js';
import { forEachCustomerKey } from './keys.js';

const metadata: CheckMetadata = {
  id: 'kms_key_rotation_enabled',
  title: 'Customer managed symmetric KMS keys rotate their key material',
  failTitle: 'Customer managed symmetric KMS key does not rotate',
  severity: 'medium',
  service: 'kms',
  resourceType: 'AWS::KMS::Key',
  risk: 'Key material that never changes protects ever more data for ever longer: a leaked or broken backing key exposes everything encrypted under it since the key was made.',
  remediation:
    'Turn on automatic rotation for the key (KMS keeps the old material to decrypt old data, so nothing breaks). Only enabled, customer managed, symmetric keys with KMS-made material are judged: AWS managed keys rotate on their own, and asymmetric, HMAC and imported keys cannot rotate.',
  remediationTerraform: `resource "aws_kms_key" "<name>" {
  # ...
  enable_key_rotation     = true
  rotation_period_in_days = 365
}`,
  cis: ['3.6'],
  terraformTypes: ['aws_kms_key'],
  references: ['https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html'],
};

export const kms_key_rotation_enabled: Check = {
  metadata,
  reads: ['kms:DescribeKey', 'kms:GetKeyRotationStatus', 'kms:ListAliases'],
  run: (snapshot) =>
    forEachCustomerKey(
      metadata,
      snapshot,
      // CIS 3.6 is about keys in use: a disabled key encrypts nothing new.
      (m) => rotationApplies(m) && m.KeyState === 'Enabled',
      (key, _m, subject) => {
        if (key.rotation.error) return readError(metadata, snapshot, subject, `the rotation status of KMS key ${key.keyId} (kms:GetKeyRotationStatus)`, key.rotation.error);
        const enabled = key.rotation.value?.enabled === true;
        const period = key.rotation.value?.periodDays;
        return finding(
          metadata,
          snapshot,
          subject,
          enabled ? 'pass' : 'fail',
          enabled ? `KMS key ${subject.resourceName} rotates its key material${period ? ` every ${period} days` : ''}.` : `KMS key ${subject.resourceName} has automatic rotation off.`,
          { keyRotationEnabled: enabled, ...(period ? { rotationPeriodInDays: period } : {}) },
        );
      },
    ),
};
