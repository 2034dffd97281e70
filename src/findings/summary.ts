/**
 * Counts over a set of findings, shared by every report format and the exit decision.
 * Each finding is counted once: a suppressed failure counts as `suppressed`, not `fail`,
 * so pass + fail + error + suppressed equals the number of findings.
 */
import type { Finding, Severity } from './model.js';
import { SEVERITIES, severityRank } from './model.js';

export interface FindingsSummary {
  total: number;
  pass: number;
  /** Unsuppressed failures. */
  fail: number;
  error: number;
  /** Failures a suppression applies to. */
  suppressed: number;
  /** Unsuppressed failures by severity; every severity is present, zero included. */
  bySeverity: Record<Severity, number>;
}

export function isOpenFailure(finding: Finding): boolean {
  return finding.status === 'fail' && finding.suppressed === undefined;
}

/** `passes`: the passes aggregated apart from `findings` (findings/passed.ts), counted in. */
export function summarizeFindings(findings: readonly Finding[], passes = 0): FindingsSummary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const summary: FindingsSummary = { total: findings.length + passes, pass: passes, fail: 0, error: 0, suppressed: 0, bySeverity };
  for (const finding of findings) {
    if (finding.status === 'pass') summary.pass++;
    else if (finding.status === 'error') summary.error++;
    else if (finding.suppressed !== undefined) summary.suppressed++;
    else {
      summary.fail++;
      bySeverity[finding.severity]++;
    }
  }
  return summary;
}

/** Worst first; then by check and resource so that output is stable across runs. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    compareText(a.resourceId, b.resourceId) ||
    compareText(a.checkId, b.checkId) ||
    compareText(a.region, b.region) ||
    compareText(a.accountId, b.accountId)
  );
}

/** Code-point order, not locale order: reports must not differ between machines. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
