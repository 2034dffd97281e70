/** The JSON report: the product's machine-readable contract (docs/findings.md). */
import { compareFindings, summarizeFindings } from '../findings/summary.js';
import { findingUid } from './identity.js';
import type { JsonFinding, JsonReport } from './json-contract.js';
import { JSON_SCHEMA_VERSION } from './json-contract.js';
import type { AuditReport } from './types.js';

export function buildJsonReport(report: AuditReport): JsonReport {
  const summary = summarizeFindings(report.findings);
  const findings: JsonFinding[] = [...report.findings].sort(compareFindings).map((f) => ({ uid: findingUid(f), ...f }));
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: report.tool.name, version: report.tool.version },
    generatedAt: report.generatedAt,
    ...(report.durationMs === undefined ? {} : { durationMs: report.durationMs }),
    accounts: report.accounts,
    summary: {
      total: summary.total,
      pass: summary.pass,
      fail: summary.fail,
      error: summary.error,
      suppressed: summary.suppressed,
      bySeverity: summary.bySeverity,
    },
    findings,
    ...(report.errors && report.errors.length > 0 ? { errors: report.errors } : {}),
    ...(report.compliance ? { compliance: report.compliance } : {}),
  };
}

export function renderJson(report: AuditReport): string {
  return `${JSON.stringify(buildJsonReport(report), null, 2)}\n`;
}
