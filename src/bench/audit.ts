/**
 * The audit on a generated account over a sandbox with 20 ms of latency per request (a
 * realistic AWS round trip), against a plain sequential loop measured in the same run: the
 * same audit with one request in flight at a time. Reports wall time, AWS calls (from the
 * sandbox's own counters), peak memory, and the bound calls × latency / concurrency.
 *
 * INFRA_AUDIT_BENCH_SPEC overrides the account size (the `sandbox --generate` spec syntax).
 */
import { generateAccount, parseGenerateSpec } from '../sandbox/account/generate.js';
import { startSandboxProcess } from './sandbox-process.js';
import { runAudit, type AuditResult } from '../audit/run.js';
import { DEFAULT_CONCURRENCY } from '../aws/session.js';
import { fmtMiB, fmtMs, peakRssBytes, timed, type BenchResult } from './stats.js';

const CREDENTIALS = { accessKeyId: 'AKIABENCH0000000000', secretAccessKey: 'bench' };
/** The account size. The sequential baseline runs on a 1/25 sample of the same mix (see below). */
const DEFAULT_SPEC = 'buckets=10000,roles=3000,users=500,security-groups=2000,db-instances=500';
const SAMPLE_DIVISOR = 25;

function scaleSpec(spec: string, divisor: number): string {
  return spec
    .split(',')
    .map((part) => {
      const [k, v] = part.split('=') as [string, string];
      return /^\d+$/.test(v) ? `${k}=${Math.max(1, Math.round(Number(v) / divisor))}` : part;
    })
    .join(',');
}

export interface AuditBenchOptions {
  spec?: string;
  latencyMs?: number;
  seed?: number;
  /** Skip the sequential baseline (it takes calls × latency). */
  skipSequential?: boolean;
}

function fails(result: AuditResult): number {
  return result.findings.filter((f) => f.status === 'fail').length;
}

export async function benchAudit(options: AuditBenchOptions = {}): Promise<BenchResult> {
  const specText = options.spec ?? process.env.INFRA_AUDIT_BENCH_SPEC ?? DEFAULT_SPEC;
  const latencyMs = options.latencyMs ?? 20;
  const generated = generateAccount(parseGenerateSpec(specText), options.seed ?? 1);
  const planted = Object.values(generated.plantedResources).reduce((n, ids) => n + ids.length, 0);
  const sandbox = await startSandboxProcess(generated.account, { latencyMs, seed: 1 });
  const audit = (extra: Parameters<typeof runAudit>[0]) => runAudit({ endpointUrl: sandbox.endpoint, credentials: CREDENTIALS, ...extra });
  const rows: Array<[string, string]> = [['account', `${specText}; regions ${Object.keys(generated.account.Regions).join(', ')}; ${planted} planted problems`], ['latency', `${latencyMs} ms per request`]];
  try {
    const rssBefore = peakRssBytes();
    await sandbox.resetStats();
    const cpuBefore = process.cpuUsage();
    const parallel = await timed(() => audit({}));
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const calls = (await sandbox.stats()).requests;
    const bound = (calls * latencyMs) / DEFAULT_CONCURRENCY;
    rows.push(
      ['audit (concurrent)', `${fmtMs(parallel.ms)} wall, ${calls} AWS calls (sandbox count; the audit counted ${parallel.value.stats.apiCalls}), ${fails(parallel.value)} fail findings`],
      ['  CPU of the auditing process', `${fmtMs(cpuMs)} (${(cpuMs / calls).toFixed(2)} ms per AWS call; ${Math.round((cpuMs / parallel.ms) * 100)}% of one core over the wall time)`],
      ['  peak in flight', Object.entries(parallel.value.stats.peakInFlight).map(([k, v]) => `${k} ${v}`).join(', ')],
      ['  bound', `calls × latency / concurrency = ${calls} × ${latencyMs} ms / ${DEFAULT_CONCURRENCY} = ${fmtMs(bound)} (one service at a time; services overlap, so wall time can beat it)`],
      ['  peak RSS', `${fmtMiB(peakRssBytes())} (the auditing process; the sandbox runs in its own; ${fmtMiB(rssBefore)} before the audit)`],
    );
    if (fails(parallel.value) !== planted) rows.push(['  WARNING', `expected ${planted} fail findings, got ${fails(parallel.value)}`]);
    if (!options.skipSequential) {
      // A sequential loop over the full account takes calls × latency (over half an hour at
      // 100k calls): it runs on a 1/25 sample of the same mix, next to the concurrent audit of
      // that sample, and the full-size sequential time is scaled from its measured rate.
      const sampleSpec = scaleSpec(specText, SAMPLE_DIVISOR);
      const sample = generateAccount(parseGenerateSpec(sampleSpec), options.seed ?? 1);
      const sampleSandbox = await startSandboxProcess(sample.account, { latencyMs, seed: 1 });
      try {
        const run = (extra: Parameters<typeof runAudit>[0]) => runAudit({ endpointUrl: sampleSandbox.endpoint, credentials: CREDENTIALS, ...extra });
        const sampleParallel = await timed(() => run({}));
        await sampleSandbox.resetStats();
        const sequential = await timed(() => run({ concurrency: 1, limitScope: 'global' }));
        const sampleCalls = (await sampleSandbox.stats()).requests;
        const scaled = (sequential.ms / sampleCalls) * calls;
        rows.push(
          [`sample (1/${SAMPLE_DIVISOR})`, sampleSpec],
          ['  sequential loop', `${fmtMs(sequential.ms)} wall, ${sampleCalls} AWS calls, one at a time (≥ calls × latency = ${fmtMs(sampleCalls * latencyMs)})`],
          ['  concurrent audit', `${fmtMs(sampleParallel.ms)} wall, same calls`],
          ['  speed-up (measured)', `${(sequential.ms / sampleParallel.ms).toFixed(1)}× on the sample`],
          ['full account, sequential', `≈ ${fmtMs(scaled)} (the sample's ${(sequential.ms / sampleCalls).toFixed(1)} ms per call × ${calls} calls), so ≈ ${(scaled / parallel.ms).toFixed(1)}× the concurrent audit`],
          ['concurrent / bound', `${(parallel.ms / bound).toFixed(2)}× (target ≤ 1.5×)`],
        );
      } finally {
        await sampleSandbox.close();
      }
    }
  } finally {
    await sandbox.close();
  }
  return { name: 'audit: generated account over a 20 ms sandbox', rows };
}
