/**
 * Streamable HTTP transport with the defences a remote MCP server needs, applied in order
 * before any MCP message is read: a per-address limit on requests that have not (yet)
 * authenticated, Host and Origin validation (DNS rebinding), bearer authentication, a
 * per-principal rate limit that counts every JSON-RPC message of a batch, and a request size
 * limit. A session is bound to the principal that opened it; another principal cannot use
 * its id, and one principal holds at most `maxSessionsPerPrincipal` of them.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Authenticator, Principal } from './auth/authenticator.js';
import { listenError } from '../errors.js';
import { screenJsonRpc } from './jsonrpc-screen.js';

export interface HttpServerOptions {
  host?: string;
  port?: number;
  authenticator: Authenticator;
  /** Build a server for a new session of `principal`. */
  buildServer: (principal: Principal, sessionId: string) => McpServer;
  /** Extra Host header values accepted (host or host:port), beyond the bound address and localhost. */
  allowedHosts?: string[];
  /** Origins accepted when a browser sends one; none by default. */
  allowedOrigins?: string[];
  maxBodyBytes?: number;
  /** JSON-RPC messages per second per principal (each message of a batch counts), with a burst of twice that. */
  rateLimitPerSecond?: number;
  /** Messages a principal may send at once before the rate applies (default twice the rate). */
  rateLimitBurst?: number;
  /**
   * Refused unauthenticated requests (bad or missing token, foreign Host/Origin, unknown path)
   * per second per source address, with a burst of twice that. Past it, an address is answered
   * 429 before its token is even looked at.
   */
  unauthenticatedPerSecond?: number;
  /** Refusals an address may collect at once before that rate applies (default twice the rate). */
  unauthenticatedBurst?: number;
  maxSessions?: number;
  /** Sessions one principal may hold; opening another evicts that principal's least recently used idle one. */
  maxSessionsPerPrincipal?: number;
  sessionIdleMs?: number;
  /** Called for requests refused before MCP (auth, host, origin, rate, size): the audit log records them. */
  onRefused?: (event: { reason: string; status: number; principal?: string; remoteAddress?: string }) => void;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
  sessionCount(): number;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  server: McpServer;
  principal: string;
  lastSeen: number;
  /** Requests of this session still being answered (an open SSE stream counts). */
  inFlight: number;
}

class TokenBucket {
  private tokens: number;
  private last = Date.now();
  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }
  /** Take `n` tokens, or none: 0 when taken, else the seconds until `n` are available. */
  take(n = 1): number {
    const wait = this.peek(n);
    if (wait === 0) this.tokens -= n;
    return wait;
  }
  /** The seconds until `n` tokens are available (0: now), taking none. */
  peek(n = 1): number {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    return this.tokens >= n ? 0 : Math.ceil((n - this.tokens) / this.rate);
  }
  get capacity(): number {
    return this.burst;
  }
}

/** At most this many source addresses are tracked; the oldest are forgotten first. */
const MAX_TRACKED_ADDRESSES = 10_000;

/** MCP 2025-06-18 removed JSON-RPC batching; a client that negotiated it or later must not send one. */
const FIRST_VERSION_WITHOUT_BATCHES = '2025-06-18';

/** Header with which an agent names the run its calls belong to. */
export const AGENT_RUN_ID_HEADER = 'x-infra-audit-agent-run-id';

