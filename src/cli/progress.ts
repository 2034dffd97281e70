/**
 * Progress of a long `audit` or `drift` on stderr, from the session's per-service call counters.
 *
 * - A terminal: one line, redrawn in place (at most 4 times a second): the phase, per service the
 *   calls finished of those made so far, and an ETA.
 * - Not a terminal (CI, a pipe): a plain line at most every 10 s, so a slow run shows it is alive
 *   and a fast one prints none.
 * - `--quiet`: nothing (errors still reach stderr from the entry point); `--verbose`: every phase
 *   and completed service/region as its own line, and the calls per operation at the end.
 *
 * The ETA is the calls made but not finished, divided by the rate calls have finished at so far.
 * Calls are discovered as listings return (a bucket's reads once the bucket is listed), so early
 * in a run it is an estimate of the work known so far, and it grows as more is found.
 */
import { InfraAuditError } from '../errors.js';
import { MAX_CONCURRENCY } from '../aws/concurrency.js';
import type { OutputStream } from './io.js';

export const CI_PROGRESS_INTERVAL_MS = 10_000;
export const TTY_PROGRESS_INTERVAL_MS = 250;
/** An ETA from fewer finished calls or less time than this would be noise. */
const ETA_MIN_FINISHED = 20;
const ETA_MIN_ELAPSED_MS = 1_000;

export type Verbosity = 'quiet' | 'normal' | 'verbose';

export interface CallProgress {
  byService?: Record<string, { started: number; finished: number; waiting?: number; resources?: number }>;
  byOperation?: Record<string, number>;
  retry?: { retries: number; throttled: number };
  /** Most calls in flight at once per limiter ("s3", "ec2:us-east-1"). */
  peakInFlight?: Record<string, number>;
}

export interface ProgressOptions {
  /** "audit" or "drift": every line starts with it. */
  command: string;
  stderr: OutputStream & { columns?: number };
  verbosity: Verbosity;
  /** Where the counters come from; set once the command has its AWS session. */
  calls?: () => CallProgress;
  /** Milliseconds between lines when stderr is not a terminal (default 10 s; tests shorten it). */
  intervalMs?: number;
  /** The clock (tests drive it). */
  now?: () => number;
  /** false: no timer, the caller calls tick() (tests). */
  timer?: boolean;
}

export class ProgressReporter {
  private readonly tty: boolean;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly started: number;
  private calls: (() => CallProgress) | undefined;
  private phase = 'starting';
  private lastLineAt: number;
  private drawn = '';
  private timer: NodeJS.Timeout | undefined;
  private finished = false;
  /** Lines written by tick() (for tests). */
  linesWritten = 0;

  constructor(private readonly options: ProgressOptions) {
    this.tty = options.stderr.isTTY === true;
    this.intervalMs = this.tty ? TTY_PROGRESS_INTERVAL_MS : (options.intervalMs ?? CI_PROGRESS_INTERVAL_MS);
    this.now = options.now ?? Date.now;
    this.started = this.now();
    this.lastLineAt = this.started;
    this.calls = options.calls;
    if (options.verbosity !== 'quiet' && options.timer !== false) {
      this.timer = setInterval(() => this.tick(), this.tty ? TTY_PROGRESS_INTERVAL_MS : Math.max(1, Math.min(this.intervalMs, 1_000)));
      // Progress never keeps a finished (or interrupted) command alive.
      this.timer.unref();
    }
  }

  get quiet(): boolean {
    return this.options.verbosity === 'quiet';
  }

  watch(calls: () => CallProgress): void {
    this.calls = calls;
  }

  /** What the command is doing now ("collecting s3, iam", "comparing"); a line of its own with --verbose. */
  setPhase(phase: string): void {
    this.phase = phase;
    if (this.options.verbosity === 'verbose') this.log(phase);
    // A terminal shows a new phase at once; off one, the next line due carries it.
    if (this.tty) this.tick();
  }

  /** A detail only --verbose shows ("collected ec2 us-east-1"). */
  detail(message: string): void {
    if (this.options.verbosity === 'verbose') this.log(message);
  }

  /** A line that is not progress (a warning, the summary): printed unless --quiet, above the live line on a terminal. */
  info(message: string): void {
    if (!this.quiet) this.log(message);
  }

  /** Print a progress line if one is due (called by the timer; tests call it with their clock). */
  tick(): void {
    if (this.quiet || this.finished) return;
    const now = this.now();
    if (this.tty) {
      const line = this.fit(`${this.options.command}: ${this.statusText(now)}`);
      if (line !== this.drawn) {
        this.options.stderr.write(`\r${line}\u001b[K`);
        this.drawn = line;
        this.linesWritten++;
      }
      return;
    }
    // At most one line per interval, however often the timer fires.
    if (now - this.lastLineAt < this.intervalMs) return;
    this.lastLineAt = now;
    this.options.stderr.write(`${this.options.command}: progress ${this.statusText(now)}\n`);
    this.linesWritten++;
  }

