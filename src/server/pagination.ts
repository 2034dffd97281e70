/**
 * Opaque cursors: an offset bound to the query that produced it, so a cursor from another
 * query is refused instead of silently paging the wrong list.
 */
import { createHash } from 'node:crypto';
import { InfraAuditError } from '../errors.js';

export function queryKey(tool: string, args: Record<string, unknown>): string {
  const { cursor: _cursor, ...rest } = args;
  void _cursor;
  const canonical = JSON.stringify(rest, Object.keys(rest).sort());
  return createHash('sha256').update(`${tool}\n${canonical}`).digest('base64url').slice(0, 16);
}

export function encodeCursor(key: string, offset: number): string {
  return Buffer.from(JSON.stringify({ k: key, o: offset })).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, key: string): number {
  if (!cursor) return 0;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const p = parsed as { k?: unknown; o?: unknown } | undefined;
  if (!p || typeof p.o !== 'number' || !Number.isInteger(p.o) || p.o < 0) {
    throw new InfraAuditError('INVALID_INPUT', 'cursor is not a cursor this server issued', { hint: 'omit cursor to start from the first page, or pass nextCursor from the previous result unchanged' });
  }
  if (p.k !== key) {
    throw new InfraAuditError('INVALID_INPUT', 'cursor belongs to a different query (other tool or other filters)', { hint: 'repeat the same arguments as the call that returned this cursor, or omit cursor to start over' });
  }
  return p.o;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
  total: number;
}

/** Slice `all` by cursor and page size, and by a byte budget so one page fits a model's context. */
export function paginate<T>(all: readonly T[], key: string, cursor: string | undefined, limit: number, maxBytes = 48_000): Page<T> {
  const start = decodeCursor(cursor, key);
  const items: T[] = [];
  let bytes = 0;
  let i = start;
  for (; i < all.length && items.length < limit; i++) {
    const size = JSON.stringify(all[i]).length;
    if (items.length > 0 && bytes + size > maxBytes) break;
    bytes += size;
    items.push(all[i]!);
  }
  return { items, total: all.length, ...(i < all.length ? { nextCursor: encodeCursor(key, i) } : {}) };
}
