/**
 * `npm run bench`: the product's performance numbers, each measured next to its baseline
 * in the same run (these machines are shared and noisy: compare ratios, not absolutes).
 * `npm run bench -- mcp` runs one benchmark by name; `--help` lists them with their flags.
 *
 * Exit codes: 0 done (or --help), 2 bad arguments (an unknown benchmark or flag, a bad value) or a
 * benchmark that failed.
 */
import { fileURLToPath } from 'node:url';
import { silenceSdkRuntimeNotices } from '../aws/clients.js';
import { printResult, type BenchResult } from './stats.js';

silenceSdkRuntimeNotices();

const DEMO_ACCOUNT = fileURLToPath(new URL('../../examples/demo/account.json', import.meta.url));

/** `--name value` or `--name=value`, for the benchmarks that take them. */
type Flags = Map<string, string>;

interface FlagSpec {
  description: string;
  /** A whole number of at least 1 (read with Number), or any text. */
  kind: 'count' | 'text';
}

interface Benchmark {
  description: string;
  flags: Record<string, FlagSpec>;
  run: (flags: Flags) => Promise<BenchResult>;
}

const count = (flags: Flags, name: string): number | undefined => (flags.has(name) ? Number(flags.get(name)) : undefined);

const BENCHMARKS: Record<string, Benchmark> = {
  mcp: {
    description: 'MCP tool-call round trip (stdio and HTTP, 64 clients) next to a bare SDK server plus one fdatasync',
    flags: { calls: { kind: 'count', description: 'stdio calls per variant (default 500)' } },
    run: async (flags) => (await import('./mcp.js')).benchMcp({ accountFile: DEMO_ACCOUNT, ...(flags.has('calls') ? { calls: count(flags, 'calls') } : {}) }),
  },
  audit: {
    description: 'the audit of a generated 10,000-bucket account at 20 ms latency: adaptive vs fixed-10 vs sequential, calls, peak RSS, CPU per call',
    flags: {
      spec: { kind: 'text', description: 'the account, in `sandbox --generate` syntax (default the issue\'s; INFRA_AUDIT_BENCH_SPEC also works)' },
      'latency-ms': { kind: 'count', description: 'sandbox latency per request (default 20)' },
      sample: { kind: 'count', description: 'the sequential loop runs on 1/N of the account (default 25)' },
      skip: { kind: 'text', description: 'parts to leave out, comma-separated: fixed, sequential, selection, cpu' },
    },
    run: async (flags) =>
      (await import('./audit.js')).benchAudit({
        spec: flags.get('spec'),
        latencyMs: count(flags, 'latency-ms'),
        sample: count(flags, 'sample'),
        skip: flags.get('skip')?.split(','),
      }),
  },
  state: {
    description: 'loading, indexing and redacting a 50,000-resource Terraform state next to a bare JSON.parse (time and peak RSS)',
    flags: {},
    run: async () => (await import('./state.js')).benchStateLoad(),
  },
  drift: {
    description: '`drift` on a generated ~10,000-resource account at 20 ms latency next to the live side alone and the calls x latency bound',
    flags: {},
    run: async () => (await import('./drift.js')).benchDrift(),
  },
  html: {
    description: 'the HTML report of a 10,000-bucket audit loaded in headless Chromium next to a bare page and a static page of the same size',
    flags: {},
    run: async () => (await import('./html.js')).benchHtml(),
  },
  'audit-log': {
    description: 'what the durable audit log costs a tool call (HTTP whoami with and without it)',
    flags: {},
    run: async () => {
      const { runAuditLogBench, formatAuditLogBench } = await import('./audit-log.js');
      const lines = formatAuditLogBench(await runAuditLogBench()).split('\n');
      return { name: 'Audit log cost per tool call', rows: lines.map((l, i) => [i === 0 ? 'setup' : '', l.trim()] as [string, string]) };
    },
  },
};

function helpText(): string {
  const lines = ['usage: npm run bench -- [NAME ...] [--flag value ...]   (no NAME: every benchmark)', '', 'benchmarks:'];
  const width = Math.max(...Object.keys(BENCHMARKS).map((n) => n.length));
  for (const [name, bench] of Object.entries(BENCHMARKS)) {
    lines.push(`  ${name.padEnd(width)}  ${bench.description}`);
    for (const [flag, spec] of Object.entries(bench.flags)) lines.push(`  ${''.padEnd(width)}    --${flag} ${spec.kind === 'count' ? 'N' : 'VALUE'}: ${spec.description}`);
  }
  lines.push('', 'exit codes: 0 done, 2 bad arguments or a benchmark failed');
  return `${lines.join('\n')}\n`;
}

class UsageError extends Error {}

/** The benchmarks to run and their flags; --help is the caller's to see first. */
function parseArgs(args: readonly string[]): { names: string[]; flags: Flags } {
  const given = new Map<string, string | undefined>();
  const wanted: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      given.set(name, eq >= 0 ? arg.slice(eq + 1) : args[++i]);
    } else if (arg.startsWith('-') && arg.length > 1) throw new UsageError(`unknown flag ${arg}; see --help`);
    else wanted.push(arg);
  }
  const unknown = wanted.filter((w) => !Object.hasOwn(BENCHMARKS, w));
  if (unknown.length) throw new UsageError(`unknown benchmark(s): ${unknown.join(', ')}; choose from: ${Object.keys(BENCHMARKS).join(', ')}`);
  const names = wanted.length ? wanted : Object.keys(BENCHMARKS);
  const flags: Flags = new Map();
  for (const [flag, value] of given) {
    const specs = names.map((n) => BENCHMARKS[n]!.flags[flag]).filter((s) => s !== undefined);
    if (specs.length === 0) {
      const takers = Object.entries(BENCHMARKS).filter(([, b]) => Object.hasOwn(b.flags, flag)).map(([n]) => n);
      throw new UsageError(`unknown flag --${flag} for ${names.join(', ')}${takers.length ? ` (${takers.join(', ')} take${takers.length === 1 ? 's' : ''} it)` : ''}; see --help for each benchmark's flags`);
    }
    if (value === undefined) throw new UsageError(`--${flag} needs a value; see --help`);
    if (specs[0]!.kind === 'count' && !/^[1-9]\d*$/.test(value)) throw new UsageError(`--${flag} must be a whole number of at least 1, got "${value}"`);
    flags.set(flag, value);
  }
  return { names, flags };
}

async function run(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.some((a) => a === '--help' || a === '-h')) {
    process.stdout.write(helpText());
    return 0;
  }
  let parsed;
  try {
    parsed = parseArgs(args);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`bench: ${err.message}\n`);
    return 2;
  }
  process.stdout.write(`infra-audit benchmarks — node ${process.version}, ${new Date().toISOString()}\n`);
  for (const name of parsed.names) {
    process.stderr.write(`running ${name}...\n`);
    printResult(await BENCHMARKS[name]!.run(parsed.flags), process.stdout);
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
