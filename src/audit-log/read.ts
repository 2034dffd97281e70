/** Reading audit log files line by line, in bounded memory, noticing a torn final line. */
import { open } from 'node:fs/promises';
import { InfraAuditError } from '../errors.js';
import type { AuditRecord } from './record.js';

export interface LogLine {
  text: string;
  /** 1-based line number in its file. */
  line: number;
  /** False for a final line with no newline: a write torn by a crash, or one still in progress. */
  complete: boolean;
  /** Byte offset of the line's end (after its newline) in the file. */
  end: number;
}

const CHUNK = 256 * 1024;

export async function* readLines(file: string, fromOffset = 0): AsyncGenerator<LogLine> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    throw new InfraAuditError('FILE_NOT_FOUND', `cannot read audit log ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { hint: 'check the path; rotated files are named <log>.<UTC time>.jsonl' });
  }
  // open() succeeds on a directory; the first read would fail with EISDIR.
  if ((await handle.stat()).isDirectory()) {
    await handle.close();
    throw new InfraAuditError('USAGE', `${file} is a directory, not an audit log file`, {
      hint: `name the log files in it, e.g. ${file.replace(/\/+$/, '')}/audit.jsonl (rotated ones: ${file.replace(/\/+$/, '')}/audit.*.jsonl, oldest first)`,
    });
  }
  try {
    let pending = Buffer.alloc(0);
    let position = fromOffset;
    let line = 0;
    const buffer = Buffer.alloc(CHUNK);
    // Bounded by the file's size.
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      let data = Buffer.concat([pending, buffer.subarray(0, bytesRead)]);
      let start = 0;
      let nl = data.indexOf(0x0a, start);
      while (nl >= 0) {
        line += 1;
        yield { text: data.subarray(start, nl).toString('utf8'), line, complete: true, end: position - (data.length - nl - 1) };
        start = nl + 1;
        nl = data.indexOf(0x0a, start);
      }
      data = data.subarray(start);
      pending = Buffer.from(data);
    }
    if (pending.length > 0) yield { text: pending.toString('utf8'), line: line + 1, complete: false, end: position };
  } finally {
    await handle.close();
  }
}

export function parseRecord(text: string): AuditRecord | undefined {
  try {
    const value = JSON.parse(text) as AuditRecord;
    return value && typeof value === 'object' && value.unmapped?.chain && typeof value.unmapped.chain.hash === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
