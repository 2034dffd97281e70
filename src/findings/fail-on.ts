/**
 * The CI exit decision: `--fail-on <severity>` fails the run (exit 1) when any unsuppressed
 * failure is at or above the threshold. Errors never decide it here: a run that could not read
 * what it was asked to read is a command failure (exit 2), decided by the caller.
 */
import { InfraAuditError } from '../errors.js';
import type { Finding, Severity } from './model.js';
import type { PassedResources } from './passed.js';
import { SEVERITIES, severityRank } from './model.js';
import { isOpenFailure } from './summary.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
/** The audit could not do its job: bad input, unreachable AWS, or too little could be checked. */
export const EXIT_FAILED = 2;

/** Default --error-threshold: more than half of the checks without a single verdict fails the run. */
export const DEFAULT_ERROR_THRESHOLD = 0.5;

export interface FailOnDecision {
  exitCode: typeof EXIT_OK | typeof EXIT_FINDINGS;
  /** The unsuppressed failures at or above the threshold, worst first. */
  blocking: Finding[];
}

export function decideFailOn(findings: readonly Finding[], threshold: Severity): FailOnDecision {
  const bar = severityRank(threshold);
  const blocking = findings
    .filter((f) => isOpenFailure(f) && severityRank(f.severity) >= bar)
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  return { exitCode: blocking.length > 0 ? EXIT_FINDINGS : EXIT_OK, blocking };
}

/** Parses the `--fail-on` value; case-insensitive, so `HIGH` works as well as `high`. */
export function parseSeverityThreshold(value: string): Severity {
  const normalized = value.trim().toLowerCase();
  const match = SEVERITIES.find((s) => s === normalized);
  if (!match) {
    throw new InfraAuditError('USAGE', `--fail-on expects a severity, got "${value}"`, {
      hint: `use one of: ${SEVERITIES.join(', ')} (e.g. --fail-on high)`,
    });
  }
  return match;
}

export interface CompletenessDecision {
  /** "account:check" pairs whose findings are all `error`: the check could not run at all there. */
  unchecked: string[];
  /** Checks that ran, times the accounts they ran in. */
  checksRun: number;
  /** Findings with status `error`. */
  errors: number;
  /** Why the run fails (exit 2), for the summary line; undefined when it does not. */
  failure?: string;
}

/**
 * The other half of a CI gate: a run that could not read what it was asked to check must not
 * pass it. A check "could not run at all" when every verdict it reached is `error` (a check
 * with no resources to judge reaches none, and ran). The run fails when the share of such checks
 * among those that ran is above `errorThreshold`, or, with `failOnError`, on any `error` verdict.
 */
export function decideCompleteness(
  findings: readonly Finding[],
  checksRun: number,
  options: { failOnError?: boolean; errorThreshold?: number; passed?: readonly PassedResources[] } = {},
): CompletenessDecision {
  const threshold = options.errorThreshold ?? DEFAULT_ERROR_THRESHOLD;
  const allError = new Map<string, boolean>();
  // A check with an aggregated pass reached a verdict other than `error` there.
  for (const p of options.passed ?? []) if (p.count > 0) allError.set(`${p.accountId}:${p.checkId}`, false);
  let errors = 0;
  for (const f of findings) {
    if (f.status === 'error') errors++;
    const key = `${f.accountId}:${f.checkId}`;
    allError.set(key, (allError.get(key) ?? true) && f.status === 'error');
  }
  const unchecked = [...allError].filter(([, onlyErrors]) => onlyErrors).map(([id]) => id);
  const decision: CompletenessDecision = { unchecked, checksRun, errors };
  if (options.failOnError && errors > 0) decision.failure = `${errors} verdict${errors === 1 ? '' : 's'} could not be reached (--fail-on-error)`;
  else if (checksRun > 0 && unchecked.length / checksRun > threshold) {
    decision.failure = `${unchecked.length} of ${checksRun} checks could not run at all, more than the --error-threshold of ${formatShare(threshold)}`;
  }
  return decision;
}

function formatShare(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

/** Parses `--error-threshold`: a share of checks, as 0.5 or 50%. */
export function parseErrorThreshold(value: string): number {
  const m = /^(\d*\.?\d+)(%?)$/.exec(value.trim());
  const n = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
  if (!(n >= 0 && n <= 1)) {
    throw new InfraAuditError('USAGE', `--error-threshold expects a share of checks between 0 and 1 (or 0% and 100%), got "${value}"`, {
      hint: 'e.g. --error-threshold 0.2 (exit 2 when more than a fifth of the checks could not run), or --fail-on-error for any error',
    });
  }
  return n;
}
