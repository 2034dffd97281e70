/**
 * Issue 14 item 8, through the real Streamable HTTP server on 127.0.0.1:0 with the SDK's own
 * client and raw requests (what an attacker sends): a JSON-RPC batch spends one rate-limit
 * token per message; one principal cannot take every session; unauthenticated requests are
 * limited per source address before authentication and their refusals are summarised in the
 * audit log, while an accepted call is still durable before its result is visible; a chunked
 * body over the limit is a 413.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startHttpServer, type RunningHttpServer, type HttpServerOptions } from '../server/http.js';
import { createMcpServer, type ToolCallEvent } from '../server/create-server.js';
import { ServerSession } from '../server/session.js';
import { TokenAuthenticator, hashToken } from '../server/auth/tokens.js';
import { AuditLog } from '../audit-log/audit-log.js';
import { useSandbox, TEST_CREDENTIALS } from '../test-support/sandbox.js';

const ALICE = 'token-alice-0123456789';
const BOB = 'token-bob-9876543210';
const authenticator = () => new TokenAuthenticator([{ principal: 'alice@sec', sha256: hashToken(ALICE) }, { principal: 'bob@sec', sha256: hashToken(BOB) }]);

interface RawReply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A raw request; `chunks` are written one by one without a content-length (Transfer-Encoding: chunked). */
function raw(url: string, init: { headers?: Record<string, string>; body?: string; chunks?: Buffer[]; method?: string }): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? 'POST', headers: init.headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    if (init.chunks) {
      // All at once, as a client streaming a body does: the server answers while it still arrives.
      for (const chunk of init.chunks) req.write(chunk);
      req.end();
    } else req.end(init.body);
  });
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const INIT = (id = 1, version = '2025-03-26') => ({ jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion: version, capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });

