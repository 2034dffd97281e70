import type { CheckMetadata } from '../../findings/model.js';
import { accountSubject, finding, notCollected, readError } from '../finding.js';
import type { Check } from '../types.js';

const metadata: CheckMetadata = {
  id: 'iam_support_role',
  title: 'A role can manage incidents with AWS Support (AWSSupportAccess)',
  failTitle: 'The account has no role holding AWSSupportAccess to manage incidents with AWS Support',
  severity: 'low',
  service: 'iam',
  resourceType: 'AWS::IAM::Role',
  risk: 'Without a role allowed to open and follow AWS Support cases, an incident waits for whoever has root or an administrator, who are the identities you least want to use in a hurry.',
  remediation: 'Create a role for the incident responders, trusted by your identity provider or accounts, and attach the AWS-managed policy AWSSupportAccess to it.',
  remediationTerraform: `resource "aws_iam_role" "support" {
  name               = "aws-support"
  assume_role_policy = data.aws_iam_policy_document.<responders_trust>.json
}
resource "aws_iam_role_policy_attachment" "support" {
  role       = aws_iam_role.support.name
  policy_arn = "arn:aws:iam::aws:policy/AWSSupportAccess"
}`,
  cis: ['1.17'],
  terraformTypes: ['aws_iam_role', 'aws_iam_role_policy_attachment'],
  references: ['https://docs.aws.amazon.com/awssupport/latest/user/accessing-support.html'],
};

export const iam_support_role: Check = {
  metadata,
  reads: ['iam:ListEntitiesForPolicy'],
  run(snapshot) {
    if (!snapshot.iam) return [notCollected(metadata, snapshot, 'iam')];
    const subject = accountSubject(snapshot);
    const holders = snapshot.iam.supportAccess;
    if (holders.error) return [readError(metadata, snapshot, subject, 'who holds AWSSupportAccess (iam:ListEntitiesForPolicy)', holders.error)];
    const { roles, users, groups, policyArn } = holders.value;
    const evidence = { policyArn, roles, users, groups };
    if (roles.length > 0) return [finding(metadata, snapshot, subject, 'pass', `AWSSupportAccess is attached to role${roles.length === 1 ? '' : 's'} ${roles.join(', ')}.`, evidence)];
    // CIS asks for a role: a user or group holding it does not make a support role.
    const others = [...users.map((u) => `user ${u}`), ...groups.map((g) => `group ${g}`)];
    return [finding(metadata, snapshot, subject, 'fail', `No role holds AWSSupportAccess${others.length ? ` (only ${others.join(', ')})` : ''}.`, evidence)];
  },
};
