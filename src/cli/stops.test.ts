/**
 * Stops, timeouts and honest exits, through the built CLI as a child process (as CI runs it):
 * Ctrl-C/SIGTERM cancel in-flight AWS calls and write nothing; an endpoint that never answers
 * times out; an account that denies every read fails the gate instead of passing it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { childProcessEnv, useSandbox } from '../test-support/sandbox.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
/** "Within a second or two": a bound that still holds on a loaded 2-core machine. */
const SIGNAL_TO_EXIT_MS = 3_000;
/** The child loads the SDK clients first: seconds on a busy machine. */
const CHILD_TEST_MS = 180_000;
vi.setConfig({ testTimeout: CHILD_TEST_MS });
const dir = mkdtempSync(join(tmpdir(), 'infra-audit-stops-'));

const account = {
  AccountId: '111122223333',
  Regions: { 'us-east-1': {} },
  S3: {
    Buckets: [
      { Name: 'slow-bucket', CreationDate: '2025-01-01T00:00:00Z' },
      { Name: 'quick-bucket', CreationDate: '2025-01-01T00:00:00Z' },
    ],
  },
};

interface Run {
  child: ReturnType<typeof spawn>;
  out(): string;
  err(): string;
  /** Resolves with the exit code (or the signal that ended the child) and when it exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

function startCli(args: string[]): Run {
  const child = spawn(process.execPath, [CLI, ...args], { env: childProcessEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (err += String(d)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return { child, out: () => out, err: () => err, exited };
}

describe('Ctrl-C and SIGTERM during audit and drift', () => {
  // Every per-bucket read is accepted and never answered: without cancellation the run would wait out its timeouts.
  const env = useSandbox(account, { hang: ['slow-bucket', 'quick-bucket'] });

  for (const [signal, expected] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`audit: the first ${signal} cancels the in-flight calls and exits ${expected} at once, writing no report`, async () => {
      const output = join(dir, `audit-${signal}.json`);
      const before = env.sandbox.stats().faults.hung;
      const run = startCli(['audit', '--endpoint-url', env.endpoint, '--region', 'us-east-1', '--checks', 's3_bucket_public_read,s3_bucket_versioning', '--format', 'json', '--output', output]);
      await vi.waitFor(() => expect(env.sandbox.stats().faults.hung).toBeGreaterThanOrEqual(before + 2), { timeout: 150_000, interval: 20 });
      const sent = Date.now();
      run.child.kill(signal);
      const { code, at } = await run.exited;
      expect(code, run.err()).toBe(expected);
      expect(at - sent).toBeLessThan(SIGNAL_TO_EXIT_MS);
      expect(existsSync(output)).toBe(false);
      expect(run.out()).toBe('');
      expect(run.err()).toContain(`infra-audit: interrupted by ${signal}; in-flight AWS calls were cancelled and no report was written`);
      expect(run.err()).not.toMatch(/internal error|\n\s+at /);
    });
  }

  it('drift: SIGTERM cancels the same way', async () => {
    const state = join(dir, 'empty.tfstate');
    writeFileSync(state, JSON.stringify({ version: 4, terraform_version: '1.9.0', serial: 1, lineage: 'x', outputs: {}, resources: [] }));
    const output = join(dir, 'drift.json');
    const before = env.sandbox.stats().faults.hung;
    const run = startCli(['drift', '--state', state, '--endpoint-url', env.endpoint, '--region', 'us-east-1', '--format', 'json', '--output', output]);
    await vi.waitFor(() => expect(env.sandbox.stats().faults.hung).toBeGreaterThan(before), { timeout: 150_000, interval: 20 });
    const sent = Date.now();
    run.child.kill('SIGTERM');
    const { code, at } = await run.exited;
    expect(code, run.err()).toBe(143);
    expect(at - sent).toBeLessThan(SIGNAL_TO_EXIT_MS);
    expect(existsSync(output)).toBe(false);
  });
});

describe('Ctrl-C on a slow account', () => {
  // Each answer takes 20 s: the run is stuck on its very first call.
  const env = useSandbox(account, { latencyMs: 20_000 });

  it('cancels the call in flight: exit 130 at once', async () => {
    const before = env.sandbox.stats().requests;
    const run = startCli(['audit', '--endpoint-url', env.endpoint, '--region', 'us-east-1']);
    await vi.waitFor(() => expect(env.sandbox.stats().requests).toBeGreaterThan(before), { timeout: 150_000, interval: 20 });
    const sent = Date.now();
    run.child.kill('SIGINT');
    const { code, at } = await run.exited;
    expect(code, run.err()).toBe(130);
    expect(at - sent).toBeLessThan(SIGNAL_TO_EXIT_MS);
    expect(run.err()).toContain('interrupted by SIGINT');
  });

  it('a second signal ends the process at once', async () => {
    const before = env.sandbox.stats().requests;
    const run = startCli(['audit', '--endpoint-url', env.endpoint, '--region', 'us-east-1']);
    await vi.waitFor(() => expect(env.sandbox.stats().requests).toBeGreaterThan(before), { timeout: 150_000, interval: 20 });
    const sent = Date.now();
    run.child.kill('SIGTERM');
    run.child.kill('SIGTERM');
    const { code, at } = await run.exited;
    expect(code).toBe(143);
    expect(at - sent).toBeLessThan(SIGNAL_TO_EXIT_MS);
  });
});

describe('timeouts on every AWS call', () => {
  const sockets: Socket[] = [];
  let requests = 0;
  // Accepts every connection, reads the request, never answers.
  const silent = createServer((socket) => {
    sockets.push(socket);
    socket.on('data', (chunk) => (requests += (String(chunk).match(/^POST /gm) ?? []).length));
  });
  afterAll(() => {
    for (const s of sockets) s.destroy();
    silent.close();
  });

  it('an endpoint that accepts and never answers: exit 2 after the request timeout, one line naming it', async () => {
    const port = await new Promise<number>((resolve) => silent.listen(0, '127.0.0.1', () => resolve((silent.address() as { port: number }).port)));
    const run = startCli(['audit', '--endpoint-url', `http://127.0.0.1:${port}`, '--request-timeout', '0.5']);
    const { code } = await run.exited;
    expect(code, run.err()).toBe(2);
    // A timed-out call is tried twice, not eight times (the default --max-attempts).
    expect(requests).toBe(2);
    expect(run.err()).toMatch(/^infra-audit: no answer from the AWS endpoint for sts:GetCallerIdentity: no response within 0\.5 s \(--request-timeout\)\n {2}hint: .*--request-timeout/);
  });

  describe('a read that times out', () => {
    const env = useSandbox(account, { hang: ['GetBucketVersioning:slow-bucket'] });

    it('is an error on that resource, and the rest of the audit goes on', async () => {
      const run = startCli(['audit', '--endpoint-url', env.endpoint, '--region', 'us-east-1', '--checks', 's3_bucket_versioning', '--request-timeout', '0.5', '--format', 'json', '--fail-on', 'critical']);
      const { code } = await run.exited;
      expect(code, run.err()).toBe(0);
      const findings = JSON.parse(run.out()).findings as Array<{ resourceId: string; status: string; evidence?: unknown; statusDetail?: string }>;
      const slow = findings.find((f) => f.resourceId === 'arn:aws:s3:::slow-bucket');
      const quick = findings.find((f) => f.resourceId === 'arn:aws:s3:::quick-bucket');
      expect(slow?.status).toBe('error');
      expect(JSON.stringify(slow)).toContain('TimeoutError');
      expect(quick?.status).toBe('fail');
      expect(env.sandbox.stats().faults.hung).toBe(2);
    });
  });
});

describe('an account that denies every read', () => {
  const env = useSandbox(account, { deny: ['*'] });
  const audit = (...args: string[]) => startCli(['audit', '--endpoint-url', env.endpoint, '--region', 'us-east-1', '--fail-on', 'critical', ...args]);

  it('fails the CI gate (exit 2) instead of passing it, and the summary line says why', async () => {
    const run = audit();
    const { code } = await run.exited;
    expect(code, run.err()).toBe(2);
    expect(run.err()).toMatch(/audit: account 111122223333: (\d+) checks, 0 fail, 0 pass, \d+ error; .*INCOMPLETE: \1 of \1 checks could not run at all, more than the --error-threshold of 50%, exit 2\n/);
  });

  it('--error-threshold 1 accepts it; --fail-on-error refuses any error', async () => {
    const lenient = audit('--error-threshold', '100%');
    expect((await lenient.exited).code, lenient.err()).toBe(0);
    expect(lenient.err()).not.toContain('INCOMPLETE');

    const strict = startCli(['audit', '--endpoint-url', env.endpoint, '--region', 'us-east-1', '--checks', 's3_bucket_versioning', '--fail-on-error', '--error-threshold', '1']);
    expect((await strict.exited).code, strict.err()).toBe(2);
    expect(strict.err()).toMatch(/INCOMPLETE: 1 verdict could not be reached \(--fail-on-error\), exit 2/);
  });
});
