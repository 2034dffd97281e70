/**
 * The built bench entry's argument handling, as a user runs it: --help lists the benchmarks and
 * their flags and runs none; an unknown flag or a bad value is refused before anything starts.
 * "Runs none" is read from the output: every benchmark announces itself ("running NAME...") and
 * the run prints its header before the first one starts its sandbox.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BENCH = fileURLToPath(new URL('../../dist/bench/main.js', import.meta.url));
const NAMES = ['mcp', 'audit', 'state', 'drift', 'html', 'audit-log'];

async function bench(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BENCH, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

function ranNothing(out: { stdout: string; stderr: string }): void {
  expect(out.stderr).not.toContain('running ');
  expect(out.stdout).not.toContain('infra-audit benchmarks —');
}

describe('bench entry arguments', () => {
  for (const flag of ['--help', '-h']) {
    it(`${flag} lists every benchmark with a description and its flags, exits 0 and runs none`, async () => {
      const out = await bench(flag);
      expect(out.code, out.stderr).toBe(0);
      ranNothing(out);
      for (const name of NAMES) expect(out.stdout).toMatch(new RegExp(`^  ${name} +\\S.{20,}$`, 'm'));
      for (const flagName of ['--calls N', '--spec VALUE', '--latency-ms N', '--sample N', '--skip VALUE']) expect(out.stdout).toContain(flagName);
    });
  }

  it('--help after a name still only prints the help', async () => {
    const out = await bench('audit', '--help');
    expect(out.code).toBe(0);
    ranNothing(out);
    expect(out.stdout).toContain('usage: npm run bench');
  });

  it('an unknown flag is an error naming it, exit 2, before any benchmark starts', async () => {
    const out = await bench('--list');
    expect(out.code).toBe(2);
    ranNothing(out);
    expect(out.stderr).toMatch(/^bench: .*--list/);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a flag of another benchmark is refused, naming who takes it', async () => {
    const out = await bench('mcp', '--spec', 'buckets=10');
    expect(out.code).toBe(2);
    ranNothing(out);
    expect(out.stderr).toContain('unknown flag --spec for mcp (audit takes it)');
  });

  it('a count that is not a whole number is refused, naming the flag and the value', async () => {
    const out = await bench('audit', '--sample=abc');
    expect(out.code).toBe(2);
    ranNothing(out);
    expect(out.stderr).toContain('--sample must be a whole number of at least 1, got "abc"');
  });

  it('an unknown benchmark is still refused with the names to choose from', async () => {
    const out = await bench('nope');
    expect(out.code).toBe(2);
    ranNothing(out);
    expect(out.stderr).toContain(`choose from: ${NAMES.join(', ')}`);
  });
});
