import type { CheckMetadata } from '../../findings/model.js';
import { finding, firstError, readError } from '../finding.js';
import type { Check } from '../types.js';
import { forEachUser, userSubject } from './principals.js';

const metadata: CheckMetadata = {
  id: 'iam_user_console_mfa',
  title: 'IAM users with a console password have MFA',
  failTitle: 'IAM user with a console password has no MFA',
  severity: 'high',
  service: 'iam',
  resourceType: 'AWS::IAM::User',
  risk: 'A console password without MFA falls to phishing, reuse or guessing, and gives the user’s full permissions in the browser.',
  remediation: 'Assign an MFA device to the user, or remove the console password if the user does not sign in; better, move people to IAM Identity Center.',
  remediationTerraform: `# MFA devices are enrolled by the user; Terraform can require them. Attach to the users' group:
resource "aws_iam_group_policy" "require_mfa" {
  name  = "deny-without-mfa"
  group = aws_iam_group.<humans>.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid         = "DenyAllExceptMfaSetupWithoutMfa"
      Effect      = "Deny"
      NotAction   = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ListMFADevices", "iam:GetUser", "sts:GetSessionToken"]
      Resource    = "*"
      Condition   = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
    }]
  })
}`,
  cis: ['1.10'],
  terraformTypes: ['aws_iam_user_login_profile', 'aws_iam_user', 'aws_iam_group_policy'],
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable_virtual.html'],
};

export const iam_user_console_mfa: Check = {
  metadata,
  reads: ['iam:GetLoginProfile', 'iam:ListMFADevices'],
  run(snapshot) {
    return forEachUser(metadata, snapshot, (user) => {
      const subject = userSubject(user);
      const error = firstError(user.loginProfile, user.mfaDevices);
      if (error) return readError(metadata, snapshot, subject, `the console password and MFA devices of ${user.userName}`, error);
      const hasPassword = user.loginProfile.value != null;
      const devices = user.mfaDevices.value?.length ?? 0;
      const evidence = { consolePassword: hasPassword, mfaDevices: devices };
      if (!hasPassword) return finding(metadata, snapshot, subject, 'pass', `User ${user.userName} has no console password.`, evidence);
      if (devices === 0) return finding(metadata, snapshot, subject, 'fail', `User ${user.userName} can sign in to the console without MFA.`, evidence);
      return finding(metadata, snapshot, subject, 'pass', `User ${user.userName} has a console password and ${devices} MFA device${devices > 1 ? 's' : ''}.`, evidence);
    });
  },
};
