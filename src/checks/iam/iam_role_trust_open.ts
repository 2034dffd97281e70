import type { CheckMetadata } from '../../findings/model.js';
import { analyzeTrustPolicy } from '../../policy/index.js';
import { finding } from '../finding.js';
import type { Check } from '../types.js';
import { forEachRole, roleSubject } from './principals.js';

const metadata: CheckMetadata = {
  id: 'iam_role_trust_open',
  title: 'Role trust policies do not let anyone, or a whole foreign account, assume the role',
  failTitle: 'Role trust policy lets anyone, or a whole foreign account, assume the role',
  severity: 'critical',
  service: 'iam',
  resourceType: 'AWS::IAM::Role',
  risk: 'A trust policy for "*", for every principal of another account without an external id, or for any GitHub repository lets outsiders take the role and its permissions.',
  remediation: 'Name the exact principals that may assume the role; for third parties require sts:ExternalId; for OIDC federation pin the token subject (e.g. repo:ORG/REPO:ref:refs/heads/main).',
  remediationTerraform: `data "aws_iam_policy_document" "<name>_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::<account_id>:role/<caller>"] # not "*"
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = ["<external_id>"]
    }
  }
}
resource "aws_iam_role" "<name>" {
  name               = "<name>"
  assume_role_policy = data.aws_iam_policy_document.<name>_trust.json
}`,
  terraformTypes: ['aws_iam_role'],
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html'],
};

export const iam_role_trust_open: Check = {
  metadata,
  reads: ['iam:ListRoles'],
  run: (snapshot) =>
    forEachRole(metadata, snapshot, (role) => {
      const subject = roleSubject(role);
      const found = analyzeTrustPolicy(role.assumeRolePolicyDocument, snapshot.accountId);
      if (!Array.isArray(found)) return finding(metadata, snapshot, subject, 'error', `The trust policy of role ${role.roleName} could not be parsed: ${found.path}: ${found.message}`, { error: { code: found.code, message: found.message } });
      const evidence = { trustFindings: found.map((f) => ({ kind: f.kind, principal: f.principal, sid: f.sid, statementIndex: f.statementIndex, reason: f.reason })) };
      if (found.length === 0) return finding(metadata, snapshot, subject, 'pass', `The trust policy of role ${role.roleName} names who may assume it.`, evidence);
      return finding(metadata, snapshot, subject, 'fail', `Role ${role.roleName}: ${found.map((f) => f.reason).join('; ')}.`, evidence);
    }),
};
