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

/** An attribute name or index key; `undefined` for a step that cannot be followed exactly. */
type Step = string | number | undefined;

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
    if (steps.length === 0) count += concealAll(attributes, conceal);
    else count += concealPath(attributes, steps, conceal);
  }
  return count;
}

/** An empty path marks the whole object sensitive. */
function concealAll(attributes: Record<string, unknown>, conceal: (value: unknown) => string): number {
  let count = 0;
  for (const key of Object.keys(attributes)) {
    if (attributes[key] !== null) {
      attributes[key] = conceal(attributes[key]);
      count++;
    }
  }
  return count;
}

function toSteps(entry: unknown): Step[] {
  if (typeof entry === 'string') return [entry];
  if (Array.isArray(entry)) return entry.map(toStep);
  if (entry !== null && typeof entry === 'object') return [toStep(entry)];
  return [undefined];
}

function toStep(raw: unknown): Step {
  if (raw === null || typeof raw !== 'object') return undefined;
  const { type, value } = raw as { type?: unknown; value?: unknown };
  if (type === 'get_attr' && typeof value === 'string') return value;
  if (type === 'index') {
    const typed = value !== null && typeof value === 'object' && !Array.isArray(value) && 'value' in value && 'type' in value;
    const key = typed ? (value as { value: unknown }).value : value;
    if (typeof key === 'string' || typeof key === 'number') return key;
  }
  return undefined;
}

function concealPath(root: Record<string, unknown>, steps: readonly Step[], conceal: (value: unknown) => string): number {
  let container: Record<string | number, unknown> = root;
  for (let i = 0; i < steps.length; i++) {
    const key = steps[i];
    if (key === undefined || (Array.isArray(container) && typeof key !== 'number')) {
      // Cannot address the element exactly: hide the collection (never less than asked).
      return i === 0 ? concealAll(root, conceal) : concealPath(root, steps.slice(0, i), conceal);
    }
    const value = container[key];
    if (value === undefined || value === null) return 0;
    // The last step, or a scalar where the path expects more (a JSON string attribute): conceal it.
    if (i === steps.length - 1 || typeof value !== 'object') {
      container[key] = conceal(value);
      return 1;
    }
    container = value as Record<string | number, unknown>;
  }
  return 0;
}