function jsonRpcError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}, code?: number): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: code ?? (status === 429 ? -32000 : -32001), message }, id: null }));
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const host = options.host ?? '127.0.0.1';
  const maxBody = options.maxBodyBytes ?? 1_000_000;
  const rate = options.rateLimitPerSecond ?? 50;
  const unauthenticatedRate = options.unauthenticatedPerSecond ?? 5;
  const perPrincipal = options.maxSessionsPerPrincipal ?? 64;
  const sessions = new Map<string, Session>();
  const buckets = new Map<string, TokenBucket>();
  const addressBuckets = new Map<string, TokenBucket>();
  let allowedHosts = new Set<string>();
  let resourceUrl = '';

  const refuse = (req: IncomingMessage, res: ServerResponse, status: number, reason: string, principal?: string, headers?: Record<string, string>, code?: number) => {
    options.onRefused?.({ reason, status, ...(principal ? { principal } : {}), ...(req.socket.remoteAddress ? { remoteAddress: req.socket.remoteAddress } : {}) });
    jsonRpcError(res, status, reason, headers, code);
  };

  /** The refusal budget of a source address: spent by requests refused before they authenticated. */
  const addressBucket = (address: string): TokenBucket => {
    let bucket = addressBuckets.get(address);
    if (!bucket) {
      if (addressBuckets.size >= MAX_TRACKED_ADDRESSES) addressBuckets.delete(addressBuckets.keys().next().value!);
      addressBuckets.set(address, (bucket = new TokenBucket(unauthenticatedRate, options.unauthenticatedBurst ?? unauthenticatedRate * 2)));
    }
    return bucket;
  };
  const refuseUnauthenticated = (req: IncomingMessage, res: ServerResponse, status: number, reason: string, headers?: Record<string, string>) => {
    addressBucket(req.socket.remoteAddress ?? '').take();
    refuse(req, res, status, reason, undefined, headers);
  };

  /**
   * Reads the body without ever holding more than `maxBody` bytes. Over the limit it stops
   * reading (the 413 goes out with `connection: close`); the request stream is not destroyed
   * under the response, which is what turned a large chunked body into a 500.
   */
  function readJson(req: IncomingMessage): Promise<{ body?: unknown; tooLarge?: boolean; invalid?: boolean }> {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBody) return Promise.resolve({ tooLarge: true });
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBody) {
          cleanup();
          req.pause();
          resolve({ tooLarge: true });
          return;
        }
        chunks.push(chunk);
      };
      const onEnd = () => {
        cleanup();
        if (size === 0) return resolve({});
        try {
          resolve({ body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        } catch {
          resolve({ invalid: true });
        }
      };
      const onError = (err: Error) => {
        cleanup();
        reject(err);
      };
      const cleanup = () => {
        req.off('data', onData);
        req.off('end', onEnd);
        req.off('error', onError);
      };
      req.on('data', onData);
      req.on('end', onEnd);
      req.on('error', onError);
    });
  }

  /** Make room for a new session of `principal`: evict its least recently used idle session at the cap. */
  const admitSession = (principal: string): string | undefined => {
    const own = [...sessions.entries()].filter(([, s]) => s.principal === principal);
    if (own.length >= perPrincipal) {
      const idle = own.filter(([, s]) => s.inFlight === 0).sort((a, b) => a[1].lastSeen - b[1].lastSeen);
      if (!idle.length) return `${principal} already holds ${own.length} sessions, all busy (at most ${perPrincipal} per principal); close one first`;
      const [id, evicted] = idle[0]!;
      sessions.delete(id);
      void evicted.transport.close();
    }
    if (sessions.size >= (options.maxSessions ?? 256)) return 'too many open sessions; retry later';
    return undefined;
  };

  const http: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) jsonRpcError(res, 500, 'internal error');
      else res.end();
    });
  });
  http.requestTimeout = 300_000;

  async function handle(req: IncomingMessage, res: ServerResponse) {
    // Before anything else, authentication included: an address whose refusal budget is spent
    // costs no token lookup, no JWT verification and no audit record of its own.
    // A request for a session already open goes on to authenticate as usual, so a flood from a
    // shared address (NAT, proxy) does not cut off the sessions that address already holds.
    const sessionHeader = req.headers['mcp-session-id'];
    const wait = typeof sessionHeader === 'string' && sessions.has(sessionHeader) ? 0 : addressBucket(req.socket.remoteAddress ?? '').peek();
    if (wait > 0) {
      res.setHeader('connection', 'close');
      return refuse(req, res, 429, `too many refused requests from this address; retry in ${wait}s`, undefined, { 'retry-after': String(wait) });
    }
    const url = new URL(req.url ?? '/', 'http://placeholder.invalid');
    const hostHeader = String(req.headers.host ?? '').toLowerCase();
    if (!allowedHosts.has(hostHeader)) return refuseUnauthenticated(req, res, 403, `Host "${hostHeader}" is not allowed (DNS rebinding protection)`);
    const origin = req.headers.origin;
    if (origin !== undefined && !(options.allowedOrigins ?? []).includes(origin)) return refuseUnauthenticated(req, res, 403, `Origin "${origin}" is not allowed`);

    if (url.pathname === '/.well-known/oauth-protected-resource' || url.pathname === '/.well-known/oauth-protected-resource/mcp') {
      const metadata = options.authenticator.resourceMetadata?.(resourceUrl);
      if (!metadata) return refuse(req, res, 404, 'this server uses static bearer tokens, not OAuth');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(metadata));
      return;
    }
    if (url.pathname === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
      return;
    }
    if (url.pathname !== '/mcp') return refuseUnauthenticated(req, res, 404, `no such endpoint ${url.pathname}; the MCP endpoint is /mcp`);

    const auth = String(req.headers.authorization ?? '');
    const bearer = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
    const result = await options.authenticator.authenticate(bearer);
    if (!result.ok) {
      const metadataUrl = options.authenticator.resourceMetadata ? `, resource_metadata="${new URL('/.well-known/oauth-protected-resource', resourceUrl).href}"` : '';
      return refuseUnauthenticated(req, res, 401, `authentication required: ${result.description}`, {
        'www-authenticate': `Bearer error="${result.error}", error_description="${result.description}"${metadataUrl}`,
      });
    }
    const principal = result.principal;
    let bucket = buckets.get(principal.name);
    if (!bucket) buckets.set(principal.name, (bucket = new TokenBucket(rate, options.rateLimitBurst ?? rate * 2)));
    const retryAfter = bucket.take();
    if (retryAfter > 0) return refuse(req, res, 429, `rate limit of ${rate} requests/s exceeded for ${principal.name}`, principal.name, { 'retry-after': String(retryAfter) });

    const sessionId = req.headers['mcp-session-id'];
    let body: unknown;
    if (req.method === 'POST') {
      const parsed = await readJson(req);
      if (parsed.tooLarge) {
        res.setHeader('connection', 'close');
        // Discard the rest for a moment so the client reads the 413 instead of a reset, then hang up.
        res.once('finish', () => {
          req.resume();
          setTimeout(() => req.destroy(), 5_000).unref();
        });
        return refuse(req, res, 413, `request body over ${maxBody} bytes`, principal.name);
      }
      if (parsed.invalid) return refuse(req, res, 400, 'request body is not valid JSON', principal.name);
      body = parsed.body;
    }
    const screened = screenJsonRpc(body);
    if (screened) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify(screened));
      return;
    }
    if (Array.isArray(body)) {
      // A batch is N calls, not one request: refused where the negotiated protocol has no
      // batching, and otherwise charged one token per message (the first was taken above).
      const version = String(req.headers['mcp-protocol-version'] ?? '');
      if (version >= FIRST_VERSION_WITHOUT_BATCHES) {
        return refuse(req, res, 400, `JSON-RPC batches are not part of MCP ${version} (removed in ${FIRST_VERSION_WITHOUT_BATCHES}); send one message per request`, principal.name, undefined, -32600);
      }
      if (body.length > bucket.capacity) {
        return refuse(req, res, 400, `a batch of ${body.length} messages is over the rate limit (${rate} messages/s, bursts of ${bucket.capacity}); send fewer per request`, principal.name, undefined, -32600);
      }
      const batchWait = body.length > 1 ? bucket.take(body.length - 1) : 0;
      if (batchWait > 0) return refuse(req, res, 429, `rate limit of ${rate} messages/s exceeded for ${principal.name} (a batch of ${body.length} messages)`, principal.name, { 'retry-after': String(batchWait) });
    }
    // The run id is the authenticated principal's own label for its calls (the infra-audit
    // agent sends it per request); a token or JWT that carries one takes precedence.
    const runHeader = req.headers[AGENT_RUN_ID_HEADER];
    if (runHeader !== undefined && (typeof runHeader !== 'string' || !/^[A-Za-z0-9._:-]{1,64}$/.test(runHeader))) {
      return refuse(req, res, 400, `${AGENT_RUN_ID_HEADER} must be 1-64 letters, digits, '.', '_', ':' or '-'`, principal.name);
    }
    const agentRunId = principal.agentRunId ?? runHeader;
    const authedReq = Object.assign(req, {
      auth: { token: '[redacted]', clientId: principal.name, scopes: principal.scopes ?? [], ...(principal.expiresAt ? { expiresAt: principal.expiresAt } : {}), extra: { principal: principal.name, agentRunId, remoteAddress: req.socket.remoteAddress } },
    });

    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId);
      if (!session) return refuse(req, res, 404, 'unknown or expired session; initialize a new one', principal.name);
      if (session.principal !== principal.name) return refuse(req, res, 403, 'this session belongs to another principal', principal.name);
      session.lastSeen = Date.now();
      // A GET is the client's standing notification stream, open for the session's life: it
      // does not make the session busy. A POST in progress does.
      if (req.method === 'POST') {
        session.inFlight += 1;
        res.once('close', () => {
          session.inFlight -= 1;
          session.lastSeen = Date.now();
        });
      }
      await session.transport.handleRequest(authedReq, res, body);
      return;
    }
    if (req.method !== 'POST' || !isInitializeRequest(body)) {
      return refuse(req, res, 400, 'no session: send an initialize request first (without mcp-session-id)', principal.name);
    }
    const full = admitSession(principal.name);
    if (full) return refuse(req, res, full.startsWith('too many') ? 503 : 429, full, principal.name);
    const id = randomUUID();
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => id,
      enableJsonResponse: true,
      onsessioninitialized: (sid) => {
        sessions.set(sid, { transport, server, principal: principal.name, lastSeen: Date.now(), inFlight: 0 });
      },
    });
    transport.onclose = () => {
      sessions.delete(id);
    };
    const server = options.buildServer(principal, id);
    await server.connect(transport);
    await transport.handleRequest(authedReq, res, body);
  }

  const sweeper = setInterval(() => {
    const idle = options.sessionIdleMs ?? 30 * 60_000;
    const now = Date.now();
    for (const [id, s] of sessions) if (now - s.lastSeen > idle) void s.transport.close().finally(() => sessions.delete(id));
  }, 60_000);
  sweeper.unref();

  await new Promise<void>((resolve, reject) => {
    http.once('error', (err) => reject(listenError(err, host, options.port ?? 0)));
    http.listen(options.port ?? 0, host, () => resolve());
  });
  const address = http.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  resourceUrl = `http://${hostForUrl}:${address.port}/mcp`;
  allowedHosts = new Set(
    [`${hostForUrl}:${address.port}`, `localhost:${address.port}`, `127.0.0.1:${address.port}`, `[::1]:${address.port}`, ...(options.allowedHosts ?? [])].map((h) => h.toLowerCase()),
  );

  return {
    url: resourceUrl,
    port: address.port,
    sessionCount: () => sessions.size,
    close: async () => {
      clearInterval(sweeper);
      await Promise.allSettled([...sessions.values()].map((s) => s.transport.close()));
      sessions.clear();
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
}
