import { describe, expect, it } from 'vitest';
import { ChainHasher, canonicalJson, type ChainedRecord } from './chain.js';

/** The canonical form as first written (entries, filter, sort, map, join): the new writer must agree with it byte for byte. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : reference(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && typeof v !== 'function')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
}

const sparse = [1, , 3];
const SAMPLES: unknown[] = [
  null,
  'a "quoted" \u2028 line\nbreak \ud800 lone surrogate',
  12.5,
  Number.NaN,
  true,
  [],
  {},
  { b: 1, a: [undefined, null, { d: 'x', c: () => 1 }], e: undefined },
  { Z: 1, a: 2, _: 3, '10': 4, '9': 5, é: 6, 'B-b': 7, '': 8 },
  { nested: { deeper: { deepest: [{ k: 'v', j: [1, 2, [3, { y: 0, x: -0 }]] }] } } },
  { date: new Date(0), sparse },
  [1, 'two', { three: 3 }, [4]],
];

describe('canonicalJson', () => {
  it.each(SAMPLES.map((s, i) => [i, s]))('sample %i writes what the first version wrote', (_i, sample) => {
    expect(canonicalJson(sample)).toBe(reference(sample));
  });

  it('sorts keys at every depth', () => {
    expect(canonicalJson({ b: { d: 1, c: 2 }, a: 0 })).toBe('{"a":0,"b":{"c":2,"d":1}}');
  });
});

function record(extra: Record<string, unknown> = {}): ChainedRecord {
  return { metadata: { uid: 'r1' }, time: 1, message: 'm', unmapped: { outcome: 'success', arguments: { chain: { alg: 'forged', hash: 'x' } }, result: { bytes: 1 }, ...extra } } as unknown as ChainedRecord;
}

describe('ChainHasher.seal serializes once', () => {
  for (const [label, key, prevFile] of [
    ['sha256', undefined, undefined],
    ['sha256, first record of a rotated file', undefined, 'audit.20250101T000000000Z.jsonl'],
    ['hmac-sha256', Buffer.from('k'), undefined],
  ] as const) {
    it(`${label}: the line is the record's canonical JSON and its hash verifies`, () => {
      const hasher = new ChainHasher(key);
      const sealed = record();
      const line = hasher.seal(sealed, { seq: 41, hash: 'f'.repeat(64) }, prevFile);
      expect(line.endsWith('\n')).toBe(true);
      expect(line).toBe(`${canonicalJson(sealed)}\n`);
      const parsed = JSON.parse(line) as ChainedRecord;
      expect(parsed.unmapped.chain).toMatchObject({ seq: 42, prev_hash: 'f'.repeat(64), alg: hasher.alg, ...(prevFile ? { prev_file: prevFile } : {}) });
      expect(hasher.hashOf(parsed)).toBe(parsed.unmapped.chain.hash);
      // The hash covers the record: any other content gives another hash.
      expect(hasher.hashOf({ ...parsed, message: 'n' })).not.toBe(parsed.unmapped.chain.hash);
    });
  }
});
