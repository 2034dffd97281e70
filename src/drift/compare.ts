/**
 * Semantic comparison, where AWS or the provider normalises what was written: policies as
 * policies, sets as sets, tags per key, engine versions by prefix. A value that differs only in
 * a way AWS would not keep (statement order, `"s3:GetObject"` vs `["s3:GetObject"]`,
 * whitespace, key order) is not drift.
 */
import { parsePolicy, type PolicyPrincipal, type PolicyStatement } from '../policy/parse.js';
import type { CompareKind } from '../terraform/live/types.js';

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

/**
 * What changed between two policies, statement by statement: `["+ VendorScannerRead", "- #2"]`.
 * A statement is named by its Sid, else by its position; undefined when either is not a policy.
 */
export function policyDelta(before: unknown, after: unknown): string[] | undefined {
  const a = before === null || before === undefined || before === '' ? { ok: true as const, document: { statements: [] as PolicyStatement[] } } : parsePolicy(before);
  const b = after === null || after === undefined || after === '' ? { ok: true as const, document: { statements: [] as PolicyStatement[] } } : parsePolicy(after);
  if (!a.ok || !b.ok) return undefined;
  const keyed = (statements: PolicyStatement[]) => statements.map((s) => ({ s, key: canonicalJson(canonicalStatement(s)) }));
  const left = keyed(a.document.statements);
  const right = keyed(b.document.statements);
  const label = (s: PolicyStatement) => s.sid || `#${s.index + 1}`;
  return [
    ...right.filter((r) => !left.some((l) => l.key === r.key)).map((r) => `+ ${label(r.s)}`),
    ...left.filter((l) => !right.some((r) => r.key === l.key)).map((l) => `- ${label(l.s)}`),
  ];
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
