/**
 * Semantic comparison, where AWS or the provider normalises what was written: policies as
 * policies, sets as sets, tags per key, engine versions by prefix. A value that differs only in
 * a way AWS would not keep (statement order, `"s3:GetObject"` vs `["s3:GetObject"]`,
 * whitespace, key order) is not drift.
 */
import { parsePolicy, type PolicyPrincipal, type PolicyStatement } from '../policy/parse.js';
import type { CompareKind } from '../terraform/live/types.js';
import { differingNames } from '../redact/secret-digest.js';

/** A stable text for a JSON-like value: object keys sorted at every level. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value, 0));
}

function sortKeys(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object' || depth > 100) return value;
  if (Array.isArray(value)) return value.map((item) => sortKeys(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key], depth + 1);
  return out;
}

const sortedUnique = (items: readonly string[] | undefined) => (items ? [...new Set(items)].sort() : undefined);

function canonicalPrincipal(principal: PolicyPrincipal | undefined): unknown {
  if (principal === undefined || principal === '*') return principal;
  const out: Record<string, string[]> = {};
  for (const [type, values] of Object.entries(principal)) if (values.length) out[type] = sortedUnique(values)!;
  // `{"AWS": "*"}` and `"*"` grant the same: everyone.
  if (Object.keys(out).length === 1 && out.AWS?.length === 1 && out.AWS[0] === '*') return '*';
  return out;
}

function canonicalStatement(s: PolicyStatement): unknown {
  const condition: Record<string, Record<string, string[]>> = {};
  for (const operator of Object.keys(s.condition).sort()) {
    const keys: Record<string, string[]> = {};
    // Condition keys are case-insensitive; values are a set (OR'ed).
    for (const [key, values] of Object.entries(s.condition[operator]!)) keys[key.toLowerCase()] = sortedUnique(values)!;
    condition[operator] = keys;
  }
  return {
    sid: s.sid ?? '',
    effect: s.effect,
    principal: canonicalPrincipal(s.principal),
    notPrincipal: canonicalPrincipal(s.notPrincipal),
    action: sortedUnique(s.action),
    notAction: sortedUnique(s.notAction),
    resource: sortedUnique(s.resource),
    notResource: sortedUnique(s.notResource),
    condition,
  };
}

/**
 * A policy in canonical text, or undefined when it is not a readable policy (then the caller
 * compares it as JSON). Statement order does not matter to IAM, so statements are sorted.
 */
export function canonicalPolicy(policy: unknown): string | undefined {
  if (policy === null || policy === undefined || policy === '') return undefined;
  const parsed = parsePolicy(policy);
  if (!parsed.ok) return undefined;
  const statements = parsed.document.statements.map((s) => canonicalJson(canonicalStatement(s))).sort();
  return canonicalJson({ version: parsed.document.version ?? '', id: parsed.document.id ?? '', statements });
}

/** One statement that differs between two policies: added live, removed live, or changed in place (same Sid). */
export interface StatementDiff {
  /** The statement's Sid, else its position (`#2`) in the policy that has it. */
  statement: string;
  change: 'added' | 'removed' | 'changed';
  /** The statement as the state has it (absent when added). */
  state?: unknown;
  /** The statement as it is live (absent when removed). */
  live?: unknown;
}

function rawStatements(policy: unknown): unknown[] {
  let document = parsedJson(policy) as { Statement?: unknown } | string | null;
  // IAM hands documents back URL-encoded.
  if (typeof document === 'string') document = parsedJson(safeDecode(document)) as { Statement?: unknown } | string | null;
  const statements = document !== null && typeof document === 'object' ? document.Statement : undefined;
  return Array.isArray(statements) ? statements : statements === undefined ? [] : [statements];
}

/**
 * What changed between two policies, statement by statement. Identical statements (as IAM reads
 * them: order, one-element lists and key order aside) pair first; of the rest, statements with
 * the same Sid are one statement changed in place; what remains was added or removed.
 * Undefined when either side is not a readable policy.
 */
