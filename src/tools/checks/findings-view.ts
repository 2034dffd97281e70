/** Shared by run_checks and list_findings: the findings of a run, filtered, compact and paged. */
import { z } from 'zod';
import { SEVERITIES, type Finding } from '../../findings/model.js';
import { summarizeFindings } from '../../findings/summary.js';
import { InfraAuditError } from '../../errors.js';
import { CHECK_SERVICES, type CheckRun } from '../../server/check-runs.js';
import type { InventoryCache } from '../../server/inventory-cache.js';
import { cursorVersion, pageOf, toJson } from '../listing.js';

export const STATUSES = ['fail', 'error', 'pass'] as const;

export const findingFilterArgs = {
  services: z.array(z.enum(CHECK_SERVICES as [string, ...string[]])).optional().describe('Only checks of these services'),
  checks: z.array(z.string().max(100)).max(100).optional().describe('Only these check ids (list_checks gives the catalog)'),
  severities: z.array(z.enum(SEVERITIES)).optional().describe('Only checks of these severities'),
};

export const pageArgs = {
  includeEvidence: z.boolean().default(false).describe('Add each finding\'s evidence, remediation and Terraform fix (larger pages)'),
  limit: z.number().int().min(1).max(500).default(50).describe('Page size'),
  cursor: z.string().optional().describe('nextCursor from a previous call with the same arguments: pages the same run'),
};

export const FindingSchema = z.object({
  checkId: z.string(),
  status: z.enum(STATUSES),
  severity: z.enum(SEVERITIES),
  service: z.string(),
  region: z.string(),
  resourceId: z.string(),
  resourceName: z.string().optional(),
  message: z.string(),
  evidence: z.record(z.string(), z.unknown()).optional(),
  remediation: z.string().optional(),
  remediationTerraform: z.string().optional(),
  cis: z.array(z.string()).optional(),
});
export type CompactFinding = z.infer<typeof FindingSchema>;

export const RunSchema = z.object({
  id: z.string(),
  ranAt: z.string(),
  inventoryCollectedAt: z.string().describe('When the oldest part of the inventory judged was read from AWS'),
  accountId: z.string(),
  regions: z.array(z.string()),
  checksRun: z.number().int(),
});

export const SummarySchema = z.object({
  fail: z.number().int(),
  error: z.number().int(),
  pass: z.number().int(),
  failBySeverity: z.record(z.string(), z.number().int()),
  readErrors: z.number().int().describe('AWS reads that failed during collection; findings that needed them say "error"'),
});

export const CollectionErrorSchema = z.object({ service: z.string(), region: z.string(), operation: z.string(), resource: z.string().optional(), code: z.string(), message: z.string() });

export function compactFinding(f: Finding, includeEvidence: boolean): CompactFinding {
  const out: CompactFinding = { checkId: f.checkId, status: f.status, severity: f.severity, service: f.service, region: f.region, resourceId: f.resourceId, message: f.message };
  if (f.resourceName !== undefined) out.resourceName = f.resourceName;
  if (includeEvidence) {
    if (f.evidence) out.evidence = toJson(f.evidence) as Record<string, unknown>;
    out.remediation = f.remediation;
    if (f.remediationTerraform) out.remediationTerraform = f.remediationTerraform;
    if (f.cis) out.cis = f.cis;
  }
  return out;
}

export function runInfo(run: CheckRun): z.infer<typeof RunSchema> {
  return { id: run.id, ranAt: run.ranAt, inventoryCollectedAt: run.inventoryCollectedAt, accountId: run.accountId, regions: run.regions, checksRun: run.checks.length };
}

export function summaryOf(findings: readonly Finding[], run: CheckRun): z.infer<typeof SummarySchema> {
  const s = summarizeFindings(findings);
  const failBySeverity = Object.fromEntries(Object.entries(s.bySeverity).filter(([, n]) => n > 0));
  return { fail: s.fail, error: s.error, pass: s.pass, failBySeverity, readErrors: run.errors.length };
}

/** The run a cursor was cut from; an error the model can act on when it is gone. */
export function runOfCursor(inventory: InventoryCache, cursor: string | undefined): CheckRun | undefined {
  const id = cursorVersion(cursor);
  if (!cursor) return undefined;
  const run = id ? inventory.runs.get(id) : undefined;
  if (!run) {
    throw new InfraAuditError('INVALID_INPUT', 'cursor is not from a recent check run of this session', { hint: 'omit cursor to start from the first page of a fresh run' });
  }
  return run;
}

export function findingLine(f: CompactFinding): string {
  return `${f.status.toUpperCase()} ${f.severity} ${f.checkId} ${f.resourceName ?? f.resourceId} [${f.region}]: ${f.message}`;
}

/**
 * Page the `shown` findings of `run` and render both forms; the summary counts `scoped`, the
 * findings of the filtered checks in every status, so the passes are counted even when not shown.
 */
export function findingsPage(tool: string, args: Record<string, unknown> & { limit: number; includeEvidence: boolean }, run: CheckRun, scoped: readonly Finding[], shown: readonly Finding[]) {
  const page = pageOf(shown, tool, args, run.id, args.limit);
  const items = page.items.map((f) => compactFinding(f, args.includeEvidence));
  const summary = summaryOf(scoped, run);
  const severities = Object.entries(summary.failBySeverity).map(([s, n]) => `${n} ${s}`).join(', ');
  const header =
    `Run ${run.id} at ${run.ranAt} (inventory read ${run.inventoryCollectedAt}), account ${run.accountId}, ${run.checks.length} check(s), regions ${run.regions.join(', ') || '(global only)'}: ` +
    `${summary.fail} fail${severities ? ` (${severities})` : ''}, ${summary.error} error, ${summary.pass} pass; ${page.total} match the filters.` +
    (run.errors.length ? ` ${run.errors.length} AWS read(s) failed: findings that needed them say error.` : '');
  const more = page.nextCursor ? `\n(${page.total} in all, ${items.length} here: call again with cursor for more)` : '';
  return { page: { ...page, items }, summary, text: [header, ...items.map(findingLine)].join('\n') + more };
}
