import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useSandbox, TEST_CREDENTIALS } from '../test-support/sandbox.js';
import { HEAP_GROWING_PERCENT } from './heap.js';

const demo = JSON.parse(readFileSync(fileURLToPath(new URL('../../examples/demo/account.json', import.meta.url)), 'utf8'));
const RUN = new URL('../../dist/audit/run.js', import.meta.url).href;

/**
 * A process that runs an audit (or, with NO_AUDIT, does not), keeps 20 MiB alive, then forces a full
 * collection. With --trace-gc-verbose, V8 prints the growing factor of every old-generation limit it
 * sets; the last one printed is the forced collection's, the limit the process lives with from then on.
 * (A forced collection rather than garbage left to trigger one: on a loaded machine concurrent marking
 * may not finish before the process exits, and V8's lines reach the pipe through libc's buffer, out of
 * step with console.log, so only their own order can be trusted.)
 */
const SCRIPT = `
const [endpointUrl, accessKeyId, secretAccessKey, mode] = process.argv.slice(1);
if (mode !== 'NO_AUDIT') {
  const { runAudit } = await import(${JSON.stringify(RUN)});
  await runAudit({ endpointUrl, credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
}
const live = Array.from({ length: 200000 }, (_, i) => ({ i, s: 'kept ' + i }));
globalThis.gc();
console.log('DONE', live.length);
`;

function run(endpoint: string, mode: 'AUDIT' | 'NO_AUDIT'): Promise<string> {
  const args = ['--expose-gc', '--trace-gc-verbose', '--input-type=module', '-e', SCRIPT, endpoint, TEST_CREDENTIALS.accessKeyId, TEST_CREDENTIALS.secretAccessKey, mode];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited with ${code}: ${out.slice(-2000)}`))));
  });
}

/** The growing factor of the last old-generation limit V8 set, as it printed it. */
function lastFactor(out: string): number | undefined {
  const factors = [...out.matchAll(/\[HeapController\] Limit: old size: \d+ KB, new limit: \d+ KB \(([\d.]+)\)/g)].map((m) => Number(m[1]));
  return factors.at(-1);
}

describe('the heap during an audit', () => {
  const sandbox = useSandbox(demo);

  it('sets the next full collection at twice what the last one kept, not at V8 default of up to 4x', async () => {
    const [audited, control] = await Promise.all([run(sandbox.endpoint, 'AUDIT'), run(sandbox.endpoint, 'NO_AUDIT')]);
    expect(audited).toContain('DONE');
    expect(control).toContain('DONE');
    expect(lastFactor(audited)).toBe(1 + HEAP_GROWING_PERCENT / 100);
    // The same process without the audit keeps V8's own factor: the line above measures the audit's setting.
    expect(lastFactor(control)).toBeGreaterThan(0);
    expect(lastFactor(control)).not.toBe(1 + HEAP_GROWING_PERCENT / 100);
  }, 120_000);
});
