import type { CheckMetadata } from '../../findings/model.js';
import { daysBetween, finding, readError } from '../finding.js';
import type { Check } from '../types.js';
import { forEachRole, isServiceLinkedRole, roleSubject } from './principals.js';

const metadata: CheckMetadata = {
  id: 'iam_role_unused',
  title: 'IAM roles unused for the threshold are removed',
  failTitle: 'IAM role unused past the threshold still exists',
  severity: 'low',
  service: 'iam',
  resourceType: 'AWS::IAM::Role',
  risk: 'A role nobody assumes still carries its permissions and its trust policy: standing access that serves no one and that nobody reviews.',
  remediation: 'Confirm with the owner that the role is no longer needed (90 days without use by default), then delete it.',
  remediationTerraform: `# Delete the role: remove its resources from the configuration and apply.
# aws_iam_role.<name>, with its aws_iam_role_policy_attachment and aws_iam_role_policy resources`,
  terraformTypes: ['aws_iam_role', 'aws_iam_role_policy_attachment', 'aws_iam_role_policy'],
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_manage_delete.html'],
};

export const iam_role_unused: Check = {
  metadata,
  reads: ['iam:GetRole'],
  run(snapshot, options) {
    const limit = options.roleUnusedDays;
    return forEachRole(metadata, snapshot, (role) => {
      if (isServiceLinkedRole(role)) return undefined;
      const subject = roleSubject(role);
      if (role.lastUsed.error) return readError(metadata, snapshot, subject, `the last use of role ${role.roleName} (iam:GetRole)`, role.lastUsed.error);
      const lastUsed = role.lastUsed.value.lastUsedDate;
      // Never used: judge by age, so a role created yesterday is not "unused".
      const since = lastUsed ?? role.createDate;
      const idle = since ? daysBetween(since, options.now) : Infinity;
      const evidence = { thresholdDays: limit, lastUsed: lastUsed?.toISOString() ?? 'never', createDate: role.createDate?.toISOString() ?? null, idleDays: Number.isFinite(idle) ? idle : null };
      if (idle <= limit) {
        const how = lastUsed ? `was used ${idle} days ago` : `is ${idle} days old and not yet used`;
        return finding(metadata, snapshot, subject, 'pass', `Role ${role.roleName} ${how}.`, evidence);
      }
      const how = lastUsed ? `has not been used for ${idle} days` : `has never been used in ${Number.isFinite(idle) ? `${idle} days` : 'its lifetime'}`;
      return finding(metadata, snapshot, subject, 'fail', `Role ${role.roleName} ${how} (threshold ${limit}).`, evidence);
    });
  },
};
