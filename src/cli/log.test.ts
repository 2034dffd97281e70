import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { main } from './main.js';
import { bufferIO } from './io.js';
import { AuditLog } from '../audit-log/audit-log.js';
import type { ToolCallEvent } from '../server/create-server.js';
import type { AuditRecord } from '../audit-log/record.js';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-cli-'));
  path = join(dir, 'audit.jsonl');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function event(i: number, principal: string, tool: string, outcome: ToolCallEvent['outcome'], startedAt = new Date()): ToolCallEvent {
  return {
    method: 'tools/call',
    requestId: `req-${i}`,
    tool,
    caller: { principal, transport: 'http' },
    args: tool === 'get_bucket_policy' ? { bucket: `bucket-${i}` } : {},
    startedAt,
    durationMs: 2,
    outcome,
    ...(outcome === 'success' ? {} : { errorCode: outcome === 'denied' ? 'READ_ONLY_VIOLATION' : 'AWS_ERROR', errorMessage: 'refused' }),
    resultText: `r${i}`,
  };
}

async function writeSample(events: ToolCallEvent[], env: NodeJS.ProcessEnv = {}): Promise<void> {
  const key = env.INFRA_AUDIT_LOG_HMAC_KEY;
  const audit = await AuditLog.open({ target: path, ...(key ? { hmacKey: Buffer.from(key) } : {}) });
  for (const e of events) await audit.onToolCall(e);
  await audit.close();
}

const SAMPLE = [
  event(1, 'alice@sec', 'whoami', 'success', new Date('2025-01-01T00:00:00Z')),
  event(2, 'agent-7', 'get_bucket_policy', 'success', new Date('2025-01-02T00:00:00Z')),
  event(3, 'agent-7', 'get_bucket_policy', 'denied', new Date('2025-01-03T00:00:00Z')),
  event(4, 'alice@sec', 'list_s3_buckets', 'error', new Date('2025-01-04T00:00:00Z')),
  event(5, 'agent-7', 'whoami', 'success', new Date('2025-01-05T00:00:00Z')),
];

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const io = bufferIO({ env: { ...process.env, INFRA_AUDIT_LOG_HMAC_KEY: '', ...env } });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('infra-audit log verify', () => {
  it('exits 0 with a summary when intact, 1 naming the line when tampered', async () => {
    await writeSample(SAMPLE);
    const ok = await run(['log', 'verify', path]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^intact: 5 record\(s\) in 1 file\(s\), seq 1\.\.5/);
    expect(ok.out).toContain('last hash');

    const lines = readFileSync(path, 'utf8').split('\n');
    lines[2] = lines[2]!.replace('"outcome":"denied"', '"outcome":"success"');
    writeFileSync(path, lines.join('\n'));
    const bad = await run(['log', 'verify', path]);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain(`TAMPERED: ${path}:3`);
    expect(bad.out).toContain('altered');
  });

  it('needs the HMAC key for an HMAC-sealed log, and says where to put it', async () => {
    await writeSample(SAMPLE.slice(0, 2), { INFRA_AUDIT_LOG_HMAC_KEY: 'k3y-for-test' });
    const without = await run(['log', 'verify', path]);
    expect(without.code).toBe(2);
    expect(without.err).toContain('INFRA_AUDIT_LOG_HMAC_KEY');
    const withKey = await run(['log', 'verify', path], { INFRA_AUDIT_LOG_HMAC_KEY: 'k3y-for-test' });
    expect(withKey.code).toBe(0);
    expect(withKey.out).toContain('hmac-sha256');
  });
});

describe('infra-audit log query', () => {
  beforeEach(() => writeSample(SAMPLE));

  it('filters by caller, outcome, tool and time, as a table or as JSON lines', async () => {
    const denied = await run(['log', 'query', path, '--caller', 'agent-7', '--outcome', 'denied']);
    expect(denied.code).toBe(0);
    const rows = denied.out.trim().split('\n');
    expect(rows[0]).toMatch(/^TIME\s+OUTCOME\s+CALLER\s+OPERATION/);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(/2025-01-03T00:00:00.000Z\s+denied\s+agent-7\s+get_bucket_policy.*READ_ONLY_VIOLATION/);

    const json = await run(['log', 'query', path, '--tool', 'get_*', '--format', 'json']);
    const records = json.out.trim().split('\n').map((l) => JSON.parse(l) as AuditRecord);
    expect(records.map((r) => r.api.request?.uid)).toEqual(['req-2', 'req-3']);

    const since = await run(['log', 'query', path, '--since', '2025-01-04T00:00:00Z', '--format', 'json']);
    expect(since.out.trim().split('\n')).toHaveLength(2);
    const none = await run(['log', 'query', path, '--caller', 'nobody']);
    expect(none.out).toBe('');
    expect(none.err).toContain('0 record(s)');
    const one = await run(['log', 'query', path, '--request-id', 'req-4', '--format', 'json']);
    expect((JSON.parse(one.out) as AuditRecord).api.operation).toBe('list_s3_buckets');
  });

  it('rejects a bad filter with a usage error', async () => {
    const res = await run(['log', 'query', path, '--outcome', 'maybe']);
    expect(res.code).toBe(2);
    expect(res.err).toContain('--outcome expects success, error or denied');
    expect((await run(['log', 'query', path, '--since', 'yesterday'])).err).toContain('--since expects an ISO time');
  });
});

describe('infra-audit log tail', () => {
  it('prints the last records, then follows new ones until interrupted', async () => {
    await writeSample(SAMPLE);
    const last = await run(['log', 'tail', path, '-n', '2', '--no-follow', '--format', 'json']);
    expect(last.out.trim().split('\n').map((l) => (JSON.parse(l) as AuditRecord).api.request?.uid)).toEqual(['req-4', 'req-5']);

    let interrupt!: (reason: string) => void;
    const io = bufferIO({ env: { ...process.env, INFRA_AUDIT_LOG_HMAC_KEY: '' }, interrupted: new Promise((r) => (interrupt = r)) });
    const tailing = main(['log', 'tail', path, '-n', '1', '--caller', 'bob@sec'], io);
    await sleep(100);
    const audit = await AuditLog.open({ target: path });
    await audit.onToolCall(event(6, 'bob@sec', 'whoami', 'success'));
    await audit.onToolCall(event(7, 'alice@sec', 'whoami', 'success'));
    await audit.close();
    // Bounded wait for the poll (500 ms) to pick the record up.
    for (let i = 0; i < 50 && !io.out().includes('bob@sec'); i++) await sleep(50);
    interrupt('SIGINT');
    expect(await tailing).toBe(0);
    const lines = io.out().trim().split('\n');
    expect(lines[0]).toMatch(/^TIME/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/success\s+bob@sec\s+whoami/);
  });
});
