/**
 * The audit engine: for each account (the caller's, or each --assume-role target), collect
 * the inventory the selected checks need, once, then run the checks over it. A plain async
 * function: the CLI, the MCP tools and the tests call it the same way.
 */
import type { CheckMetadata, Finding } from '../findings/model.js';
import { PassAggregator, passCount, type PassedResources } from '../findings/passed.js';
import { InfraAuditError } from '../errors.js';
import { assumeRoleCredentials } from '../aws/assume-role.js';
import { awsErrorToInfraAuditError } from '../aws/errors.js';
import { requestsAllRegions, resolveRegions } from '../aws/regions.js';
import { AwsSession, type AwsSessionOptions } from '../aws/session.js';
import type { AwsAccessOptions } from '../aws/clients.js';
import type { RetryOptions } from '../aws/retry.js';
import { CHECKS } from '../checks/registry.js';
import { DEFAULT_CHECK_OPTIONS, type CheckOptions, type InventoryPart } from '../checks/types.js';
import type { CollectionError, CollectorContext } from '../inventory/context.js';
import { collectInventory } from '../inventory/collect.js';
import { partsOf, readsToMake, REGIONAL_PARTS } from '../inventory/reads.js';
import { collectCallerIdentity } from '../inventory/collectors/sts.js';
import type { InventorySnapshot } from '../inventory/snapshot.js';
import { selectChecks } from './select.js';
import { evaluateChecks } from './evaluate.js';
import { boundHeapGrowth } from './heap.js';

export interface AuditProgress {
  accountId?: string;
  /** e.g. "collecting", "checking", "done". */
  phase: 'identity' | 'collecting' | 'collected' | 'checking' | 'done';
  /** What just happened, for a person watching: "ec2 us-east-1". */
  detail?: string;
}

export interface AuditOptions extends Partial<Omit<CheckOptions, 'now'>> {
  endpointUrl?: string;
  profile?: string;
  credentials?: AwsAccessOptions['credentials'];
  /** Region names, or ["all"] (the default): the account's enabled regions. */
  regions?: string[];
  /** Audit these accounts through these roles instead of the caller's own account. */
  assumeRoles?: string[];
  /** Check ids to run (default: all). */
  checks?: string[];
  skipChecks?: string[];
  /** Only the checks of these services (`s3`, `iam`, ...; default: all). */
  services?: string[];
  /** Requests in flight per service. */
  concurrency?: number;
  /** `global`: the concurrency limit is shared by all services instead of applying to each. */
  limitScope?: 'service' | 'global';
  /** Adapt each service's limit to throttling (default); false holds it at `concurrency`. */
  adaptive?: boolean;
  /** Attempts per AWS call, the first included. */
  maxAttempts?: number;
  retry?: Omit<RetryOptions, 'maxAttempts'>;
  /** Connect and request timeouts of every AWS call, in ms. */
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Cancels the audit: its AWS calls are aborted and runAudit rejects. */
  signal?: AbortSignal;
  now?: Date;
  onProgress?: (event: AuditProgress) => void;
  /** Called with the run's AWS session before its first call: its counters drive the CLI's progress line. */
  onSession?: (session: AwsSession) => void;
}

export interface AuditedAccount {
  accountId: string;
  callerArn: string;
  /** The regions read (empty when no selected check reads a regional service and --region is all). */
  regions: string[];
  /** --region all (the default): every enabled region, and every S3 bucket wherever it is. */
  allRegions: boolean;
  /** What was read account-wide, whatever --region says ("IAM", "S3 account settings"). */
  globalServices: string[];
  /** With named regions: the S3 buckets listed but left out, being in other regions. */
  bucketsOutsideRegions?: number;
  /** Set via --assume-role. */
  roleArn?: string;
}

