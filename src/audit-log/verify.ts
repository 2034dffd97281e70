/**
 * Verifying a chain over one or more files, in order. It names the first record that was
 * altered, removed, inserted or reordered. The one thing a hash chain alone cannot show is
 * records cut off the end: anchor the last hash elsewhere (the SIEM copy, a ticket).
 *
 * Torn final line: the last line of the last file, if it has no newline, is a write torn
 * by a crash (or one still in progress). Its batch was never fsync'ed, so no client saw its
 * result; it is reported and not counted, and the writer sets it aside when it reopens.
 */
import { basename } from 'node:path';
import { InfraAuditError } from '../errors.js';
import { ChainHasher, GENESIS_HASH, type ChainAlgorithm } from './chain.js';
import { parseRecord, readLines } from './read.js';
import type { AuditRecord } from './record.js';

export type TamperKind = 'altered' | 'removed' | 'inserted' | 'reordered' | 'not-a-record' | 'unchained-start' | 'downgraded';

export interface VerifyFailure {
  kind: TamperKind;
  file: string;
  line: number;
  recordId?: string;
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  records: number;
  files: Array<{ file: string; records: number }>;
  firstSeq?: number;
  lastSeq?: number;
  lastHash?: string;
  firstTime?: number;
  lastTime?: number;
  alg?: ChainAlgorithm;
  torn?: { file: string; line: number; bytes: number };
  warnings: string[];
  failure?: VerifyFailure;
}

export interface VerifyOptions {
  hmacKey?: Buffer;
  /** Accept a first file that continues an earlier one not given (checks the rest of the chain). */
  allowContinuation?: boolean;
}

interface Seen {
  seq: number;
  hash: string;
  prevHash: string;
  line: number;
  id: string;
}

/** Records recently seen, to name a duplicate's original. */
const RECENT = 10_000;

export async function verifyChain(files: string[], options: VerifyOptions = {}): Promise<VerifyResult> {
  const hasher = new ChainHasher(options.hmacKey);
  const result: VerifyResult = { ok: true, records: 0, files: [], warnings: [] };
  let expected = { seq: 0, hash: GENESIS_HASH };
  let last: Seen | undefined;
  const recent = new Map<string, Seen>();
  const fail = (failure: VerifyFailure): VerifyResult => ({ ...result, ok: false, failure });

  for (const [fileIndex, file] of files.entries()) {
    const isLastFile = fileIndex === files.length - 1;
    const entry = { file, records: 0 };
    result.files.push(entry);
    let firstInFile = true;
    // A one-line look-ahead tells a swap from a removal.
    const lines = readLines(file)[Symbol.asyncIterator]();
    try {
      let next = await lines.next();
      while (!next.done) {
        const current = next.value;
        next = await lines.next();
        if (!current.complete) {
          if (isLastFile) {
            result.torn = { file, line: current.line, bytes: Buffer.byteLength(current.text, 'utf8') };
            break;
          }
          return fail({ kind: 'not-a-record', file, line: current.line, message: `${file}:${current.line}: file ends in a partial record, but it is not the last file of the chain` });
        }
        const record = parseRecord(current.text);
        const where = `${file}:${current.line}`;
        if (!record) return fail({ kind: 'not-a-record', file, line: current.line, message: `${where}: not an audit record (altered or corrupted)` });
        const chain = record.unmapped.chain!;
        const id = String(record.metadata?.uid ?? '?');
        const at = { file, line: current.line, recordId: id };
        if (chain.alg === 'hmac-sha256' && !options.hmacKey) {
          throw new InfraAuditError('USAGE', `${where}: records are sealed with HMAC-SHA256; verifying needs the key`, { hint: 'set INFRA_AUDIT_LOG_HMAC_KEY to the key the server used' });
        }
        if (options.hmacKey && chain.alg !== 'hmac-sha256') {
          return fail({ kind: 'downgraded', ...at, message: `${where} (record ${id}): sealed with ${chain.alg}, not HMAC: a key is set, so this record was re-sealed without it` });
        }
        if (hasher.hashOf(record as never, chain.alg) !== chain.hash) {
          return fail({ kind: 'altered', ...at, message: `${where} (record ${id}, seq ${chain.seq}): altered: its content does not match its hash` });
        }
        if (firstInFile && fileIndex > 0 && chain.prev_file !== basename(files[fileIndex - 1]!)) {
          result.warnings.push(`${file} names ${chain.prev_file ?? 'no file'} as its predecessor, not ${basename(files[fileIndex - 1]!)} (renamed?); the hashes decide`);
        }
        if (result.records === 0 && chain.prev_hash !== GENESIS_HASH) {
          if (!options.allowContinuation) {
            return fail({
              kind: 'unchained-start',
              ...at,
              message: chain.prev_file
                ? `${where} (record ${id}): this file continues ${chain.prev_file}, which was not given: pass the files in order, or --allow-continuation to check this part alone`
                : `${where} (record ${id}, seq ${chain.seq}): the chain does not start here: ${chain.seq - 1} earlier record(s) removed, or an earlier file not given (--allow-continuation checks this part alone)`,
            });
          }
          expected = { seq: chain.seq - 1, hash: chain.prev_hash };
        }
        if (chain.prev_hash !== expected.hash || chain.seq !== expected.seq + 1) {
          return fail(diagnose(record, at, expected, last, recent, next.done ? undefined : parseRecord(next.value.text)));
        }
        const seen: Seen = { seq: chain.seq, hash: chain.hash, prevHash: chain.prev_hash, line: current.line, id };
        recent.set(chain.hash, seen);
        if (recent.size > RECENT) recent.delete(recent.keys().next().value!);
        last = seen;
        expected = { seq: chain.seq, hash: chain.hash };
        firstInFile = false;
        entry.records += 1;
        result.records += 1;
        result.firstSeq ??= chain.seq;
        result.lastSeq = chain.seq;
        result.lastHash = chain.hash;
        result.firstTime ??= record.time;
        result.lastTime = record.time;
        result.alg = chain.alg;
      }
    } finally {
      // Closes the file when verification stops early.
      await lines.return?.(undefined);
    }
  }
  if (result.records === 0 && result.torn) {
    // Nothing was verified: a file holding only an interrupted write is not an intact log.
    const { file, line, bytes } = result.torn;
    return fail({ kind: 'not-a-record', file, line, message: `${file}:${line}: no complete record, only a torn line (${bytes} bytes) from an interrupted write: there is no chain to verify` });
  }
  return result;
}

