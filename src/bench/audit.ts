/**
 * `npm run bench -- audit`: the audit on a generated account over a sandbox with 20 ms of latency
 * per request (a realistic AWS round trip), three ways in the same run, each in a process of its
 * own (bench/audit-run.ts) so peak RSS and CPU are that audit's alone:
 * - the default: adaptive concurrency per service (AIMD, concurrency.ts);
 * - fixed concurrency 10 per service (adaptive: false), the engine before adaptive limits;
 * - the sequential loop, one request in flight at a time. It takes calls × latency (half an hour
 *   at 80k calls), so it runs on a 1/N sample of the same mix beside the default audit of that
 *   sample, and its full-size time is scaled from its measured time per call.
 * Then a 5-check selection (its calls against the reads those checks declare), and the client
 * CPU per AWS call: a bare SDK client against the audit's client (read-only guard, limiter, call
 * counter, cancellation and the per-read wrapper), so what is ours is measured apart from the SDK.
 *
 * Flags (npm run bench -- audit --spec ... ): --spec (the `sandbox --generate` syntax; default
 * the issue's 10,000-bucket account; INFRA_AUDIT_BENCH_SPEC also works), --latency-ms (20),
 * --sample (25: the sequential loop's divisor), --skip fixed,sequential,selection,cpu.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { GetBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { generateAccount, parseGenerateSpec } from '../sandbox/account/generate.js';
import { CHECKS } from '../checks/registry.js';
import { readsToMake } from '../inventory/reads.js';
import { read, type CollectorContext } from '../inventory/context.js';
import { AwsSession } from '../aws/session.js';
import { clientConfig } from '../aws/clients.js';
import { mapBounded } from '../inventory/bounded.js';
import type { AwsRead } from '../aws/read-operations.js';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process.js';
import type { AuditRunRequest, AuditRunResult } from './audit-run.js';
import { fmtMiB, fmtMs, type BenchResult } from './stats.js';

const CREDENTIALS = { accessKeyId: 'AKIABENCH0000000000', secretAccessKey: 'bench' };
const RUNNER = fileURLToPath(new URL('./audit-run.js', import.meta.url));
/** The issue's account. */
const DEFAULT_SPEC = 'buckets=10000,roles=3000,users=500,security-groups=2000,db-instances=500';
const DEFAULT_SAMPLE = 25;
/** Five checks over four services, for the selection's calls. */
const SELECTION = ['s3_bucket_versioning', 's3_bucket_default_encryption', 'iam_user_console_mfa', 'ec2_sg_open_ssh', 'rds_instance_storage_encrypted'];
const TARGETS = { vsSequential: 30, vsFixed: 3, peakRssMiB: 400, cpuPerCallMs: 0.5 };

export interface AuditBenchOptions {
  spec?: string;
  latencyMs?: number;
  seed?: number;
  /** The sequential loop's sample: 1/sample of the account. */
  sample?: number;
  /** Parts to leave out: fixed, sequential, selection, cpu. */
  skip?: string[];
}

export function scaleSpec(spec: string, divisor: number): string {
  return spec
    .split(',')
    .map((part) => {
      const [k, v] = part.split('=') as [string, string];
      return /^\d+$/.test(v) ? `${k}=${Math.max(1, Math.round(Number(v) / divisor))}` : part;
    })
    .join(',');
}

