/**
 * A report on stdout, through the built CLI as a child process, read by a reader that is slower
 * than the audit (`infra-audit audit --format ocsf | slow-reader`) and by one that stops early
 * (`| head`). An --import hook in the child reports what it holds for its stdout: the largest
 * queue (writableLength) the stream ever had, and the writes that came after the pipe closed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { generateAccount } from '../sandbox/account/generate.js';
import { startCli, type CliProcess } from '../test-support/cli.js';
import { useSandbox } from '../test-support/sandbox.js';

vi.setConfig({ testTimeout: 180_000 });

const QUEUE_LIMIT = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'infra-audit-stdout-'));
// Measurement only: the child's stdout is Node's stream; the hook wraps its write to read the queue after each one.
const HOOK = join(dir, 'stdout-hook.mjs');
writeFileSync(
  HOOK,
  `const out = process.stdout;
const write = out.write;
let peak = 0, written = 0, afterClose = 0, closed = false, over = false, waiting = false;
out.on('close', () => (closed = true));
out.write = function (...args) {
  if (closed || out.destroyed) afterClose++;
  const ok = write.apply(this, args);
  written++;
  peak = Math.max(peak, out.writableLength);
  if (!over && out.writableLength > ${QUEUE_LIMIT}) { over = true; process.stderr.write('hook: stdout queue over the limit\\n'); }
  return ok;
};
out.on('newListener', (event) => {
  if (event === 'drain' && !waiting) { waiting = true; process.stderr.write('hook: stdout waits for drain\\n'); }
});
process.on('exit', () => process.stderr.write('hook: peak ' + peak + ' writes ' + written + ' after-close ' + afterClose + '\\n'));
`,
);

function hookReport(err: string): { peak: number; writes: number; afterClose: number } {
  const m = err.match(/^hook: peak (\d+) writes (\d+) after-close (\d+)$/m);
  if (!m) throw new Error(`the child did not report its stdout:\n${err}`);
  return { peak: Number(m[1]), writes: Number(m[2]), afterClose: Number(m[3]) };
}

/** Reads nothing until `resume` resolves, then everything, counting bytes. */
function slowReader(run: CliProcess, resume: Promise<unknown>): Promise<number> {
  const stdout = run.child.stdout!;
  // startCli listens for 'data' (flowing); pause it so the pipe fills and the child has to wait.
  stdout.pause();
  let bytes = 0;
  stdout.on('data', (d: Buffer) => (bytes += d.length));
  void resume.then(() => stdout.resume());
  return run.exited.then(() => bytes);
}

describe('a report on stdout', () => {
  const generated = generateAccount({ buckets: 300, roles: 40, users: 15, securityGroups: 30, dbInstances: 6 }, 5);
  const env = useSandbox(generated.account);
  const args = () => ['audit', '--endpoint-url', env.endpoint, '--region', 'us-east-1', '--format', 'ocsf', '--quiet'];
  const hookEnv = { NODE_OPTIONS: `--import=${HOOK}` };
  let fullRun: { code: number | null } | undefined;

  it('goes at the pace of a slow reader: the CLI waits for the pipe instead of queueing the report in memory', async () => {
    const run = startCli(args(), { env: hookEnv });
    // The reader starts once the CLI either waits for the full pipe or has queued past the limit, whichever comes first.
    const bytes = await slowReader(run, Promise.race([run.waitForErr(/hook: stdout waits for drain/), run.waitForErr(/hook: stdout queue over the limit/)]).catch(() => undefined));
    const r = await run.exited;
    const hook = hookReport(r.err);
    // The report is many times the limit and the pipe's own buffer, and arrives whole.
    expect(bytes).toBeGreaterThan(2 * QUEUE_LIMIT);
    expect(Buffer.byteLength(r.out)).toBe(bytes);
    expect((JSON.parse(r.out) as unknown[]).length).toBeGreaterThan(1000);
    expect(r.err).not.toMatch(/hook: stdout queue over the limit/);
    expect(hook.peak).toBeLessThan(QUEUE_LIMIT / 4);
    expect(r.code, r.err).toBe(1);
    fullRun = { code: r.code };
  });

  it('ends quietly with the audit\'s exit code when the reader stops early (| head), rendering nothing more for it', async () => {
    const run = startCli(args(), { env: hookEnv });
    const stdout = run.child.stdout!;
    let bytes = 0;
    // `head -c 64k`: take the first 64 KiB, then close the pipe.
    stdout.on('data', (d: Buffer) => {
      bytes += d.length;
      if (bytes >= 64 * 1024) stdout.destroy();
    });
    const r = await run.exited;
    const hook = hookReport(r.err);
    expect(r.err).not.toMatch(/EPIPE|ERR_STREAM|\n\s+at /);
    expect(r.err).not.toMatch(/infra-audit: /);
    // The audit's verdict, as when the whole report was read.
    expect(r.code).toBe(fullRun?.code ?? 1);
    // It stopped where the reader did: no write into the closed pipe, and most of the report never rendered.
    expect(hook.afterClose).toBe(0);
    // Writes are 64 KiB pieces (report/stream.ts batched): at most about 1 MiB of a report over 2 MiB.
    expect(hook.writes).toBeLessThan(16);
  });
});