function diagnose(
  record: AuditRecord,
  at: { file: string; line: number; recordId: string },
  expected: { seq: number; hash: string },
  last: Seen | undefined,
  recent: Map<string, Seen>,
  following: AuditRecord | undefined,
): VerifyFailure {
  const chain = record.unmapped.chain!;
  const where = `${at.file}:${at.line} (record ${at.recordId}, seq ${chain.seq})`;
  const copyOf = recent.get(chain.hash);
  if (copyOf) return { kind: 'inserted', ...at, message: `${where}: inserted: a copy of line ${copyOf.line}` };
  if (last && chain.seq === last.seq && chain.prev_hash === last.prevHash) {
    // Two records claim one place in the chain: the earlier one was slipped in before this one.
    return { kind: 'inserted', file: at.file, line: last.line, recordId: last.id, message: `${at.file}:${last.line} (record ${last.id}, seq ${last.seq}): inserted: it and line ${at.line} both follow the same record, and line ${at.line} is the one the chain continues from` };
  }
  if (chain.seq <= expected.seq) return { kind: 'reordered', ...at, message: `${where}: out of order: seq ${chain.seq} after seq ${expected.seq}` };
  if (chain.seq > expected.seq + 1) {
    const next = following?.unmapped.chain;
    if (next && next.seq === expected.seq + 1 && next.prev_hash === expected.hash) {
      return { kind: 'reordered', ...at, message: `${where}: reordered: swapped with line ${at.line + 1} (seq ${next.seq})` };
    }
    const missing = chain.seq - expected.seq - 1;
    return { kind: 'removed', ...at, message: `${where}: ${missing} record(s) removed just before this line (seq ${expected.seq + 1}${missing > 1 ? `..${chain.seq - 1}` : ''} missing)` };
  }
  return {
    kind: 'altered',
    ...at,
    line: last?.line ?? at.line,
    recordId: last?.id ?? at.recordId,
    message: `${where}: does not chain from line ${last?.line ?? '?'} (record ${last?.id ?? '?'}): that record was replaced or altered and re-sealed`,
  };
}
