/**
 * The terminal drift report: one block per drifted resource, the attribute differences with the
 * configuration's, the state's and the live value, import blocks for unmanaged resources, and a
 * summary line at the end that CI logs can grep. Every value from the account or the state is
 * made terminal-safe.
 */
import { terminalSafe } from '../../report/escape.js';
import { DRIFT_KINDS, type DriftReport } from '../model.js';
import { diffRows, displayValue, entryTitle, KIND_LABEL, KIND_MEANING, location, summaryLine, unresolvedModulesLine } from './text.js';

type Style = (text: string) => string;
const sgr = (open: string): Style => (text) => `\u001b[${open}m${text}\u001b[0m`;
const plain: Style = (text) => text;

export function renderDriftTable(report: DriftReport, options: { color?: boolean } = {}): string {
  const bold = options.color ? sgr('1') : plain;
  const dim = options.color ? sgr('2') : plain;
  const kindStyle = options.color ? { changed: sgr('1;33'), missing: sgr('1;31'), unmanaged: sgr('1;35'), unapplied: sgr('1;36') } : { changed: plain, missing: plain, unmanaged: plain, unapplied: plain };
  const t = (text: string) => terminalSafe(text);
  const out: string[] = [];
  out.push(bold(`Terraform drift: account ${report.accountId} (${report.regions.join(', ') || 'no region'})`));
  out.push(dim(`States: ${report.states.map((s) => `${t(s.location)} (serial ${s.serial})`).join(', ')}${report.config ? `; configuration: ${report.config.files} file(s)` : ''}`));
  const unresolved = unresolvedModulesLine(report);
  if (unresolved) out.push(t(`Warning: ${unresolved}`));
  for (const kind of DRIFT_KINDS) {
    const entries = report.entries.filter((e) => e.kind === kind);
    if (entries.length === 0) continue;
    out.push('', bold(`${KIND_LABEL[kind]} (${entries.length}): ${KIND_MEANING[kind]}`));
    for (const entry of entries) {
      const where = location(entry);
      out.push(`  ${kindStyle[kind](KIND_LABEL[kind].toUpperCase().padEnd(9))} ${t(entryTitle(entry))}  ${dim(t(entry.resourceId))}${where ? dim(`  ${t(where)}`) : ''}`);
      for (const row of (entry.diffs ?? []).flatMap(diffRows)) {
        out.push(`      ${bold(t(row.label))}${row.sensitive ? dim(' (sensitive: compared, not shown)') : ''}`);
        if (row.hasConfig) out.push(`        config: ${t(displayValue(row.config))}`);
        out.push(`        state:  ${t(displayValue(row.state))}`);
        out.push(`        live:   ${t(displayValue(row.live))}`);
      }
      if (entry.importBlocks) {
        for (const line of entry.importBlocks.split('\n')) out.push(dim(`      ${t(line)}`));
      }
    }
  }
  if (report.unchecked.length > 0) {
    out.push('', bold(`Could not check (${report.unchecked.length})`));
    for (const u of report.unchecked) out.push(`  ${t(u.terraformAddress)}: ${t(u.reason)}`);
  }
  if (report.errors.length > 0) {
    out.push('', bold(`Reads that failed (${report.errors.length}): drift there may be hidden`));
    for (const e of report.errors) out.push(`  ${t(e.scope)}: ${t(e.message)}`);
  }
  out.push('', summaryLine(report));
  return `${out.join('\n')}\n`;
}
