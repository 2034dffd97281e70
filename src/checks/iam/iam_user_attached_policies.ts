import type { CheckMetadata } from '../../findings/model.js';
import { finding, firstError, readError } from '../finding.js';
import type { Check } from '../types.js';
import { forEachUser, userSubject } from './principals.js';

const metadata: CheckMetadata = {
  id: 'iam_user_attached_policies',
  title: 'IAM users receive permissions only through groups or roles',
  failTitle: 'IAM user has policies attached directly',
  severity: 'low',
  service: 'iam',
  resourceType: 'AWS::IAM::User',
  risk: 'Policies attached to individual users multiply one-off grants that nobody reviews, and outlive the reason they were given.',
  remediation: "Move the user's attached and inline policies to a group that describes the job, add the user to it, and detach the policies from the user.",
  remediationTerraform: `resource "aws_iam_group" "<job>" {
  name = "<job>"
}
resource "aws_iam_group_policy_attachment" "<job>" {
  group      = aws_iam_group.<job>.name
  policy_arn = "<policy_arn>"
}
resource "aws_iam_user_group_membership" "<user>" {
  user   = aws_iam_user.<user>.name
  groups = [aws_iam_group.<job>.name]
}
# and remove the aws_iam_user_policy_attachment / aws_iam_user_policy resources of the user`,
  cis: ['1.15'],
  terraformTypes: ['aws_iam_user_policy_attachment', 'aws_iam_user_policy', 'aws_iam_policy_attachment'],
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html'],
};

export const iam_user_attached_policies: Check = {
  metadata,
  reads: ['iam:ListAttachedUserPolicies', 'iam:GetUserPolicy'],
  run(snapshot) {
    return forEachUser(metadata, snapshot, (user) => {
      const subject = userSubject(user);
      const error = firstError(user.attachedPolicies, user.inlinePolicies);
      if (error) return readError(metadata, snapshot, subject, `the policies of ${user.userName}`, error);
      const attached = (user.attachedPolicies.value ?? []).map((p) => p.PolicyArn ?? p.PolicyName ?? '');
      const inline = (user.inlinePolicies.value ?? []).map((p) => p.policyName);
      const evidence = { attachedPolicies: attached, inlinePolicies: inline };
      if (attached.length + inline.length === 0) return finding(metadata, snapshot, subject, 'pass', `User ${user.userName} has no policies of its own.`, evidence);
      const parts = [attached.length ? `attached ${attached.join(', ')}` : '', inline.length ? `inline ${inline.join(', ')}` : ''].filter(Boolean);
      return finding(metadata, snapshot, subject, 'fail', `User ${user.userName} has policies directly: ${parts.join('; ')}.`, evidence);
    });
  },
};