export function statementDiffs(before: unknown, after: unknown): StatementDiff[] | undefined {
  const empty = (v: unknown) => v === null || v === undefined || v === '';
  const a = empty(before) ? { ok: true as const, document: { statements: [] as PolicyStatement[] } } : parsePolicy(before);
  const b = empty(after) ? { ok: true as const, document: { statements: [] as PolicyStatement[] } } : parsePolicy(after);
  if (!a.ok || !b.ok) return undefined;
  const rawA = empty(before) ? [] : rawStatements(before);
  const rawB = empty(after) ? [] : rawStatements(after);
  const keyed = (statements: PolicyStatement[], raw: unknown[]) => statements.map((s) => ({ s, raw: raw[s.index], key: canonicalJson(canonicalStatement(s)) }));
  let left = keyed(a.document.statements, rawA);
  let right = keyed(b.document.statements, rawB);
  // Identical statements are not drift, whatever their order.
  for (const l of [...left]) {
    const match = right.findIndex((r) => r.key === l.key);
    if (match < 0) continue;
    right = right.filter((_, i) => i !== match);
    left = left.filter((x) => x !== l);
  }
  const label = (s: PolicyStatement) => s.sid || `#${s.index + 1}`;
  const diffs: StatementDiff[] = [];
  for (const l of [...left]) {
    const match = l.s.sid ? right.find((r) => r.s.sid === l.s.sid) : undefined;
    if (!match) continue;
    diffs.push({ statement: label(l.s), change: 'changed', state: l.raw, live: match.raw });
    right = right.filter((r) => r !== match);
    left = left.filter((x) => x !== l);
  }
  diffs.push(...right.map((r) => ({ statement: label(r.s), change: 'added' as const, live: r.raw })));
  diffs.push(...left.map((l) => ({ statement: label(l.s), change: 'removed' as const, state: l.raw })));
  return diffs;
}

const CHANGE_MARK: Record<StatementDiff['change'], string> = { added: '+', removed: '-', changed: '~' };

/** A statement diff as a short label: `+ VendorScannerRead`, `~ Read`, `- #2`. */
export function statementLabel(diff: StatementDiff): string {
  return `${CHANGE_MARK[diff.change]} ${diff.statement}`;
}

/** What changed between two policies, as short labels: `["+ VendorScannerRead", "~ Read", "- #2"]`. */
export function policyDelta(before: unknown, after: unknown): string[] | undefined {
  return statementDiffs(before, after)?.map(statementLabel);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function parsedJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function setKey(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).map((item) => canonicalJson(item)).sort();
}

/** Whether the state value and the live value say the same, for this kind of attribute. */
export function sameValue(kind: CompareKind, state: unknown, live: unknown): boolean {
  switch (kind) {
    case 'policy': {
      const a = canonicalPolicy(state);
      const b = canonicalPolicy(live);
      if (a !== undefined && b !== undefined) return a === b;
      // Empty and absent policies are the same; otherwise compare the JSON as written.
      const empty = (v: unknown) => v === null || v === undefined || v === '';
      if (empty(state) || empty(live)) return empty(state) && empty(live);
      return canonicalJson(parsedJson(state)) === canonicalJson(parsedJson(live));
    }
    case 'set':
      return canonicalJson(setKey(state ?? [])) === canonicalJson(setKey(live ?? []));
    case 'secret-map':
    case 'secret':
      return differingNames(state, live).length === 0;
    case 'version-prefix': {
      if (typeof state !== 'string' || typeof live !== 'string') return state === live;
      return live === state || live.startsWith(`${state}.`);
    }
    case 'tags':
    case 'value':
      return canonicalJson(normalizeEmpty(state)) === canonicalJson(normalizeEmpty(live));
  }
}

/** null and absent are one value to Terraform. */
function normalizeEmpty(value: unknown): unknown {
  return value === undefined ? null : value;
}
