/**
 * Issue 13 item 13, through the built CLI as a child process against a slow sandbox: progress on
 * stderr (a line per interval off a terminal, one redrawn line on a terminal), --quiet, --verbose,
 * and a huge --concurrency capped with a warning, for `audit` and `drift`.
 *
 * The 10 s between CI lines is shortened with the hidden --progress-interval (milliseconds); the
 * rule itself (never two lines closer than the interval) is asserted from the run's duration here
 * and with an injected clock in progress.test.ts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { BUILT_CLI } from '../test-support/agent-run.js';
import { runCli } from '../test-support/cli.js';
import { childProcessEnv, useSandbox } from '../test-support/sandbox.js';
import { MAX_CONCURRENCY } from '../aws/concurrency.js';

vi.setConfig({ testTimeout: 120_000 });
const dir = mkdtempSync(join(tmpdir(), 'infra-audit-progress-'));
const BUCKETS = 40;
const account = {
  AccountId: '111122223333',
  Regions: { 'us-east-1': {} },
  S3: { Buckets: Array.from({ length: BUCKETS }, (_, i) => ({ Name: `progress-bucket-${String(i).padStart(2, '0')}`, CreationDate: '2025-01-01T00:00:00Z' })) },
};
const emptyState = join(dir, 'empty.tfstate');
writeFileSync(emptyState, JSON.stringify({ version: 4, terraform_version: '1.9.0', serial: 1, lineage: 'x', outputs: {}, resources: [] }));

/** Two checks below the default --fail-on high: the run exits 0 with its findings. */
const S3_AUDIT = ['--region', 'us-east-1', '--checks', 's3_bucket_versioning,s3_bucket_default_encryption'];

async function timedCli(args: string[]) {
  const started = Date.now();
  const result = await runCli(args);
  return { ...result, ms: Date.now() - started };
}

