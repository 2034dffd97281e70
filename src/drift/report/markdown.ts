/** The drift report as GitHub-flavoured Markdown, for a pull request comment or a job summary. */
import { escapeMarkdown as md, markdownFence } from '../../report/escape.js';
import { DRIFT_KINDS, type DriftReport } from '../model.js';
import { diffRows, displayValue, entryTitle, KIND_LABEL, KIND_MEANING, location, summaryLine, unresolvedModulesLine } from './text.js';

export function renderDriftMarkdown(report: DriftReport): string {
  const out: string[] = [];
  out.push(`# Terraform drift: account ${md(report.accountId)}`, '');
  out.push(`${md(summaryLine(report))}`, '');
  out.push('| Kind | Count | Meaning |', '|---|---:|---|');
  for (const kind of DRIFT_KINDS) out.push(`| ${KIND_LABEL[kind]} | ${report.summary[kind]} | ${KIND_MEANING[kind]} |`);
  out.push('', `States: ${report.states.map((s) => `\`${md(s.location)}\` (serial ${s.serial})`).join(', ')}. Regions: ${md(report.regions.join(', '))}.`);
  const unresolved = unresolvedModulesLine(report);
  if (unresolved) out.push('', `> **Warning:** ${md(unresolved)}`);
  for (const kind of DRIFT_KINDS) {
    const entries = report.entries.filter((e) => e.kind === kind);
    if (entries.length === 0) continue;
    out.push('', `## ${KIND_LABEL[kind]} (${entries.length})`);
    for (const entry of entries) {
      const where = location(entry);
      out.push('', `### ${md(entryTitle(entry))}`, '');
      out.push(`${md(entry.resourceType)} · ${md(entry.resourceId)}${entry.region ? ` · ${md(entry.region)}` : ''}${where ? ` · declared in ${md(where)}` : ''}`);
      if (entry.diffs?.length) {
        out.push('', '| Attribute | Config | State | Live |', '|---|---|---|---|');
        for (const d of entry.diffs.flatMap(diffRows)) {
          const config = d.hasConfig ? md(displayValue(d.config, 300)) : '';
          out.push(`| ${md(d.label)} | ${config} | ${md(displayValue(d.state, 300))} | ${md(displayValue(d.live, 300))} |`);
        }
      }
      if (entry.importBlocks) out.push('', markdownFence(entry.importBlocks, 'hcl'));
    }
  }
  if (report.unchecked.length > 0) {
    out.push('', `## Could not check (${report.unchecked.length})`, '');
    for (const u of report.unchecked) out.push(`- ${md(u.terraformAddress)}: ${md(u.reason)}`);
  }
  if (report.errors.length > 0) {
    out.push('', `## Reads that failed (${report.errors.length})`, '');
    for (const e of report.errors) out.push(`- ${md(e.scope)}: ${md(e.message)}`);
  }
  return `${out.join('\n')}\n`;
}
