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

/** JSON with object keys sorted at every depth; undefined members dropped, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && typeof v !== 'function')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export class ChainHasher {
  readonly alg: ChainAlgorithm;
  constructor(private readonly key?: Buffer) {
    this.alg = key ? 'hmac-sha256' : 'sha256';
  }

  /** The hash of `record` as sealed: everything except `unmapped.chain.hash` itself. */
  hashOf(record: ChainedRecord, alg: ChainAlgorithm = this.alg): string {
    const { hash: _omit, ...chain } = record.unmapped.chain;
    const body = canonicalJson({ ...record, unmapped: { ...record.unmapped, chain } });
    if (alg === 'hmac-sha256') {
      if (!this.key) throw new Error('an HMAC key is needed to hash this record');
      return createHmac('sha256', this.key).update(body, 'utf8').digest('hex');
    }
    return createHash('sha256').update(body, 'utf8').digest('hex');
  }

  /** Fill in the chain fields of `record` after `prev`, in place, and return its line. */
  seal(record: Omit<ChainedRecord, 'unmapped'> & { unmapped: Record<string, unknown> }, prev: { seq: number; hash: string }, prevFile?: string): string {
    const sealed = record as ChainedRecord;
    sealed.unmapped.chain = { seq: prev.seq + 1, prev_hash: prev.hash, hash: '', alg: this.alg, ...(prevFile ? { prev_file: prevFile } : {}) };
    sealed.unmapped.chain.hash = this.hashOf(sealed);
    return `${canonicalJson(sealed)}\n`;
  }
}

/** The key from INFRA_AUDIT_LOG_HMAC_KEY, if set: its UTF-8 bytes (use a long random string). */
export function hmacKeyFromEnv(env: NodeJS.ProcessEnv): Buffer | undefined {
  const value = env.INFRA_AUDIT_LOG_HMAC_KEY;
  return value ? Buffer.from(value, 'utf8') : undefined;
}
