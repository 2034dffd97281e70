/**
 * One audit of the audit benchmark, in a process of its own (bench/audit.ts spawns it): its
 * peak RSS and CPU are the audit's alone, not the benchmark's, which holds the generated account.
 * It runs the engine as the CLI does: runAudit, then the JSON report streamed to a file.
 * Prints one JSON line: wall time, CPU, peak RSS, calls and verdict counts, and how long the
 * checks phase held the event loop at most (what an MCP server's other sessions would wait).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAudit, type AuditOptions } from '../audit/run.js';
import { toAuditReport } from '../audit/report.js';
import { silenceSdkRuntimeNotices } from '../aws/clients.js';
import { writeOutputs } from '../cli/outputs.js';
import { passCount } from '../findings/passed.js';
import { streamReport } from '../report/render.js';

export interface AuditRunRequest {
  endpointUrl: string;
  options: Pick<AuditOptions, 'concurrency' | 'limitScope' | 'adaptive' | 'checks'>;
}

export interface AuditRunResult {
  wallMs: number;
  /** CPU of the audit and its report (user + system), module loading excluded. */
  cpuMs: number;
  /** CPU of the whole process, startup included. */
  processCpuMs: number;
  maxRssBytes: number;
  /** Peak of the JS heap's used size, sampled every 20 ms. */
  peakHeapUsedBytes: number;
  apiCalls: number;
  byOperation: Record<string, number>;
  fail: number;
  error: number;
  pass: number;
  reportBytes: number;
  /** The checks phase: from the engine's 'checking' event to its 'done'. */
  checksMs: number;
  /** The longest the event loop went without a turn during the checks phase (a 1 ms timer's lateness, the phase's end included). */
  checksMaxStallMs: number;
  peakInFlight: Record<string, number>;
  adaptiveLimits: Record<string, { peak: number; final: number; throttles: number; decreases: number }>;
}

async function main(): Promise<void> {
  silenceSdkRuntimeNotices();
  const request = JSON.parse(process.argv[2]!) as AuditRunRequest;
  const dir = mkdtempSync(join(tmpdir(), 'infra-audit-bench-audit-'));
  const file = join(dir, 'audit.json');
  let peakHeap = 0;
  const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 20);
  try {
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    const stall = new StallMeter();
    const result = await runAudit({
      endpointUrl: request.endpointUrl,
      credentials: { accessKeyId: 'AKIABENCH0000000000', secretAccessKey: 'bench' },
      ...request.options,
      onProgress: (e) => {
        if (e.phase === 'checking') stall.start();
        else if (e.phase === 'done') stall.stop();
      },
    });
    const report = toAuditReport(result);
    await writeOutputs([{ format: 'json', file, display: file }], (t) => streamReport(t.format, report), process.stdout);
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const used = process.cpuUsage(cpu);
    const total = process.cpuUsage();
    clearInterval(sampler);
    const out: AuditRunResult = {
      wallMs,
      cpuMs: (used.user + used.system) / 1000,
      processCpuMs: (total.user + total.system) / 1000,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      peakHeapUsedBytes: peakHeap,
      apiCalls: result.stats.apiCalls,
      byOperation: result.stats.byOperation,
      fail: result.findings.filter((f) => f.status === 'fail').length,
      error: result.findings.filter((f) => f.status === 'error').length,
      pass: passCount(result.passed),
      reportBytes: statSync(file).size,
      checksMs: stall.elapsedMs,
      checksMaxStallMs: stall.maxStallMs,
      peakInFlight: result.stats.peakInFlight,
      adaptiveLimits: result.stats.adaptiveLimits,
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    clearInterval(sampler);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The longest stretch without an event-loop turn between start() and stop(): a 1 ms timer
 * re-armed on every turn, and the gap since its last run when stop() comes (a phase that
 * never yields shows up whole there, where monitorEventLoopDelay would see nothing).
 */
class StallMeter {
  elapsedMs = 0;
  maxStallMs = 0;
  private started = 0;
  private last = 0;
  private timer: NodeJS.Timeout | undefined;

  start(): void {
    this.started = this.last = performance.now();
    this.arm();
  }

  stop(): void {
    const now = performance.now();
    this.maxStallMs = Math.max(this.maxStallMs, now - this.last);
    this.elapsedMs = now - this.started;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    this.timer = setTimeout(() => {
      const now = performance.now();
      this.maxStallMs = Math.max(this.maxStallMs, now - this.last);
      this.last = now;
      this.arm();
    }, 1);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`audit run failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
