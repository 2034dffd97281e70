/**
 * The progress display's rules with an injected clock, so nothing sleeps: off a terminal, at most
 * one line per interval (10 s by default); on one, a single line redrawn in place; --quiet writes
 * nothing. The CLI tests (progress-cli.test.ts) drive the same code through the built CLI.
 */
import { describe, expect, it } from 'vitest';
import { InfraAuditError } from '../errors.js';
import { CI_PROGRESS_INTERVAL_MS, estimateRemainingMs, formatDuration, ProgressReporter, verbosityOf, type CallProgress } from './progress.js';

function stream(isTTY: boolean, columns?: number) {
  let text = '';
  return { write: (s: string) => (text += s), isTTY, columns, text: () => text };
}

function reporter(isTTY: boolean, verbosity: 'quiet' | 'normal' | 'verbose' = 'normal', columns?: number) {
  let now = 1_000_000;
  const calls: CallProgress = { byService: {}, byOperation: {} };
  const stderr = stream(isTTY, columns);
  const progress = new ProgressReporter({ command: 'audit', stderr, verbosity, calls: () => calls, now: () => now, timer: false });
  return { progress, stderr, calls, at: (ms: number) => (now = 1_000_000 + ms) };
}

describe('progress off a terminal (CI)', () => {
  it('prints at most one line every 10 s, however often it is asked, and none in the first 10 s', () => {
    const { progress, stderr, at } = reporter(false);
    expect(CI_PROGRESS_INTERVAL_MS).toBe(10_000);
    const times = [0, 1_000, 5_000, 9_999, 10_000, 10_001, 15_000, 19_999, 20_000, 20_500, 29_000, 45_000, 45_001];
    const printedAt: number[] = [];
    for (const t of times) {
      at(t);
      const before = progress.linesWritten;
      progress.tick();
      if (progress.linesWritten > before) printedAt.push(t);
    }
    expect(printedAt).toEqual([10_000, 20_000, 45_000]);
    for (let i = 1; i < printedAt.length; i++) expect(printedAt[i]! - printedAt[i - 1]!).toBeGreaterThanOrEqual(10_000);
    const lines = stderr.text().split('\n').filter(Boolean);
    expect(lines).toHaveLength(3);
    expect(stderr.text()).not.toContain('\r');
    expect(lines[0]).toBe('audit: progress starting · 10 s');
  });

  it('shows per service the calls finished of those made, the unfinished first, and an ETA from the rate so far', () => {
    const { progress, stderr, calls, at } = reporter(false);
    progress.setPhase('collecting');
    calls.byService = { s3: { started: 1000, finished: 250 }, iam: { started: 40, finished: 40 }, sts: { started: 1, finished: 1 }, ec2: { started: 12, finished: 2 } };
    at(10_000);
    progress.tick();
    // 293 calls finished in 10 s; 760 pending: 760 × 10 s / 293 ≈ 26 s.
    expect(stderr.text()).toBe('audit: progress collecting · 10 s · AWS calls done/known: s3 250/1000, ec2 2/12, +2 services done (293 done) · ETA ~26 s\n');
  });

  it('counts the calls of resources listed but not read yet, at the calls per resource seen so far', () => {
    const { progress, stderr, calls, at } = reporter(false);
    progress.setPhase('collecting');
    // 20 buckets read (8 calls each, plus the listing), 980 still waiting their turn.
    calls.byService = { s3: { started: 161, finished: 150, resources: 20, waiting: 980 } };
    at(10_000);
    progress.tick();
    // Known: 161 + 980 × 161/20 ≈ 8050; pending 7900 at 15 calls/s ≈ 527 s.
    expect(stderr.text()).toBe('audit: progress collecting · 10 s · AWS calls done/known: s3 150/8050 (150 done) · ETA ~8 min 47 s\n');
  });

  it('gives no ETA from too little evidence', () => {
    expect(estimateRemainingMs(5, 100, 10_000)).toBeUndefined();
    expect(estimateRemainingMs(100, 100, 500)).toBeUndefined();
    expect(estimateRemainingMs(100, 50, 10_000)).toBe(5_000);
    expect(formatDuration(9_500)).toBe('9.5 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(3_720_000)).toBe('1 h 2 min');
  });

  it('--quiet writes nothing at all, not even info lines; --verbose adds details and the calls per operation', () => {
    const quiet = reporter(false, 'quiet');
    quiet.at(60_000);
    quiet.progress.tick();
    quiet.progress.setPhase('collecting');
    quiet.progress.detail('collected s3 global');
    quiet.progress.info('account 1: 3 checks');
    quiet.progress.finish();
    expect(quiet.stderr.text()).toBe('');

    const verbose = reporter(false, 'verbose');
    verbose.calls.byOperation = { 's3:ListBuckets': 1, 's3:GetBucketAcl': 3 };
    verbose.calls.peakInFlight = { s3: 3 };
    verbose.progress.setPhase('collecting');
    verbose.progress.detail('collected s3 global');
    verbose.progress.finish();
    expect(verbose.stderr.text()).toBe(
      'audit: collecting\naudit: collected s3 global\naudit: AWS calls by operation: s3:GetBucketAcl 3, s3:ListBuckets 1\naudit: most AWS calls in flight at once: s3 3\n',
    );
  });

  it('refuses --quiet with --verbose', () => {
    expect(() => verbosityOf({ quiet: true, verbose: true })).toThrow(InfraAuditError);
    expect(verbosityOf({})).toBe('normal');
  });
});

describe('progress on a terminal', () => {
  it('redraws one line in place, never wider than the terminal, and clears it before other lines and at the end', () => {
    const { progress, stderr, calls, at } = reporter(true, 'normal', 60);
    progress.setPhase('collecting');
    calls.byService = { s3: { started: 100, finished: 10 } };
    at(100);
    progress.tick();
    progress.tick(); // the same text: not redrawn
    calls.byService.s3!.finished = 20;
    at(300);
    progress.tick();
    progress.info('warning: something');
    progress.finish();
    const text = stderr.text();
    const draws = text.split('\r').filter((d) => d.startsWith('audit: collecting'));
    // Drawn at the new phase, then at each tick whose text changed.
    expect(draws).toHaveLength(3);
    for (const d of draws) expect(d.replace('\u001b[K', '').length).toBeLessThan(60);
    // No newline from the live line: the only newline is the info line's, written after clearing.
    expect(text.match(/\n/g)).toHaveLength(1);
    expect(text).toContain('\r\u001b[Kaudit: warning: something\n');
    expect(text.endsWith('\n')).toBe(true);
  });
});
