/**
 * The compliance section of the text reports (terminal table and Markdown): one row per control
 * with its status, the checks behind it and the resources that fail them, then the score.
 */
import type { ComplianceReport, ControlResource, ControlResult } from '../compliance/types.js';
import { escapeMarkdown as md, terminalSafe } from './escape.js';

/** Failing resources a text report names per control; the findings list the rest. */
export const RESOURCES_SHOWN = 5;

export function frameworkTitle(report: ComplianceReport): string {
  return `${report.framework.name} v${report.framework.version}`;
}

/** "12 of 40 automated controls pass (30%)". */
export function scoreText(report: ComplianceReport): string {
  const { passed, total, percent } = report.score;
  return total === 0 ? 'no automated control was assessed' : `${passed} of ${total} automated controls pass (${percent}%)`;
}

/** One line for stderr and summaries. */
export function complianceLine(report: ComplianceReport): string {
  const c = report.counts;
  return `${frameworkTitle(report)}: ${scoreText(report)}; ${c.fail} fail, ${c.error} error, ${c['not covered']} not covered, ${c['not applicable']} not applicable, ${c.manual} manual`;
}

function checksText(control: ControlResult): string {
  if (control.checks.length === 0) return '—';
  return control.checks
    .map((c) => {
      if (!c.ran) return `${c.checkId} (not run)`;
      const parts = [c.fail ? `${c.fail} fail` : '', c.error ? `${c.error} error` : '', c.suppressed ? `${c.suppressed} suppressed` : '', c.pass ? `${c.pass} pass` : ''].filter(Boolean);
      return `${c.checkId} (${parts.join(', ') || 'no resources'})`;
    })
    .join(', ');
}

function resourceText(r: ControlResource): string {
  const name = r.resourceName && !r.resourceId.endsWith(r.resourceName) ? `${r.resourceName} ` : '';
  return `${name}${r.resourceId} (${r.accountId} ${r.region})`;
}

export function renderComplianceTable(report: ComplianceReport, style: { heading(t: string): string; status(status: ControlResult['status'], t: string): string; dim(t: string): string }): string[] {
  const lines: string[] = [style.heading(`Compliance: ${frameworkTitle(report)} (${report.framework.id})`)];
  const idWidth = Math.max(...report.controls.map((c) => c.id.length));
  const statusWidth = Math.max(...report.controls.map((c) => c.status.length));
  for (const control of report.controls) {
    const label = control.status.toUpperCase();
    lines.push(
      `  ${control.id.padEnd(idWidth)}  ${style.status(control.status, label)}${' '.repeat(statusWidth - label.length)}  ${terminalSafe(control.title)}` +
        style.dim(`  [${terminalSafe(checksText(control))}]${control.reason ? ` ${terminalSafe(control.reason)}` : ''}`),
    );
    const listed = [...control.failing, ...control.errors];
    for (const r of listed.slice(0, RESOURCES_SHOWN)) lines.push(`  ${' '.repeat(idWidth)}    ${terminalSafe(resourceText(r))}  ${style.dim(terminalSafe(r.checkId))}`);
    if (listed.length > RESOURCES_SHOWN) lines.push(style.dim(`  ${' '.repeat(idWidth)}    and ${listed.length - RESOURCES_SHOWN} more (see the findings)`));
  }
  lines.push(`${style.heading('Score:')} ${scoreText(report)}; ${complianceLine(report).split('; ').slice(1).join('; ')}`);
  return lines;
}

const STATUS_ICON: Record<ControlResult['status'], string> = {
  pass: '✅',
  fail: '❌',
  error: '⚠️',
  'not covered': '⭕',
  'not applicable': '➖',
  manual: '📝',
};

export function renderComplianceMarkdown(report: ComplianceReport, code: (text: string) => string): string[] {
  const out: string[] = [`## Compliance: ${md(frameworkTitle(report))}`, ''];
  out.push(`**Score:** ${md(scoreText(report))}. ${md(complianceLine(report).split('; ').slice(1).join('; '))}.`, '');
  out.push('| Control | Status | Title | Checks | Failing resources |', '| --- | --- | --- | --- | --- |');
  for (const control of report.controls) {
    const checks = control.checks.length === 0 ? '—' : control.checks.map((c) => code(c.checkId) + (c.ran ? ` ${md(c.fail ? `${c.fail} fail` : c.error ? `${c.error} error` : `${c.pass} pass`)}` : ' not run')).join('<br>');
    const listed = [...control.failing, ...control.errors];
    const resources = listed.slice(0, RESOURCES_SHOWN).map((r) => code(r.resourceId)).join('<br>') + (listed.length > RESOURCES_SHOWN ? `<br>and ${listed.length - RESOURCES_SHOWN} more` : '');
    const status = `${STATUS_ICON[control.status]} ${control.status}${control.reason ? ` (${md(control.reason)})` : ''}`;
    // Control ids come from our catalog: digits and dots, nothing to escape.
    out.push(`| ${control.id} | ${status} | ${md(control.title)} | ${checks} | ${resources} |`);
  }
  out.push('');
  return out;
}
