/**
 * The hash chain that makes the log tamper-evident. Every record carries its sequence
 * number, the previous record's hash and its own hash, computed over the record's canonical
 * JSON (keys sorted at every depth, so a SIEM that re-serializes a record can still check
 * it). With a key the hash is an HMAC: without the key nobody can re-seal an edited chain.
 */
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
    return createHash('sha256').update(body, 'utf8').digest('hex');
  }

  /** The hash of `record` as sealed: everything except `unmapped.chain.hash` itself. */
  hashOf(record: ChainedRecord, alg: ChainAlgorithm = this.alg): string {
    const { hash: _omit, ...chain } = record.unmapped.chain;
    return this.digest(canonicalJson({ ...record, unmapped: { ...record.unmapped, chain } }), alg);
  }

  /**
   * Fill in the chain fields of `record` after `prev`, in place, and return its line. The
   * record is serialized once: the canonical text without the hash is what is hashed, and the
   * line is that text with the hash member put in its sorted place.
   */
  seal(record: Omit<ChainedRecord, 'unmapped'> & { unmapped: Record<string, unknown> }, prev: { seq: number; hash: string }, prevFile?: string): string {
    const sealed = record as ChainedRecord;
    const chain: ChainFields = { seq: prev.seq + 1, prev_hash: prev.hash, hash: '', alg: this.alg, ...(prevFile ? { prev_file: prevFile } : {}) };
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

/** The key from INFRA_AUDIT_LOG_HMAC_KEY, if set: its UTF-8 bytes (use a long random string). */
export function hmacKeyFromEnv(env: NodeJS.ProcessEnv): Buffer | undefined {
  const value = env.INFRA_AUDIT_LOG_HMAC_KEY;
  return value ? Buffer.from(value, 'utf8') : undefined;
}
