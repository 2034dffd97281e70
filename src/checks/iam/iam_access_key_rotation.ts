import type { CheckMetadata } from '../../findings/model.js';
import { daysBetween, finding, readError } from '../finding.js';
import type { Check } from '../types.js';
import { forEachUser, userSubject } from './principals.js';

const metadata: CheckMetadata = {
  id: 'iam_access_key_rotation',
  title: 'Active access keys are rotated within the threshold',
  failTitle: 'Active access key is older than the rotation threshold',
  severity: 'medium',
  service: 'iam',
  resourceType: 'AWS::IAM::User',
  risk: 'The older a long-lived key, the more places it has been copied to (laptops, CI logs, old repositories), and the longer a leak stays usable.',
  remediation: 'Create a new key, move its users to it, deactivate and then delete the old one; better, replace long-lived keys with roles.',
  remediationTerraform: `# Rotate by replacing the key resource (create the new one before destroying the old):
resource "aws_iam_access_key" "<name>" {
  user = aws_iam_user.<user>.name
  lifecycle {
    create_before_destroy = true
  }
}
# then: terraform apply -replace=aws_iam_access_key.<name>`,
  cis: ['1.14'],
  terraformTypes: ['aws_iam_access_key'],
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console'],
};

export const iam_access_key_rotation: Check = {
  metadata,
  reads: ['iam:ListAccessKeys'],
  run(snapshot, options) {
    const limit = options.accessKeyMaxAgeDays;
    return forEachUser(metadata, snapshot, (user) => {
      const subject = userSubject(user);
      if (user.accessKeys.error) return readError(metadata, snapshot, subject, `the access keys of ${user.userName}`, user.accessKeys.error);
      const active = user.accessKeys.value.filter((k) => k.status === 'Active');
      const keys = active.map((k) => ({ accessKeyId: k.accessKeyId, ageDays: k.createDate ? daysBetween(k.createDate, options.now) : null }));
      const old = keys.filter((k) => k.ageDays === null || k.ageDays > limit);
      const evidence = { thresholdDays: limit, activeKeys: keys };
      if (active.length === 0) return finding(metadata, snapshot, subject, 'pass', `User ${user.userName} has no active access keys.`, evidence);
      if (old.length === 0) return finding(metadata, snapshot, subject, 'pass', `Every active access key of ${user.userName} is at most ${limit} days old.`, evidence);
      const list = old.map((k) => `${k.accessKeyId} (${k.ageDays ?? 'unknown'} days)`).join(', ');
      return finding(metadata, snapshot, subject, 'fail', `User ${user.userName} has active access keys older than ${limit} days: ${list}.`, evidence);
    });
  },
};
