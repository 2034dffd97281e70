import { describe, expect, it } from 'vitest';
import { toJsonSafe } from './values.js';

describe('toJsonSafe', () => {
  it('keeps what JSON can carry and states what it cannot', () => {
    expect(toJsonSafe(42n)).toBe(42);
    expect(toJsonSafe(2n ** 63n)).toBe('9223372036854775808');
    expect(toJsonSafe(Number.NaN)).toBe('NaN');
    expect(toJsonSafe(Number.POSITIVE_INFINITY)).toBe('Infinity');
    expect(toJsonSafe(new Date('2024-03-01T12:00:00Z'))).toBe('2024-03-01T12:00:00.000Z');
    expect(toJsonSafe(new Date('nope'))).toBe('Invalid Date');
    expect(toJsonSafe(undefined)).toBeNull();
    expect(toJsonSafe({ a: [1n, Buffer.from([0xde, 0xad])] })).toEqual({ a: [1, '\\xdead'] });
  });

  it('cuts long binary values and says how long they were', () => {
    const out = toJsonSafe(Buffer.alloc(1000, 0xab)) as string;
    expect(out).toBe(`\\x${'ab'.repeat(256)}…(1000 bytes)`);
  });

  it('uses a value’s own PostgreSQL text form when it has one (intervals, ranges)', () => {
    expect(toJsonSafe({ toPostgres: () => '1 day 02:00:00', days: 1 })).toBe('1 day 02:00:00');
  });
});
