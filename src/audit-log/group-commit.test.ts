import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startHttpServer, type RunningHttpServer } from '../server/http.js';
import { createMcpServer, REQUEST_ID_META } from '../server/create-server.js';
import { ServerSession } from '../server/session.js';
import { TokenAuthenticator, hashToken } from '../server/auth/tokens.js';
import { useSandbox, TEST_CREDENTIALS } from '../test-support/sandbox.js';
import { AuditLog } from './audit-log.js';
import { verifyChain } from './verify.js';
import type { AuditRecord } from './record.js';

const TOKEN = 'token-group-commit-0123456789';
const CLIENTS = 24;

/**
 * Group commit through the real Streamable HTTP transport: the log's sync is counted, and
 * the first sync of the measured calls is held until every other call's record is queued
 * behind it. So the test does not depend on timing: whatever the machine's speed, the other
 * calls can only be answered after a sync that takes them together.
 */
describe('group commit under concurrent HTTP clients', () => {
  const env = useSandbox('minimal-account.json');
  let dir: string;
  let path: string;
  let audit: AuditLog;
  let session: ServerSession;
  let server: RunningHttpServer;
  let syncs = 0;
  let hold: Promise<void> | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'audit-group-'));
    path = join(dir, 'audit.jsonl');
    const aroundDurableWrite = async (write: () => Promise<void>) => {
      syncs++;
      await hold;
      await write();
    };
    audit = await AuditLog.open({ target: path, identity: () => session.identity(), region: 'us-east-1', aroundDurableWrite });
    session = new ServerSession({ aws: { endpointUrl: env.endpoint, credentials: TEST_CREDENTIALS, region: 'us-east-1' }, awsCallRecorder: audit });
    server = await startHttpServer({
      authenticator: new TokenAuthenticator([{ principal: 'alice@sec', sha256: hashToken(TOKEN) }]),
      rateLimitPerSecond: 1_000_000,
      buildServer: (principal) => createMcpServer(session, { defaultCaller: { principal: principal.name, transport: 'http' }, onToolCall: audit.onToolCall }),
    });
  });
  afterAll(async () => {
    await server.close();
    session.close();
    await audit.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Turns of the event loop (each lets the server take more requests) until `condition` holds; bounded. */
  async function until(condition: () => boolean): Promise<void> {
    for (let turn = 0; turn < 200_000 && !condition(); turn++) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(condition()).toBe(true);
  }

  it(`${CLIENTS} concurrent calls are all recorded in one verifiable chain with fewer syncs than calls`, async () => {
    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, async (_, i) => {
        const client = new Client({ name: `group-${i}`, version: '1' });
        await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }));
        return client;
      }),
    );
    // One call first, so the identity lookup and its AWS call record are behind us.
    expect((await clients[0]!.callTool({ name: 'whoami', arguments: {} })).isError).toBeFalsy();
    await audit.flush();

    let release!: () => void;
    hold = new Promise<void>((resolve) => (release = resolve));
    syncs = 0;
    const calls = clients.map((client) => client.callTool({ name: 'whoami', arguments: {} }));
    // The first record's batch is in its (held) sync; every other record queues behind it.
    await until(() => audit.stats.queued === CLIENTS - 1);
    expect(syncs).toBe(1);
    release();
    const results = await Promise.all(calls);
    hold = undefined;
    await Promise.all(clients.map((c) => c.close()));

    expect(results.every((r) => !r.isError)).toBe(true);
    // The first record alone, then all the others in one batch: 2 syncs for CLIENTS calls.
    expect(syncs).toBe(2);
    expect(syncs).toBeLessThan(CLIENTS);

    const ids = results.map((r) => (r._meta as Record<string, string>)[REQUEST_ID_META]!);
    const records = readFileSync(path, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as AuditRecord);
    const recorded = records.filter((r) => r.unmapped.record_type === 'mcp.tools/call').map((r) => r.api.request!.uid);
    expect(recorded.slice(-CLIENTS).sort()).toEqual([...ids].sort());
    // Chain order is queue order: sequence numbers run without a gap, each linked to the one before.
    expect(records.map((r) => r.unmapped.chain!.seq)).toEqual(records.map((_, i) => i + 1));
    expect(await verifyChain([path])).toMatchObject({ ok: true, records: records.length });
  });
});
