/** The findings of a report as every format reads them: held ones and aggregated passes alike. */
import { orderedFindings, passCount, passFinding } from '../findings/passed.js';
import { compareFindings, compareText, summarizeFindings, type FindingsSummary } from '../findings/summary.js';
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

/**
 * The passes per check, each with its count and its first pass in report order, the checks in the
 * order of those firsts (as reportFindings would meet them). Read from the aggregates: one pass
 * finding is built per check, not one per passing resource.
 */
export function passesPerCheck(report: AuditReport): Array<{ first: Finding; count: number }> {
  const checks = new Map(report.checks.map((c) => [c.id, c]));
  const byCheck = new Map<string, { first: Finding; count: number }>();
  const add = (f: Finding, count: number) => {
    const group = byCheck.get(f.checkId);
    if (!group) byCheck.set(f.checkId, { first: f, count });
    else {
      group.count += count;
      if (compareFindings(f, group.first) < 0) group.first = f;
    }
  };
  for (const f of report.findings) if (f.status === 'pass') add(f, 1);
  for (const p of report.passed ?? []) {
    const meta = checks.get(p.checkId);
    if (!meta || p.count === 0) continue;
    // Within one check and account, report order is resource, then region.
    let first = 0;
    for (let i = 1; i < p.count; i++) if ((compareText(p.resourceIds[i]!, p.resourceIds[first]!) || compareText(p.regions[i]!, p.regions[first]!)) < 0) first = i;
    const pass = passFinding(meta, p, first);
    add(report.preparePass ? report.preparePass(pass) : pass, p.count);
  }
  return [...byCheck.values()].sort((a, b) => compareFindings(a.first, b.first));
}
