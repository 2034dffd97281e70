/** The JSON report: the product's machine-readable contract (docs/findings.md). */
import type { Finding } from '../findings/model.js';
import { findingUid } from './identity.js';
import { reportFindings, reportSummary } from './findings.js';
import type { JsonFinding, JsonReport } from './json-contract.js';
import { JSON_SCHEMA_VERSION } from './json-contract.js';
import { jsonArrayChunks, jsonObjectChunks } from './stream.js';
import type { AuditReport } from './types.js';

function jsonFinding(f: Finding): JsonFinding {
  return { uid: findingUid(f), ...f };
}

/** The report without its findings, in the contract's key order; `findings` goes between `summary` and `errors`. */
function reportFields(report: AuditReport): { head: Omit<JsonReport, 'findings' | 'errors' | 'compliance'>; tail: Pick<JsonReport, 'errors' | 'compliance'> } {
  const summary = reportSummary(report);
  return {
    head: {
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
    },
    tail: {
      ...(report.errors && report.errors.length > 0 ? { errors: report.errors } : {}),
      ...(report.compliance ? { compliance: report.compliance } : {}),
    },
  };
}

/** The whole report as one object (tests, and callers that want the value rather than the text). */
export function buildJsonReport(report: AuditReport): JsonReport {
  const { head, tail } = reportFields(report);
  return { ...head, findings: Array.from(reportFindings(report), jsonFinding), ...tail };
}

/**
 * The report as text, chunk by chunk: the same bytes as `JSON.stringify(buildJsonReport(report), null, 2)`,
 * with each finding built, written and dropped in turn (a pass only exists while it is written).
 */
export function* streamJson(report: AuditReport): Generator<string> {
  const { head, tail } = reportFields(report);
  yield* jsonObjectChunks([...Object.entries(head), ['findings', jsonArrayChunks(reportFindings(report), jsonFinding, 1)], ...Object.entries(tail)]);
  yield '\n';
}

export function renderJson(report: AuditReport): string {
  return [...streamJson(report)].join('');
}
