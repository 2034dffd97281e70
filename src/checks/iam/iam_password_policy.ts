import type { CheckMetadata } from '../../findings/model.js';
import { accountSubject, finding, notCollected, readError } from '../finding.js';
import type { Check } from '../types.js';

/** CIS 1.8 and 1.9. */
export const MIN_PASSWORD_LENGTH = 14;
export const MIN_PASSWORD_REUSE_PREVENTION = 24;

const metadata: CheckMetadata = {
  id: 'iam_password_policy',
  title: 'The account password policy requires 14+ characters and prevents reuse of the last 24',
  failTitle: 'The account password policy is weaker than 14+ characters and reuse prevention of 24',
  severity: 'medium',
  service: 'iam',
  resourceType: 'AWS::IAM::AccountPasswordPolicy',
  risk: 'Short or reused IAM user passwords fall to guessing and credential stuffing.',
  remediation: `Set an account password policy with a minimum length of at least ${MIN_PASSWORD_LENGTH} and password reuse prevention of ${MIN_PASSWORD_REUSE_PREVENTION}.`,
  remediationTerraform: `resource "aws_iam_account_password_policy" "this" {
  minimum_password_length        = ${MIN_PASSWORD_LENGTH}
  password_reuse_prevention      = ${MIN_PASSWORD_REUSE_PREVENTION}
  require_lowercase_characters   = true
  require_uppercase_characters   = true
  require_numbers                = true
  require_symbols                = true
  allow_users_to_change_password = true
}`,
  cis: ['1.8', '1.9'],
  terraformTypes: ['aws_iam_account_password_policy'],
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html'],
};

export const iam_password_policy: Check = {
  metadata,
  reads: ['iam:GetAccountPasswordPolicy'],
  run(snapshot) {
    if (!snapshot.iam) return [notCollected(metadata, snapshot, 'iam')];
    const subject = { ...accountSubject(snapshot), resourceType: metadata.resourceType };
    const read = snapshot.iam.passwordPolicy;
    if (read.error) return [readError(metadata, snapshot, subject, 'the password policy (iam:GetAccountPasswordPolicy)', read.error)];
    const policy = read.value;
    if (!policy) return [finding(metadata, snapshot, subject, 'fail', 'The account has no password policy: IAM defaults (8 characters, reuse allowed) apply.', { passwordPolicy: null })];
    const problems: string[] = [];
    if ((policy.MinimumPasswordLength ?? 0) < MIN_PASSWORD_LENGTH) problems.push(`minimum length ${policy.MinimumPasswordLength ?? 'unset'} (< ${MIN_PASSWORD_LENGTH})`);
    if ((policy.PasswordReusePrevention ?? 0) < MIN_PASSWORD_REUSE_PREVENTION) problems.push(`reuse prevention ${policy.PasswordReusePrevention ?? 'off'} (< ${MIN_PASSWORD_REUSE_PREVENTION})`);
    const evidence = { minimumPasswordLength: policy.MinimumPasswordLength ?? null, passwordReusePrevention: policy.PasswordReusePrevention ?? null };
    if (problems.length) return [finding(metadata, snapshot, subject, 'fail', `The password policy is too weak: ${problems.join(', ')}.`, evidence)];
    return [finding(metadata, snapshot, subject, 'pass', `The password policy requires ${policy.MinimumPasswordLength}+ characters and prevents reuse of the last ${policy.PasswordReusePrevention}.`, evidence)];
  },
};