export interface AuditStats {
  /** HTTP requests sent to AWS, retries included. */
  apiCalls: number;
  durationMs: number;
  retries: number;
  throttled: number;
  /** Requests per "service:Operation". */
  byOperation: Record<string, number>;
  /** Most requests in flight at once per service (and region), never above the concurrency limit. */
  peakInFlight: Record<string, number>;
  /** The most calls that waited for a slot at once, per limiter: bounded by the collectors' fan-out, not by the account's size. */
  peakQueued: Record<string, number>;
  /** Adaptive limits per limiter: the highest reached, the last, throttled attempts and halvings. */
  adaptiveLimits: Record<string, { peak: number; final: number; throttles: number; decreases: number }>;
  checksRun: number;
}

export interface AuditResult {
  /** The failures and errors. */
  findings: Finding[];
  /** The passes, aggregated per check and account: counts and resource ids, not one object each. */
  passed: PassedResources[];
  /** Reads that failed; the findings that needed them say `error`. */
  errors: CollectionError[];
  stats: AuditStats;
  accounts: AuditedAccount[];
  /** The checks that ran. */
  checks: CheckMetadata[];
  /** The inventories judged, one per account (for tools that want the raw data). */
  snapshots: InventorySnapshot[];
}

/** The inventory parts read once for the whole account, as a report names them. */
const GLOBAL_PART_NAMES: ReadonlyArray<readonly [InventoryPart, string]> = [
  ['iam', 'IAM'],
  ['s3control', 'S3 account settings'],
];

export async function runAudit(options: AuditOptions = {}): Promise<AuditResult> {
  const started = Date.now();
  // Most of what an audit allocates is garbage; without this, its heap peaks at 4x what it keeps (heap.ts).
  boundHeapGrowth();
  const now = options.now ?? new Date();
  const checks = selectChecks(CHECKS, options.checks, options.skipChecks, options.services);
  // Exactly the reads the selected checks judge, with the listings they hang off.
  const needs = readsToMake(checks.flatMap((c) => c.reads));
  const parts = partsOf(needs);
  const checkOptions: CheckOptions = { ...DEFAULT_CHECK_OPTIONS, ...definedOnly(options), now };
  validateThresholds(checkOptions);
  const sessionOptions: AwsSessionOptions = {
    endpointUrl: options.endpointUrl,
    profile: options.profile,
    credentials: options.credentials,
    concurrency: options.concurrency,
    limitScope: options.limitScope,
    adaptive: options.adaptive,
    retry: { ...options.retry, maxAttempts: options.maxAttempts },
    connectTimeoutMs: options.connectTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs,
    signal: options.signal,
  };
  const base = new AwsSession(sessionOptions);
  options.onSession?.(base);
  const targets = options.assumeRoles?.length
    ? options.assumeRoles.map((roleArn) => ({ roleArn, session: base.withCredentials(assumeRoleCredentials(base, roleArn)) }))
    : [{ roleArn: undefined, session: base }];

  const allRegions = requestsAllRegions(options.regions);
  // Passes are kept as counts and ids as the checks return them: the audit's memory grows with its failures.
  const passes = new PassAggregator(new Map(checks.map((c) => [c.metadata.id, c.metadata.resourceType])));
  const result: AuditResult = { findings: [], passed: [], errors: [], accounts: [], checks: checks.map((c) => c.metadata), snapshots: [], stats: emptyStats() };
  // One account after another: each already fans out as far as the per-service limits allow.
  for (const { roleArn, session } of targets) {
    options.onProgress?.({ phase: 'identity', detail: roleArn ?? 'caller credentials' });
    let identity;
    try {
      identity = await collectCallerIdentity(session);
    } catch (err) {
      throw awsErrorToInfraAuditError(err, roleArn ? `sts:GetCallerIdentity as ${roleArn}` : 'sts:GetCallerIdentity');
    }
    // Named regions matter to S3 too: a bucket lives in one region, and only those in the named ones are audited.
    const bucketsByRegion = parts.has('s3') && !allRegions;
    const regions = [...parts].some((p) => REGIONAL_PARTS.has(p)) || bucketsByRegion ? await resolveRegions(session, options.regions) : [];
    const errors: CollectionError[] = [];
    const ctx: CollectorContext = {
      session,
      needs,
      accountId: identity.accountId,
      partition: identity.partition,
      regions,
      ...(bucketsByRegion ? { bucketRegions: new Set(regions) } : {}),
      now,
      idleDays: checkOptions.idleDays,
      errors,
      progress: (e) => options.onProgress?.({ accountId: identity.accountId, phase: 'collected', detail: `${e.service} ${e.region}` }),
    };
    options.onProgress?.({ accountId: identity.accountId, phase: 'collecting', detail: [...parts].join(', ') });
    const snapshot = await collectInventory(ctx, identity.arn);
    // A cancelled run ends here, before any verdict: nothing partial reaches a report.
    options.signal?.throwIfAborted();
    options.onProgress?.({ accountId: identity.accountId, phase: 'checking', detail: `${checks.length} checks` });
    // In slices, with turns of the event loop between them (evaluate.ts); Ctrl-C stops it there too.
    await evaluateChecks(checks, snapshot, checkOptions, (_check, findings) => {
      for (const f of findings) if (!passes.add(f)) result.findings.push(f);
    }, { signal: options.signal });
    result.errors.push(...errors);
    result.snapshots.push(snapshot);
    result.accounts.push({
      accountId: identity.accountId,
      callerArn: identity.arn,
      regions,
      allRegions,
      globalServices: GLOBAL_PART_NAMES.filter(([part]) => parts.has(part)).map(([, name]) => name),
      ...(snapshot.s3?.bucketsOutsideRegions !== undefined ? { bucketsOutsideRegions: snapshot.s3.bucketsOutsideRegions } : {}),
      ...(roleArn ? { roleArn } : {}),
    });
  }
  result.passed = passes.result();
  result.stats = {
    apiCalls: base.stats.apiCalls,
    durationMs: Date.now() - started,
    retries: base.stats.retry.retries,
    throttled: base.stats.retry.throttled,
    byOperation: base.stats.byOperation,
    peakInFlight: Object.assign({}, base.peakInFlight(), ...targets.map((t) => t.session.peakInFlight())),
    peakQueued: Object.assign({}, base.peakQueued(), ...targets.map((t) => t.session.peakQueued())),
    adaptiveLimits: Object.assign({}, base.adaptiveLimits(), ...targets.map((t) => t.session.adaptiveLimits())),
    checksRun: checks.length,
  };
  options.onProgress?.({ phase: 'done', detail: `${result.findings.length + passCount(result.passed)} findings` });
  return result;
}


