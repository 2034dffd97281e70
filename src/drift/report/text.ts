/** Shared wording of the drift renderers: headings, one-line summaries, value display. */
import { statementLabel } from '../compare.js';
import type { AttributeDiff, DriftEntry, DriftKind, DriftReport } from '../model.js';

export const KIND_LABEL: Record<DriftKind, string> = { changed: 'Changed', missing: 'Missing', unmanaged: 'Unmanaged', unapplied: 'Unapplied' };

export const KIND_MEANING: Record<DriftKind, string> = {
  changed: 'in state and live, with attributes that differ',
  missing: 'in state, gone from the account',
  unmanaged: 'live, in no Terraform state',
  unapplied: 'declared in the configuration, in no state',
};

export const DRIFT_FORMATS = ['table', 'json', 'markdown', 'sarif', 'html'] as const;
export type DriftFormat = (typeof DRIFT_FORMATS)[number];

export function summaryLine(report: DriftReport): string {
  const s = report.summary;
  const drift = s.changed + s.missing + s.unmanaged + s.unapplied;
  const parts = [`${s.changed} changed`, `${s.missing} missing`, `${s.unmanaged} unmanaged`, `${s.unapplied} unapplied`];
  const extra = [
    `${s.compared} managed resource(s) compared, ${s.inSync} in sync`,
    `${s.comparedPercent}% of ${s.stateInstances} state instance(s) of supported types`,
    `coverage ${s.managedPercent}% managed`,
    ...(s.ignored ? [`${s.ignored} ignored by .driftignore`] : []),
    ...(s.unchecked ? [`${s.unchecked} could not be checked`] : []),
    ...(s.unsupported ? [`${s.unsupported} of unsupported types`] : []),
  ];
  return `${drift === 0 ? 'No drift' : `Drift: ${parts.join(', ')}`} (${extra.join('; ')})`;
}

/** Who the entry is, in one phrase: its Terraform address, else its type and name. */
export function entryTitle(entry: DriftEntry): string {
  return entry.terraformAddress ?? `${entry.resourceType} ${entry.name ?? entry.resourceId}`;
}

/** Unmanaged entries grouped by resource type, the largest group first (then by type), for a compact overview. */
export function unmanagedByType(report: DriftReport): Array<{ type: string; entries: DriftEntry[] }> {
  const groups = new Map<string, DriftEntry[]>();
  for (const e of report.entries) if (e.kind === 'unmanaged') groups.set(e.resourceType, [...(groups.get(e.resourceType) ?? []), e]);
  return [...groups].map(([type, entries]) => ({ type, entries })).sort((a, b) => b.entries.length - a.entries.length || a.type.localeCompare(b.type));
}

/**
 * An unmanaged entry's name within its type's group; the region is added where the name alone is
 * ambiguous (each region's AWS Config recorder is `default`).
 */
export function nameInGroup(entry: DriftEntry, group: readonly DriftEntry[]): string {
  const name = entry.name ?? entry.resourceId;
  const repeated = group.filter((e) => (e.name ?? e.resourceId) === name).length > 1;
  return repeated && entry.region ? `${name} (${entry.region})` : name;
}

export function location(entry: DriftEntry): string | undefined {
  return entry.file ? `${entry.file}${entry.line ? `:${entry.line}` : ''}` : undefined;
}

/** A value on one line: strings as they are (a policy's JSON stays compact), others as JSON. */
export function displayValue(value: unknown, max = 400): string {
  if (value === undefined) return '—';
  if (isUnknown(value)) return truncate(`(unknown: ${value.unknown.replace(/\s+/g, ' ')})`, max);
  return truncate(typeof value === 'string' ? compactJsonText(value) : JSON.stringify(value), max);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}

export function isUnknown(value: unknown): value is { unknown: string } {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && typeof (value as { unknown?: unknown }).unknown === 'string' && Object.keys(value).length === 1;
}

function compactJsonText(text: string): string {
  if (!/^\s*[[{]/.test(text)) return text;
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

export function diffHeadline(diff: AttributeDiff): string {
  return diff.statements?.length ? `${diff.path} (statements ${diff.statements.join(', ')})` : diff.path;
}

/** One line of a diff as the renderers show it: the attribute, or one statement of a policy. */
export interface DiffRow {
  label: string;
  /** Present when the run had a configuration. */
  config?: unknown;
  hasConfig: boolean;
  state: unknown;
  live: unknown;
  sensitive: boolean;
}

/**
 * A policy diff is shown statement by statement (what was added, removed or changed in place),
 * never as two whole documents; any other diff is one row.
 */
export function diffRows(diff: AttributeDiff): DiffRow[] {
  const hasConfig = 'config' in diff;
  const sensitive = diff.sensitive === true;
  if (!diff.statementDiffs?.length) return [{ label: diffHeadline(diff), config: diff.config, hasConfig, state: diff.state, live: diff.live, sensitive }];
  return diff.statementDiffs.map((s) => ({
    label: `${diff.path} ${statementLabel(s)}`,
    config: isUnknown(diff.config) ? diff.config : configStatement(diff.config, s.statement),
    hasConfig,
    state: s.state,
    live: s.live,
    sensitive,
  }));
}

/** The configuration's statement with this Sid, when the configuration's policy is known. */
function configStatement(policy: unknown, sid: string): unknown {
  let document: unknown = policy;
  if (typeof policy === 'string') {
    try {
      document = JSON.parse(policy);
    } catch {
      return undefined;
    }
  }
  const statements = document && typeof document === 'object' ? (document as { Statement?: unknown }).Statement : undefined;
  const list = Array.isArray(statements) ? statements : statements ? [statements] : [];
  return list.find((st) => st && typeof st === 'object' && (st as { Sid?: unknown }).Sid === sid) ?? null;
}

/** A warning line for module calls whose source was not downloaded, or undefined when there are none. */
export function unresolvedModulesLine(report: DriftReport): string | undefined {
  const calls = report.config?.unresolvedModules ?? [];
  if (calls.length === 0) return undefined;
  const shown = calls.slice(0, 3).map((c) => `${c.address} (${c.source})`).join(', ');
  return `${calls.length} module call(s) not read, their source not downloaded: ${shown}${calls.length > 3 ? ', …' : ''}; run terraform init so .terraform/modules holds them`;
}
