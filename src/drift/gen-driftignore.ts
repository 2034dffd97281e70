/**
 * `drift gen-driftignore`: the `.driftignore` that leaves out everything a drift report holds,
 * as driftctl's `gen-driftignore` writes it: a team adopting drift detection on an existing
 * estate accepts today's drift once and is told only about what changes after.
 *
 * One rule per entry, each as narrow as the report allows:
 *   changed    one rule per differing attribute  `aws_s3_bucket.<id>.tags.team`
 *   missing    the Terraform address              `aws_iam_user.alice`
 *   unapplied  the Terraform address
 *   unmanaged  the resource id                    `aws_iam_role.<id>`
 *
 * Ids and addresses come from the account and the state, so they are data: dots are escaped, and
 * an id that would not read back as itself (a line break, a `*` that would widen the rule, a
 * leading `!` or `#`) is left out and counted, never written as a rule.
 */
import { InfraAuditError } from '../errors.js';
import { DriftIgnore } from './driftignore.js';
import { DRIFT_KINDS, type DriftEntry, type DriftKind } from './model.js';

export interface GenDriftIgnoreResult {
  text: string;
  /** Rules written, per kind. */
  rules: Record<DriftKind, number>;
  /** Entries left out because no safe rule names them (see the module comment). */
  skipped: Array<{ kind: DriftKind; resourceType: string; resourceId: string; reason: string }>;
}

export interface GenDriftIgnoreOptions {
  /** Kinds not to write rules for (driftctl's --exclude-changed / --exclude-missing / --exclude-unmanaged). */
  exclude?: readonly DriftKind[];
  /** The header's timestamp (tests pass a fixed one). */
  now?: Date;
}

/** Characters that would end, widen or negate a rule if written into one. */
const UNSAFE = /[\u0000-\u001f\u007f*\\]|^[!#\s]|\s$/u;

export function generateDriftIgnore(report: unknown, options: GenDriftIgnoreOptions = {}): GenDriftIgnoreResult {
  const entries = entriesOf(report);
  const exclude = new Set(options.exclude ?? []);
  const rules = Object.fromEntries(DRIFT_KINDS.map((k) => [k, 0])) as Record<DriftKind, number>;
  const skipped: GenDriftIgnoreResult['skipped'] = [];
  const sections = new Map<DriftKind, string[]>(DRIFT_KINDS.map((k) => [k, []]));

  for (const entry of entries) {
    if (exclude.has(entry.kind)) continue;
    const skip = (reason: string) => skipped.push({ kind: entry.kind, resourceType: entry.resourceType, resourceId: entry.resourceId, reason });
    const lines: Array<{ rule: string; attribute?: string }> = [];
    if (entry.kind === 'changed') {
      const id = ruleId(entry.resourceId);
      if (!id) {
        skip('its id cannot be written as a rule');
        continue;
      }
      const paths = [...new Set((entry.diffs ?? []).map((d) => d.path))];
      if (paths.length === 0 || paths.some((p) => UNSAFE.test(p) || p.split('.').some((part) => part === ''))) {
        skip('an attribute path cannot be written as a rule');
        continue;
      }
      for (const p of paths) lines.push({ rule: `${entry.resourceType}.${id}.${p}`, attribute: p });
    } else if (entry.kind === 'unmanaged') {
      const id = ruleId(entry.resourceId);
      if (!id) {
        skip('its id cannot be written as a rule');
        continue;
      }
      lines.push({ rule: `${entry.resourceType}.${id}` });
    } else {
      const address = entry.terraformAddress;
      if (!address || UNSAFE.test(address) || address.split('.').length < 2 || address.split('.').some((part) => part === '')) {
        skip('its Terraform address cannot be written as a rule');
        continue;
      }
      lines.push({ rule: address });
    }
    // Belt and braces: every rule must parse, and match this very entry.
    const subject = { resourceType: entry.resourceType, ids: [entry.resourceId], terraformAddress: entry.terraformAddress };
    for (const { rule, attribute } of lines) {
      const parsed = DriftIgnore.parse(rule);
      if (!(attribute === undefined ? parsed.ignoresResource(subject) : parsed.ignoresAttribute(subject, attribute))) {
        throw new InfraAuditError('INTERNAL', `gen-driftignore wrote a rule that does not match its own entry: ${rule}`);
      }
    }
    sections.get(entry.kind)!.push(...lines.map((l) => l.rule));
    rules[entry.kind] += lines.length;
  }

  const at = (options.now ?? new Date()).toISOString();
  const out = [
    `# .driftignore written by infra-audit drift gen-driftignore at ${at}`,
    '# Each rule leaves out drift that was reported then. Delete a line to be told about it again.',
  ];
  for (const kind of DRIFT_KINDS) {
    const lines = sections.get(kind)!;
    if (lines.length === 0) continue;
    out.push('', `# ${kind} (${lines.length})`, ...lines);
  }
  return { text: `${out.join('\n')}\n`, rules, skipped };
}

/** The id part of a rule: dots escaped; undefined when the id cannot be written safely. */
function ruleId(id: string): string | undefined {
  if (id === '' || UNSAFE.test(id)) return undefined;
  return id.replace(/\./g, '\\.');
}

/** The entries of a drift report read from JSON, checked enough to write rules from. */
function entriesOf(report: unknown): DriftEntry[] {
  const entries = (report as { entries?: unknown } | null)?.entries;
  if (report === null || typeof report !== 'object' || !Array.isArray(entries)) {
    throw new InfraAuditError('INVALID_INPUT', 'the input is not a drift report: it has no "entries" list', {
      hint: 'pass the JSON that `infra-audit drift --format json` writes, e.g. infra-audit drift --state terraform.tfstate --format json --output drift.json',
    });
  }
  return entries.map((raw, i) => {
    const e = raw as Partial<DriftEntry> | null;
    if (!e || typeof e !== 'object' || !DRIFT_KINDS.includes(e.kind as DriftKind) || typeof e.resourceType !== 'string' || typeof e.resourceId !== 'string') {
      throw new InfraAuditError('INVALID_INPUT', `drift report entry ${i + 1} lacks a known kind, a resourceType or a resourceId`, {
        hint: 'pass the JSON that `infra-audit drift --format json` writes, unedited',
      });
    }
    return e as DriftEntry;
  });
}
