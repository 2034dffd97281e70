/**
 * Database values made JSON-safe: a bigint, a Date, a Buffer or a NaN does not survive
 * JSON.stringify as what it was, so each becomes a stated, lossless-enough form.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

const BYTES_SHOWN = 256;

export function toJsonSafe(value: unknown, depth = 0): JsonValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    case 'object':
      break;
    default:
      return String(value);
  }
  if (depth > 32) return '[too deep]';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (value instanceof Uint8Array) {
    // PostgreSQL's own bytea text form (\x…), cut at a length a model can use.
    const hex = Buffer.from(value.buffer, value.byteOffset, Math.min(value.byteLength, BYTES_SHOWN)).toString('hex');
    return value.byteLength > BYTES_SHOWN ? `\\x${hex}…(${value.byteLength} bytes)` : `\\x${hex}`;
  }
  if (Array.isArray(value)) return value.map((v) => toJsonSafe(v, depth + 1));
  const toPostgres = (value as { toPostgres?: unknown }).toPostgres;
  if (typeof toPostgres === 'function') return String((toPostgres as () => unknown).call(value));
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(value)) out[k] = toJsonSafe(v, depth + 1);
  return out;
}
