import type { CheckMetadata } from '../../findings/model.js';
import { findEffectiveAdmin, findPrivilegeEscalation } from '../../policy/index.js';
import { finding, readError } from '../finding.js';
import type { Check } from '../types.js';
import { documentsView, forEachPrincipal, PRINCIPAL_POLICY_READS } from './policies.js';

const metadata: CheckMetadata = {
  id: 'iam_policy_privilege_escalation',
  title: 'No user or role can escalate its own privileges',
  failTitle: 'Principal can escalate its own privileges',
  severity: 'high',
  service: 'iam',
  resourceType: 'AWS::IAM::Role',
  risk: 'Some IAM permissions let a principal grant itself more (a new policy version, a role passed to a new Lambda, a login profile for an admin user): whoever holds them holds administrator access one step later.',
  remediation: 'Remove the escalation actions from the principal, or restrict them to specific resources (a permissions boundary on created roles, iam:PassRole to named roles only).',
  remediationTerraform: `# Scope the escalation-capable actions, or deny them with a permissions boundary:
resource "aws_iam_role" "<name>" {
  # ...
  permissions_boundary = aws_iam_policy.<boundary>.arn
}
data "aws_iam_policy_document" "<boundary>" {
  statement {
    effect    = "Deny"
    actions   = ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:PassRole"]
    resources = ["*"]
  }
}`,
  terraformTypes: ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_role'],
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html'],
};

export const iam_policy_privilege_escalation: Check = {
  metadata,
  reads: PRINCIPAL_POLICY_READS,
  run: (snapshot) =>
    forEachPrincipal(metadata, snapshot, (principal) => {
      if ('error' in principal.policies) return readError(metadata, snapshot, principal.subject, `the policies of ${principal.kind} ${principal.name}`, principal.policies.error);
      const documents = principal.policies.documents;
      const view = documentsView(snapshot, documents);
      // An administrator has nothing to escalate to; that is iam_policy_admin_star's finding.
      if (findEffectiveAdmin(view)) return undefined;
      const analysis = findPrivilegeEscalation(view);
      const paths = analysis.findings.map((f) => ({
        path: f.path.id,
        description: f.path.description,
        grants: f.grants.map((g) => ({ action: g.action, on: g.resources, conditional: g.conditional, by: g.statements.map((s) => ({ policy: documents[s.policyIndex]?.source, sid: s.sid, pattern: s.pattern, conditional: s.conditional })) })),
      }));
      const evidence = { policies: documents.map((d) => d.source), escalationPaths: paths };
      if (paths.length === 0) return finding(metadata, snapshot, principal.subject, 'pass', `${principal.kind} ${principal.name} has no privilege-escalation path.`, evidence);
      return finding(metadata, snapshot, principal.subject, 'fail', `${principal.kind} ${principal.name} can escalate its privileges: ${paths.map((p) => `${p.path} (${p.description})`).join('; ')}.`, evidence);
    }),
};
