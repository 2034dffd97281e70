/**
 * Secrets compared without being kept. A value is replaced with the redaction marker where it is
 * read, and a keyed digest of it (HMAC-SHA-256 under a key drawn when the process starts and
 * never written anywhere) rides along, so two values can be found equal or different and
 * neither is ever held. A digest means nothing without the key, and it is attached under a
 * symbol, non-enumerable: JSON, structuredClone and object spread all leave it behind, so no
 * report, snapshot, tool result or file ever holds one. A copy that lost its digests compares
 * by key names only.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { SENSITIVE_MARKER } from './marker.js';

const KEY = randomBytes(32);
const DIGESTS = Symbol('secret digests');

function digest(value: string): string {
  return createHmac('sha256', KEY).update(value).digest('base64');
}

/**
 * `{name: value}` → `{name: marker}`, with each value's digest attached. Values that are not
 * strings (a Terraform unknown, a number) are concealed all the same and digested as JSON. A
 * value that is already the marker (read from a source that had concealed it) gets no digest:
 * it is not the secret, and its digest would make it differ from every real value.
 */
export function concealMap(values: Record<string, unknown>): Record<string, string> {
  const concealed: Record<string, string> = {};
  const digests: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    concealed[name] = SENSITIVE_MARKER;
    if (value === SENSITIVE_MARKER) continue;
    digests[name] = digest(typeof value === 'string' ? value : JSON.stringify(value));
  }
  Object.defineProperty(concealed, DIGESTS, { value: digests, enumerable: false });
  return concealed;
}

/** The digests `concealMap` attached, if this object still carries them. */
export function digestsOf(concealed: unknown): Readonly<Record<string, string>> | undefined {
  return concealed !== null && typeof concealed === 'object' ? (concealed as { [DIGESTS]?: Record<string, string> })[DIGESTS] : undefined;
}

/**
 * The names whose values differ between two concealed maps (added, removed or changed), sorted.
 * A name present on both sides differs only when both sides carry its digest and they disagree.
 */
export function differingNames(a: unknown, b: unknown): string[] {
  const left = (a ?? {}) as Record<string, unknown>;
  const right = (b ?? {}) as Record<string, unknown>;
  const da = digestsOf(a);
  const db = digestsOf(b);
  const names = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
  return names.filter((name) => {
    if (!(name in left) || !(name in right)) return true;
    // Without both digests only presence can be told.
    const digestA = da?.[name];
    const digestB = db?.[name];
    return digestA !== undefined && digestB !== undefined && digestA !== digestB;
  });
}
