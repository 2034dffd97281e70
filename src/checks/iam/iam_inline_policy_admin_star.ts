import type { CheckMetadata } from '../../findings/model.js';
import { findEffectiveAdmin } from '../../policy/index.js';
import { finding, readError } from '../finding.js';
import type { Check } from '../types.js';
import { forEachPrincipal, inlineUnderAllPolicies, PRINCIPAL_POLICY_READS } from './policies.js';

const metadata: CheckMetadata = {
  id: 'iam_inline_policy_admin_star',
  title: 'No inline policy grants full administrator access ("*" on "*")',
  failTitle: 'Inline policy grants full administrator access ("*" on "*")',
  severity: 'high',
  service: 'iam',
  resourceType: 'AWS::IAM::Role',
  risk: 'An inline "*" on "*" makes the user or role an administrator, and inline policies are the ones reviews miss: they do not appear in the managed policy list.',
  remediation: 'Delete the inline policy and attach a managed policy scoped to what the principal uses; keep administrator access to a few break-glass roles with MFA.',
  remediationTerraform: `# Remove the aws_iam_role_policy / aws_iam_user_policy resource with Action "*", and attach a scoped policy:
resource "aws_iam_role_policy_attachment" "<name>" {
  role       = aws_iam_role.<role>.name
  policy_arn = aws_iam_policy.<scoped>.arn
}`,
  terraformTypes: ['aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy'],
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html'],
};

export const iam_inline_policy_admin_star: Check = {
  metadata,
  reads: PRINCIPAL_POLICY_READS,
  run: (snapshot) =>
    forEachPrincipal(metadata, snapshot, (principal) => {
      const subject = { ...principal.subject };
      if ('error' in principal.inline) return readError(metadata, snapshot, subject, `the inline policies of ${principal.kind} ${principal.name}`, principal.inline.error);
      const inlinePolicies = principal.inline.documents.map((d) => d.source);
      if (inlinePolicies.length === 0) return finding(metadata, snapshot, subject, 'pass', `${principal.kind} ${principal.name} has no inline policy.`, { inlinePolicies, adminStatements: [] });
      // Judged under every policy of the principal: a Deny elsewhere takes the inline grant away.
      const judged = inlineUnderAllPolicies(snapshot, principal);
      if ('error' in judged) return readError(metadata, snapshot, subject, `the policies of ${principal.kind} ${principal.name} (a Deny in any of them limits its inline policies)`, judged.error);
      const found = findEffectiveAdmin(judged.view, judged.inline);
      const documents = principal.inline.documents;
      const admin = found ? found.statements.map((s) => ({ policy: documents[s.policyIndex]?.source ?? '?', sid: s.sid, statementIndex: s.statementIndex, reason: found.reason, conditional: s.conditional })) : [];
      const evidence = { inlinePolicies, adminStatements: admin, ...(found && found.exceptions.length > 0 ? { exceptions: found.exceptions } : {}) };
      if (admin.length === 0) return finding(metadata, snapshot, subject, 'pass', `No inline policy of ${principal.kind} ${principal.name} grants administrator access.`, evidence);
      return finding(metadata, snapshot, subject, 'fail', `The ${admin[0]!.policy} of ${principal.kind} ${principal.name} ${admin[0]!.reason}.`, evidence);
    }),
};
