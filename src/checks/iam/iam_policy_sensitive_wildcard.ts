import type { CheckMetadata } from '../../findings/model.js';
import { findAdminStatements, findServiceWildcards, SENSITIVE_SERVICES } from '../../policy/index.js';
import { finding, readError, type FindingSubject } from '../finding.js';
import type { Check } from '../types.js';
import type { Finding } from '../../findings/model.js';
import type { InventorySnapshot } from '../../inventory/snapshot.js';
import { forEachIam } from './principals.js';
import { forEachPrincipal, policySubject, PRINCIPAL_POLICY_READS } from './policies.js';

const metadata: CheckMetadata = {
  id: 'iam_policy_sensitive_wildcard',
  title: `No policy grants every action of a sensitive service (${SENSITIVE_SERVICES.join(', ')}) on every resource`,
  failTitle: 'Policy grants every action of a sensitive service on every resource',
  severity: 'medium',
  service: 'iam',
  resourceType: 'AWS::IAM::ManagedPolicy',
  risk: 'A service wildcard such as "iam:*" or "kms:*" on "*" hands over that service entirely: iam:* is administrator by another name, kms:* decrypts everything, s3:* reads and deletes every bucket.',
  remediation: 'Replace the service wildcard with the actions the principal uses, on the resources it uses.',
  remediationTerraform: `data "aws_iam_policy_document" "<name>" {
  statement {
    effect    = "Allow"
    actions   = ["s3:GetObject", "s3:PutObject"] # not "s3:*"
    resources = ["arn:aws:s3:::<bucket>/*"]      # not "*"
  }
}
resource "aws_iam_policy" "<name>" {
  name   = "<name>"
  policy = data.aws_iam_policy_document.<name>.json
}`,
  terraformTypes: ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy'],
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege'],
};

/**
 * Service wildcards that are not administrator statements: a policy with "*" on "*" is
 * iam_policy_admin_star's finding, not one per sensitive service here.
 */
function serviceWildcards(document: string) {
  const grants = findServiceWildcards(document);
  if (!Array.isArray(grants)) return grants;
  const admin = findAdminStatements(document);
  const adminIndexes = new Set(Array.isArray(admin) ? admin.map((s) => s.statementIndex) : []);
  return grants.filter((g) => !adminIndexes.has(g.statementIndex));
}

function judge(subject: FindingSubject, snapshot: InventorySnapshot, label: string, documents: ReadonlyArray<{ source: string; document: string }>): Finding {
  const grants = documents.flatMap(({ source, document }) => {
    const found = serviceWildcards(document);
    return Array.isArray(found) ? found.map((g) => ({ policy: source, service: g.service, pattern: g.pattern, sid: g.sid, statementIndex: g.statementIndex, conditional: g.conditional })) : [];
  });
  const evidence = { sensitiveServices: [...SENSITIVE_SERVICES], grants };
  if (grants.length === 0) return finding(metadata, snapshot, subject, 'pass', `${label} grants no sensitive service wildcard.`, evidence);
  const listed = [...new Set(grants.map((g) => `${g.service} (${g.pattern})`))].join(', ');
  return finding(metadata, snapshot, subject, 'fail', `${label} grants every action on every resource of ${listed}.`, evidence);
}

export const iam_policy_sensitive_wildcard: Check = {
  metadata,
  reads: PRINCIPAL_POLICY_READS,
  run(snapshot) {
    // Customer-managed policies: AWS-managed ones are AWS's to write (and their use is judged through the principals' inline policies and iam_policy_admin_star).
    const managed = forEachIam(metadata, snapshot, (iam) => iam.policies, 'the managed policies (iam:ListPolicies)', (policy) => {
      if (policy.awsManaged) return undefined;
      const subject = policySubject(policy);
      if (policy.document.error) return readError(metadata, snapshot, subject, `the default version of ${policy.arn} (iam:GetPolicyVersion)`, policy.document.error);
      return judge(subject, snapshot, `Policy ${policy.policyName}`, [{ source: `managed policy ${policy.arn}`, document: policy.document.value }]);
    });
    const inline = forEachPrincipal(metadata, snapshot, (principal) => {
      if ('error' in principal.inline) return readError(metadata, snapshot, principal.subject, `the inline policies of ${principal.kind} ${principal.name}`, principal.inline.error);
      if (principal.inline.documents.length === 0) return undefined;
      return judge(principal.subject, snapshot, `The inline policies of ${principal.kind} ${principal.name}`, principal.inline.documents);
    });
    return [...managed, ...inline];
  },
};