function definedOnly(options: AuditOptions): Partial<Omit<CheckOptions, 'now'>> {
  const out: Partial<Omit<CheckOptions, 'now'>> = {};
  for (const key of Object.keys(DEFAULT_CHECK_OPTIONS) as Array<keyof typeof DEFAULT_CHECK_OPTIONS>) {
    if (options[key] !== undefined) out[key] = options[key];
  }
  return out;
}

/** CloudWatch keeps hourly (and so daily) statistics for 455 days: a longer idle window has no data. */
const MAX_DAYS: Record<keyof typeof DEFAULT_CHECK_OPTIONS, number> = { idleDays: 455, unusedCredentialDays: 3650, accessKeyMaxAgeDays: 3650, roleUnusedDays: 3650 };

function validateThresholds(options: CheckOptions): void {
  for (const key of Object.keys(DEFAULT_CHECK_OPTIONS) as Array<keyof typeof DEFAULT_CHECK_OPTIONS>) {
    const value = options[key];
    if (!Number.isInteger(value) || value < 1 || value > MAX_DAYS[key]) {
      const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      throw new InfraAuditError('USAGE', `${flag} must be a whole number of days between 1 and ${MAX_DAYS[key]}, got ${value}`, { hint: `e.g. ${flag} ${DEFAULT_CHECK_OPTIONS[key]}` });
    }
  }
}

function emptyStats(): AuditStats {
  return { apiCalls: 0, durationMs: 0, retries: 0, throttled: 0, byOperation: {}, peakInFlight: {}, peakQueued: {}, adaptiveLimits: {}, checksRun: 0 };
}
