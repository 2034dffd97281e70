import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useSandbox, TEST_CREDENTIALS } from '../test-support/sandbox.js';
import { HEAP_GROWING_PERCENT } from './heap.js';

const demo = JSON.parse(readFileSync(fileURLToPath(new URL('../../examples/demo/account.json', import.meta.url)), 'utf8'));
const RUN = new URL('../../dist/audit/run.js', import.meta.url).href;

/**
 * A process that runs an audit, then keeps 20 MiB alive while it churns through some 300 MiB of garbage that
 * outlives young collections (so full collections follow). With --trace-gc-verbose, V8 prints the
 * growing factor of every old-generation limit it sets.
 */
const SCRIPT = `
const { runAudit } = await import(${JSON.stringify(RUN)});
const [endpointUrl, accessKeyId, secretAccessKey] = process.argv.slice(1);
await runAudit({ endpointUrl, credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
console.log('AUDITED');
const live = Array.from({ length: 200000 }, (_, i) => ({ i, s: 'kept ' + i }));
const window = [];
for (let round = 0; round < 40000; round++) {
  window.push(Array.from({ length: 200 }, (_, i) => ({ round, i })));
  if (window.length > 500) window.shift();
}
console.log('DONE', live.length);
`;

function run(endpoint: string): Promise<string> {
  const child = spawn(process.execPath, ['--trace-gc-verbose', '--input-type=module', '-e', SCRIPT, endpoint, TEST_CREDENTIALS.accessKeyId, TEST_CREDENTIALS.secretAccessKey], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited with ${code}: ${out.slice(-2000)}`))));
  });
}

describe('the heap during an audit', () => {
  const sandbox = useSandbox(demo);

  it('starts a full collection once the old generation doubles what the last one kept, not at V8 default of up to 4x', async () => {
    const out = await run(sandbox.endpoint);
    expect(out).toContain('DONE');
    const after = out.slice(out.indexOf('AUDITED'));
    const factors = [...after.matchAll(/\[HeapController\] Limit: old size: \d+ KB, new limit: \d+ KB \(([\d.]+)\)/g)].map((m) => Number(m[1]));
    expect(factors.length).toBeGreaterThan(0);
    expect(new Set(factors)).toEqual(new Set([1 + HEAP_GROWING_PERCENT / 100]));
  }, 120_000);
});
