import type { CheckMetadata } from '../../findings/model.js';
import { accountSubject, finding, notCollected, readError } from '../finding.js';
import type { Check } from '../types.js';
import { rootFacts, ROOT_READS } from './root.js';

const metadata: CheckMetadata = {
  id: 'iam_root_mfa',
  title: 'The root user has MFA enabled',
  failTitle: 'The root user has no MFA',
  severity: 'critical',
  service: 'iam',
  resourceType: 'AWS::IAM::User',
  risk: 'Without MFA, the root password alone (phished, reused, or reset through a compromised mailbox) gives full control of the account.',
  remediation: 'Sign in as root and assign an MFA device (a hardware key or passkey is best) on the Security credentials page.',
  remediationTerraform: `# Root MFA cannot be managed with Terraform: enable it as the root user
# (console > Security credentials > Multi-factor authentication > Assign MFA device).
# With AWS Organizations, centralised root access management can remove root credentials
# from member accounts altogether:
resource "aws_iam_organizations_features" "this" {
  enabled_features = ["RootCredentialsManagement", "RootSessions"]
}`,
  cis: ['1.5'],
  terraformTypes: ['aws_iam_organizations_features'],
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-virt-mfa-for-root.html'],
};

export const iam_root_mfa: Check = {
  metadata,
  reads: ROOT_READS,
  run(snapshot) {
    if (!snapshot.iam) return [notCollected(metadata, snapshot, 'iam')];
    const subject = { ...accountSubject(snapshot), resourceId: `arn:${snapshot.partition}:iam::${snapshot.accountId}:root`, resourceName: 'root', resourceType: 'AWS::IAM::User' };
    const root = rootFacts(snapshot.iam);
    if ('error' in root) return [readError(metadata, snapshot, subject, 'the root user (iam:GetCredentialReport, iam:GetAccountSummary)', root.error)];
    const evidence = { mfaActive: root.facts.mfaActive, source: root.facts.source };
    if (!root.facts.mfaActive) return [finding(metadata, snapshot, subject, 'fail', 'The root user has no MFA device.', evidence)];
    return [finding(metadata, snapshot, subject, 'pass', 'The root user has MFA enabled.', evidence)];
  },
};
