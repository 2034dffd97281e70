/**
 * The hash chain that makes the log tamper-evident. Every record carries its sequence
 * number, the previous record's hash and its own hash, computed over the record's canonical
 * JSON (keys sorted at every depth, so a SIEM that re-serializes a record can still check
 * it). With a key the hash is an HMAC: without the key nobody can re-seal an edited chain.
 */
import * as crypto from 'node:crypto';
import { createHash, createHmac } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export type ChainAlgorithm = 'sha256' | 'hmac-sha256';

/** The chain fields, kept under `unmapped.chain` so the record stays a valid OCSF event. */
export interface ChainFields {
  seq: number;
  prev_hash: string;
  hash: string;
  alg: ChainAlgorithm;
  /** On the first record of a file that continues a rotated one: that file's name. */
  prev_file?: string;
}

/** A record as stored: any JSON object whose `unmapped.chain` holds the chain fields. */
export interface ChainedRecord {
  metadata: { uid: string };
  time: number;
  unmapped: { chain: ChainFields } & Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * Where `writeCanonical` left out one member (the chain's own hash): its index in the parts,
 * and whether members were written before and after it, which decides where its comma goes.
 */
interface Slot {
  object: object;
  key: string;
  index: number;
  before: boolean;
  after: boolean;
}

/** The keys of `record` in UTF-16 code unit order (the `<` order); most records are built in it already, which is checked before sorting. */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record);
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return keys.sort();
  return keys;
}

/** Record keys repeat from record to record: their JSON form is kept (bounded, for keys that come from arguments). */
const QUOTED_KEYS = new Map<string, string>();
function quotedKey(key: string): string {
  let quoted = QUOTED_KEYS.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (QUOTED_KEYS.size < 4_096) QUOTED_KEYS.set(key, quoted);
  }
  return quoted;
}

/**
 * Append the canonical JSON of `value` to `parts`: JSON.stringify's rules with object keys
 * sorted at every depth (undefined and function members dropped, undefined array items as
 * null; an array hole writes nothing, as the first version did). With a slot, that one member
 * is left out and its place noted.
 */
function writeCanonical(value: unknown, parts: string[], slot: Slot | undefined): void {
  if (typeof value === 'string') {
    parts.push(JSON.stringify(value));
    return;
  }
  if (value === null || typeof value !== 'object') {
    parts.push(JSON.stringify(value) ?? 'null');
    return;
  }
  if (Array.isArray(value)) {
    parts.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) parts.push(',');
      if (!(i in value)) continue;
      const item: unknown = value[i];
      if (item === undefined) parts.push('null');
      else writeCanonical(item, parts, slot);
    }
    parts.push(']');
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = sortedKeys(record);
  parts.push('{');
  let written = false;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined || typeof member === 'function') continue;
    if (slot && record === slot.object && key === slot.key) {
      slot.index = parts.length;
      slot.before = written;
      parts.push('');
      continue;
    }
    if (slot && record === slot.object && slot.index >= 0) slot.after = true;
    const name = quotedKey(key);
    parts.push(written ? `,${name}:` : `${name}:`);
    written = true;
    writeCanonical(member, parts, slot);
  }
  parts.push('}');
}

/**
 * True when JSON.stringify(value) is already its canonical JSON: every object a plain one
 * whose own keys come in sorted order (an object with two integer-like keys of different
 * lengths never does: V8 lists those first, numerically), nothing with a toJSON, no array hole,
 * no symbol or bigint member. Records are built in sorted key order, so this is the common
 * case, and the native serializer writes them; anything else takes writeCanonical.
 */
export function inCanonicalOrder(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return typeof value !== 'symbol' && typeof value !== 'bigint';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return false;
      const item: unknown = value[i];
      if (item !== null && typeof item === 'object' && !inCanonicalOrder(item)) return false;
      if (typeof item === 'bigint') return false;
    }
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  const record = value as Record<string, unknown>;
  if (typeof record.toJSON === 'function') return false;
  let previous: string | undefined;
  for (const key in record) {
    if (previous !== undefined && !(previous < key)) return false;
    previous = key;
    const member = record[key];
    if (member === undefined || typeof member === 'function') continue;
    if (!inCanonicalOrder(member)) return false;
  }
  return true;
}

/**
 * `value` with object keys in sorted order at every depth: itself when already so, else a
 * copy of the parts that are not (for arguments and AWS inputs, which arrive in any order).
 */
export function inSortedKeyOrder<T>(value: T): T {
  if (value === null || typeof value !== 'object' || inCanonicalOrder(value)) return value;
  if (Array.isArray(value)) return value.map((item: unknown) => inSortedKeyOrder(item)) as T;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const record = value as Record<string, unknown>;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) sorted[key] = inSortedKeyOrder(record[key]);
  return sorted as T;
}

