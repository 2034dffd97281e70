import type { CheckMetadata } from '../../findings/model.js';
import { accountSubject, finding, notCollected, readError } from '../finding.js';
import type { Check } from '../types.js';
import { rootFacts, ROOT_READS } from './root.js';

const metadata: CheckMetadata = {
  id: 'iam_root_access_keys',
  title: 'The root user has no access keys',
  failTitle: 'The root user has access keys',
  severity: 'critical',
  service: 'iam',
  resourceType: 'AWS::IAM::User',
  risk: 'Root access keys hold every permission in the account, no policy can restrict them, and a leaked key is a lost account.',
  remediation: 'Sign in as root, delete its access keys (Security credentials page), and use IAM roles for automation instead.',
  remediationTerraform: `# Root access keys cannot be managed with Terraform: delete them as the root user
# (console > Security credentials > Access keys), then keep them away with an SCP
# in AWS Organizations:
resource "aws_organizations_policy" "deny_root" {
  name    = "deny-root-user"
  type    = "SERVICE_CONTROL_POLICY"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      Action    = "*"
      Resource  = "*"
      Condition = { StringLike = { "aws:PrincipalArn" = "arn:aws:iam::*:root" } }
    }]
  })
}`,
  cis: ['1.4'],
  terraformTypes: ['aws_organizations_policy'],
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user_manage_delete-key.html'],
};

export const iam_root_access_keys: Check = {
  metadata,
  reads: ROOT_READS,
  run(snapshot) {
    if (!snapshot.iam) return [notCollected(metadata, snapshot, 'iam')];
    const subject = { ...accountSubject(snapshot), resourceId: `arn:${snapshot.partition}:iam::${snapshot.accountId}:root`, resourceName: 'root', resourceType: 'AWS::IAM::User' };
    const root = rootFacts(snapshot.iam);
    if ('error' in root) return [readError(metadata, snapshot, subject, 'the root user (iam:GetCredentialReport, iam:GetAccountSummary)', root.error)];
    const evidence = { activeAccessKeys: root.facts.accessKeysActive, source: root.facts.source };
    if (root.facts.accessKeysActive > 0) return [finding(metadata, snapshot, subject, 'fail', `The root user has ${root.facts.accessKeysActive} active access key${root.facts.accessKeysActive > 1 ? 's' : ''}.`, evidence)];
    return [finding(metadata, snapshot, subject, 'pass', 'The root user has no active access keys.', evidence)];
  },
};
