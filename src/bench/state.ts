/**
 * Loading a large Terraform state: a generated 50,000-resource state (about 90 MB) loaded,
 * indexed and redacted by the product, next to its floor, a bare read + JSON.parse of the
 * same file, in the same run. Each load runs in its own child process (this file, with the
 * variant and the file as arguments), so each has its own peak RSS; rounds alternate the two
 * and medians are compared. Targets: peak RSS at most 4x the file's size, time at most 1.5x
 * the bare parse's.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateState } from '../terraform/state/generate.js';
import { loadStates } from '../terraform/state/load.js';
import { fmtMiB, fmtMs, median, type BenchResult } from './stats.js';

const SELF = fileURLToPath(import.meta.url);
type Variant = 'bare' | 'product';

interface Measured {
  ms: number;
  peakRss: number;
  /** RSS of the process before it read anything (node and the modules it loaded). */
  startRss: number;
  instances: number;
}

/** One load in a fresh process: its time and its peak RSS. */
function measureInChild(variant: Variant, file: string): Measured {
  const out = execFileSync(process.execPath, [SELF, variant, file], { encoding: 'utf8', maxBuffer: 1024 * 1024 });
  return JSON.parse(out) as Measured;
}

async function child(variant: Variant, file: string): Promise<void> {
  const startRss = process.memoryUsage().rss;
  const start = performance.now();
  let instances: number;
  if (variant === 'bare') {
    const document = JSON.parse(readFileSync(file, 'utf8')) as { resources: Array<{ instances: unknown[] }> };
    instances = document.resources.reduce((n, r) => n + r.instances.length, 0);
  } else {
    const loaded = await loadStates([file]);
    instances = loaded.states[0]!.resources.length;
  }
  const ms = performance.now() - start;
  process.stdout.write(JSON.stringify({ ms, peakRss: process.resourceUsage().maxRSS * 1024, startRss, instances } satisfies Measured));
}

export async function benchStateLoad(options: { resources?: number; rounds?: number } = {}): Promise<BenchResult> {
  const resources = options.resources ?? 50_000;
  const rounds = options.rounds ?? 5;
  const dir = mkdtempSync(join(tmpdir(), 'infra-audit-bench-state-'));
  const file = join(dir, 'terraform.tfstate');
  try {
    writeFileSync(file, generateState({ resources, seed: 1 }));
    const size = statSync(file).size;
    const bare: Measured[] = [];
    const product: Measured[] = [];
    for (let i = 0; i < rounds; i++) {
      bare.push(measureInChild('bare', file));
      product.push(measureInChild('product', file));
    }
    const ms = (m: Measured[]) => median(m.map((x) => x.ms));
    const rss = (m: Measured[]) => median(m.map((x) => x.peakRss));
    const start = (m: Measured[]) => median(m.map((x) => x.startRss));
    return {
      name: `Terraform state: load, index and redact ${resources.toLocaleString('en')} resources (each load in its own process)`,
      rows: [
        ['state file', `${fmtMiB(size)}, ${product[0]!.instances.toLocaleString('en')} resource instances`],
        ['floor: bare read + JSON.parse', `median ${fmtMs(ms(bare))}, peak RSS ${fmtMiB(rss(bare))} (${(rss(bare) / size).toFixed(2)}x the file; ${fmtMiB(start(bare))} before reading) over ${rounds} rounds`],
        ['infra-audit loadStates', `median ${fmtMs(ms(product))}, peak RSS ${fmtMiB(rss(product))} (${(rss(product) / size).toFixed(2)}x the file; ${fmtMiB(start(product))} before reading) over ${rounds} rounds (read, parse, validate, address, index, redact)`],
        ['time', `${(ms(product) / ms(bare)).toFixed(2)}x the bare parse (target ≤ 1.5x); median of per-round ratios ${median(product.map((p, i) => p.ms / bare[i]!.ms)).toFixed(2)}x`],
        ['peak RSS', `${(rss(product) / size).toFixed(2)}x the file's size (target ≤ 4x); ${(rss(product) / rss(bare)).toFixed(2)}x the bare parse's peak`],
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === SELF) {
  child(process.argv[2] as Variant, process.argv[3]!).catch((err: unknown) => {
    process.stderr.write(`state bench child: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