  /** Stop the timer and clear the live line; with --verbose, the calls per operation. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.clearLine();
    if (this.options.verbosity === 'verbose' && this.calls) {
      const calls = this.calls();
      const ops = Object.entries(calls.byOperation ?? {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      if (ops.length > 0) this.log(`AWS calls by operation: ${ops.map(([op, n]) => `${op} ${n}`).join(', ')}`);
      if (calls.peakInFlight) {
        const peaks = Object.entries(calls.peakInFlight).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
        if (peaks.length > 0) this.log(`most AWS calls in flight at once: ${peaks.map(([key, n]) => `${key} ${n}`).join(', ')}`);
      }
      if (calls.retry) this.log(`retries ${calls.retry.retries}, throttled ${calls.retry.throttled}`);
    }
  }

  /** "collecting · 12 s · calls done/known: s3 812/8008, iam 40/120 (+3 services done) · ETA ~25 s" */
  statusText(now: number = this.now()): string {
    const elapsedMs = now - this.started;
    const parts = [this.phase, formatDuration(elapsedMs)];
    // Calls known: those made, plus the calls of resources listed but not read yet, at the
    // calls per resource seen so far (collectors read a bounded number of resources at once).
    const services = Object.entries(this.calls?.().byService ?? {}).map(([name, c]) => {
      const perResource = c.resources ? c.started / c.resources : 1;
      return [name, { started: c.started + Math.round((c.waiting ?? 0) * perResource), finished: c.finished }] as const;
    });
    if (services.length > 0) {
      const open = services.filter(([, c]) => c.finished < c.started).sort((a, b) => b[1].started - b[1].finished - (a[1].started - a[1].finished) || a[0].localeCompare(b[0]));
      const done = services.length - open.length;
      const counts = open.map(([name, c]) => `${name} ${c.finished}/${c.started}`);
      if (done > 0) counts.push(open.length > 0 ? `+${done} service${done === 1 ? '' : 's'} done` : `${done} service${done === 1 ? '' : 's'} done`);
      const finished = services.reduce((n, [, c]) => n + c.finished, 0);
      const pending = services.reduce((n, [, c]) => n + c.started - c.finished, 0);
      parts.push(`AWS calls done/known: ${counts.join(', ')} (${finished} done)`);
      const eta = pending > 0 ? estimateRemainingMs(finished, pending, elapsedMs) : undefined;
      if (eta !== undefined) parts.push(`ETA ~${formatDuration(eta)}`);
    }
    return parts.join(' · ');
  }

  private log(message: string): void {
    this.clearLine();
    this.options.stderr.write(`${this.options.command}: ${message}\n`);
  }

  private clearLine(): void {
    if (this.tty && this.drawn) {
      this.options.stderr.write('\r\u001b[K');
      this.drawn = '';
    }
  }

  /** A redrawn line must not wrap, or `\r` would redraw only its last row. */
  private fit(line: string): string {
    // A pty with no size reports 0 columns.
    const columns = this.options.stderr.columns || 120;
    return line.length < columns ? line : `${line.slice(0, Math.max(10, columns - 2))}…`;
  }
}

/** Pending calls at the rate calls have finished so far; undefined until that rate means something. */
export function estimateRemainingMs(finished: number, pending: number, elapsedMs: number): number | undefined {
  if (finished < ETA_MIN_FINISHED || elapsedMs < ETA_MIN_ELAPSED_MS) return undefined;
  return (pending * elapsedMs) / finished;
}

export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s - m * 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** --quiet and --verbose exclude each other. */
export function verbosityOf(opts: { quiet?: boolean; verbose?: boolean }): Verbosity {
  if (opts.quiet && opts.verbose) throw new InfraAuditError('USAGE', '--quiet and --verbose exclude each other', { hint: 'pass one of them, or neither for progress and a summary' });
  return opts.quiet ? 'quiet' : opts.verbose ? 'verbose' : 'normal';
}

/** `--concurrency` above MAX_CONCURRENCY is capped, with a warning (unless --quiet). */
export function capConcurrency(requested: number | undefined, progress: ProgressReporter): number | undefined {
  if (requested === undefined || requested <= MAX_CONCURRENCY) return requested;
  progress.info(
    `warning: --concurrency ${requested} is capped at ${MAX_CONCURRENCY} requests in flight per service (the HTTP agent keeps ${MAX_CONCURRENCY} sockets per endpoint, and AWS throttles an account long before)`,
  );
  return MAX_CONCURRENCY;
}
