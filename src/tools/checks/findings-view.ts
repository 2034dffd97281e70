/**
 * Shared by run_checks and list_findings: the findings of a run, filtered, compact and paged.
 * A run holds its failures and errors as findings and its passes aggregated per check (counts
 * and resource ids); a pass is built as a finding only when its page is written, with the
 * check's title as its message and no evidence (as in the JSON report, docs/findings.md).
 */
import { z } from 'zod';
import { SEVERITIES, type CheckMetadata, type Finding } from '../../findings/model.js';
import { passFinding, passGroup, passIndex } from '../../findings/passed.js';
import { summarizeFindings } from '../../findings/summary.js';
import { InfraAuditError } from '../../errors.js';
import { CHECK_SERVICES, type CheckRun } from '../../server/check-runs.js';
import type { InventoryCache } from '../../server/inventory-cache.js';
import { decodeCursor, encodeCursor, queryKey } from '../../server/pagination.js';
import { cursorVersion, toJson } from '../listing.js';

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

/**
 * Some of a run's findings, in order: held ones (failures, errors) first, then passes by
 * reference into the run's aggregates. A pass finding exists only while `at` returns it.
 */
export interface RunFindings {
  held: readonly Finding[];
  /** References into `run.passed` (findings/passed.ts), in `run.passOrder` order. */
  passes: readonly number[];
}

/** The pass of `run` that `ref` points at, built as a finding. */
export function runPass(run: CheckRun, checks: ReadonlyMap<string, CheckMetadata>, ref: number): Finding {
  const group = run.passed[passGroup(ref)]!;
  return passFinding(checks.get(group.checkId)!, group, passIndex(ref));
}

/** The passes of `run` that `keep` accepts, in the run's order; each group is asked once, each pass by its region, id and name. */
export function passesWhere(
  run: CheckRun,
  keepGroup: (checkId: string) => boolean,
  keep?: (region: string, resourceId: string, resourceName: string) => boolean,
): readonly number[] {
  const groups = run.passed.map((p) => keepGroup(p.checkId));
  if (!keep && groups.every(Boolean)) return run.passOrder;
  return run.passOrder.filter((ref) => {
    const g = passGroup(ref);
    if (!groups[g]) return false;
    const p = run.passed[g]!;
    const i = passIndex(ref);
    return !keep || keep(p.regions[i]!, p.resourceIds[i]!, p.resourceNames[i]!);
  });
}

export function summaryOf(scoped: RunFindings, run: CheckRun): z.infer<typeof SummarySchema> {
  const s = summarizeFindings(scoped.held, scoped.passes.length);
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
 * A page is cut by `limit` and by a byte budget on the compact findings it returns, so one page
 * fits a model's context; only the findings of the page are built.
 */
export function findingsPage(
  tool: string,
  args: Record<string, unknown> & { limit: number; includeEvidence: boolean; cursor?: string },
  run: CheckRun,
  scoped: RunFindings,
  shown: RunFindings,
  maxBytes = 48_000,
) {
  const { refresh: _refresh, ...rest } = args;
  void _refresh;
  const key = `${queryKey(tool, rest)}.${run.id}`;
  const start = decodeCursor(args.cursor, key);
  const checks = new Map(run.checks.map((c) => [c.id, c]));
  const total = shown.held.length + shown.passes.length;
  const at = (i: number): Finding => (i < shown.held.length ? shown.held[i]! : runPass(run, checks, shown.passes[i - shown.held.length]!));
  const items: CompactFinding[] = [];
  let bytes = 0;
  let i = start;
  for (; i < total && items.length < args.limit; i++) {
    const item = compactFinding(at(i), args.includeEvidence);
    const size = JSON.stringify(item).length;
    if (items.length > 0 && bytes + size > maxBytes) break;
    bytes += size;
    items.push(item);
  }
  const page = { items, total, ...(i < total ? { nextCursor: encodeCursor(key, i) } : {}) };
  const summary = summaryOf(scoped, run);
  const severities = Object.entries(summary.failBySeverity).map(([s, n]) => `${n} ${s}`).join(', ');
  const header =
    `Run ${run.id} at ${run.ranAt} (inventory read ${run.inventoryCollectedAt}), account ${run.accountId}, ${run.checks.length} check(s), regions ${run.regions.join(', ') || '(global only)'}: ` +
    `${summary.fail} fail${severities ? ` (${severities})` : ''}, ${summary.error} error, ${summary.pass} pass; ${page.total} match the filters.` +
    (run.errors.length ? ` ${run.errors.length} AWS read(s) failed: findings that needed them say error.` : '');
  const more = page.nextCursor ? `\n(${page.total} in all, ${items.length} here: call again with cursor for more)` : '';
  return { page, summary, text: [header, ...items.map(findingLine)].join('\n') + more };
}
