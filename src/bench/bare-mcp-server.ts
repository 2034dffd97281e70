/**
 * The floor of the MCP benchmark: a bare SDK server with the same tool (`whoami`, its input
 * and output schemas) answering with a fixed result of the same size as ours, with no audit
 * log, no redaction, no fencing and no authentication. Over stdio it runs as its own child
 * process (`node bare-mcp-server.js`, the result in BARE_MCP_RESULT), as our server does;
 * over Streamable HTTP it listens on 127.0.0.1, port 0, one transport per session.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { whoami } from '../tools/account/whoami.js';

export const BARE_RESULT_ENV = 'BARE_MCP_RESULT';
export const BARE_SERVER_SCRIPT = fileURLToPath(import.meta.url);

function bareServer(result: CallToolResult): McpServer {
  const server = new McpServer({ name: 'bare-sdk-server', version: '1' });
  server.registerTool(whoami.name, { title: whoami.title, description: whoami.description, inputSchema: whoami.inputSchema as never, outputSchema: whoami.outputSchema as never, annotations: whoami.annotations }, (async () => result) as never);
  return server;
}

export interface BareHttpServer {
  url: string;
  close(): Promise<void>;
}

export async function startBareHttpServer(result: CallToolResult): Promise<BareHttpServer> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const http = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body: unknown = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
        const sessionId = req.headers['mcp-session-id'];
        const existing = typeof sessionId === 'string' ? transports.get(sessionId) : undefined;
        if (existing) return existing.handleRequest(req, res, body);
        if (req.method !== 'POST' || !isInitializeRequest(body)) {
          res.writeHead(400).end();
          return;
        }
        const id = randomUUID();
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => id, enableJsonResponse: true, onsessioninitialized: (sid) => void transports.set(sid, transport) });
        transport.onclose = () => void transports.delete(id);
        await bareServer(result).connect(transport);
        await transport.handleRequest(req, res, body);
      })().catch(() => res.writeHead(500).end());
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: async () => {
      await Promise.allSettled([...transports.values()].map((t) => t.close()));
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
}

async function main(): Promise<void> {
  const text = process.env[BARE_RESULT_ENV];
  if (!text) throw new Error(`${BARE_RESULT_ENV} must hold the tool result (JSON)`);
  await bareServer(JSON.parse(text) as CallToolResult).connect(new StdioServerTransport());
}

if (process.argv[1] === BARE_SERVER_SCRIPT) {
  main().catch((err: unknown) => {
    process.stderr.write(`bare MCP server: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  });
}
