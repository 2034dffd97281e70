/**
 * The agent's only reach into the world: an MCP client session with the infra-audit
 * server. By default it spawns `infra-audit serve` over stdio with the run id; with an
 * URL it speaks Streamable HTTP with a bearer token and the run id in a header.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { InfraAuditError, describeError } from '../errors.js';
import { AGENT_RUN_ID_HEADER } from '../server/http.js';


/** Options of `infra-audit serve` the agent passes through when it spawns the server. */
export interface ServePassThrough {
  endpointUrl?: string;
  state?: string[];
  config?: string;
  region?: string;
  profile?: string;
  toolsets?: string;
  /** Where the spawned server writes its audit log (a file, stdout or stderr). */
  auditLog?: string;
}

export interface McpConnectOptions {
  runId: string;
  /** Remote server (Streamable HTTP); when absent, `infra-audit serve` is spawned over stdio. */
  url?: string;
  bearerToken?: string;
  serve?: ServePassThrough;
  /** The environment the spawned server inherits, minus model credentials. */
  env: NodeJS.ProcessEnv;
  /** The built CLI to spawn (default: dist/cli/main.js next to this module). */
  cliPath?: string;
}

export interface McpTool {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

export interface McpCallResult {
  text: string;
  isError: boolean;
  structured?: unknown;
  auditRequestId?: string;
}

export interface McpConnection {
  transport: 'stdio' | 'http';
  serverName: string;
  listTools(): Promise<McpTool[]>;
  callTool(name: string, args: unknown, signal?: AbortSignal): Promise<McpCallResult>;
  /** What the spawned server wrote to stderr (stdio only), for diagnosing a failed start. */
  serverLog(): string;
  close(): Promise<void>;
}

/**
 * The result `_meta` key with the server's request id (REQUEST_ID_META in
 * src/server/create-server.ts, not imported so the agent does not load the whole server).
 */
export const REQUEST_ID_META_KEY = 'infra-audit-mcp/request_id';

/** Variables the server never needs: the model credentials stay with the agent. */
const WITHHELD_FROM_SERVER = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'OPENAI_API_KEY'];

const CALL_TIMEOUT_MS = 150_000;

export function defaultCliPath(): string {
  const beside = fileURLToPath(new URL('../cli/main.js', import.meta.url));
  if (existsSync(beside)) return beside;
  // Running from the TypeScript sources (tests): the built CLI.
  return fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
}

export function serveArgs(runId: string, serve: ServePassThrough = {}): string[] {
  const args = ['serve', '--agent-run-id', runId];
  if (serve.endpointUrl) args.push('--endpoint-url', serve.endpointUrl);
  if (serve.region) args.push('--region', serve.region);
  if (serve.profile) args.push('--profile', serve.profile);
  if (serve.config) args.push('--config', serve.config);
  if (serve.toolsets) args.push('--toolsets', serve.toolsets);
  if (serve.auditLog) args.push('--audit-log', serve.auditLog);
  if (serve.state?.length) args.push('--state', ...serve.state);
  return args;
}

export async function connectMcp(options: McpConnectOptions, withheld: string[] = []): Promise<McpConnection> {
  let transport: Transport;
  let log = '';
  if (options.url) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new InfraAuditError('USAGE', `--mcp-url is not a URL: "${options.url}"`, { hint: 'e.g. --mcp-url https://mcp.example.com/mcp' });
    }
    const headers: Record<string, string> = { [AGENT_RUN_ID_HEADER]: options.runId };
    if (options.bearerToken) headers.authorization = `Bearer ${options.bearerToken}`;
    transport = new StreamableHTTPClientTransport(url, { requestInit: { headers } });
  } else {
    const cli = options.cliPath ?? defaultCliPath();
    if (!existsSync(cli)) {
      throw new InfraAuditError('MCP_UNAVAILABLE', `cannot find the infra-audit CLI to spawn the MCP server at ${cli}`, { hint: 'run `npm run build`, or pass --mcp-url for a running server' });
    }
    const hidden = new Set([...WITHHELD_FROM_SERVER, ...withheld]);
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(options.env)) if (v !== undefined && !hidden.has(k)) env[k] = v;
    const stdio = new StdioClientTransport({ command: process.execPath, args: [cli, ...serveArgs(options.runId, options.serve)], env, stderr: 'pipe' });
    stdio.stderr?.on('data', (chunk) => {
      // Bounded: keep the last 16 KB of the server's diagnostics.
      log = (log + String(chunk)).slice(-16_384);
    });
    transport = stdio;
  }

  const client = new Client({ name: 'infra-audit-agent', version: '0.1.0' });
  try {
    await client.connect(transport);
  } catch (err) {
    await client.close().catch(() => {});
    const detail = log.trim().split('\n').filter(Boolean).slice(-3).join(' | ');
    throw new InfraAuditError('MCP_UNAVAILABLE', `could not start an MCP session with ${options.url ?? 'infra-audit serve'}: ${describeError(err)}${detail ? ` (server said: ${detail})` : ''}`, {
      hint: options.url ? 'check --mcp-url and the token in --mcp-token-env' : 'check the serve options (--endpoint-url, --region, --profile) and your AWS credentials',
      cause: err,
    });
  }
  const server = client.getServerVersion();

  return {
    transport: options.url ? 'http' : 'stdio',
    serverName: server ? `${server.name} ${server.version}` : 'unknown',
    async listTools() {
      const tools: McpTool[] = [];
      let cursor: string | undefined;
      // Bounded: a server with more than 50 pages of tools is not one we should trust blindly.
      for (let page = 0; page < 50; page++) {
        const res = await client.listTools(cursor ? { cursor } : {});
        for (const t of res.tools) tools.push({ name: t.name, description: t.description ?? t.title ?? t.name, inputSchema: t.inputSchema as Record<string, unknown> });
        cursor = res.nextCursor;
        if (!cursor) break;
      }
      return tools;
    },
    async callTool(name, args, signal) {
      try {
        const res = await client.callTool({ name, arguments: (args ?? {}) as Record<string, unknown> }, undefined, {
          timeout: CALL_TIMEOUT_MS,
          ...(signal ? { signal } : {}),
        });
        const content = (res.content ?? []) as Array<{ type: string; text?: string }>;
        const text = content.map((c) => (c.type === 'text' ? (c.text ?? '') : `[${c.type} content omitted]`)).join('\n');
        const auditRequestId = auditRequestIdOf(res._meta);
        return {
          text,
          isError: res.isError === true,
          ...(res.structuredContent !== undefined ? { structured: res.structuredContent } : {}),
          ...(auditRequestId ? { auditRequestId } : {}),
        };
      } catch (err) {
        if (signal?.aborted) throw err;
        // Protocol errors (unknown tool, invalid arguments, a dropped connection) are answers
        // the model can read, not a reason to crash the run.
        return { text: describeError(err), isError: true };
      }
    },
    serverLog: () => log,
    async close() {
      await client.close().catch(() => {});
    },
  };
}

/** The server's request id of a call (the audit record's api.request.uid), from the result `_meta`. */
export function auditRequestIdOf(meta: unknown): string | undefined {
  if (!meta || typeof meta !== 'object') return undefined;
  const value = (meta as Record<string, unknown>)[REQUEST_ID_META_KEY];
  return typeof value === 'string' ? value : undefined;
}
