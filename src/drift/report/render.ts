/** From a drift report to text, in each format the `drift` command offers. */
import { InfraAuditError } from '../../errors.js';
import type { DriftReport } from '../model.js';
import { renderDriftHtml } from './html.js';
import { renderDriftMarkdown } from './markdown.js';
import { renderDriftSarif } from './sarif.js';
import { renderDriftTable } from './table.js';
import { DRIFT_FORMATS, type DriftFormat } from './text.js';

export { DRIFT_FORMATS, type DriftFormat } from './text.js';

export interface DriftRenderOptions {
  color?: boolean;
  /** sarif: the repository root that absolute file paths are made relative to. */
  sourceRoot?: string;
  /** sarif: the directory relative file paths are relative to (the working directory). */
  baseDir?: string;
}

export function renderDriftReport(format: DriftFormat, report: DriftReport, options: DriftRenderOptions = {}): string {
  switch (format) {
    case 'table':
      return renderDriftTable(report, options);
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'markdown':
      return renderDriftMarkdown(report);
    case 'sarif':
      return renderDriftSarif(report, options);
    case 'html':
      return renderDriftHtml(report);
  }
}

export function parseDriftFormat(value: string): DriftFormat {
  const match = DRIFT_FORMATS.find((f) => f === value.trim().toLowerCase());
  if (!match) throw new InfraAuditError('USAGE', `unknown drift report format "${value}"`, { hint: `use one of: ${DRIFT_FORMATS.join(', ')}` });
  return match;
}
