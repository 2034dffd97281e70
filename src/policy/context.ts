/**
 * The request context that conditions and policy variables are evaluated against.
 *
 * Our collectors rarely know every key of a request (who calls, from which IP, over TLS?), so a
 * context is partial by default: a key it does not mention is unknown, not absent. Only a
 * `complete` context (or an explicit `absentKeys` entry) lets a missing key count as absent,
 * which is what AWS's own evaluation does for a real request.
 */
export type ContextValue = string | number | boolean;

export interface ConditionContext {
  /** Condition keys present in the request; names are case-insensitive as in AWS. */
  values?: Readonly<Record<string, ContextValue | readonly ContextValue[]>>;
  /** `complete`: a key not in `values` is absent from the request. `partial` (default): it is unknown. */
  completeness?: 'complete' | 'partial';
  /** In a partial context, keys known to be absent from the request. */
  absentKeys?: readonly string[];
}

export type KeyLookup =
  | { state: 'present'; values: string[] }
  | { state: 'absent' }
  | { state: 'unknown' };

export function lookupConditionKey(context: ConditionContext, key: string): KeyLookup {
  const wanted = key.toLowerCase();
  for (const [name, value] of Object.entries(context.values ?? {})) {
    if (name.toLowerCase() !== wanted) continue;
    const list = Array.isArray(value) ? (value as readonly ContextValue[]) : [value as ContextValue];
    return { state: 'present', values: list.map(String) };
  }
  if (context.completeness === 'complete') return { state: 'absent' };
  if (context.absentKeys?.some((name) => name.toLowerCase() === wanted)) return { state: 'absent' };
  return { state: 'unknown' };
}

/** A context in which only the given keys exist: what AWS sees for a fully described request. */
export function completeContext(values: ConditionContext['values'] = {}): ConditionContext {
  return { values, completeness: 'complete' };
}
