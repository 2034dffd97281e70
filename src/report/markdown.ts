/**
 * The Markdown report, for a pull-request comment or a GitHub Actions job summary: a summary
 * table, then the open failures grouped by resource with the fix in Terraform. Everything from
 * the account is escaped; code blocks use fences untrusted content cannot close.
 */
import type { Finding } from '../findings/model.js';
import { findingHeadline, SEVERITIES } from '../findings/model.js';
import { compareFindings } from '../findings/summary.js';
import { reportFindings, reportSummary } from './findings.js';
import { renderComplianceMarkdown } from './compliance-text.js';
import { coverageText } from './coverage.js';
import { escapeMarkdown as md, markdownFence } from './escape.js';
import { groupByResource } from './group.js';
import type { AuditReport, RenderOptions } from './types.js';

const SEVERITY_ICON: Record<Finding['severity'], string> = {
  critical: '🟥',
  high: '🟧',
  medium: '🟨',
  low: '🟦',
  info: '⬜',
};

function code(text: string): string {
  // A code span cannot hold a backtick, and a pipe would split a table cell even inside one:
  // such text is shown escaped instead.
  return /[`|\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(text) ? md(text) : `\`${text}\``;
}

export function renderMarkdown(report: AuditReport, options: RenderOptions = {}): string {
  const s = reportSummary(report);
  const out: string[] = [];
  const accounts = report.accounts.map((a) => `${code(a.accountId)} — ${md(coverageText(a))}`).join(' · ');
  out.push(`# ${md(report.tool.name)} security audit`, '');
  out.push(`Account${report.accounts.length === 1 ? '' : 's'} ${accounts || 'none'} · ${md(report.generatedAt)} · ${md(report.tool.name)} ${md(report.tool.version)}`, '');

  out.push('| Status | Count |', '| --- | ---: |');
  out.push(`| ❌ Fail | ${s.fail} |`, `| ✅ Pass | ${s.pass} |`, `| ⚠️ Error | ${s.error} |`, `| 🔕 Suppressed | ${s.suppressed} |`, '');
  out.push(`| Severity | ${SEVERITIES.map((sev) => `${SEVERITY_ICON[sev]} ${sev}`).join(' | ')} |`);
  out.push(`| --- |${SEVERITIES.map(() => ' ---: |').join('')}`);
  out.push(`| Open failures | ${SEVERITIES.map((sev) => String(s.bySeverity[sev])).join(' | ')} |`, '');

  // Asked for, the control table comes before the findings it summarises.
  if (report.compliance) out.push(...renderComplianceMarkdown(report.compliance, code));

  const open = report.findings.filter((f) => f.status === 'fail' && !f.suppressed);
  if (open.length === 0) out.push('No open failures. 🎉', '');
  else {
    out.push('## Open failures', '');
    for (const group of groupByResource(open)) {
      const name = group.resourceName ? `${md(group.resourceName)} · ` : '';
      out.push(`### ${name}${code(group.resourceId)}`, '');
      const where = [`${md(group.resourceType)}`, `account ${code(group.accountId)}`, `region ${md(group.region)}`];
      if (group.terraformAddress) where.push(`Terraform ${code(group.terraformAddress)}`);
      out.push(where.join(' · '), '');
      for (const finding of group.findings) out.push(...findingSection(finding));
    }
  }

  const suppressed = report.findings.filter((f) => f.status === 'fail' && f.suppressed).sort(compareFindings);
  if (suppressed.length > 0) {
    out.push('## Suppressed', '', '| Severity | Check | Resource | Reason | Expires |', '| --- | --- | --- | --- | --- |');
    for (const f of suppressed) {
      out.push(`| ${f.severity} | ${code(f.checkId)} | ${code(f.resourceId)} | ${md(f.suppressed?.reason ?? '')} | ${md(f.suppressed?.expires ?? '')} |`);
    }
    out.push('');
  }

  const errors = report.findings.filter((f) => f.status === 'error').sort(compareFindings);
  if (errors.length > 0 || (report.errors?.length ?? 0) > 0) {
    out.push('## Could not check', '', '| Check or scope | Resource | Reason |', '| --- | --- | --- |');
    for (const f of errors) out.push(`| ${code(f.checkId)} | ${code(f.resourceId)} | ${md(f.message)} |`);
    for (const e of report.errors ?? []) out.push(`| ${md(e.scope)} | | ${md(e.message)} |`);
    out.push('');
  }

  const passed = options.showPassed ? [...reportFindings(report)].filter((f) => f.status === 'pass') : [];
  if (passed.length > 0) {
    out.push(`<details><summary>Passed (${passed.length})</summary>`, '', '| Check | Resource |', '| --- | --- |');
    for (const f of passed) out.push(`| ${code(f.checkId)} | ${code(f.resourceId)} |`);
    out.push('', '</details>', '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function findingSection(finding: Finding): string[] {
  const out: string[] = [];
  const cis = finding.cis && finding.cis.length > 0 ? ` · CIS ${finding.cis.map(md).join(', ')}` : '';
  out.push(`#### ${SEVERITY_ICON[finding.severity]} ${finding.severity.toUpperCase()} · ${md(findingHeadline(finding))}`, '');
  out.push(`${code(finding.checkId)}${cis}`, '');
  out.push(md(finding.message), '');
  if (finding.terraformFile) {
    const line = finding.terraformLine ? `:${finding.terraformLine}` : '';
    out.push(`Declared in ${code(`${finding.terraformFile}${line}`)}`, '');
  }
  out.push(`**Remediation:** ${md(finding.remediation)}`, '');
  if (finding.remediationTerraform) out.push(markdownFence(finding.remediationTerraform, 'hcl'), '');
  if (finding.evidence) {
    out.push('<details><summary>Evidence</summary>', '', markdownFence(JSON.stringify(finding.evidence, null, 2), 'json'), '', '</details>', '');
  }
  return out;
}
