/**
 * The terminal report: what a person running the audit reads first. Failures grouped by
 * severity, then by resource, in aligned columns; a one-line summary at the end that CI logs
 * can grep. Colour only when the caller says a person is watching.
 */
import type { Finding, Severity } from '../findings/model.js';
import { findingHeadline, SEVERITIES } from '../findings/model.js';
import { compareFindings } from '../findings/summary.js';
import { reportFindings, reportSummary } from './findings.js';
import { renderComplianceTable } from './compliance-text.js';
import { coverageLines } from './coverage.js';
import { terminalSafe } from './escape.js';
import type { AuditReport, RenderOptions } from './types.js';

type Style = (text: string) => string;

function sgr(open: string): Style {
  return (text) => `\u001b[${open}m${text}\u001b[0m`;
}

const plain: Style = (text) => text;

interface Palette {
  severity: Record<Severity, Style>;
  fail: Style;
  pass: Style;
  error: Style;
  suppressed: Style;
  heading: Style;
  dim: Style;
}

const COLOR: Palette = {
  severity: { critical: sgr('1;97;41'), high: sgr('1;31'), medium: sgr('1;33'), low: sgr('1;36'), info: sgr('2') },
  fail: sgr('31'),
  pass: sgr('32'),
  error: sgr('35'),
  suppressed: sgr('2'),
  heading: sgr('1'),
  dim: sgr('2'),
};

const NO_COLOR: Palette = {
  severity: { critical: plain, high: plain, medium: plain, low: plain, info: plain },
  fail: plain,
  pass: plain,
  error: plain,
  suppressed: plain,
  heading: plain,
  dim: plain,
};

function statusLabel(finding: Finding): string {
  if (finding.status === 'fail' && finding.suppressed) return 'SUPPRESSED';
  return finding.status.toUpperCase();
}

function statusStyle(finding: Finding, palette: Palette): Style {
  if (finding.status === 'fail') return finding.suppressed ? palette.suppressed : palette.fail;
  return finding.status === 'pass' ? palette.pass : palette.error;
}

/** Pads after styling would count escape bytes as width; pad the plain text, then style it. */
function cell(text: string, width: number, style: Style): string {
  return style(text) + ' '.repeat(Math.max(0, width - [...text].length));
}

function resourceLine(finding: Finding): string {
  const name = finding.resourceName && !finding.resourceId.endsWith(finding.resourceName) ? `${finding.resourceName}  ` : '';
  const where = [finding.accountId, finding.region].join(' ');
  const terraform = finding.terraformAddress ? `  ${finding.terraformAddress}` : '';
  return terminalSafe(`${name}${finding.resourceId}`) + `  (${terminalSafe(where)})` + terminalSafe(terraform);
}

export function renderTable(report: AuditReport, options: RenderOptions = {}): string {
  const palette = options.color ? COLOR : NO_COLOR;
  const shown = options.showPassed ? [...reportFindings(report)] : report.findings.filter((f) => f.status !== 'pass').sort(compareFindings);
  const statusWidth = Math.max(0, ...shown.map((f) => statusLabel(f).length));
  const checkWidth = Math.max(0, ...shown.map((f) => terminalSafe(f.checkId).length));
  // What was covered heads the report: a clean result means little without it.
  const lines: string[] = coverageLines(report).map((l) => palette.dim(`Scope: ${terminalSafe(l)}`));

  for (const severity of SEVERITIES) {
    const group = shown.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    if (lines.length > 0) lines.push('');
    lines.push(palette.severity[severity](` ${severity.toUpperCase()} `) + palette.dim(` ${group.length} finding${group.length === 1 ? '' : 's'}`));
    let resource: string | undefined;
    for (const finding of group) {
      const key = `${finding.accountId} ${finding.region} ${finding.resourceId}`;
      if (key !== resource) {
        resource = key;
        lines.push(`  ${palette.heading(resourceLine(finding))}`);
      }
      const note = finding.suppressed
        ? palette.dim(`  [suppressed until ${terminalSafe(finding.suppressed.expires)}: ${terminalSafe(finding.suppressed.reason)}]`)
        : '';
      const location = finding.terraformFile
        ? palette.dim(`  ${terminalSafe(finding.terraformFile)}${finding.terraformLine ? `:${finding.terraformLine}` : ''}`)
        : '';
      // A failure leads with what is wrong in the check's words, then the specifics.
      const text = finding.status === 'fail' ? `${findingHeadline(finding)}: ${finding.message}` : finding.message;
      lines.push(
        `    ${cell(statusLabel(finding), statusWidth, statusStyle(finding, palette))}  ${cell(terminalSafe(finding.checkId), checkWidth, plain)}  ${terminalSafe(text)}${location}${note}`,
      );
    }
  }

  if (report.errors && report.errors.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(palette.error('Could not read:'));
    for (const e of report.errors) lines.push(`  ${terminalSafe(e.scope)}: ${terminalSafe(e.message)}`);
  }

  if (report.compliance) {
    if (lines.length > 0) lines.push('');
    lines.push(
      ...renderComplianceTable(report.compliance, {
        heading: palette.heading,
        dim: palette.dim,
        status: (status, text) => (status === 'fail' ? palette.fail : status === 'pass' ? palette.pass : status === 'error' || status === 'not covered' ? palette.error : palette.dim)(text),
      }),
    );
  }

  if (lines.length > 0) lines.push('');
  lines.push(summaryLine(report, palette));
  return `${lines.join('\n')}\n`;
}

function summaryLine(report: AuditReport, palette: Palette): string {
  const s = reportSummary(report);
  const counts = [
    palette.fail(`${s.fail} fail`),
    palette.pass(`${s.pass} pass`),
    palette.error(`${s.error} error`),
    palette.suppressed(`${s.suppressed} suppressed`),
  ].join(', ');
  const bySeverity = SEVERITIES.map((sev) => palette.severity[sev](`${sev} ${s.bySeverity[sev]}`)).join(', ');
  const accounts = report.accounts.map((a) => terminalSafe(a.accountId)).join(', ') || 'no account';
  return `${palette.heading('Summary:')} ${s.total} findings in ${accounts}: ${counts} | open failures by severity: ${bySeverity}`;
}
