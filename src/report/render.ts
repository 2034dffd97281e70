/**
 * The one entry point from findings to output: `renderReport(format, report, options)`.
 * Every format is a pure function of the report, so the same run renders identically anywhere.
 */
import { InfraAuditError } from '../errors.js';
import { renderHtml } from './html.js';
import { renderJson, streamJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderOcsf, streamOcsf } from './ocsf.js';
import { batched } from './stream.js';
import { renderSarif, streamSarif } from './sarif.js';
import { renderTable } from './table.js';
import type { AuditReport, RenderOptions, ReportFormat } from './types.js';
import { REPORT_FORMATS } from './types.js';

export function renderReport(format: ReportFormat, report: AuditReport, options: RenderOptions = {}): string {
  switch (format) {
    case 'table':
      return renderTable(report, options);
    case 'json':
      return renderJson(report);
    case 'markdown':
      return renderMarkdown(report, options);
    case 'sarif':
      return renderSarif(report, options);
    case 'ocsf':
      return renderOcsf(report, options);
    case 'html':
      return renderHtml(report);
    default:
      throw new InfraAuditError('USAGE', `unknown report format "${String(format)}"`, {
        hint: `use one of: ${REPORT_FORMATS.join(', ')}`,
      });
  }
}

/**
 * The report as chunks of text, for writing to a file or stdout as it is produced. JSON and OCSF,
 * whose size grows with the resources (one entry per pass), and SARIF (one result per failure,
 * its largest output) are built a finding at a time and never exist whole; the other formats come
 * as one chunk.
 */
export function streamReport(format: ReportFormat, report: AuditReport, options: RenderOptions = {}): Iterable<string> {
  if (format === 'json') return batched(streamJson(report));
  if (format === 'ocsf') return batched(streamOcsf(report, options));
  if (format === 'sarif') return batched(streamSarif(report, options));
  return [renderReport(format, report, options)];
}

/** Parses a `--format` value. */
export function parseReportFormat(value: string): ReportFormat {
  const match = REPORT_FORMATS.find((f) => f === value.trim().toLowerCase());
  if (!match) {
    throw new InfraAuditError('USAGE', `unknown report format "${value}"`, { hint: `use one of: ${REPORT_FORMATS.join(', ')}` });
  }
  return match;
}
