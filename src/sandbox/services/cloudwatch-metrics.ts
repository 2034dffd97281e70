/**
 * CloudWatch statistics over the account file's metric series, as CloudWatch computes them:
 * periods start at StartTime (rounded down to the minute, 5 minutes or hour by its age) and
 * step by Period up to EndTime; each period aggregates the samples that fall in it.
 *
 * A `Constant {Value, Since}` series is one sample of Value every 60 seconds from Since on
 * (CloudWatch's standard resolution), up to now. So in every period after Since, Average,
 * Minimum and Maximum are Value, SampleCount is the number of minutes, Sum is Value times that.
 * Explicit `Datapoints` are one sample each.
 *
 * Retention is CloudWatch's: periods that start more than 15 days ago need a Period that is a
 * multiple of 300 s, more than 63 days ago a multiple of 3600 s, and nothing older than 455
 * days is kept; sub-minute periods reach back 3 hours. Periods that do not qualify have no
 * datapoints (AWS returns none, no error). This also bounds the work: a constant series yields
 * at most ~21,600 periods per query.
 */
import type { SandboxMetric } from '../account/model.js';

export const STATISTICS = ['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount'] as const;
export type Statistic = (typeof STATISTICS)[number];

export interface PeriodStatistics {
  /** Start of the period, epoch milliseconds. */
  start: number;
  Average: number;
  Sum: number;
  Minimum: number;
  Maximum: number;
  SampleCount: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/** StartTime rounded down as CloudWatch does for data of that age. */
export function alignedStart(startMs: number, nowMs: number): number {
  const age = nowMs - startMs;
  const unit = age > 63 * DAY ? 3_600_000 : age > 15 * DAY ? 300_000 : MINUTE;
  return Math.floor(startMs / unit) * unit;
}

/** The oldest period start that still has data at this Period (sub-minute periods: 3 hours). */
function retentionStart(periodSeconds: number, nowMs: number): number {
  if (periodSeconds < 60) return nowMs - 3 * 3_600_000;
  const days = periodSeconds % 3600 === 0 ? 455 : periodSeconds % 300 === 0 ? 63 : 15;
  return nowMs - days * DAY;
}

export interface Window {
  startMs: number;
  endMs: number;
  periodSeconds: number;
  nowMs: number;
}

/** The statistics of every period of `window` that has samples, oldest first. */
export function periodStatistics(metric: SandboxMetric, window: Window): PeriodStatistics[] {
  const origin = alignedStart(window.startMs, window.nowMs);
  const period = window.periodSeconds * 1000;
  const out: PeriodStatistics[] = [];
  if (metric.Constant) {
    const since = Date.parse(metric.Constant.Since);
    const value = metric.Constant.Value;
    const last = Math.min(window.endMs, window.nowMs + 1); // samples strictly before this
    // The period holding Since counts its later minutes; periods older than retention count none.
    const firstIndex = Math.max(
      0,
      Math.floor((since - origin) / period),
      Math.ceil((retentionStart(window.periodSeconds, window.nowMs) - origin) / period),
    );
    for (let start = origin + firstIndex * period; start < last; start += period) {
      const count = minuteSamples(since, Math.max(start, since), Math.min(start + period, last));
      if (count > 0) out.push({ start, Average: value, Sum: value * count, Minimum: value, Maximum: value, SampleCount: count });
    }
    return out;
  }
  const buckets = new Map<number, number[]>();
  for (const point of metric.Datapoints ?? []) {
    const t = Date.parse(point.Timestamp);
    if (t < origin || t >= window.endMs || t > window.nowMs) continue;
    const start = origin + Math.floor((t - origin) / period) * period;
    if (start < retentionStart(window.periodSeconds, window.nowMs)) continue;
    const values = buckets.get(start) ?? [];
    values.push(point.Value);
    buckets.set(start, values);
  }
  for (const [start, values] of [...buckets.entries()].sort(([a], [b]) => a - b)) {
    const sum = values.reduce((a, b) => a + b, 0);
    out.push({ start, Average: sum / values.length, Sum: sum, Minimum: Math.min(...values), Maximum: Math.max(...values), SampleCount: values.length });
  }
  return out;
}

/** How many of the samples at since, since+60s, since+120s, ... lie in [from, to). */
function minuteSamples(since: number, from: number, to: number): number {
  if (to <= from) return 0;
  const first = Math.ceil((from - since) / MINUTE);
  const last = Math.ceil((to - since) / MINUTE) - 1;
  return Math.max(0, last - Math.max(first, 0) + 1);
}

/** Does the metric carry exactly these dimensions (order aside)? */
export function sameDimensions(metric: SandboxMetric, dimensions: ReadonlyArray<{ Name: string; Value: string }>): boolean {
  if (metric.Dimensions.length !== dimensions.length) return false;
  return dimensions.every((d) => metric.Dimensions.some((m) => m.Name === d.Name && m.Value === d.Value));
}
