/** The findings of a report as every format reads them: held ones and aggregated passes alike. */
import { orderedFindings, passCount } from '../findings/passed.js';
import { compareFindings, summarizeFindings, type FindingsSummary } from '../findings/summary.js';
import type { Finding } from '../findings/model.js';
import type { AuditReport } from './types.js';

/** Counts over every finding of the report, aggregated passes included. */
export function reportSummary(report: AuditReport): FindingsSummary {
  return summarizeFindings(report.findings, passCount(report.passed));
}

/** Every finding in report order (worst first), each aggregated pass built only as it is reached. */
export function reportFindings(report: AuditReport): Generator<Finding> {
  return orderedFindings(report.findings, report.passed, new Map(report.checks.map((c) => [c.id, c])), compareFindings, report.preparePass);
}
