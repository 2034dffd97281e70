/**
 * Streamable HTTP transport with the defences a remote MCP server needs, applied in order
 * before any MCP message is read: Host and Origin validation (DNS rebinding), bearer
 * authentication, a per-principal rate limit, and a request size limit. A session is bound
 * to the principal that opened it; another principal cannot use its id.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Authenticator, Principal } from './auth/authenticator.js';
import { listenError } from '../errors.js';

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
  /** Requests per second per principal, with a burst of twice that. */
  rateLimitPerSecond?: number;
  maxSessions?: number;
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
  take(): number {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - this.tokens) / this.rate);
  }
}

/** Header with which an agent names the run its calls belong to. */
export const AGENT_RUN_ID_HEADER = 'x-infra-audit-agent-run-id';

function jsonRpcError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: status === 429 ? -32000 : -32001, message }, id: null }));
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const host = options.host ?? '127.0.0.1';
  const maxBody = options.maxBodyBytes ?? 1_000_000;
  const rate = options.rateLimitPerSecond ?? 50;
  const sessions = new Map<string, Session>();
  const buckets = new Map<string, TokenBucket>();
  let allowedHosts = new Set<string>();
  let resourceUrl = '';

  const refuse = (req: IncomingMessage, res: ServerResponse, status: number, reason: string, principal?: string, headers?: Record<string, string>) => {
    options.onRefused?.({ reason, status, ...(principal ? { principal } : {}), ...(req.socket.remoteAddress ? { remoteAddress: req.socket.remoteAddress } : {}) });
    jsonRpcError(res, status, reason, headers);
  };

  async function readJson(req: IncomingMessage): Promise<{ body?: unknown; tooLarge?: boolean; invalid?: boolean }> {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBody) return { tooLarge: true };
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBody) return { tooLarge: true };
      chunks.push(chunk);
    }
    if (size === 0) return {};
    try {
      return { body: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
    } catch {
      return { invalid: true };
    }
  }

  const http: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) jsonRpcError(res, 500, 'internal error');
      else res.end();
    });
  });
  http.requestTimeout = 300_000;

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://placeholder.invalid');
    const hostHeader = String(req.headers.host ?? '').toLowerCase();
    if (!allowedHosts.has(hostHeader)) return refuse(req, res, 403, `Host "${hostHeader}" is not allowed (DNS rebinding protection)`);
    const origin = req.headers.origin;
    if (origin !== undefined && !(options.allowedOrigins ?? []).includes(origin)) return refuse(req, res, 403, `Origin "${origin}" is not allowed`);

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
    if (url.pathname !== '/mcp') return refuse(req, res, 404, `no such endpoint ${url.pathname}; the MCP endpoint is /mcp`);

    const auth = String(req.headers.authorization ?? '');
    const bearer = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
    const result = await options.authenticator.authenticate(bearer);
    if (!result.ok) {
      const metadataUrl = options.authenticator.resourceMetadata ? `, resource_metadata="${new URL('/.well-known/oauth-protected-resource', resourceUrl).href}"` : '';
      return refuse(req, res, 401, `authentication required: ${result.description}`, undefined, {
        'www-authenticate': `Bearer error="${result.error}", error_description="${result.description}"${metadataUrl}`,
      });
    }
    const principal = result.principal;
    let bucket = buckets.get(principal.name);
    if (!bucket) buckets.set(principal.name, (bucket = new TokenBucket(rate, rate * 2)));
    const retryAfter = bucket.take();
    if (retryAfter > 0) return refuse(req, res, 429, `rate limit of ${rate} requests/s exceeded for ${principal.name}`, principal.name, { 'retry-after': String(retryAfter) });

    const sessionId = req.headers['mcp-session-id'];
    let body: unknown;
    if (req.method === 'POST') {
      const parsed = await readJson(req);
      if (parsed.tooLarge) return refuse(req, res, 413, `request body over ${maxBody} bytes`, principal.name);
      if (parsed.invalid) return refuse(req, res, 400, 'request body is not valid JSON', principal.name);
      body = parsed.body;
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
      await session.transport.handleRequest(authedReq, res, body);
      return;
    }
    if (req.method !== 'POST' || !isInitializeRequest(body)) {
      return refuse(req, res, 400, 'no session: send an initialize request first (without mcp-session-id)', principal.name);
    }
    if (sessions.size >= (options.maxSessions ?? 256)) return refuse(req, res, 503, 'too many open sessions; retry later', principal.name);
    const id = randomUUID();
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => id,
      enableJsonResponse: true,
      onsessioninitialized: (sid) => {
        sessions.set(sid, { transport, server, principal: principal.name, lastSeen: Date.now() });
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
