import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as httpRequest, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { startHttpServer, type RunningHttpServer } from './http.js';
import { createMcpServer, type ToolCallEvent } from './create-server.js';
import { ServerSession } from './session.js';
import { TokenAuthenticator, hashToken } from './auth/tokens.js';
import { JwtAuthenticator } from './auth/jwt.js';
import type { Authenticator } from './auth/authenticator.js';
import { useSandbox, TEST_CREDENTIALS } from '../test-support/sandbox.js';

const ALICE = 'token-alice-0123456789';
const BOB = 'token-bob-9876543210';

async function connect(url: string, token?: string) {
  const client = new Client({ name: 'http-test', version: '1.0.0' });
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

/** A raw request, so tests can send what a browser or an attacker would (Host, Origin, size). */
function raw(url: string, init: { headers?: Record<string, string>; body?: string; method?: string }): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? 'POST', headers: init.headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

const INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });

function startWith(authenticator: Authenticator, endpoint: string, events: ToolCallEvent[], extra: Partial<Parameters<typeof startHttpServer>[0]> = {}) {
  const session = new ServerSession({ aws: { endpointUrl: endpoint, credentials: TEST_CREDENTIALS, region: 'us-east-1' } });
  return startHttpServer({
    authenticator,
    buildServer: (principal) => createMcpServer(session, { defaultCaller: { principal: principal.name, transport: 'http' }, onToolCall: (e) => void events.push(e) }),
    ...extra,
  });
}

describe('Streamable HTTP transport with bearer tokens', () => {
  const env = useSandbox('minimal-account.json');
  const events: ToolCallEvent[] = [];
  let server: RunningHttpServer;

  beforeAll(async () => {
    server = await startWith(new TokenAuthenticator([{ principal: 'alice@sec', sha256: hashToken(ALICE) }, { principal: 'bob@sec', sha256: hashToken(BOB) }]), env.endpoint, events, { maxBodyBytes: 10_000, rateLimitPerSecond: 5 });
  });
  afterAll(() => server.close());

  it('serves an authenticated client, and the principal reaches the call hook', async () => {
    const client = await connect(server.url, ALICE);
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toContain('whoami');
    for (const t of tools.tools) expect(t.annotations?.readOnlyHint).toBe(true);
    const res = await client.callTool({ name: 'whoami', arguments: {} });
    expect(res.isError).toBeFalsy();
    expect((res.structuredContent as { accountId: string }).accountId).toBe('111122223333');
    expect((res.structuredContent as { caller: { principal: string } }).caller.principal).toBe('alice@sec');
    expect(events.at(-1)).toMatchObject({ tool: 'whoami', outcome: 'success', caller: { principal: 'alice@sec', transport: 'http', clientName: 'http-test' } });
    await client.close();
  });

  it('refuses a missing or wrong token with 401 and a WWW-Authenticate challenge', async () => {
    const none = await raw(server.url, { headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: INIT });
    expect(none.status).toBe(401);
    expect(String(none.headers['www-authenticate'])).toContain('Bearer error="invalid_request"');
    const wrong = await raw(server.url, { headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${ALICE}x` }, body: INIT });
    expect(wrong.status).toBe(401);
    expect(String(wrong.headers['www-authenticate'])).toContain('invalid_token');
    await expect(connect(server.url, 'nope')).rejects.toThrow();
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin even with a good token', async () => {
    const base = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${ALICE}` };
    const host = await raw(server.url, { headers: { ...base, host: 'evil.example.com' }, body: INIT });
    expect(host.status).toBe(403);
    expect(host.body).toContain('Host');
    const origin = await raw(server.url, { headers: { ...base, origin: 'https://evil.example.com' }, body: INIT });
    expect(origin.status).toBe(403);
    expect(origin.body).toContain('Origin');
    const ok = await raw(server.url, { headers: base, body: INIT });
    expect(ok.status).toBe(200);
  });

  it('refuses an oversized request with 413', async () => {
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { pad: 'x'.repeat(20_000) } });
    const res = await raw(server.url, { headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${BOB}` }, body: big });
    expect(res.status).toBe(413);
  });

  it("does not let one principal use another's session", async () => {
    const client = await connect(server.url, ALICE);
    const sessionId = (client.transport as StreamableHTTPClientTransport).sessionId!;
    expect(sessionId).toBeTruthy();
    const res = await raw(server.url, {
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${BOB}`, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(res.status).toBe(403);
    await client.close();
  });

  it('rate-limits per principal with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await raw(server.url, { method: 'GET', headers: { authorization: `Bearer ${BOB}`, accept: 'text/event-stream' } });
      statuses.push(res.status);
    }
    expect(statuses).toContain(429);
  });
});

