/**
 * The CI exit decision: `--fail-on <severity>` fails the run (exit 1) when any unsuppressed
 * failure is at or above the threshold. Errors never decide it here: a run that could not read
 * what it was asked to read is a command failure (exit 2), decided by the caller.
 */
import { InfraAuditError } from '../errors.js';
import type { Finding, Severity } from './model.js';
import { SEVERITIES, severityRank } from './model.js';
import { isOpenFailure } from './summary.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;

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
