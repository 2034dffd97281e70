import type { CheckMetadata } from '../../findings/model.js';
import { findEffectiveAdmin, policySetView } from '../../policy/index.js';
import { finding, readError } from '../finding.js';
import type { Check } from '../types.js';
import { forEachIam } from './principals.js';
import { policySubject } from './policies.js';

const metadata: CheckMetadata = {
  id: 'iam_policy_admin_star',
  title: 'No attached managed policy grants full administrator access ("*" on "*")',
  failTitle: 'Attached managed policy grants full administrator access ("*" on "*")',
  severity: 'high',
  service: 'iam',
  resourceType: 'AWS::IAM::ManagedPolicy',
  risk: 'A policy allowing every action on every resource makes each principal it is attached to an administrator: one leaked credential or compromised workload owns the account.',
  remediation: 'Replace the policy with one that grants the actions and resources the principals actually use (IAM Access Analyzer can generate it from CloudTrail), and keep administrator access to a few break-glass roles with MFA.',
  remediationTerraform: `data "aws_iam_policy_document" "<name>" {
  statement {
    effect    = "Allow"
    actions   = ["<service>:<Action>"]      # what the principals use, not "*"
    resources = ["<arn_of_what_they_use>"]  # not "*"
  }
}
resource "aws_iam_policy" "<name>" {
  name   = "<name>"
  policy = data.aws_iam_policy_document.<name>.json
}`,
  cis: ['1.16'],
  terraformTypes: ['aws_iam_policy', 'aws_iam_role_policy_attachment', 'aws_iam_user_policy_attachment', 'aws_iam_group_policy_attachment', 'aws_iam_policy_attachment'],
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege'],
};

export const iam_policy_admin_star: Check = {
  metadata,
  reads: ['iam:GetPolicyVersion'],
  run: (snapshot) =>
    forEachIam(metadata, snapshot, (iam) => iam.policies, 'the managed policies (iam:ListPolicies)', (policy) => {
      const subject = policySubject(policy);
      if (policy.document.error) return readError(metadata, snapshot, subject, `the default version of ${policy.arn} (iam:GetPolicyVersion)`, policy.document.error);
      const view = policySetView([policy.document.value], { accountId: snapshot.accountId, partition: snapshot.partition });
      const invalid = view.invalid[0]?.error;
      if (invalid) return finding(metadata, snapshot, subject, 'error', `The policy ${policy.policyName} could not be parsed: ${invalid.path}: ${invalid.message}`, { error: { code: invalid.code, message: invalid.message } });
      // Effective: the policy's own Deny statements count ("*" allowed and "*" denied is no administrator).
      const found = findEffectiveAdmin(view);
      const admin = found ? [found] : [];
      const evidence = {
        awsManaged: policy.awsManaged,
        attachmentCount: policy.attachmentCount,
        defaultVersionId: policy.defaultVersionId,
        adminStatements: found ? found.statements.map((s) => ({ sid: s.sid, statementIndex: s.statementIndex, reason: found.reason, conditional: s.conditional })) : [],
        ...(found && found.exceptions.length > 0 ? { exceptions: found.exceptions } : {}),
      };
      if (admin.length === 0) return finding(metadata, snapshot, subject, 'pass', `Policy ${policy.policyName} does not grant administrator access.`, evidence);
      // CIS 1.16 is about attached policies; an unattached one is reported for what it is, without failing.
      if (policy.attachmentCount === 0) return finding(metadata, snapshot, subject, 'pass', `Policy ${policy.policyName} grants administrator access but is attached to nothing.`, evidence);
      return finding(metadata, snapshot, subject, 'fail', `Policy ${policy.policyName} ${admin[0]!.reason} and is attached to ${policy.attachmentCount} principal${policy.attachmentCount === 1 ? '' : 's'}.`, evidence);
    }),
};
