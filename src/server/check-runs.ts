/**
 * Check runs of one server session: the audit engine's checks, run over the cached inventory.
 * The latest run is what list_findings filters; a few recent ones are kept so that a cursor
 * pages through the run it came from instead of a newer one.
 */
import { evaluateChecks } from '../audit/evaluate.js';
import { nearMatches } from '../audit/near-matches.js';
import { CHECKS } from '../checks/registry.js';
import { DEFAULT_CHECK_OPTIONS, type Check } from '../checks/types.js';
import { GLOBAL_REGION } from '../checks/finding.js';
import { InfraAuditError } from '../errors.js';
import { SEVERITIES, type CheckMetadata, type Finding, type Severity } from '../findings/model.js';
import { compareFindings } from '../findings/summary.js';
import { PassAggregator, sortedPassRefs, type PassedResources } from '../findings/passed.js';
import type { CollectionError } from '../inventory/context.js';
import type { InventoryCache } from './inventory-cache.js';

/** The services the check catalog covers, in catalog order. */
export const CHECK_SERVICES = [...new Set(CHECKS.map((c) => c.metadata.service))];

export interface CheckSelection {
  services?: readonly string[];
  checks?: readonly string[];
  severities?: readonly Severity[];
}

/** The checks matching every given filter; an unknown id or service is an error that names the allowed ones. */
export function selectCatalog(selection: CheckSelection): Check[] {
  const known = CHECKS.map((c) => c.metadata.id);
  for (const id of selection.checks ?? []) {
    if (known.includes(id)) continue;
    const near = nearMatches(id, known);
    throw new InfraAuditError('INVALID_INPUT', `unknown check id "${id}"`, { hint: near.length ? `did you mean ${near.join(', ')}? list_checks gives the catalog` : 'call list_checks for the catalog of check ids' });
  }
  for (const service of selection.services ?? []) {
    if (!CHECK_SERVICES.includes(service as never)) throw new InfraAuditError('INVALID_INPUT', `no checks for service "${service}"`, { hint: `services with checks: ${CHECK_SERVICES.join(', ')}` });
  }
  for (const severity of selection.severities ?? []) {
    if (!SEVERITIES.includes(severity)) throw new InfraAuditError('INVALID_INPUT', `unknown severity "${severity}"`, { hint: `severities: ${SEVERITIES.join(', ')}` });
  }
  const selected = CHECKS.filter(
    (c) =>
      (!selection.checks?.length || selection.checks.includes(c.metadata.id)) &&
      (!selection.services?.length || selection.services.includes(c.metadata.service)) &&
      (!selection.severities?.length || selection.severities.includes(c.metadata.severity)),
  );
  if (selected.length === 0) throw new InfraAuditError('INVALID_INPUT', 'no check matches all of these filters together', { hint: 'loosen a filter; list_checks shows each check with its service and severity' });
  return selected;
}

export interface CheckRun {
  id: string;
  ranAt: string;
  /** When the oldest inventory part the checks judged was read from AWS. */
  inventoryCollectedAt: string;
  accountId: string;
  regions: string[];
  /** True when the regions were the account's enabled regions, not a chosen subset. */
  allRegions: boolean;
  checks: CheckMetadata[];
  /** The failures and errors: fail first, then error; worst severity first within each. */
  findings: Finding[];
  /** The passes, aggregated per check (a count and the resource ids), not one finding object each. */
  passed: PassedResources[];
  /** Every pass in the order of compareFindings, as references into `passed` (findings/passed.ts). */
  passOrder: number[];
  errors: CollectionError[];
}

const STATUS_ORDER = { fail: 0, error: 1, pass: 2 } as const;
const KEPT_RUNS = 8;

export class CheckRuns {
  private readonly recent: CheckRun[] = [];
  private counter = 0;

  constructor(private readonly inventory: InventoryCache) {}

  /**
   * Judges the inventory in slices with turns of the event loop between them (audit/evaluate.ts):
   * the server answers other calls meanwhile, and `signal` (the call's time limit or its
   * cancellation) stops the run there; a stopped run is not kept.
   */
  async run(checks: readonly Check[], options: { regions?: readonly string[]; refresh?: boolean; signal?: AbortSignal } = {}): Promise<CheckRun> {
    const view = await this.inventory.get({ reads: checks.flatMap((c) => c.reads), regions: options.regions, refresh: options.refresh });
    const now = new Date();
    const checkOptions = { ...DEFAULT_CHECK_OPTIONS, now };
    // Global resources (IAM, the account) stay; S3 buckets and regional resources keep to the regions asked for.
    const wanted = options.regions?.length ? new Set([...options.regions, GLOBAL_REGION]) : undefined;
    // A check's passes are counted as it returns them: a run held by the session grows with its failures.
    const passes = new PassAggregator(new Map(checks.map((c) => [c.metadata.id, c.metadata.resourceType])));
    const findings: Finding[] = [];
    await evaluateChecks(
      checks,
      view.snapshot,
      checkOptions,
      (_check, judged) => {
        for (const f of judged) if ((!wanted || wanted.has(f.region)) && !passes.add(f)) findings.push(f);
      },
      { signal: options.signal },
    );
    findings.sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || compareFindings(a, b));
    const passed = passes.result();
    const meta = new Map(checks.map((c) => [c.metadata.id, c.metadata]));
    const run: CheckRun = {
      id: `run-${++this.counter}`,
      ranAt: now.toISOString(),
      inventoryCollectedAt: view.collectedAt,
      accountId: view.snapshot.accountId,
      regions: view.regions,
      allRegions: !options.regions?.length,
      checks: checks.map((c) => c.metadata),
      findings,
      passed,
      passOrder: sortedPassRefs(passed, passed.map((p) => meta.get(p.checkId)!)),
      errors: view.errors,
    };
    this.recent.push(run);
    if (this.recent.length > KEPT_RUNS) this.recent.shift();
    return run;
  }

  get(id: string): CheckRun | undefined {
    return this.recent.find((r) => r.id === id);
  }

  latest(): CheckRun | undefined {
    return this.recent.at(-1);
  }
}
