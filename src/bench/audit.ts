/**
 * The audit on a generated account over a sandbox with 20 ms of latency per request (a
 * realistic AWS round trip), against a plain sequential loop measured in the same run: the
 * same audit with one request in flight at a time. Reports wall time, AWS calls (from the
 * sandbox's own counters), peak memory, and the bound calls × latency / concurrency.
 *
 * INFRA_AUDIT_BENCH_SPEC overrides the account size (the `sandbox --generate` spec syntax).
 */
import { generateAccount, parseGenerateSpec } from '../sandbox/account/generate.js';
import { normaliseAccount } from '../sandbox/account/load.js';
import { startSandbox } from '../sandbox/server.js';
import { runAudit, type AuditResult } from '../audit/run.js';
import { DEFAULT_CONCURRENCY } from '../aws/session.js';
import { fmtMiB, fmtMs, peakRssBytes, timed, type BenchResult } from './stats.js';

const CREDENTIALS = { accessKeyId: 'AKIABENCH0000000000', secretAccessKey: 'bench' };
const DEFAULT_SPEC = 'buckets=150,roles=100,users=40,security-groups=80,db-instances=30';

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
  const sandbox = await startSandbox({ account: normaliseAccount(generated.account), latencyMs, seed: 1 });
  const audit = (extra: Parameters<typeof runAudit>[0]) => runAudit({ endpointUrl: sandbox.endpoint, credentials: CREDENTIALS, ...extra });
  const rows: Array<[string, string]> = [['account', `${specText}; regions ${Object.keys(generated.account.Regions).join(', ')}; ${planted} planted problems`], ['latency', `${latencyMs} ms per request`]];
  try {
    const rssBefore = peakRssBytes();
    sandbox.resetStats();
    const parallel = await timed(() => audit({}));
    const calls = sandbox.stats().requests;
    const bound = (calls * latencyMs) / DEFAULT_CONCURRENCY;
    rows.push(
      ['audit (concurrent)', `${fmtMs(parallel.ms)} wall, ${calls} AWS calls (sandbox count; the audit counted ${parallel.value.stats.apiCalls}), ${fails(parallel.value)} fail findings`],
      ['  peak in flight', Object.entries(parallel.value.stats.peakInFlight).map(([k, v]) => `${k} ${v}`).join(', ')],
      ['  bound', `calls × latency / concurrency = ${calls} × ${latencyMs} ms / ${DEFAULT_CONCURRENCY} = ${fmtMs(bound)} (one service at a time; services overlap, so wall time can beat it)`],
      ['  peak RSS', `${fmtMiB(peakRssBytes())} (process, sandbox included; ${fmtMiB(rssBefore)} before the audit)`],
    );
    if (fails(parallel.value) !== planted) rows.push(['  WARNING', `expected ${planted} fail findings, got ${fails(parallel.value)}`]);
    if (!options.skipSequential) {
      sandbox.resetStats();
      const sequential = await timed(() => audit({ concurrency: 1, limitScope: 'global' }));
      rows.push(
        ['sequential loop', `${fmtMs(sequential.ms)} wall, ${sandbox.stats().requests} AWS calls, one at a time (≥ calls × latency = ${fmtMs(calls * latencyMs)})`],
        ['speed-up', `${(sequential.ms / parallel.ms).toFixed(1)}× (same run, same account, same calls)`],
      );
    }
  } finally {
    await sandbox.close();
  }
  return { name: 'audit: generated account over a 20 ms sandbox', rows };
}
