import type { CheckMetadata } from '../../findings/model.js';
import { finding, readError } from '../finding.js';
import type { Check } from '../types.js';
import { forEachUser, userSubject } from './principals.js';

const metadata: CheckMetadata = {
  id: 'iam_user_single_active_key',
  title: 'Each IAM user has at most one active access key',
  failTitle: 'IAM user has more than one active access key',
  severity: 'medium',
  service: 'iam',
  resourceType: 'AWS::IAM::User',
  risk: 'A second active key is usually a rotation left half done: the old key stays valid in places nobody tracks, doubling what a leak exposes.',
  remediation: 'Find which key is still in use (GetAccessKeyLastUsed), move every client to it, then deactivate and delete the other.',
  remediationTerraform: `# Keep one aws_iam_access_key per user; deactivate the old one before deleting it:
resource "aws_iam_access_key" "<name>_old" {
  user   = aws_iam_user.<user>.name
  status = "Inactive"
}`,
  cis: ['1.13'],
  terraformTypes: ['aws_iam_access_key'],
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html'],
};

export const iam_user_single_active_key: Check = {
  metadata,
  reads: ['iam:ListAccessKeys'],
  run: (snapshot) =>
    forEachUser(metadata, snapshot, (user) => {
      const subject = userSubject(user);
      if (user.accessKeys.error) return readError(metadata, snapshot, subject, `the access keys of ${user.userName}`, user.accessKeys.error);
      const active = user.accessKeys.value.filter((k) => k.status === 'Active').map((k) => k.accessKeyId);
      const evidence = { activeKeys: active, keys: user.accessKeys.value.length };
      if (active.length <= 1) return finding(metadata, snapshot, subject, 'pass', `User ${user.userName} has ${active.length} active access key${active.length === 1 ? '' : 's'}.`, evidence);
      return finding(metadata, snapshot, subject, 'fail', `User ${user.userName} has ${active.length} active access keys: ${active.join(', ')}.`, evidence);
    }),
};
