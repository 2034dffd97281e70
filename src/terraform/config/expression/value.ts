/**
 * Values of statically evaluated configuration: JSON-like data, sets marked as such, and
 * Unknown — what could not be known without a plan (a resource attribute, a data source, an
 * unsupported function). An Unknown carries the expression text; it is never replaced by a guess.
 */

export class Unknown {
  constructor(
    /** The expression as written, e.g. `aws_s3_bucket.logs.arn`. */
    readonly expression: string,
    /** Why it could not be evaluated. */
    readonly reason: string,
  ) {}

  toJSON(): { $unknown: string; reason: string } {
    return { $unknown: this.expression, reason: this.reason };
  }
}

export type Value = null | boolean | number | string | Unknown | Value[] | { [key: string]: Value };

export function isUnknown(value: unknown): value is Unknown {
  return value instanceof Unknown;
}

/** Whether `value` holds an Unknown anywhere inside. */
export function containsUnknown(value: Value, depth = 0): boolean {
  if (value instanceof Unknown) return true;
  if (value === null || typeof value !== 'object' || depth > 100) return false;
  for (const item of Array.isArray(value) ? value : Object.values(value)) if (containsUnknown(item, depth + 1)) return true;
  return false;
}

export function isObjectValue(value: Value): value is { [key: string]: Value } {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Unknown);
}

/**
 * Sets are arrays carrying a mark, so `for_each` can tell `toset([...])` (allowed) from a plain
 * list (a Terraform error), and so both still serialise as JSON arrays.
 */
const SET_MARK = Symbol('hcl-set');

export function makeSet(items: Value[]): Value[] {
  const unique: Value[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const key = JSON.stringify(item);
    if (!seen.has(key)) {
      seen.add(key);
      unique.push(item);
    }
  }
  // Terraform orders a set of strings lexically and a set of numbers numerically.
  if (unique.every((item) => typeof item === 'string')) unique.sort();
  else if (unique.every((item) => typeof item === 'number')) unique.sort((a, b) => (a as number) - (b as number));
  Object.defineProperty(unique, SET_MARK, { value: true, enumerable: false });
  return unique;
}

export function isSet(value: Value): boolean {
  return Array.isArray(value) && (value as unknown as Record<symbol, unknown>)[SET_MARK] === true;
}

export function typeName(value: Value): string {
  if (value === null) return 'null';
  if (value instanceof Unknown) return 'unknown';
  if (isSet(value)) return 'set';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'object';
  return typeof value;
}

/** Terraform's string conversion, used by templates and string functions. */
export function toStringValue(value: Value, what: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  throw new EvaluationError(`${what} must be a string, not ${typeName(value)}`);
}

export function toNumberValue(value: Value, what: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(value.trim())) return Number(value);
  throw new EvaluationError(`${what} must be a number, not ${typeName(value)}`);
}

export function toBoolValue(value: Value, what: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new EvaluationError(`${what} must be a bool, not ${typeName(value)}`);
}

/** An expression Terraform itself would reject (wrong type, missing key): `try` catches it. */
export class EvaluationError extends Error {
  override readonly name = 'EvaluationError';
}

/** Terraform's `==`: same type and same value, deeply; key order does not matter. */
export function valuesEqual(a: Value, b: Value, depth = 0): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || depth > 100) return false;
  if (a instanceof Unknown || b instanceof Unknown) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => valuesEqual(item, b[i]!, depth + 1));
  }
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => key in b && valuesEqual(a[key]!, b[key]!, depth + 1));
}
