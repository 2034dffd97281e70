/** Test helpers for the audit: run it against a test sandbox, and look verdicts up by check and resource. */
import type { Finding } from '../findings/model.js';
import { orderedFindings } from '../findings/passed.js';
import { compareFindings } from '../findings/summary.js';
import { runAudit, type AuditOptions, type AuditResult } from '../audit/run.js';
import { TEST_CREDENTIALS } from './sandbox.js';

/**
 * The audit's result with `findings` holding every verdict, its aggregated passes built as pass
 * findings (as the reports build them), so a test can look any verdict up; `held` is what the
 * audit itself held as objects.
 */
export async function auditSandbox(
  endpoint: string,
  options: AuditOptions = {},
): Promise<AuditResult & { held: Finding[]; verdict(checkId: string, resource: string): Finding; statuses(checkId: string): Record<string, string> }> {
  const result = await runAudit({ endpointUrl: endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1, ...options });
  const findings = [...orderedFindings(result.findings, result.passed, new Map(result.checks.map((c) => [c.id, c])), compareFindings)];
  const matches = (f: Finding, resource: string) => f.resourceId === resource || f.resourceName === resource || f.resourceId.endsWith(`/${resource}`) || f.resourceId.endsWith(`:${resource}`);
  return {
    ...result,
    held: result.findings,
    findings,
    verdict(checkId, resource) {
      const found = findings.filter((f) => f.checkId === checkId && matches(f, resource));
      if (found.length !== 1) throw new Error(`expected one ${checkId} finding for ${resource}, found ${found.length}: ${JSON.stringify(found.map((f) => f.resourceId))}`);
      return found[0]!;
    },
    statuses(checkId) {
      return Object.fromEntries(findings.filter((f) => f.checkId === checkId).map((f) => [f.resourceName ?? f.resourceId, f.status]));
    },
  };
}