/** Open a session with raw requests, as a client speaking `version` would. */
async function openSession(url: string, token: string, version: string): Promise<Record<string, string>> {
  const init = await raw(url, { headers: { ...JSON_HEADERS, authorization: `Bearer ${token}` }, body: JSON.stringify(INIT(1, version)) });
  expect(init.status).toBe(200);
  const headers = { ...JSON_HEADERS, authorization: `Bearer ${token}`, 'mcp-session-id': String(init.headers['mcp-session-id']), 'mcp-protocol-version': version };
  const ack = await raw(url, { headers, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
  expect(ack.status).toBe(202);
  return headers;
}

async function connect(url: string, token: string) {
  const client = new Client({ name: 'abuse-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return client;
}

function start(endpoint: string, events: ToolCallEvent[], extra: Partial<HttpServerOptions> = {}, onToolCall?: (e: ToolCallEvent) => Promise<void>) {
  const session = new ServerSession({ aws: { endpointUrl: endpoint, credentials: TEST_CREDENTIALS, region: 'us-east-1', maxAttempts: 1 } });
  return startHttpServer({
    authenticator: authenticator(),
    buildServer: (principal) =>
      createMcpServer(session, {
        defaultCaller: { principal: principal.name, transport: 'http' },
        onToolCall: async (e) => {
          events.push(e);
          await onToolCall?.(e);
        },
      }),
    ...extra,
  });
}

const toolCall = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'list_checks', arguments: {} } });

describe('JSON-RPC batches spend one rate-limit token per message (14.8)', () => {
  const env = useSandbox('minimal-account.json');
  const events: ToolCallEvent[] = [];
  let server: RunningHttpServer;
  beforeAll(async () => {
    // Almost no refill during the test: what is refused is the burst spent, however slow the machine.
    server = await start(env.endpoint, events, { rateLimitPerSecond: 0.01, rateLimitBurst: 10 });
  });
  afterAll(() => server.close());

  it('a batch of 100 tools/call is refused whole, and none of them runs', async () => {
    const headers = await openSession(server.url, ALICE, '2025-03-26');
    const before = events.length;
    const batch = await raw(server.url, { headers, body: JSON.stringify(Array.from({ length: 100 }, (_, i) => toolCall(10 + i))) });
    expect(batch.status).not.toBe(200);
    const reply = JSON.parse(batch.body) as { error: { code: number; message: string } };
    expect(reply.error.code).toBe(-32600);
    expect(reply.error.message).toMatch(/100 messages/);
    expect(events.length).toBe(before);
  });

  it('a small batch is counted per message: the second one in the same burst is refused with 429', async () => {
    const headers = await openSession(server.url, BOB, '2025-03-26');
    const first = await raw(server.url, { headers, body: JSON.stringify([toolCall(1), toolCall(2), toolCall(3), toolCall(4), toolCall(5), toolCall(6)]) });
    expect(first.status).toBe(200);
    expect((JSON.parse(first.body) as unknown[]).length).toBe(6);
    const second = await raw(server.url, { headers, body: JSON.stringify([toolCall(7), toolCall(8), toolCall(9), toolCall(10), toolCall(11), toolCall(12)]) });
    expect(second.status).toBe(429);
    expect(second.headers['retry-after']).toBeTruthy();
  });

  it('a client that negotiated 2025-06-18 or later gets -32600: that revision removed batching', async () => {
    const headers = await openSession(server.url, ALICE, '2025-06-18');
    const batch = await raw(server.url, { headers, body: JSON.stringify([toolCall(1)]) });
    expect(batch.status).toBe(400);
    const reply = JSON.parse(batch.body) as { error: { code: number; message: string } };
    expect(reply.error.code).toBe(-32600);
    expect(reply.error.message).toMatch(/batch/i);
  });
});

describe('sessions are capped per principal (14.8)', () => {
  const env = useSandbox('minimal-account.json');
  const events: ToolCallEvent[] = [];
  let server: RunningHttpServer;
  beforeAll(async () => {
    server = await start(env.endpoint, events, { maxSessions: 8, maxSessionsPerPrincipal: 3, rateLimitPerSecond: 1000 });
  });
  afterAll(() => server.close());

  it("one principal opening many sessions evicts its own oldest idle session; another principal still gets in and keeps its session", async () => {
    const bob = await connect(server.url, BOB);
    const alices: Client[] = [];
    for (let i = 0; i < 12; i++) alices.push(await connect(server.url, ALICE));
    expect(server.sessionCount()).toBe(4);
    // The newest of alice's sessions work; her first was evicted and says so.
    expect((await alices[11]!.callTool({ name: 'list_checks', arguments: {} })).isError).toBeFalsy();
    const firstId = (alices[0]!.transport as StreamableHTTPClientTransport).sessionId!;
    const stale = await raw(server.url, { headers: { ...JSON_HEADERS, authorization: `Bearer ${ALICE}`, 'mcp-session-id': firstId, 'mcp-protocol-version': '2025-06-18' }, body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }) });
    expect(stale.status).toBe(404);
    // Bob's session, opened first, was not touched, and a new principal session still opens.
    expect((await bob.callTool({ name: 'list_checks', arguments: {} })).isError).toBeFalsy();
    const bob2 = await connect(server.url, BOB);
    expect((await bob2.callTool({ name: 'list_checks', arguments: {} })).isError).toBeFalsy();
    for (const c of [bob, bob2, ...alices.slice(-3)]) await c.close();
  });
});

