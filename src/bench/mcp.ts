/**
 * MCP tool-call round trip against its floor, measured in the same run: the server as it
 * runs (the built CLI's `serve` as a stdio child, and the Streamable HTTP server, both with
 * the durable audit log), next to a bare SDK server with the same tool and no log
 * (bare-mcp-server.ts) plus one write + fdatasync of a record of the same size in the same
 * directory. Rounds of each are interleaved, so the machine's noise falls on all alike.
 * The tool is `whoami` (its AWS identity is cached), so the numbers are the server's own
 * cost: transport, auth, the call wrapper and the durable audit log. Then 64 concurrent HTTP
 * clients against ours and against the bare server in interleaved rounds, and how many
 * durable writes (group commits) they took.
 *
 * INFRA_AUDIT_BENCH_NODE_ARGS adds node flags to both stdio children (e.g. `--cpu-prof`).
 */
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { loadAccountFile } from '../sandbox/account/load.js';
import { startSandbox } from '../sandbox/server.js';
import { ServerSession } from '../server/session.js';
import { createMcpServer, type CreateServerOptions } from '../server/create-server.js';
import { startHttpServer } from '../server/http.js';
import { TokenAuthenticator, hashToken } from '../server/auth/tokens.js';
import { AuditLog } from '../audit-log/audit-log.js';
import { BARE_RESULT_ENV, BARE_SERVER_SCRIPT, startBareHttpServer } from './bare-mcp-server.js';
import { fmtMs, median, percentile, timed, type BenchResult } from './stats.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const CREDENTIALS = { accessKeyId: 'AKIABENCH0000000000', secretAccessKey: 'bench' };
const CHILD_ENV = { PATH: process.env.PATH ?? '', AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey, AWS_REGION: 'us-east-1', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
const ROUND = 50;
const THROUGHPUT_ROUNDS = 5;

export interface McpBenchOptions {
  accountFile: string;
  /** Sequential calls per server and transport. */
  calls?: number;
  concurrentClients?: number;
  concurrentCalls?: number;
  /** Extra options for the HTTP server's MCP servers (e.g. the audit log hook). */
  serverOptions?: Partial<CreateServerOptions>;
  /** Extra CLI args for the stdio server. */
  stdioArgs?: string[];
}

async function callWhoami(client: Client): Promise<CallToolResult> {
  const result = (await client.callTool({ name: 'whoami', arguments: {} })) as CallToolResult;
  if (result.isError) throw new Error(`whoami failed: ${JSON.stringify(result.content)}`);
  return result;
}

async function roundTrips(client: Client, n: number, into: number[] = []): Promise<number[]> {
  for (let i = 0; i < n; i++) into.push((await timed(() => callWhoami(client))).ms);
  return into;
}

/** Rounds of each measurement in turn until each has `n` samples. */
async function interleaved(n: number, measures: Array<(k: number, into: number[]) => Promise<unknown>>): Promise<number[][]> {
  const samples = measures.map(() => [] as number[]);
  for (let done = 0; done < n; done += ROUND) {
    for (const [i, measure] of measures.entries()) await measure(Math.min(ROUND, n - done), samples[i]!);
  }
  return samples;
}

/** The floor's durable part: write + fdatasync of `bytes` bytes, as a server without a log would have to add. */
async function fdatasyncs(dir: string): Promise<{ measure: (bytes: number) => (k: number, into: number[]) => Promise<void>; close(): Promise<void> }> {
  const handle = await open(join(dir, 'floor.jsonl'), 'a');
  return {
    measure: (bytes) => {
      const line = Buffer.alloc(bytes, 0x61);
      line[bytes - 1] = 0x0a;
      return async (k, into) => {
        for (let i = 0; i < k; i++) {
          const { ms } = await timed(async () => {
            await handle.write(line);
            await handle.datasync();
          });
          into.push(ms);
        }
      };
    },
    close: () => handle.close(),
  };
}

function lastLineBytes(file: string): number {
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  return Buffer.byteLength(lines.at(-1)!, 'utf8') + 1;
}

function stdioClient(name: string, args: string[], env: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name, version: '1' });
  const nodeArgs = (process.env.INFRA_AUDIT_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  return client
    .connect(new StdioClientTransport({ command: process.execPath, args: [...nodeArgs, ...args], env: { ...CHILD_ENV, ...env }, stderr: 'ignore' }))
    .then(() => client);
}

