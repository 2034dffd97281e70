/**
 * The audit log's fallback redaction, used until the product-wide redactor (src/redact/) is
 * passed in. It is deliberately blunt: any value under a key that names a secret is masked,
 * whatever its type, and strings shaped like AWS access keys are masked wherever they are.
 */
export type Redactor = <T>(value: T) => T;

const SECRET_KEY = /pass(word|wd|phrase)?|secret|token|credential|authorization|cookie|private|(^|[^a-z])key($|[^a-z])|api_?key|access_?key|session_?key/i;
const ACCESS_KEY_ID = /\b(AKIA|ASIA|AROA|AIDA)[A-Z0-9]{16}\b/g;
export const REDACTED = '[REDACTED]';

function isSecretKey(key: string): boolean {
  // camelCase names (SecretAccessKey, apiKey) are split so "key" is seen as a word.
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1_$2');
  return SECRET_KEY.test(words) || SECRET_KEY.test(key);
}

export function conservativeRedact<T>(value: T, depth = 0): T {
  if (depth > 32) return REDACTED as T;
  if (typeof value === 'string') return value.replace(ACCESS_KEY_ID, REDACTED) as T;
  if (Array.isArray(value)) return value.map((v) => conservativeRedact(v, depth + 1)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = isSecretKey(k) ? REDACTED : conservativeRedact(v, depth + 1);
    return out as T;
  }
  return value;
}