describe('unauthenticated requests: limited per source address before authentication, refusals summarised in the audit log (14.8)', () => {
  const env = useSandbox('minimal-account.json');
  const events: ToolCallEvent[] = [];
  let server: RunningHttpServer;
  let audit: AuditLog;
  let logPath: string;
  let authentications = 0;
  beforeAll(async () => {
    logPath = join(mkdtempSync(join(tmpdir(), 'infra-audit-abuse-')), 'audit.jsonl');
    audit = await AuditLog.open({ target: logPath, transport: 'http' });
    const inner = authenticator();
    server = await start(
      env.endpoint,
      events,
      {
        authenticator: { authenticate: (t) => (authentications++, inner.authenticate(t)) },
        rateLimitPerSecond: 1000,
        // Almost no refill during the test, however slow the machine: 5 refusals, then 429s.
        unauthenticatedPerSecond: 0.01,
        unauthenticatedBurst: 5,
        onRefused: (e) => audit.recordRefusedRequest(e),
      },
      (e) => audit.onToolCall(e),
    );
  });
  afterAll(async () => {
    await server.close();
    await audit.close();
  });

  const records = () =>
    readFileSync(logPath, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { unmapped: { record_type: string; refusals?: { count: number; addresses: Array<{ ip: string; count: number }> } }; api?: { request?: { uid?: string }; response?: { code?: number } } });

  let before: Client;
  it('200 bad-token requests: most are refused before authentication with 429, and the log holds a few summary records counting all 200', async () => {
    before = await connect(server.url, ALICE);
    const authenticatedBefore = authentications;
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) {
      const res = await raw(server.url, { headers: { ...JSON_HEADERS, authorization: `Bearer guess-${i}` }, body: JSON.stringify(INIT()) });
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(6);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(194);
    // The authenticator was not even asked for the requests refused by address.
    expect(authentications - authenticatedBefore).toBeLessThanOrEqual(6);
    await audit.flush();
    const refused = records().filter((r) => r.unmapped.record_type === 'http.refused');
    expect(refused.length).toBeGreaterThan(0);
    // One summary per status (401, 429) and window; a slow machine may straddle a window.
    expect(refused.length).toBeLessThanOrEqual(4);
    const counted = (code: number) => refused.filter((r) => r.api?.response?.code === code).reduce((n, r) => n + (r.unmapped.refusals?.count ?? 0), 0);
    expect(counted(401) + counted(429)).toBe(200);
    expect(counted(429)).toBe(statuses.filter((s) => s === 429).length);
    expect(refused[0]!.unmapped.refusals!.addresses[0]!.ip).toMatch(/127\.0\.0\.1/);
  });

  it('a session the same address opened before the flood still works, and its call is durable before its result is visible', async () => {
    const client = before;
    const res = await client.callTool({ name: 'list_checks', arguments: {} });
    expect(res.isError).toBeFalsy();
    const requestId = String(res._meta?.['infra-audit-mcp/request_id']);
    // Read the file the moment the result arrived: no flush in between.
    expect(records().some((r) => r.unmapped.record_type !== 'http.refused' && r.api?.request?.uid === requestId)).toBe(true);
    await client.close();
  });
});

describe('a chunked body over the limit (14.8)', () => {
  const env = useSandbox('minimal-account.json');
  let server: RunningHttpServer;
  beforeAll(async () => {
    server = await start(env.endpoint, [], { rateLimitPerSecond: 1000 });
  });
  afterAll(() => server.close());

  it('is refused with 413 (not 500, not a reset connection) however it is chunked, and the server keeps serving', async () => {
    for (const [size, count] of [
      [16 * 1024, 128],
      [64 * 1024, 24],
      [1024, 1200],
      [2 * 1024 * 1024, 1],
    ] as const) {
      const chunk = Buffer.alloc(size, 0x20);
      const res = await raw(server.url, { headers: { ...JSON_HEADERS, authorization: `Bearer ${ALICE}`, 'transfer-encoding': 'chunked' }, chunks: Array.from({ length: count }, () => chunk) });
      expect(res.status, `${count} chunks of ${size} bytes`).toBe(413);
      expect(res.body).toMatch(/over 1000000 bytes/);
    }
    const client = await connect(server.url, ALICE);
    expect((await client.callTool({ name: 'list_checks', arguments: {} })).isError).toBeFalsy();
    await client.close();
  });
});
