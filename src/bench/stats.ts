/** Small helpers shared by the benchmarks: percentiles, timing, and printing. */

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export const median = (values: readonly number[]) => percentile(values, 50);

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

export function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
}

export function fmtMiB(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Peak RSS of this process so far (Linux: from the kernel's high-water mark). */
export function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

export interface BenchResult {
  name: string;
  /** Rows of label → value, printed in order. */
  rows: Array<[string, string]>;
}

export function printResult(result: BenchResult, out: { write(s: string): unknown }): void {
  out.write(`\n## ${result.name}\n`);
  const width = Math.max(...result.rows.map(([k]) => k.length));
  for (const [k, v] of result.rows) out.write(`  ${k.padEnd(width)}  ${v}\n`);
}