describe('OAuth resource-server mode (JWT against a JWKS)', () => {
  const env = useSandbox('minimal-account.json');
  const events: ToolCallEvent[] = [];
  let server: RunningHttpServer;
  let jwks: Server;
  let keys: Awaited<ReturnType<typeof generateKeyPair>>;
  let otherKeys: Awaited<ReturnType<typeof generateKeyPair>>;
  const issuer = 'https://login.example.test/';
  let audience = '';

  beforeAll(async () => {
    keys = await generateKeyPair('RS256');
    otherKeys = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwks = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', () => r()));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
    // The audience is this server's own URL; start once to learn the port, with a placeholder audience.
    const auth = { current: undefined as JwtAuthenticator | undefined };
    const proxy: Authenticator = {
      authenticate: (t) => auth.current!.authenticate(t),
      resourceMetadata: (u) => auth.current!.resourceMetadata(u),
    };
    server = await startWith(proxy, env.endpoint, events);
    audience = server.url;
    auth.current = new JwtAuthenticator({ issuer, audience, jwksUrl });
  });
  afterAll(async () => {
    await server.close();
    await new Promise<void>((r) => jwks.close(() => r()));
  });

  const sign = (key: typeof keys.privateKey, claims: { exp?: number; aud?: string; sub?: string } = {}) =>
    new SignJWT({ scope: 'infra-audit:read' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience(claims.aud ?? audience)
      .setSubject(claims.sub ?? 'agent-7')
      .setIssuedAt()
      .setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 300)
      .sign(key);

  it('accepts a valid token and names its subject as the caller', async () => {
    const client = await connect(server.url, await sign(keys.privateKey));
    const res = await client.callTool({ name: 'whoami', arguments: {} });
    expect((res.structuredContent as { caller: { principal: string } }).caller.principal).toBe('agent-7');
    await client.close();
  });

  it('refuses expired, wrongly signed and wrong-audience tokens', async () => {
    const headers = (t: string) => ({ 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${t}` });
    const expired = await raw(server.url, { headers: headers(await sign(keys.privateKey, { exp: Math.floor(Date.now() / 1000) - 600 })), body: INIT });
    expect(expired.status).toBe(401);
    expect(String(expired.headers['www-authenticate'])).toContain('token expired');
    const forged = await raw(server.url, { headers: headers(await sign(otherKeys.privateKey)), body: INIT });
    expect(forged.status).toBe(401);
    const otherAudience = await raw(server.url, { headers: headers(await sign(keys.privateKey, { aud: 'https://other.example/mcp' })), body: INIT });
    expect(otherAudience.status).toBe(401);
    expect(String(otherAudience.headers['www-authenticate'])).toContain('resource_metadata=');
  });

  it('serves RFC 9728 protected-resource metadata', async () => {
    const res = await raw(new URL('/.well-known/oauth-protected-resource', server.url).href, { method: 'GET' });
    expect(res.status).toBe(200);
    const meta = JSON.parse(res.body);
    expect(meta.resource).toBe(server.url);
    expect(meta.authorization_servers).toEqual([issuer]);
  });
});
