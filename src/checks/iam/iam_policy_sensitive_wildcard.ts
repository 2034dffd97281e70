import type { CheckMetadata } from '../../findings/model.js';
import { findEffectiveAdmin, findEffectiveServiceWildcards, SENSITIVE_SERVICES, type PolicySetView } from '../../policy/index.js';
import { finding, readError, type FindingSubject } from '../finding.js';
import type { Check } from '../types.js';
import type { Finding } from '../../findings/model.js';
import type { InventorySnapshot } from '../../inventory/snapshot.js';
import { forEachIam } from './principals.js';
import { documentsView, forEachPrincipal, inlineUnderAllPolicies, policySubject, PRINCIPAL_POLICY_READS } from './policies.js';

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
 * Sensitive services whose every action the documents effectively grant on every resource (Deny in
 * any of the documents counts), credited to the candidate documents' statements that are not
 * administrator statements: "*" on "*" is iam_policy_admin_star's finding, not one per service here.
 */
function serviceWildcards(view: PolicySetView, sources: readonly string[], candidates?: ReadonlySet<number>) {
  const admin = findEffectiveAdmin(view, candidates);
  const adminStatements = new Set((admin?.statements ?? []).map((s) => `${s.policyIndex}/${s.statementIndex}`));
  return findEffectiveServiceWildcards(view, SENSITIVE_SERVICES, candidates).flatMap((w) =>
    w.statements
      .filter((s) => !adminStatements.has(`${s.policyIndex}/${s.statementIndex}`))
      .map((s) => ({ policy: sources[s.policyIndex] ?? '?', service: w.service, pattern: s.pattern, sid: s.sid, statementIndex: s.statementIndex, conditional: s.conditional || w.grant === 'conditional' })),
  );
}

function judge(subject: FindingSubject, snapshot: InventorySnapshot, label: string, grants: ReturnType<typeof serviceWildcards>): Finding {
  const evidence = { sensitiveServices: [...SENSITIVE_SERVICES], grants };
  if (grants.length === 0) return finding(metadata, snapshot, subject, 'pass', `${label} grants no sensitive service wildcard.`, evidence);
  const listed = [...new Set(grants.map((g) => `${g.service} (${g.pattern})`))].join(', ');
  return finding(metadata, snapshot, subject, 'fail', `${label} grants every action on every resource of ${listed}.`, evidence);
}

export const iam_policy_sensitive_wildcard: Check = {
  metadata,
  reads: PRINCIPAL_POLICY_READS,
  *run(snapshot) {
    // Customer-managed policies: AWS-managed ones are AWS's to write (and their use is judged through the principals' inline policies and iam_policy_admin_star).
    const managed = forEachIam(metadata, snapshot, (iam) => iam.policies, 'the managed policies (iam:ListPolicies)', (policy) => {
      if (policy.awsManaged) return undefined;
      const subject = policySubject(policy);
      if (policy.document.error) return readError(metadata, snapshot, subject, `the default version of ${policy.arn} (iam:GetPolicyVersion)`, policy.document.error);
      const source = `managed policy ${policy.arn}`;
      return judge(subject, snapshot, `Policy ${policy.policyName}`, serviceWildcards(documentsView(snapshot, [{ document: policy.document.value }]), [source]));
    });
    const inline = forEachPrincipal(metadata, snapshot, (principal) => {
      if ('error' in principal.inline) return readError(metadata, snapshot, principal.subject, `the inline policies of ${principal.kind} ${principal.name}`, principal.inline.error);
      if (principal.inline.documents.length === 0) return undefined;
      // The inline grants, under every policy of the principal (a Deny elsewhere takes them away).
      const judged = inlineUnderAllPolicies(snapshot, principal);
      if ('error' in judged) return readError(metadata, snapshot, principal.subject, `the policies of ${principal.kind} ${principal.name} (a Deny in any of them limits its inline policies)`, judged.error);
      const sources = 'documents' in principal.policies ? principal.policies.documents.map((d) => d.source) : [];
      return judge(principal.subject, snapshot, `The inline policies of ${principal.kind} ${principal.name}`, serviceWildcards(judged.view, sources, judged.inline));
    });
    yield* managed;
    yield* inline;
  },
};
