/** Test helpers for the audit: run it against a test sandbox, and look verdicts up by check and resource. */
import type { Finding } from '../findings/model.js';
import { runAudit, type AuditOptions, type AuditResult } from '../audit/run.js';
import { runCheck } from '../audit/evaluate.js';
import { CHECKS } from '../checks/registry.js';
import { DEFAULT_CHECK_OPTIONS } from '../checks/types.js';
import { TEST_CREDENTIALS } from './sandbox.js';

/**
 * The audit's result with `findings` holding every verdict with its message and evidence: the
 * audit keeps passes aggregated (counts and ids), so the helper judges the audit's snapshots again
 * (checks are pure) and first asserts that doing so gives exactly the audit's verdicts: every
 * held finding, and every aggregated pass. `held` is what the audit itself held as objects.
 */
export async function auditSandbox(
  endpoint: string,
  options: AuditOptions = {},
): Promise<AuditResult & { held: Finding[]; verdict(checkId: string, resource: string): Finding; statuses(checkId: string): Record<string, string> }> {
  const now = options.now ?? new Date();
  const result = await runAudit({ endpointUrl: endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1, ...options, now });
  const ran = new Set(result.checks.map((c) => c.id));
  const checkOptions = { ...DEFAULT_CHECK_OPTIONS, ...Object.fromEntries(Object.keys(DEFAULT_CHECK_OPTIONS).filter((k) => options[k as keyof AuditOptions] !== undefined).map((k) => [k, options[k as keyof AuditOptions]])), now };
  const findings = result.snapshots.flatMap((snapshot) => CHECKS.filter((c) => ran.has(c.metadata.id)).flatMap((check) => runCheck(check, snapshot, checkOptions)));
  const verdictKey = (f: { checkId: string; accountId: string; region: string; resourceId: string }, status: string) => `${f.accountId} ${f.checkId} ${f.region} ${f.resourceId} ${status}`;
  const audited = [...result.findings.map((f) => verdictKey(f, f.status)), ...result.passed.flatMap((p) => p.resourceIds.map((resourceId, i) => verdictKey({ ...p, region: p.regions[i]!, resourceId }, 'pass')))].sort();
  const judged = findings.map((f) => verdictKey(f, f.status)).sort();
  if (JSON.stringify(audited) !== JSON.stringify(judged)) throw new Error(`the audit's verdicts (${audited.length}, passes aggregated) differ from its snapshots judged again (${judged.length})`);
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