/** Calls per second of `clients` clients sharing `total` calls, and their latencies. */
async function throughput(pool: Client[], total: number): Promise<{ perSecond: number; latencies: number[] }> {
  let next = 0;
  const latencies: number[] = [];
  const { ms } = await timed(() =>
    Promise.all(
      pool.map(async (c) => {
        while (next < total) {
          next++;
          latencies.push((await timed(() => callWhoami(c))).ms);
        }
      }),
    ),
  );
  return { perSecond: (latencies.length / ms) * 1000, latencies };
}

const ratio = (ours: number, floor: number) => `${(ours / floor).toFixed(2)}x`;
const stats = (times: number[]) => ({ median: median(times), p99: percentile(times, 99) });

export async function benchMcp(options: McpBenchOptions): Promise<BenchResult> {
  const calls = options.calls ?? 500;
  const clients = options.concurrentClients ?? 64;
  const total = options.concurrentCalls ?? 5000;
  const dir = mkdtempSync(join(tmpdir(), 'infra-audit-bench-mcp-'));
  const sandbox = await startSandbox({ account: await loadAccountFile(options.accountFile) });
  const rows: Array<[string, string]> = [];
  const closers: Array<() => Promise<unknown>> = [];
  try {
    // stdio: ours and the bare server, each a child process.
    const stdioLog = join(dir, 'stdio-audit.jsonl');
    const ours = await stdioClient('bench-stdio', [CLI, 'serve', '--endpoint-url', sandbox.endpoint, '--audit-log', stdioLog, ...(options.stdioArgs ?? [])]);
    closers.push(() => ours.close());
    const sample = await callWhoami(ours);
    const { _meta: _omit, ...bareResult } = sample;
    const bare = await stdioClient('bench-bare', [BARE_SERVER_SCRIPT], { [BARE_RESULT_ENV]: JSON.stringify(bareResult) });
    closers.push(() => bare.close());
    await roundTrips(ours, 50);
    await roundTrips(bare, 50);
    const recordBytes = lastLineBytes(stdioLog);
    const sync = await fdatasyncs(dir);
    closers.push(() => sync.close());
    const syncMeasure = sync.measure(recordBytes);
    await syncMeasure(20, []);
    const [oursStdio, bareStdio, syncTimes] = await interleaved(calls, [(k, into) => roundTrips(ours, k, into), (k, into) => roundTrips(bare, k, into), syncMeasure]);
    const s = { ours: stats(oursStdio!), bare: stats(bareStdio!), sync: stats(syncTimes!) };
    // Each round against the floor of the same round: a burst of load lands in one round's three measurements.
    const rounds = Math.ceil(calls / ROUND);
    const roundMedian = (times: number[], r: number) => median(times.slice(r * ROUND, (r + 1) * ROUND));
    const stdioRoundRatio = median(Array.from({ length: rounds }, (_, r) => roundMedian(oursStdio!, r) / (roundMedian(bareStdio!, r) + roundMedian(syncTimes!, r))));
    const stdioFloor = { median: s.bare.median + s.sync.median, p99: s.bare.p99 + s.sync.p99 };
    rows.push([`fdatasync of one record (${recordBytes} bytes, ${calls}x)`, `median ${fmtMs(s.sync.median)}, p99 ${fmtMs(s.sync.p99)}`]);
    rows.push([`stdio, bare SDK server (${calls} calls)`, `median ${fmtMs(s.bare.median)}, p99 ${fmtMs(s.bare.p99)}`]);
    rows.push(['stdio floor (bare + fdatasync)', `median ${fmtMs(stdioFloor.median)}, p99 ${fmtMs(stdioFloor.p99)}, ${Math.round(1000 / stdioFloor.median)} calls/s`]);
    rows.push([
      `stdio, infra-audit serve (${calls} calls)`,
      `median ${fmtMs(s.ours.median)} (${ratio(s.ours.median, stdioFloor.median)} floor), p99 ${fmtMs(s.ours.p99)} (${ratio(s.ours.p99, stdioFloor.p99)}), ` +
        `${Math.round(1000 / s.ours.median)} calls/s (${ratio(stdioFloor.median, s.ours.median)} floor's); above floor ${fmtMs(s.ours.median - stdioFloor.median)}; ` +
        `median of ${rounds} per-round ratios ${stdioRoundRatio.toFixed(2)}x`,
    ]);
    await ours.close();
    await bare.close();

    // Streamable HTTP, in this process: ours (token auth, durable log) and the bare server.
    const session = new ServerSession({ aws: { endpointUrl: sandbox.endpoint, credentials: CREDENTIALS, region: 'us-east-1' } });
    closers.push(async () => session.close());
    const audit = await AuditLog.open({ target: join(dir, 'http-audit.jsonl'), identity: () => session.identity(), region: 'us-east-1' });
    closers.push(() => audit.close());
    const http = await startHttpServer({
      authenticator: new TokenAuthenticator([{ principal: 'bench', sha256: hashToken('bench-token') }]),
      rateLimitPerSecond: 1_000_000,
      buildServer: (principal) => createMcpServer(session, { onToolCall: audit.onToolCall, ...options.serverOptions, defaultCaller: { principal: principal.name, transport: 'http' } }),
    });
    closers.push(() => http.close());
    const bareHttp = await startBareHttpServer(bareResult);
    closers.push(() => bareHttp.close());
    const connect = async (url: string, headers: Record<string, string> = {}) => {
      const c = new Client({ name: 'bench-http', version: '1' });
      await c.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
      closers.push(() => c.close());
      return c;
    };
    const connectOurs = () => connect(http.url, { Authorization: 'Bearer bench-token' });
    const connectBare = () => connect(bareHttp.url);
    const [oursOne, bareOne] = [await connectOurs(), await connectBare()];
    await roundTrips(oursOne, 50);
    await roundTrips(bareOne, 50);
    const [oursHttp, bareHttpTimes, httpSync] = await interleaved(calls, [(k, into) => roundTrips(oursOne, k, into), (k, into) => roundTrips(bareOne, k, into), syncMeasure]);
    const h = { ours: stats(oursHttp!), bare: stats(bareHttpTimes!), sync: stats(httpSync!) };
    const httpFloor = { median: h.bare.median + h.sync.median, p99: h.bare.p99 + h.sync.p99 };
    rows.push([`HTTP, bare SDK server (${calls} calls)`, `median ${fmtMs(h.bare.median)}, p99 ${fmtMs(h.bare.p99)}; fdatasync median ${fmtMs(h.sync.median)}`]);
    rows.push(['HTTP floor (bare + fdatasync)', `median ${fmtMs(httpFloor.median)}, p99 ${fmtMs(httpFloor.p99)}`]);
    rows.push([
      `HTTP, infra-audit (${calls} calls)`,
      `median ${fmtMs(h.ours.median)} (${ratio(h.ours.median, httpFloor.median)} floor), p99 ${fmtMs(h.ours.p99)} (${ratio(h.ours.p99, httpFloor.p99)}); above floor ${fmtMs(h.ours.median - httpFloor.median)}`,
    ]);

    // Concurrent clients: ours, then the bare server doing the same call.
    const oursPool = await Promise.all(Array.from({ length: clients }, connectOurs));
    const barePool = await Promise.all(Array.from({ length: clients }, connectBare));
    await throughput(oursPool, clients * 2);
    await throughput(barePool, clients * 2);
    // Interleaved rounds, so a burst of load on the shared machine falls on both servers.
    const perRound = Math.max(clients, Math.ceil(total / THROUGHPUT_ROUNDS));
    const oursRuns: Array<{ perSecond: number; latencies: number[] }> = [];
    const bareRuns: Array<{ perSecond: number; latencies: number[] }> = [];
    const before = { ...audit.stats };
    for (let round = 0; round < THROUGHPUT_ROUNDS; round++) {
      oursRuns.push(await throughput(oursPool, perRound));
      bareRuns.push(await throughput(barePool, perRound));
    }
    const after = audit.stats;
    const records = after.records - before.records;
    const batches = after.batches - before.batches;
    const summary = (runs: typeof oursRuns) => ({ perSecond: median(runs.map((r) => r.perSecond)), latencies: runs.flatMap((r) => r.latencies) });
    const [oursRun, bareRun] = [summary(oursRuns), summary(bareRuns)];
    const roundRatio = median(oursRuns.map((r, i) => r.perSecond / bareRuns[i]!.perSecond));
    rows.push([`HTTP, ${clients} clients, bare SDK server (${bareRun.latencies.length} calls)`, `${Math.round(bareRun.perSecond)} calls/s (median of ${THROUGHPUT_ROUNDS} rounds), median ${fmtMs(median(bareRun.latencies))}, p99 ${fmtMs(percentile(bareRun.latencies, 99))}`]);
    rows.push([
      `HTTP, ${clients} clients, infra-audit (${oursRun.latencies.length} calls)`,
      `${Math.round(oursRun.perSecond)} calls/s (${ratio(oursRun.perSecond, bareRun.perSecond)} bare; median of per-round ratios ${roundRatio.toFixed(2)}x), median ${fmtMs(median(oursRun.latencies))}, p99 ${fmtMs(percentile(oursRun.latencies, 99))}; ` +
        `${records} records in ${batches} durable writes (${(records / Math.max(1, batches)).toFixed(1)} per sync)`,
    ]);
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await sandbox.close();
  }
  return { name: 'MCP tool call (whoami) against the sandbox, next to its floor', rows };
}
