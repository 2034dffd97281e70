/**
 * Test helper: a real MCP server over Streamable HTTP (bearer token) on 127.0.0.1:0, with
 * its own ServerSession (so its own inventory cache) against a sandbox, and a real client.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startHttpServer, type RunningHttpServer } from '../server/http.js';
import { createMcpServer, REQUEST_ID_META } from '../server/create-server.js';
import type { AwsCallRecorder } from '../audit-log/aws-middleware.js';
import { ServerSession, type ServerSessionOptions } from '../server/session.js';
import { TokenAuthenticator, hashToken } from '../server/auth/tokens.js';
import { TEST_CREDENTIALS } from './sandbox.js';

const TOKEN = 'token-tools-test-0123456789';

export interface ToolResult<S = Record<string, unknown>> {
  isError: boolean;
  structured: S;
  text: string;
  /** The MCP request id the server gave the call (the audit records' key). */
  requestId: string;
}

export interface McpHarness {
  session: ServerSession;
  client: Client;
  call<S = Record<string, unknown>>(name: string, args?: Record<string, unknown>): Promise<ToolResult<S>>;
  close(): Promise<void>;
}

export async function startMcpHarness(
  endpoint: string,
  options: { inventoryTtlMs?: number; region?: string; awsCallRecorder?: AwsCallRecorder; session?: Omit<ServerSessionOptions, 'aws'> } = {},
): Promise<McpHarness> {
  const session = new ServerSession({
    ...options.session,
    aws: { endpointUrl: endpoint, credentials: TEST_CREDENTIALS, region: options.region ?? 'us-east-1', maxAttempts: 1 },
    inventoryTtlMs: options.inventoryTtlMs,
    awsCallRecorder: options.awsCallRecorder,
  });
  const server: RunningHttpServer = await startHttpServer({
    authenticator: new TokenAuthenticator([{ principal: 'tester@sec', sha256: hashToken(TOKEN) }]),
    buildServer: (principal) => createMcpServer(session, { defaultCaller: { principal: principal.name, transport: 'http' } }),
    rateLimitPerSecond: 1000,
  });
  const client = new Client({ name: 'tools-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }));
  return {
    session,
    client,
    async call<S>(name: string, args: Record<string, unknown> = {}) {
      const res = await client.callTool({ name, arguments: args });
      const text = (res.content as Array<{ type: string; text?: string }>).map((c) => c.text ?? '').join('\n');
      return { isError: res.isError === true, structured: (res.structuredContent ?? {}) as S, text, requestId: String(res._meta?.[REQUEST_ID_META] ?? '') };
    },
    async close() {
      await client.close();
      await server.close();
      session.close();
    },
  };
}

/** `text` as a literal inside a RegExp (an input digest has brackets). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
