/**
 * Terraform's own record of which attribute values are sensitive: an instance's
 * `sensitive_attributes`, a list of cty paths, each a list of steps:
 *   [[{"type":"get_attr","value":"password"}],
 *    [{"type":"get_attr","value":"tags"},{"type":"index","value":{"value":"secret","type":"string"}}]]
 * Index steps carry the key either as a typed cty value (`{"value":…,"type":…}`, as Terraform
 * writes it) or as a bare JSON value (some tools). A flat list of steps (an entry that is a step
 * rather than a path) is read as one-step paths, and a bare string as an attribute name: when the
 * shape is unclear, more is hidden, never less.
 */


type Step = { kind: 'attr'; name: string } | { kind: 'index'; key: unknown } | { kind: 'unresolvable' };

/**
 * Conceal every value `sensitive_attributes` points at. A step that cannot be followed exactly
 * (a set element addressed by value) conceals the whole collection it would have entered.
 */
export function concealSensitivePaths(
  attributes: Record<string, unknown>,
  sensitiveAttributes: unknown,
  conceal: (value: unknown) => string,
): number {
  if (!Array.isArray(sensitiveAttributes)) return 0;
  let count = 0;
  for (const entry of sensitiveAttributes) {
    const steps = toSteps(entry);
    if (steps.length === 0) {
      // An empty path marks the whole object sensitive.
      for (const key of Object.keys(attributes)) {
        if (attributes[key] !== null) {
          attributes[key] = conceal(attributes[key]);
          count++;
        }
      }
      continue;
    }
    count += concealPath(attributes, steps, conceal);
  }
  return count;
}

function toSteps(entry: unknown): Step[] {
  if (typeof entry === 'string') return [{ kind: 'attr', name: entry }];
  if (Array.isArray(entry)) return entry.map(toStep);
  if (entry !== null && typeof entry === 'object') return [toStep(entry)];
  return [{ kind: 'unresolvable' }];
}

function toStep(raw: unknown): Step {
  if (raw === null || typeof raw !== 'object') return { kind: 'unresolvable' };
  const { type, value } = raw as { type?: unknown; value?: unknown };
  if (type === 'get_attr' && typeof value === 'string') return { kind: 'attr', name: value };
  if (type === 'index') {
    const typed = value !== null && typeof value === 'object' && !Array.isArray(value) && 'value' in value && 'type' in value;
    const key = typed ? (value as { value: unknown }).value : value;
    return typeof key === 'string' || typeof key === 'number' ? { kind: 'index', key } : { kind: 'unresolvable' };
  }
  return { kind: 'unresolvable' };
}

function concealPath(root: Record<string, unknown>, steps: readonly Step[], conceal: (value: unknown) => string): number {
  let container: Record<string | number, unknown> | unknown[] = root;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const key = step.kind === 'attr' ? step.name : step.kind === 'index' ? step.key : undefined;
    if (key === undefined || (Array.isArray(container) && typeof key !== 'number')) {
      // Cannot address the element exactly: hide the collection (never less than asked).
      return concealWholeOf(root, steps.slice(0, i), conceal);
    }
    const value: unknown = (container as Record<string | number, unknown>)[key as string | number];
    if (value === undefined || value === null) return 0;
    if (i === steps.length - 1) {
      (container as Record<string | number, unknown>)[key as string | number] = conceal(value);
      return 1;
    }
    if (typeof value !== 'object') {
      (container as Record<string | number, unknown>)[key as string | number] = conceal(value);
      return 1;
    }
    container = value as Record<string, unknown>;
  }
  return 0;
}

function concealWholeOf(root: Record<string, unknown>, prefix: readonly Step[], conceal: (value: unknown) => string): number {
  if (prefix.length === 0) return concealSensitivePaths(root, [[]], conceal);
  let container: Record<string | number, unknown> = root;
  for (let i = 0; i < prefix.length - 1; i++) {
    const step = prefix[i]!;
    const next = container[step.kind === 'attr' ? step.name : (step as { key: string | number }).key];
    if (next === null || typeof next !== 'object') return 0;
    container = next as Record<string, unknown>;
  }
  const last = prefix[prefix.length - 1]!;
  const key = last.kind === 'attr' ? last.name : (last as { key: string | number }).key;
  if (container[key] === undefined || container[key] === null) return 0;
  container[key] = conceal(container[key]);
  return 1;
}
