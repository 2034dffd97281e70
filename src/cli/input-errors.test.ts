/**
 * Inputs a person gets wrong, through the built CLI as a child process: each gets its own
 * one-line error naming the input and a hint, exit 2, never "internal error … this is a bug":
 * a port in use, an invalid port, a directory given as an audit log, an invalid AWS_REGION
 * (not a credentials failure), a profile that does not exist (named).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli, type CliResult } from '../test-support/cli.js';
import { useSandbox } from '../test-support/sandbox.js';

vi.setConfig({ testTimeout: 120_000 });
const DEMO_ACCOUNT = fileURLToPath(new URL('../../examples/demo/account.json', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'infra-audit-input-errors-'));

/** The error form: `infra-audit: <one line>` and `  hint: <one line>`, exit 2, no bug report, no stack. */
function expectUserError(r: CliResult, message: RegExp): void {
  expect(r.code, r.err).toBe(2);
  const lines = r.err.trimEnd().split('\n');
  expect(lines, r.err).toHaveLength(2);
  expect(lines[0]).toMatch(/^infra-audit: /);
  expect(lines[0]).toMatch(message);
  expect(lines[1]).toMatch(/^ {2}hint: \S/);
  expect(r.err).not.toMatch(/internal error|this is a bug|\n\s+at /);
}

describe('ports', () => {
  let busy: Server;
  let port: number;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    port = (busy.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));
  const env = useSandbox({ AccountId: '111122223333', Regions: { 'us-east-1': {} } });

  it('sandbox on a port already in use names the address and says what to do', async () => {
    const r = await runCli(['sandbox', '--account', DEMO_ACCOUNT, '--port', String(port)]);
    expectUserError(r, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: the port is already in use`));
    expect(r.err).toContain('--port');
  });

  it('serve --http on a port already in use: the same, before anything is served', async () => {
    const tokens = join(dir, 'tokens.json');
    await runCli(['token', 'create', '--principal', 'ci', '--tokens-file', tokens]);
    const r = await runCli(['serve', '--http', '--port', String(port), '--tokens-file', tokens, '--endpoint-url', env.endpoint, '--audit-log', join(dir, 'serve-busy.jsonl')]);
    expect(r.code, r.err).toBe(2);
    expect(r.out).toBe('');
    const error = r.err.slice(r.err.indexOf('infra-audit: '));
    expectUserError({ ...r, err: error }, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: the port is already in use`));
  });

  for (const [command, args] of [
    ['sandbox', ['sandbox', '--account', DEMO_ACCOUNT, '--port', '70000']],
    ['serve', ['serve', '--http', '--port', '99999']],
  ] as const) {
    it(`${command} --port out of range is a usage error`, async () => {
      const r = await runCli([...args]);
      expectUserError(r, /--port expects a port number from 0 to 65535, got "\d+"/);
    });
  }
});

describe('a directory where an audit log file is expected', () => {
  for (const args of [['log', 'query'], ['log', 'verify'], ['log', 'tail', '--no-follow']]) {
    it(`${args.join(' ')} DIR says it is a directory`, async () => {
      const r = await runCli([...args, dir]);
      expectUserError(r, new RegExp(`${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is a directory, not an audit log file`));
      expect(r.err).toContain('audit.jsonl');
    });
  }
});

describe('AWS settings', () => {
  const env = useSandbox({ AccountId: '111122223333', Regions: { 'us-east-1': {} }, S3: { Buckets: [{ Name: 'bucket-one', CreationDate: '2025-01-01T00:00:00Z' }] } });
  const config = join(dir, 'aws-config');
  writeFileSync(config, '[default]\nregion = us-east-1\n\n[profile dev]\nregion = eu-west-1\n');
  const credentials = join(dir, 'aws-credentials');
  writeFileSync(credentials, '[ci-static]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n');

  it('an invalid AWS_REGION is named as such, not as a credentials or network failure', async () => {
    const r = await runCli(['audit', '--endpoint-url', env.endpoint, '--checks', 's3_bucket_versioning'], { env: { AWS_REGION: 'us-east-1x' } });
    expectUserError(r, /AWS_REGION="us-east-1x" is not an AWS region name/);
    expect(r.err).not.toMatch(/credential|cannot reach/i);
    const drift = await runCli(['drift', '--state', join(dir, 'none.tfstate'), '--endpoint-url', env.endpoint], { env: { AWS_DEFAULT_REGION: 'Frankfurt' } });
    expectUserError(drift, /AWS_DEFAULT_REGION="Frankfurt" is not an AWS region name/);
  });

  it('an invalid --region is refused even when only global checks run', async () => {
    const r = await runCli(['audit', '--endpoint-url', env.endpoint, '--region', 'eu-west-1x', '--checks', 's3_bucket_versioning']);
    expectUserError(r, /--region "eu-west-1x" is not an AWS region name/);
  });

  for (const command of ['audit', 'drift', 'serve'] as const) {
    it(`${command} --profile nope names the profile and the profiles there are`, async () => {
      const args = command === 'drift' ? ['drift', '--state', join(dir, 'none.tfstate')] : [command];
      const r = await runCli([...args, '--profile', 'nope', '--endpoint-url', env.endpoint], { env: { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials } });
      expectUserError(r, /--profile nope: no profile named "nope" in .*aws-config or .*aws-credentials/);
      expect(r.err).toMatch(/profiles there: ci-static, default, dev/);
    });
  }

  it('AWS_PROFILE naming no profile is reported the same way', async () => {
    const r = await runCli(['audit', '--endpoint-url', env.endpoint], { env: { AWS_PROFILE: 'staging', AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials } });
    expectUserError(r, /AWS_PROFILE=staging: no profile named "staging"/);
  });

  it('an existing profile passes the check (and the audit runs)', async () => {
    const r = await runCli(['audit', '--profile', 'ci-static', '--endpoint-url', env.endpoint, '--checks', 's3_bucket_versioning', '--format', 'json'], {
      env: { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials },
    });
    expect(r.err).not.toMatch(/no profile named/);
    expect(JSON.parse(r.out).findings.length).toBeGreaterThan(0);
  });
});