/** One audit in its own process. */
async function auditProcess(endpointUrl: string, options: AuditRunRequest['options']): Promise<AuditRunResult> {
  const child = spawn(process.execPath, [RUNNER, JSON.stringify({ endpointUrl, options } satisfies AuditRunRequest)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`audit run exited with ${code}`);
  return JSON.parse(out.trim().split('\n').pop()!) as AuditRunResult;
}

const ratio = (a: number, b: number) => `${(a / b).toFixed(a / b >= 10 ? 1 : 2)}×`;
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
const perCall = (r: AuditRunResult) => r.cpuMs / r.apiCalls;

function describeRun(r: AuditRunResult): string {
  return `${fmtMs(r.wallMs)} wall, ${r.apiCalls} AWS calls, ${r.fail} fail / ${r.error} error / ${r.pass} pass, peak RSS ${fmtMiB(r.maxRssBytes)} (JS heap peak ${fmtMiB(r.peakHeapUsedBytes)}), CPU ${fmtMs(r.cpuMs)} = ${perCall(r).toFixed(3)} ms per call (${fmtMs(r.processCpuMs)} with startup), JSON report ${fmtMiB(r.reportBytes)}; checks phase ${fmtMs(r.checksMs)}, longest event-loop stall in it ${fmtMs(r.checksMaxStallMs)}`;
}

export async function benchAudit(options: AuditBenchOptions = {}): Promise<BenchResult> {
  const specText = options.spec ?? process.env.INFRA_AUDIT_BENCH_SPEC ?? DEFAULT_SPEC;
  const latencyMs = options.latencyMs ?? 20;
  const sampleDivisor = options.sample ?? DEFAULT_SAMPLE;
  const skip = new Set(options.skip ?? []);
  const generated = generateAccount(parseGenerateSpec(specText), options.seed ?? 1);
  const planted = Object.values(generated.plantedResources).reduce((n, ids) => n + ids.length, 0);
  const rows: Array<[string, string]> = [
    ['account', `${specText}${specText === DEFAULT_SPEC ? ' (the issue\'s account)' : ' (NOT the issue\'s 10,000-bucket account: --spec)'}; regions ${Object.keys(generated.account.Regions).join(', ')}; ${planted} planted problems`],
    ['latency', `${latencyMs} ms per request; sandbox in its own process; each audit in its own process`],
  ];
  let sandbox: SandboxProcess | undefined = await startSandboxProcess(generated.account, { latencyMs, seed: 1 });
  const endpoint = sandbox.endpoint;
  let adaptive: AuditRunResult;
  let fixed: AuditRunResult | undefined;
  try {
    adaptive = await auditProcess(endpoint, {});
    rows.push(['adaptive (default)', describeRun(adaptive)]);
    rows.push(['  limits reached', Object.entries(adaptive.adaptiveLimits).map(([k, v]) => `${k} ${v.peak}`).join(', ') || 'none']);
    if (adaptive.fail !== planted) rows.push(['  WARNING', `expected ${planted} fail findings, got ${adaptive.fail}`]);
    if (!skip.has('fixed')) {
      fixed = await auditProcess(endpoint, { adaptive: false, concurrency: 10 });
      rows.push(['fixed 10 (adaptive: false)', describeRun(fixed)]);
    }
    if (!skip.has('selection')) {
      const selection = await auditProcess(endpoint, { checks: SELECTION });
      const needs = readsToMake(CHECKS.filter((c) => SELECTION.includes(c.metadata.id)).flatMap((c) => c.reads));
      const called = Object.keys(selection.byOperation);
      const outside = called.filter((op) => !needs.has(op as AwsRead) && op !== 'sts:GetCallerIdentity' && op !== 'ec2:DescribeRegions');
      const above = called.filter((op) => (selection.byOperation[op] ?? 0) > (adaptive.byOperation[op] ?? 0));
      rows.push(
        ['5-check selection', `${SELECTION.join(', ')}: ${selection.apiCalls} AWS calls (${ratio(adaptive.apiCalls, selection.apiCalls)} fewer than the full catalog's ${adaptive.apiCalls}), ${fmtMs(selection.wallMs)} wall`],
        ['  against the reads they need', `${called.length} operations called, all among the ${needs.size} reads those checks declare with their prerequisites (+ sts:GetCallerIdentity, ec2:DescribeRegions): ${outside.length === 0 ? 'none outside' : `OUTSIDE: ${outside.join(', ')}`}; no operation called more often than in the full run: ${above.length === 0 ? 'yes' : `NO: ${above.join(', ')}`}`],
        ['  calls per operation', called.sort().map((op) => `${op} ${selection.byOperation[op]}`).join(', ')],
      );
    }
  } finally {
    await sandbox.close();
    sandbox = undefined;
  }

  let sequentialFull: number | undefined;
  if (!skip.has('sequential')) {
    const sampleSpec = scaleSpec(specText, sampleDivisor);
    const sample = generateAccount(parseGenerateSpec(sampleSpec), options.seed ?? 1);
    const sampleSandbox = await startSandboxProcess(sample.account, { latencyMs, seed: 1 });
    try {
      const sampleAdaptive = await auditProcess(sampleSandbox.endpoint, {});
      const sequential = await auditProcess(sampleSandbox.endpoint, { concurrency: 1, limitScope: 'global' });
      sequentialFull = (sequential.wallMs / sequential.apiCalls) * adaptive.apiCalls;
      rows.push(
        [`sample (1/${sampleDivisor})`, sampleSpec],
        ['  sequential loop', `${fmtMs(sequential.wallMs)} wall, ${sequential.apiCalls} AWS calls one at a time (floor calls × latency = ${fmtMs(sequential.apiCalls * latencyMs)}), ${(sequential.wallMs / sequential.apiCalls).toFixed(1)} ms per call`],
        ['  adaptive on the sample', `${fmtMs(sampleAdaptive.wallMs)} wall: ${ratio(sequential.wallMs, sampleAdaptive.wallMs)} faster than the sequential loop (measured)`],
        ['full account, sequential', `≈ ${fmtMs(sequentialFull)} (${(sequential.wallMs / sequential.apiCalls).toFixed(1)} ms per call × ${adaptive.apiCalls} calls)`],
      );
    } finally {
      await sampleSandbox.close();
    }
  }

  if (!skip.has('cpu')) rows.push(...(await clientCpuPerCall()));

  rows.push(['TARGETS (issue 16)', 'each a ratio from this run']);
  if (sequentialFull !== undefined) rows.push(['  vs sequential', `${ratio(sequentialFull, adaptive.wallMs)} faster (target ≥ ${TARGETS.vsSequential}×): ${verdict(sequentialFull / adaptive.wallMs >= TARGETS.vsSequential)}`]);
  if (fixed) rows.push(['  vs fixed 10', `${ratio(fixed.wallMs, adaptive.wallMs)} faster (target ≥ ${TARGETS.vsFixed}×): ${verdict(fixed.wallMs / adaptive.wallMs >= TARGETS.vsFixed)}`]);
  rows.push(['  peak RSS', `${fmtMiB(adaptive.maxRssBytes)} (target ≤ ${TARGETS.peakRssMiB} MiB): ${verdict(adaptive.maxRssBytes <= TARGETS.peakRssMiB * 1024 * 1024)}`]);
  rows.push(['  client CPU per call', `${perCall(adaptive).toFixed(3)} ms (target ≤ ${TARGETS.cpuPerCallMs} ms): ${verdict(perCall(adaptive) <= TARGETS.cpuPerCallMs)}`]);
  return { name: 'audit: generated account over a 20 ms sandbox', rows };
}

/**
 * Client CPU per AWS call on a sandbox without latency: the same GetBucketVersioning calls, 10 in
 * flight, through a bare SDK client (same config and HTTP agent, none of our middleware) and
 * through the audit's client and read(). The figures are process CPU (V8's GC and compiler threads
 * included), so the difference bounds what the audit adds to the SDK rather than measuring it.
 */
async function clientCpuPerCall(): Promise<Array<[string, string]>> {
  const spec = parseGenerateSpec('buckets=200,roles=1,users=1,security-groups=1,db-instances=1');
  const { account } = generateAccount(spec, 1);
  const names = (account.S3?.Buckets ?? []).map((b) => b.Name);
  const sandbox = await startSandboxProcess(account, { latencyMs: 0, seed: 1 });
  const CALLS = 4000;
  const work = Array.from({ length: CALLS }, (_, i) => names[i % names.length]!);
  const measure = async (call: (bucket: string) => Promise<unknown>) => {
    await mapBounded(work.slice(0, 500), 10, call); // warm: JIT, sockets, endpoint cache
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    await mapBounded(work, 10, call);
    const used = process.cpuUsage(cpu);
    return { cpuPerCall: (used.user + used.system) / 1000 / CALLS, wallMs: Number(process.hrtime.bigint() - start) / 1e6 };
  };
  try {
    const bare = new S3Client(clientConfig('s3', { endpointUrl: sandbox.endpoint, credentials: CREDENTIALS, region: 'us-east-1' }));
    // The SDK's own floor with its middleware resolved once per command class (one call in flight per command would be safe; here 10 share one context, which is fine only for a measurement).
    const bareCached = new S3Client({ ...clientConfig('s3', { endpointUrl: sandbox.endpoint, credentials: CREDENTIALS, region: 'us-east-1' }), cacheMiddleware: true });
    const controller = new AbortController();
    const session = new AwsSession({ endpointUrl: sandbox.endpoint, credentials: CREDENTIALS, region: 'us-east-1', signal: controller.signal });
    const ctx = { session, needs: new Set<AwsRead>(['s3:GetBucketVersioning']), accountId: '000000000000', errors: [] } as unknown as CollectorContext;
    const ours = session.client('s3', 'us-east-1');
    // Interleaved, twice each, so drift in the machine's load falls on both.
    const bareRuns = [];
    const cachedRuns = [];
    const ourRuns = [];
    for (let round = 0; round < 2; round++) {
      bareRuns.push(await measure((Bucket) => bare.send(new GetBucketVersioningCommand({ Bucket }))));
      cachedRuns.push(await measure((Bucket) => bareCached.send(new GetBucketVersioningCommand({ Bucket }))));
      ourRuns.push(await measure((Bucket) => read(ctx, { service: 's3', region: 'us-east-1', operation: 'GetBucketVersioning', resource: Bucket }, () => ours.send(new GetBucketVersioningCommand({ Bucket })))));
    }
    bare.destroy();
    bareCached.destroy();
    session.destroy();
    const best = (runs: Array<{ cpuPerCall: number }>) => Math.min(...runs.map((r) => r.cpuPerCall));
    const b = best(bareRuns);
    const c = best(cachedRuns);
    const o = best(ourRuns);
    return [
      ['client CPU per call', `${CALLS} GetBucketVersioning calls, 10 in flight, 0 ms latency, best of 2 interleaved rounds`],
      ['  bare SDK client', `${b.toFixed(3)} ms per call`],
      ['  bare, cacheMiddleware', `${c.toFixed(3)} ms per call (${ratio(c, b)} the bare SDK's): the SDK's floor`],
      ['  audit client + read()', `${o.toFixed(3)} ms per call: ${ratio(o, b)} the bare SDK's, ${ratio(o, c)} its floor; ${(o - c).toFixed(3)} ms ${o >= c ? 'above' : 'below'} it. Process CPU (every thread, GC included), so the gap is not all our middleware: count instructions with valgrind --tool=callgrind to split it`],
    ];
  } finally {
    await sandbox.close();
  }
}