describe('progress, --quiet, --verbose and the --concurrency cap', () => {
  // 15 ms per answer, two calls in flight: a few hundred calls take seconds.
  const env = useSandbox(account, { latencyMs: 15 });

  it('off a terminal: a plain progress line at most once per interval, with per-service counts', async () => {
    const interval = 300;
    const r = await timedCli(['audit', '--endpoint-url', env.endpoint, ...S3_AUDIT, '--concurrency', '2', '--progress-interval', String(interval), '--format', 'json', '--output', join(dir, 'a.json')]);
    expect(r.code, r.err).toBe(0);
    const lines = r.err.split('\n').filter((l) => l.startsWith('audit: progress '));
    expect(lines.length).toBeGreaterThanOrEqual(1);
    // The first line comes one interval after the start, and none closer than the interval to another.
    expect(lines.length).toBeLessThanOrEqual(Math.floor(r.ms / interval));
    for (const line of lines) expect(line).toMatch(/^audit: progress \S.* · \d+(\.\d)? s( · AWS calls done\/known: .*\(\d+ done\)( · ETA ~.+)?)?$/);
    expect(lines.some((l) => /AWS calls done\/known: .*s3 \d+\/\d+/.test(l))).toBe(true);
    expect(r.err).not.toMatch(/[\r\u001b]/);
    expect(r.err).toMatch(/audit: account 111122223333: 2 checks, \d+ fail/);
  });

  it('off a terminal with the default 10 s: a run shorter than that prints no progress line, only its summary', async () => {
    const r = await timedCli(['audit', '--endpoint-url', env.endpoint, '--region', 'us-east-1', '--checks', 's3_bucket_versioning']);
    expect(r.code, r.err).toBe(0);
    expect(r.ms).toBeLessThan(10_000);
    expect(r.err.split('\n').filter(Boolean)).toEqual([expect.stringMatching(/^audit: account 111122223333: 1 checks, 40 fail, 0 pass, 0 error; \d+ AWS calls in [\d.]+ s$/)]);
  });

  it('--quiet prints nothing on stderr on success, with or without findings; errors still print', async () => {
    const clean = await runCli(['audit', '--endpoint-url', env.endpoint, ...S3_AUDIT, '--quiet', '--progress-interval', '50', '--concurrency', '500']);
    expect(clean.code).toBe(0);
    expect(clean.err).toBe('');
    expect(clean.out).toContain('progress-bucket-00');
    const failing = await runCli(['audit', '--endpoint-url', env.endpoint, '--region', 'us-east-1', '--checks', 's3_bucket_versioning', '--fail-on', 'low', '-q']);
    expect(failing.code).toBe(1);
    expect(failing.err).toBe('');
    const drift = await runCli(['drift', '--state', emptyState, '--endpoint-url', env.endpoint, '--region', 'us-east-1', '--quiet', '--progress-interval', '50']);
    expect(drift.code).toBe(1);
    expect(drift.err).toBe('');
    const error = await runCli(['audit', '--endpoint-url', env.endpoint, '--quiet', '--fail-on', 'severe']);
    expect(error.code).toBe(2);
    expect(error.err).toMatch(/^infra-audit: .*--fail-on.*severe/);
    const usage = await runCli(['audit', '--endpoint-url', env.endpoint, '--quiet', '--verbose']);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('--quiet and --verbose exclude each other');
  });

  it('--verbose: each phase and completed service, the calls per operation and the peak in flight', async () => {
    const r = await runCli(['audit', '--endpoint-url', env.endpoint, ...S3_AUDIT, '--verbose']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/^audit: identity of caller credentials$/m);
    expect(r.err).toMatch(/^audit: 111122223333: collecting$/m);
    expect(r.err).toMatch(/^audit: 111122223333: collected s3 global$/m);
    expect(r.err).toMatch(new RegExp(`^audit: AWS calls by operation: .*s3:GetBucketVersioning ${BUCKETS}\\b`, 'm'));
    expect(r.err).toMatch(/^audit: most AWS calls in flight at once: .*s3 \d+/m);
    const drift = await runCli(['drift', '--state', emptyState, '--endpoint-url', env.endpoint, '--region', 'us-east-1', '--verbose']);
    expect(drift.err).toMatch(/^drift: read s3 global$/m);
    expect(drift.err).toMatch(/^drift: AWS calls by operation: /m);
  });

  it(`a huge --concurrency is capped at ${MAX_CONCURRENCY} with one warning line, for audit and drift`, async () => {
    const warning = `warning: --concurrency 100000 is capped at ${MAX_CONCURRENCY} requests in flight per service`;
    const r = await runCli(['audit', '--endpoint-url', env.endpoint, ...S3_AUDIT, '--concurrency', '100000', '--verbose']);
    expect(r.code, r.err).toBe(0);
    expect(r.err.split('\n').filter((l) => l.includes('--concurrency'))).toEqual([expect.stringContaining(`audit: ${warning}`)]);
    const peak = Number(/most AWS calls in flight at once: .*\bs3 (\d+)/.exec(r.err)?.[1]);
    expect(peak).toBeGreaterThan(10);
    expect(peak).toBeLessThanOrEqual(MAX_CONCURRENCY);
    const drift = await runCli(['drift', '--state', emptyState, '--endpoint-url', env.endpoint, '--region', 'us-east-1', '--concurrency', '100000']);
    expect(drift.err.split('\n').filter((l) => l.includes('--concurrency'))).toEqual([expect.stringContaining(`drift: ${warning}`)]);
    // At the cap itself, no warning.
    expect((await runCli(['audit', '--endpoint-url', env.endpoint, ...S3_AUDIT, '--concurrency', String(MAX_CONCURRENCY)])).err).not.toContain('capped');
  });

  // Slower answers for the terminal case: the ETA needs a second of evidence, so the run must outlast it.
  const slow = useSandbox(account, { latencyMs: 50 });

  it('on a terminal: one line redrawn in place with per-service counts and an ETA, cleared before the summary', async () => {
    // `script` gives the child a pseudo-terminal, as a person's shell would.
    const command = [process.execPath, BUILT_CLI, 'audit', '--endpoint-url', slow.endpoint, ...S3_AUDIT, '--concurrency', '2', '--format', 'json', '--output', join(dir, 'tty.json')]
      .map((a) => `'${a.replace(/'/g, `'\\''`)}'`)
      .join(' ');
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env: childProcessEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout!.on('data', (d) => (text += String(d)));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, text).toBe(0);
    const draws = text.split('\r').filter((d) => d.startsWith('audit: 111122223333: collecting'));
    expect(draws.length).toBeGreaterThan(1);
    expect(draws.some((d) => /AWS calls done\/known: s3 \d+\/\d+.* · ETA ~/.test(d))).toBe(true);
    // Redrawn, never scrolled: no progress line ends in a newline, and no CI-style line at all.
    for (const d of draws) expect(d).not.toContain('\n');
    expect(text).not.toContain('audit: progress ');
    expect(text).toMatch(/\r\u001b\[Kaudit: account 111122223333: 2 checks, \d+ fail/);
  });
});
