/**
 * The built CLI's `serve --http`, killed with SIGKILL in the middle of a load: every result
 * a client received must have its record on disk, and the chain must verify.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { hashToken } from '../server/auth/tokens.js';
import { REQUEST_ID_META } from '../server/create-server.js';
import { useSandbox } from '../test-support/sandbox.js';
import { verifyChain } from './verify.js';
import type { AuditRecord } from './record.js';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const TOKEN = 'token-crash-test-0123456789';

function serve(args: string[]): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const child = spawn(process.execPath, [MAIN, 'serve', '--http', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 20_000);
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).once('line', (url) => {
      clearTimeout(timer);
      resolve({ child, url, stderr: () => stderr });
    });
  });
}

const exited = (child: ChildProcess) => new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));

describe('SIGKILL in the middle of a load', () => {
  const env = useSandbox('minimal-account.json');
  let dir: string;

  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` (npm test does it first)`);
    dir = mkdtempSync(join(tmpdir(), 'audit-crash-'));
    writeFileSync(join(dir, 'tokens.json'), JSON.stringify({ tokens: [{ principal: 'load@sec', sha256: hashToken(TOKEN) }] }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loses no acknowledged record, leaves a verifiable chain, and the restarted server continues it', async () => {
    const path = join(dir, 'audit.jsonl');
    const args = ['--tokens-file', join(dir, 'tokens.json'), '--endpoint-url', env.endpoint, '--audit-log', path, '--rate-limit', '100000'];
    const { child, url } = await serve(args);
    const received: string[] = [];
    const KILL_AFTER = 1_500;
    const clients = await Promise.all(
      Array.from({ length: 64 }, async (_, i) => {
        const client = new Client({ name: `crash-${i}`, version: '1' });
        await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }));
        return client;
      }),
    );
    await Promise.all(
      clients.map(async (client) => {
        // Bounded: stops at the first failure (the kill) or after 1,000 calls.
        for (let n = 0; n < 1_000; n++) {
          try {
            const res = await client.callTool({ name: 'whoami', arguments: {} });
            if (res.isError) return;
            received.push((res._meta as Record<string, string>)[REQUEST_ID_META]!);
          } catch {
            return;
          }
          if (received.length === KILL_AFTER) child.kill('SIGKILL');
        }
      }),
    );
    await exited(child);
    expect(child.signalCode).toBe('SIGKILL');
    expect(received.length).toBeGreaterThanOrEqual(KILL_AFTER);

    const onDisk = new Set(
      readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l.endsWith('}'))
        .map((l) => {
          try {
            return (JSON.parse(l) as AuditRecord).api.request?.uid;
          } catch {
            return undefined;
          }
        }),
    );
    const missing = received.filter((id) => !onDisk.has(id));
    expect(missing).toEqual([]);
    const afterKill = await verifyChain([path]);
    expect(afterKill.ok).toBe(true);
    expect(afterKill.records).toBeGreaterThanOrEqual(received.length);

    // The restarted server takes over the stale lock, sets aside any torn tail and continues the chain.
    const again = await serve(args);
    const client = new Client({ name: 'after-restart', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(again.url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }));
    const res = await client.callTool({ name: 'whoami', arguments: {} });
    expect(res.isError).toBeFalsy();
    await client.close();
    again.child.kill('SIGTERM');
    await exited(again.child);
    const final = await verifyChain([path]);
    expect(final).toMatchObject({ ok: true, firstSeq: 1 });
    expect(final.records).toBeGreaterThan(afterKill.records);
    expect(final.torn).toBeUndefined();
  });
});
