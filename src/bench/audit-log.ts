/**
 * What durable audit logging costs a tool call: the median HTTP round trip of `whoami`
 * against the real `serve --http` stack, without an audit hook and with the durable file
 * log (write + fdatasync per group commit), measured in the same run, rounds interleaved
 * so machine noise falls on both alike. Also the throughput of concurrent clients.
 *
 *   node dist/bench/audit-log.js [--calls 300] [--clients 16] [--dir /var/tmp]
 *
 * --dir matters: the cost of fdatasync is the cost of the disk under it (tmpfs has none).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startSandbox } from '../sandbox/server.js';
import { loadAccountText } from '../sandbox/account/load.js';
import { startHttpServer } from '../server/http.js';
import { createMcpServer } from '../server/create-server.js';
import { ServerSession } from '../server/session.js';
import { TokenAuthenticator, hashToken } from '../server/auth/tokens.js';
import { AuditLog } from '../audit-log/audit-log.js';
import { silenceSdkRuntimeNotices } from '../aws/clients.js';

export interface AuditLogBenchOptions {
  /** Sequential calls per mode, for the round-trip median. */
  calls?: number;
  /** Concurrent clients for the throughput figure. */
  clients?: number;
  /** Directory for the audit log file. */
  dir?: string;
}

export interface ModeResult {
  medianMs: number;
  p95Ms: number;
  /** Calls per second with `clients` concurrent clients. */
  throughput: number;
}

export interface AuditLogBenchResult {
  calls: number;
  clients: number;
  logDir: string;
  withoutAuditLog: ModeResult;
  withDurableAuditLog: ModeResult & { records: number; fsyncBatches: number };
  /** Median added by durable logging, ms. */
  overheadMs: number;
}

const TOKEN = 'bench-token-0123456789';
const ACCOUNT = JSON.stringify({
  AccountId: '111122223333',
  Regions: { 'us-east-1': {} },
  CallerIdentity: { Arn: 'arn:aws:sts::111122223333:assumed-role/InfraAuditReadOnly/bench', UserId: 'AROAEXAMPLEROLEID0001:bench' },
});

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]!;
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }));
  return client;
}

export async function runAuditLogBench(options: AuditLogBenchOptions = {}): Promise<AuditLogBenchResult> {
  const calls = options.calls ?? 300;
  const clientCount = options.clients ?? 16;
  const logDir = mkdtempSync(join(options.dir ?? tmpdir(), 'infra-audit-bench-'));
  const sandbox = await startSandbox({ account: loadAccountText(ACCOUNT, '<bench account>') });
  const session = new ServerSession({ aws: { endpointUrl: sandbox.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIABENCH00000000000', secretAccessKey: 'bench' } } });
  const audit = await AuditLog.open({ target: join(logDir, 'audit.jsonl'), identity: () => session.identity(), region: 'us-east-1' });
  const authenticator = new TokenAuthenticator([{ principal: 'bench', sha256: hashToken(TOKEN) }]);
  const servers = await Promise.all(
    [undefined, audit.onToolCall].map((onToolCall) =>
      startHttpServer({
        authenticator,
        rateLimitPerSecond: 1_000_000,
        buildServer: (principal) => createMcpServer(session, { defaultCaller: { principal: principal.name, transport: 'http' }, ...(onToolCall ? { onToolCall } : {}) }),
      }),
    ),
  );
  try {
    const single = await Promise.all(servers.map((s) => connect(s.url)));
    const samples: number[][] = [[], []];
    // Warm both paths (JIT, keep-alive sockets, the cached identity).
    for (const c of single) for (let i = 0; i < 20; i++) await c.callTool({ name: 'whoami', arguments: {} });
    const ROUNDS = 5;
    for (let round = 0; round < ROUNDS; round++) {
      for (const [mode, client] of single.entries()) {
        for (let i = 0; i < Math.ceil(calls / ROUNDS); i++) {
          const t0 = process.hrtime.bigint();
          await client.callTool({ name: 'whoami', arguments: {} });
          samples[mode]!.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
      }
    }
    await Promise.all(single.map((c) => c.close()));

    const throughput: number[] = [];
    for (const server of servers) {
      const clients = await Promise.all(Array.from({ length: clientCount }, () => connect(server.url)));
      const perClient = Math.max(1, Math.ceil(calls / clientCount)) * 4;
      const t0 = Date.now();
      await Promise.all(clients.map(async (c) => {
        for (let i = 0; i < perClient; i++) await c.callTool({ name: 'whoami', arguments: {} });
      }));
      throughput.push(Math.round((perClient * clientCount) / ((Date.now() - t0) / 1000)));
      await Promise.all(clients.map((c) => c.close()));
    }

    const summarize = (s: number[], i: number): ModeResult => {
      const sorted = [...s].sort((a, b) => a - b);
      return { medianMs: +percentile(sorted, 0.5).toFixed(3), p95Ms: +percentile(sorted, 0.95).toFixed(3), throughput: throughput[i]! };
    };
    const without = summarize(samples[0]!, 0);
    const withLog = summarize(samples[1]!, 1);
    return {
      calls,
      clients: clientCount,
      logDir,
      withoutAuditLog: without,
      withDurableAuditLog: { ...withLog, records: audit.stats.records, fsyncBatches: audit.stats.batches },
      overheadMs: +(withLog.medianMs - without.medianMs).toFixed(3),
    };
  } finally {
    await Promise.all(servers.map((s) => s.close()));
    session.close();
    await audit.close();
    await sandbox.close();
    rmSync(logDir, { recursive: true, force: true });
  }
}

export function formatAuditLogBench(r: AuditLogBenchResult): string {
  return [
    `audit log: whoami over Streamable HTTP, ${r.calls} sequential calls per mode (interleaved), ${r.clients} concurrent clients for throughput; log in ${r.logDir}`,
    `  without audit log     median ${r.withoutAuditLog.medianMs} ms   p95 ${r.withoutAuditLog.p95Ms} ms   ${r.withoutAuditLog.throughput} calls/s`,
    `  durable audit log     median ${r.withDurableAuditLog.medianMs} ms   p95 ${r.withDurableAuditLog.p95Ms} ms   ${r.withDurableAuditLog.throughput} calls/s`,
    `  overhead              median +${r.overheadMs} ms; ${r.withDurableAuditLog.records} records in ${r.withDurableAuditLog.fsyncBatches} fsync'ed batches`,
  ].join('\n');
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function invokedAsScript(): boolean {
  try {
    return !!process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (invokedAsScript()) {
  silenceSdkRuntimeNotices();
  const args = process.argv.slice(2);
  const dir = flag(args, '--dir');
  runAuditLogBench({ calls: Number(flag(args, '--calls') ?? 300), clients: Number(flag(args, '--clients') ?? 16), ...(dir ? { dir } : {}) }).then(
    (r) => process.stdout.write(`${formatAuditLogBench(r)}\n`),
    (err: unknown) => {
      process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
