/**
 * The least-privilege IAM policy for the enabled tools: the exact actions they declare,
 * grouped by service, never a wildcard action; plus an explicit Deny of the reads that
 * return secrets, so a broader policy attached by mistake still cannot expose them.
 */
import { SECRET_READS } from '../aws/read-operations.js';
import type { ToolSurface } from './registry.js';

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

function sidFor(service: string): string {
  return `InfraAuditRead${service.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase())}`;
}

export function buildIamPolicy(surface: ToolSurface): PolicyDocument {
  const byService = new Map<string, string[]>();
  for (const action of surface.actions) {
    const service = action.split(':')[0]!;
    byService.set(service, [...(byService.get(service) ?? []), action]);
  }
  const statements: PolicyStatement[] = [...byService.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([service, actions]) => ({ Sid: sidFor(service), Effect: 'Allow', Action: actions.sort(), Resource: '*' }));
  statements.push({ Sid: 'InfraAuditDenySecretReads', Effect: 'Deny', Action: Object.keys(SECRET_READS).sort(), Resource: '*' });
  return { Version: '2012-10-17', Statement: statements };
}

/** The same policy as an `aws_iam_policy_document` data source. */
export function policyToHcl(policy: PolicyDocument, name = 'infra_audit_read_only'): string {
  const lines = [`data "aws_iam_policy_document" "${name}" {`];
  for (const s of policy.Statement) {
    lines.push('  statement {', `    sid    = "${s.Sid}"`, `    effect = "${s.Effect}"`, '    actions = [');
    for (const a of s.Action) lines.push(`      "${a}",`);
    lines.push('    ]', `    resources = ["${s.Resource}"]`, '  }');
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