/** JSON with object keys sorted at every depth; undefined members dropped, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  writeCanonical(value, parts, undefined);
  return parts.join('');
}

export class ChainHasher {
  readonly alg: ChainAlgorithm;
  constructor(private readonly key?: Buffer) {
    this.alg = key ? 'hmac-sha256' : 'sha256';
  }

  private digest(body: string, alg: ChainAlgorithm): string {
    if (alg === 'hmac-sha256') {
      if (!this.key) throw new Error('an HMAC key is needed to hash this record');
      return createHmac('sha256', this.key).update(body, 'utf8').digest('hex');
    }
    return sha256Hex(body);
  }

  /** The hash of `record` as sealed: everything except `unmapped.chain.hash` itself. */
  hashOf(record: ChainedRecord, alg: ChainAlgorithm = this.alg): string {
    const { hash: _omit, ...chain } = record.unmapped.chain;
    return this.digest(canonicalJson({ ...record, unmapped: { ...record.unmapped, chain } }), alg);
  }

  /**
   * Fill in the chain fields of `record` after `prev`, in place, and return its line: the
   * record's canonical JSON with the hash, which is the hash of the same text without it.
   * A record record.ts built in canonical order is serialized once by the native
   * JSON.stringify, without the hash, and the hash is put into that text in its sorted place;
   * another record in canonical order (inCanonicalOrder) is written by JSON.stringify with
   * the hash; any other by writeCanonical, serialized once with the hash member's place noted.
   */
  seal(record: Omit<ChainedRecord, 'unmapped'> & { unmapped: Record<string, unknown> }, prev: { seq: number; hash: string }, prevFile?: string): string {
    const sealed = record as ChainedRecord;
    // Members in sorted order: alg, (hash), prev_file, prev_hash, seq.
    const fields = (hash?: string) => ({ alg: this.alg, ...(hash !== undefined ? { hash } : {}), ...(prevFile ? { prev_file: prevFile } : {}), prev_hash: prev.hash, seq: prev.seq + 1 }) as ChainFields;
    sealed.unmapped = withMember(sealed.unmapped, 'chain', fields());
    if (BUILT_IN_ORDER.has(sealed)) {
      const text = JSON.stringify(sealed);
      const hash = this.digest(text, this.alg);
      sealed.unmapped.chain = fields(hash);
      // The chain's opening as written is the last one in the text: what comes before it
      // (arguments, AWS input) may hold a look-alike object, but in a record built by
      // record.ts nothing after it can (unmapped is the last member, and after its chain come
      // outcome, record_type, refusals and result, with no caller-named keys); inside a string
      // every quote is escaped.
      const opening = this.alg === 'sha256' ? SHA256_CHAIN_OPENING : HMAC_CHAIN_OPENING;
      const at = text.lastIndexOf(opening) + opening.length;
      return `${text.slice(0, at)}"hash":"${hash}",${text.slice(at)}\n`;
    }
    if (inCanonicalOrder(sealed)) {
      const hash = this.digest(JSON.stringify(sealed), this.alg);
      sealed.unmapped.chain = fields(hash);
      return `${JSON.stringify(sealed)}\n`;
    }
    const chain = fields('');
    sealed.unmapped.chain = chain;
    const parts: string[] = [];
    const slot: Slot = { object: chain, key: 'hash', index: -1, before: false, after: false };
    writeCanonical(sealed, parts, slot);
    chain.hash = this.digest(parts.join(''), this.alg);
    const member = `"hash":${JSON.stringify(chain.hash)}`;
    parts[slot.index] = slot.before ? `,${member}` : slot.after ? `${member},` : member;
    parts.push('\n');
    return parts.join('');
  }
}

const SHA256_CHAIN_OPENING = '"chain":{"alg":"sha256",';
const HMAC_CHAIN_OPENING = '"chain":{"alg":"hmac-sha256",';

/**
 * Records that record.ts built with every object's keys in sorted order and arguments or AWS
 * input already canonical: seal skips the inCanonicalOrder walk for them. A test holds every
 * kind of record so built to inCanonicalOrder.
 */
const BUILT_IN_ORDER = new WeakSet<object>();

/** Note that `record` was built in canonical order (record.ts): see BUILT_IN_ORDER. */
export function builtInCanonicalOrder<T extends object>(record: T): T {
  BUILT_IN_ORDER.add(record);
  return record;
}

/** crypto.hash (one shot, no Hash object) where Node has it (20.12+), else createHash. */
const oneShot = (crypto as { hash?: (alg: string, data: string, encoding: 'hex') => string }).hash;

/** SHA-256 of the UTF-8 bytes of `text`, as hex. */
export function sha256Hex(text: string): string {
  return oneShot ? oneShot('sha256', text, 'hex') : createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A copy of `object` with `key` set to `value`, placed in sorted key order (the other keys keep theirs). */
function withMember<T extends Record<string, unknown>>(object: T, key: string, value: unknown): T & Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let placed = false;
  for (const k of Object.keys(object)) {
    if (k === key) continue;
    if (!placed && key < k) {
      out[key] = value;
      placed = true;
    }
    out[k] = object[k];
  }
  if (!placed) out[key] = value;
  return out as T & Record<string, unknown>;
}

/** The key from INFRA_AUDIT_LOG_HMAC_KEY, if set: its UTF-8 bytes (use a long random string). */
export function hmacKeyFromEnv(env: NodeJS.ProcessEnv): Buffer | undefined {
  const value = env.INFRA_AUDIT_LOG_HMAC_KEY;
  return value ? Buffer.from(value, 'utf8') : undefined;
}
