/**
 * Loading a large Terraform state: a generated 50,000-resource state (about 100 MB) loaded,
 * indexed and redacted by the product, next to a bare JSON.parse of the same text in the
 * same run. Each is timed over several alternating rounds; medians are compared.
 */
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateState } from '../terraform/state/generate.js';
import { loadStates } from '../terraform/state/load.js';
import { fmtMiB, fmtMs, median, peakRssBytes, timed, type BenchResult } from './stats.js';

export async function benchStateLoad(options: { resources?: number; rounds?: number } = {}): Promise<BenchResult> {
  const resources = options.resources ?? 50_000;
  const rounds = options.rounds ?? 5;
  const dir = mkdtempSync(join(tmpdir(), 'infra-audit-bench-state-'));
  const file = join(dir, 'terraform.tfstate');
  try {
    writeFileSync(file, generateState({ resources, seed: 1 }));
    const size = readFileSync(file).length;
    const bare: number[] = [];
    const product: number[] = [];
    let addresses = 0;
    for (let i = 0; i < rounds; i++) {
      // Both sides read the file from disk, so the comparison is load against load.
      bare.push((await timed(async () => JSON.parse(readFileSync(file, 'utf8')) as unknown)).ms);
      const loaded = await timed(() => loadStates([file]));
      product.push(loaded.ms);
      addresses = loaded.value.states[0]!.resources.length;
    }
    return {
      name: `Terraform state: load, index and redact ${resources.toLocaleString('en')} resources`,
      rows: [
        ['state file', `${fmtMiB(size)}, ${addresses.toLocaleString('en')} resource instances`],
        ['bare JSON.parse (read + parse)', `median ${fmtMs(median(bare))} over ${rounds} rounds`],
        ['infra-audit loadStates', `median ${fmtMs(median(product))} over ${rounds} rounds (parse, validate, address, index, redact)`],
        ['ratio', `${(median(product) / median(bare)).toFixed(2)}× the bare parse (target ≤ 1.5×)`],
        ['peak RSS', fmtMiB(peakRssBytes())],
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
