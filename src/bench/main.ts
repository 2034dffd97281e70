/**
 * `npm run bench`: the product's performance numbers, each measured next to its baseline
 * in the same run (these machines are shared and noisy: compare ratios, not absolutes).
 * `npm run bench -- mcp` runs one benchmark by name.
 */
import { fileURLToPath } from 'node:url';
import { silenceSdkRuntimeNotices } from '../aws/clients.js';
import { printResult, type BenchResult } from './stats.js';

silenceSdkRuntimeNotices();

const DEMO_ACCOUNT = fileURLToPath(new URL('../../examples/demo/account.json', import.meta.url));

/** `--name value` or `--name=value` after the benchmark names, for the benchmarks that take them. */
type Flags = Map<string, string>;

const BENCHMARKS: Record<string, (flags: Flags) => Promise<BenchResult>> = {
  mcp: async (flags) => (await import('./mcp.js')).benchMcp({ accountFile: DEMO_ACCOUNT, ...(flags.has('calls') ? { calls: Number(flags.get('calls')) } : {}) }),
  audit: async (flags) =>
    (await import('./audit.js')).benchAudit({
      spec: flags.get('spec'),
      latencyMs: flags.has('latency-ms') ? Number(flags.get('latency-ms')) : undefined,
      sample: flags.has('sample') ? Number(flags.get('sample')) : undefined,
      skip: flags.get('skip')?.split(','),
    }),
  state: async () => (await import('./state.js')).benchStateLoad(),
  drift: async () => (await import('./drift.js')).benchDrift(),
  html: async () => (await import('./html.js')).benchHtml(),
  'audit-log': async () => {
    const { runAuditLogBench, formatAuditLogBench } = await import('./audit-log.js');
    const lines = formatAuditLogBench(await runAuditLogBench()).split('\n');
    return { name: 'Audit log cost per tool call', rows: lines.map((l, i) => [i === 0 ? 'setup' : '', l.trim()] as [string, string]) };
  },
};

async function run(): Promise<number> {
  const args = process.argv.slice(2);
  const flags: Flags = new Map();
  const wanted: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) wanted.push(arg);
    else if (arg.includes('=')) flags.set(arg.slice(2, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1));
    else flags.set(arg.slice(2), args[++i] ?? '');
  }
  const unknown = wanted.filter((w) => !BENCHMARKS[w]);
  if (unknown.length) {
    process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; choose from: ${Object.keys(BENCHMARKS).join(', ')}\n`);
    return 2;
  }
  const names = wanted.length ? wanted : Object.keys(BENCHMARKS);
  process.stdout.write(`infra-audit benchmarks — node ${process.version}, ${new Date().toISOString()}\n`);
  for (const name of names) {
    process.stderr.write(`running ${name}...\n`);
    printResult(await BENCHMARKS[name]!(flags), process.stdout);
  }
  return 0;
}

run().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`benchmark failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 2;
  },
);
