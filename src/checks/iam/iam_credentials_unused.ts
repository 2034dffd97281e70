import type { CheckMetadata } from '../../findings/model.js';
import { daysBetween, finding, firstError, readError } from '../finding.js';
import type { Check } from '../types.js';
import { forEachUser, userSubject } from './principals.js';

const metadata: CheckMetadata = {
  id: 'iam_credentials_unused',
  title: 'IAM user credentials unused for the threshold are disabled',
  failTitle: 'IAM user credentials unused past the threshold are still enabled',
  severity: 'medium',
  service: 'iam',
  resourceType: 'AWS::IAM::User',
  risk: 'A password or access key nobody uses is one nobody watches: it stays valid after its owner left and is found by an attacker first.',
  remediation: 'Deactivate access keys and remove console passwords not used within the threshold (45 days by default); delete the user if nothing remains.',
  remediationTerraform: `# Deactivate the key (or delete the aws_iam_access_key resource):
resource "aws_iam_access_key" "<name>" {
  user   = aws_iam_user.<user>.name
  status = "Inactive"
}
# Remove the console password: delete the aws_iam_user_login_profile resource for the user.`,
  cis: ['1.12'],
  terraformTypes: ['aws_iam_access_key', 'aws_iam_user_login_profile', 'aws_iam_user'],
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_finding-unused.html'],
};

export const iam_credentials_unused: Check = {
  metadata,
  reads: ['iam:GetLoginProfile', 'iam:GetAccessKeyLastUsed'],
  run(snapshot, options) {
    const limit = options.unusedCredentialDays;
    return forEachUser(metadata, snapshot, (user) => {
      const subject = userSubject(user);
      const error = firstError(user.loginProfile, user.accessKeys, ...(user.accessKeys.value ?? []).filter((k) => k.status === 'Active').map((k) => k.lastUsed));
      if (error) return readError(metadata, snapshot, subject, `the credentials of ${user.userName}`, error);
      const unused: Array<{ credential: string; lastUsed: string; idleDays: number }> = [];
      // A credential never used counts from its creation: a new key is not yet unused.
      if (user.loginProfile.value) {
        const since = user.passwordLastUsed ?? user.loginProfile.value.createDate ?? user.createDate;
        const idle = since ? daysBetween(since, options.now) : Infinity;
        if (idle > limit) unused.push({ credential: 'console password', lastUsed: user.passwordLastUsed?.toISOString() ?? 'never', idleDays: idle });
      }
      for (const key of user.accessKeys.value ?? []) {
        if (key.status !== 'Active') continue;
        const lastUsed = key.lastUsed.value?.lastUsedDate;
        const since = lastUsed ?? key.createDate;
        const idle = since ? daysBetween(since, options.now) : Infinity;
        if (idle > limit) unused.push({ credential: `access key ${key.accessKeyId}`, lastUsed: lastUsed?.toISOString() ?? 'never', idleDays: idle });
      }
      const evidence = { thresholdDays: limit, unused };
      if (unused.length === 0) return finding(metadata, snapshot, subject, 'pass', `User ${user.userName} has no active credential unused for more than ${limit} days.`, evidence);
      const list = unused.map((u) => `${u.credential} (${u.lastUsed === 'never' ? 'never used' : `last used ${u.idleDays} days ago`})`).join(', ');
      return finding(metadata, snapshot, subject, 'fail', `User ${user.userName} has credentials unused for more than ${limit} days: ${list}.`, evidence);
    });
  },
};
