/**
 * MCP tool-call round trip: median and p99 over stdio (the built CLI as a child process)
 * and over Streamable HTTP, and throughput with 64 concurrent HTTP clients, against the
 * sandbox. The tool is `whoami` (its AWS identity is cached), so the numbers are the
 * server's own cost: transport, auth, the call wrapper and the durable audit log.
 */
import { fileURLToPath } from 'node:url';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { loadAccountFile } from '../sandbox/account/load.js';
import { startSandbox } from '../sandbox/server.js';
import { ServerSession } from '../server/session.js';
import { createMcpServer, type CreateServerOptions } from '../server/create-server.js';
import { startHttpServer } from '../server/http.js';
import { TokenAuthenticator, hashToken } from '../server/auth/tokens.js';
import { AuditLog } from '../audit-log/audit-log.js';
import { fmtMs, median, percentile, timed, type BenchResult } from './stats.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const CREDENTIALS = { accessKeyId: 'AKIABENCH0000000000', secretAccessKey: 'bench' };

export interface McpBenchOptions {
  accountFile: string;
  calls?: number;
  concurrentClients?: number;
  concurrentCalls?: number;
  /** Extra options for the HTTP server's MCP servers (e.g. the audit log hook). */
  serverOptions?: Partial<CreateServerOptions>;
  /** Extra CLI args for the stdio server. */
  stdioArgs?: string[];
}

async function roundTrips(client: Client, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const { ms, value } = await timed(() => client.callTool({ name: 'whoami', arguments: {} }));
    if (value.isError) throw new Error(`whoami failed: ${JSON.stringify(value.content)}`);
    times.push(ms);
  }
  return times;
}

export async function benchMcp(options: McpBenchOptions): Promise<BenchResult> {
  const calls = options.calls ?? 500;
  const clients = options.concurrentClients ?? 64;
  const total = options.concurrentCalls ?? 5000;
  const sandbox = await startSandbox({ account: await loadAccountFile(options.accountFile) });
  const rows: Array<[string, string]> = [];
  try {
    // stdio
    const stdio = new Client({ name: 'bench-stdio', version: '1' });
    await stdio.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [CLI, 'serve', '--endpoint-url', sandbox.endpoint, '--audit-log', join(mkdtempSync(join(tmpdir(), 'infra-audit-bench-')), 'audit.jsonl'), ...(options.stdioArgs ?? [])],
        env: { PATH: process.env.PATH ?? '', AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey, AWS_REGION: 'us-east-1', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' },
        stderr: 'ignore',
      }),
    );
    await roundTrips(stdio, 20); // warm-up
    const stdioTimes = await roundTrips(stdio, calls);
    await stdio.close();
    rows.push([`stdio round trip (${calls} calls)`, `median ${fmtMs(median(stdioTimes))}, p99 ${fmtMs(percentile(stdioTimes, 99))}`]);

    // HTTP
    const session = new ServerSession({ aws: { endpointUrl: sandbox.endpoint, credentials: CREDENTIALS, region: 'us-east-1' } });
    // With the durable audit log on, as a real server runs.
    const audit = await AuditLog.open({ target: join(mkdtempSync(join(tmpdir(), 'infra-audit-bench-http-')), 'audit.jsonl'), identity: () => session.identity(), region: 'us-east-1' });
    const http = await startHttpServer({
      authenticator: new TokenAuthenticator([{ principal: 'bench', sha256: hashToken('bench-token') }]),
      rateLimitPerSecond: 1_000_000,
      buildServer: (principal) => createMcpServer(session, { onToolCall: audit.onToolCall, ...options.serverOptions, defaultCaller: { principal: principal.name, transport: 'http' } }),
    });
    const connect = async () => {
      const c = new Client({ name: 'bench-http', version: '1' });
      await c.connect(new StreamableHTTPClientTransport(new URL(http.url), { requestInit: { headers: { Authorization: 'Bearer bench-token' } } }));
      return c;
    };
    const one = await connect();
    await roundTrips(one, 20);
    const httpTimes = await roundTrips(one, calls);
    await one.close();
    rows.push([`HTTP round trip (${calls} calls)`, `median ${fmtMs(median(httpTimes))}, p99 ${fmtMs(percentile(httpTimes, 99))}`]);

    const pool = await Promise.all(Array.from({ length: clients }, connect));
    let next = 0;
    const latencies: number[] = [];
    const { ms } = await timed(() =>
      Promise.all(
        pool.map(async (c) => {
          while (next < total) {
            next++;
            const t = await timed(() => c.callTool({ name: 'whoami', arguments: {} }));
            latencies.push(t.ms);
          }
        }),
      ),
    );
    await Promise.all(pool.map((c) => c.close()));
    await http.close();
    await audit.close();
    session.close();
    rows.push([`HTTP, ${clients} concurrent clients (${latencies.length} calls)`, `${Math.round((latencies.length / ms) * 1000)} calls/s, median ${fmtMs(median(latencies))}, p99 ${fmtMs(percentile(latencies, 99))}`]);
  } finally {
    await sandbox.close();
  }
  return { name: 'MCP tool call (whoami) against the sandbox', rows };
}
