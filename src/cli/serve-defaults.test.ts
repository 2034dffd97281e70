/**
 * `serve` as a desktop MCP client starts it (working directory `/`, no --audit-log), through the
 * built CLI as a child process: the audit log goes to the platform state directory, created and
 * printed at startup; and the HTTP startup line states the number of tools a client really gets.
 */
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it, vi } from 'vitest';
import { runCli, startCli } from '../test-support/cli.js';
import { useSandbox } from '../test-support/sandbox.js';

vi.setConfig({ testTimeout: 120_000 });
const dir = mkdtempSync(join(tmpdir(), 'infra-audit-serve-defaults-'));
const account = { AccountId: '111122223333', Regions: { 'us-east-1': {} } };

describe('serve: the default audit log lives in the state directory', () => {
  const env = useSandbox(account);

  for (const [name, extraEnv, expected] of [
    ['$XDG_STATE_HOME/infra-audit/', { XDG_STATE_HOME: join(dir, 'xdg-state'), HOME: join(dir, 'unused-home') }, join(dir, 'xdg-state', 'infra-audit', 'audit.jsonl')],
    ['~/.local/state/infra-audit/ without XDG_STATE_HOME', { HOME: join(dir, 'home') }, join(dir, 'home', '.local', 'state', 'infra-audit', 'audit.jsonl')],
  ] as const) {
    it(`started in / with no --audit-log: ${name}, created and printed`, async () => {
      expect(existsSync(expected)).toBe(false);
      const run = startCli(['serve', '--endpoint-url', env.endpoint], { cwd: '/', env: extraEnv, keepStdin: true });
      await run.waitForErr(/MCP over stdio, \d+ read-only tools/);
      // The client goes away: the server closes its log and exits 0.
      run.child.stdin!.end();
      const r = await run.exited;
      expect(r.code, r.err).toBe(0);
      expect(r.err).toContain(`audit log ${expected}`);
      expect(r.err).toMatch(/the default, in the state directory \(--audit-log to change\)/);
      expect(existsSync(expected)).toBe(true);
      expect(statSync(join(expected, '..')).mode & 0o777).toBe(0o700);
      // Nothing was written to the working directory.
      expect(existsSync('/infra-audit-audit.jsonl')).toBe(false);
      const verify = await runCli(['log', 'verify', expected]);
      expect(verify.code, verify.out + verify.err).toBe(0);
    });
  }

  it('an explicit --audit-log is used as given', async () => {
    const file = join(dir, 'explicit.jsonl');
    const run = startCli(['serve', '--endpoint-url', env.endpoint, '--audit-log', file], { env: { XDG_STATE_HOME: join(dir, 'not-this') }, keepStdin: true });
    await run.waitForErr(/MCP over stdio/);
    run.child.stdin!.end();
    const r = await run.exited;
    expect(r.err).toContain(`audit log ${file}`);
    expect(r.err).not.toContain('the default');
    expect(existsSync(join(dir, 'not-this'))).toBe(false);
  });
});

describe('serve --http: the startup line counts the tools a client is served', () => {
  const env = useSandbox(account);

  for (const toolsets of [undefined, 's3,checks']) {
    it(`${toolsets ? `--toolsets ${toolsets}` : 'all toolsets'}: the count equals tools/list`, async () => {
      const tokens = join(dir, `tokens-${toolsets ?? 'all'}.json`);
      const created = await runCli(['token', 'create', '--principal', 'ci', '--tokens-file', tokens]);
      const token = /^(\S{20,})$/m.exec(created.out)?.[1];
      expect(token, created.out).toBeDefined();
      const run = startCli(
        ['serve', '--http', '--tokens-file', tokens, '--endpoint-url', env.endpoint, '--audit-log', join(dir, `http-${toolsets ?? 'all'}.jsonl`), ...(toolsets ? ['--toolsets', toolsets] : [])],
        { keepStdin: true },
      );
      try {
        const [, url, count] = await run.waitForErr(/MCP over Streamable HTTP at (\S+), (\d+) read-only tools/);
        const client = new Client({ name: 'serve-defaults-test', version: '0' });
        await client.connect(new StreamableHTTPClientTransport(new URL(url!), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
        const { tools } = await client.listTools();
        await client.close();
        expect(tools.length).toBeGreaterThan(0);
        expect(Number(count)).toBe(tools.length);
      } finally {
        run.child.kill('SIGTERM');
        await run.exited;
      }
    });
  }
});
