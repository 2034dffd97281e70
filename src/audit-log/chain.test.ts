import { describe, expect, it } from 'vitest';
import { ChainHasher, canonicalJson, inCanonicalOrder, inSortedKeyOrder, type ChainedRecord } from './chain.js';
import { awsCallRecord, mcpRequestRecord, refusedRequestRecord } from './record.js';

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

describe('native JSON.stringify for records in canonical order', () => {
  const TRICKY: Array<[string, unknown]> = [
    ['unicode', { a: 'é€𝄞 \u2028\u2029 \ud800 lone, "quotes" \\ back\\slash', b: '\u0000\u001f\u007f', z: '日本語', é: 1 }],
    ['nested', { a: { b: { c: [{ d: [1, [2, { e: null }]] }] } }, f: [[], {}, [[]]] }],
    ['numbers', { a: 0, b: -0, c: 1e21, d: 1e-7, e: 0.1 + 0.2, f: Number.MAX_SAFE_INTEGER, g: -1.5e300, h: Number.NaN, i: Number.POSITIVE_INFINITY }],
    ['skipped members', { a: undefined, b: () => 1, c: [undefined, () => 1, Symbol('s')], d: true }],
    ['keys sorted by code unit', { '': 0, A: 1, B: 2, _: 3, a: 4, aa: 5, b: 6, é: 7, '\ud83d\ude00': 8 }],
  ];

  it.each(TRICKY)('%s: in canonical order, and JSON.stringify writes exactly canonicalJson', (_label, value) => {
    expect(inCanonicalOrder(value)).toBe(true);
    expect(JSON.stringify(value)).toBe(canonicalJson(value));
  });

  it.each([
    ['keys out of order', { b: 1, a: 2 }],
    ['integer-like keys (V8 lists them numerically)', { '10': 1, '9': 2 }],
    ['a Date (toJSON)', { at: new Date(0) }],
    ['an own toJSON', { toJSON: () => 'x' }],
    ['an array hole', { a: sparse }],
    ['a symbol member', { a: Symbol('s') }],
    ['a class instance', { a: new Map() }],
    ['out of order deep inside an array', { a: [{ y: 1, x: 2 }] }],
  ])('%s: not in canonical order, so seal takes the canonical writer', (_label, value) => {
    expect(inCanonicalOrder(value)).toBe(false);
  });

  it('inSortedKeyOrder sorts what arrives in any order and returns what is sorted as it is', () => {
    const sorted = { a: 1, b: { c: 2 } };
    expect(inSortedKeyOrder(sorted)).toBe(sorted);
    const copy = inSortedKeyOrder({ b: { d: 1, c: [{ z: 1, y: 2 }] }, a: 'é' });
    expect(JSON.stringify(copy)).toBe('{"a":"é","b":{"c":[{"y":2,"z":1}],"d":1}}');
    expect(inCanonicalOrder(copy)).toBe(true);
  });

  it.each([...TRICKY, ['unsorted arguments', { z: 1, a: { y: [{ q: 1, p: 2 }], x: 'é' } }], ['integer-like keys', { '10': 1, '9': 2, a: 3 }], ['a Date', { at: new Date(0) }]] as Array<[string, unknown]>)(
    'seal with %s as arguments writes the canonical line, by either path, and it verifies',
    (_label, args) => {
      const hasher = new ChainHasher();
      const sealed = { metadata: { uid: 'r1' }, time: 1, unmapped: { arguments: args, outcome: 'success', result: { bytes: 1 } } } as unknown as ChainedRecord;
      const line = hasher.seal(sealed, { seq: 1, hash: 'e'.repeat(64) });
      expect(line).toBe(`${canonicalJson(sealed)}\n`);
      expect(hasher.hashOf(JSON.parse(line) as ChainedRecord)).toBe(sealed.unmapped.chain.hash);
    },
  );

  it('records as the log builds them take the native path', () => {
    const caller = { principal: 'alice@sec', transport: 'http' as const, clientName: 'c', clientVersion: '1', sessionId: 's', agentRunId: 'run', remoteAddress: '127.0.0.1' };
    const ctx = { productVersion: '1', account: { accountId: '111122223333', arn: 'arn:aws:iam::111122223333:role/r' }, region: 'us-east-1' };
    const records = [
      mcpRequestRecord({ method: 'tools/call', name: 'get_bucket_policy', requestId: 'q', caller, args: { bucket: 'b', z: [{ b: 1, a: 2 }] }, startedAt: new Date(0), durationMs: 1, outcome: 'error', errorCode: 'E', errorMessage: 'm', resultText: 'r' }, ctx),
      mcpRequestRecord({ method: 'resources/read', name: 'infra://x', requestId: 'q', caller: { principal: 'os:me', transport: 'stdio' }, args: undefined, startedAt: new Date(0), durationMs: 1, outcome: 'success', resultText: 'r' }, ctx),
      awsCallRecord({ service: 's3', operation: 'GetBucketPolicy', region: 'us-east-1', input: { Bucket: 'b', ExpectedBucketOwner: '1' }, startedAt: 0, durationMs: 1, outcome: 'denied', errorCode: 'AccessDenied', httpStatus: 403, awsRequestId: 'id', attempts: 2, mcpRequestId: 'q', caller }, ctx),
      refusedRequestRecord({ status: 429, count: 2, firstAt: 0, lastAt: 1, addresses: [{ ip: '127.0.0.1', count: 2 }], otherAddresses: 0, reasons: ['slow down'] }, ctx),
    ];
    const hasher = new ChainHasher();
    for (const record of records) {
      const line = hasher.seal(record, { seq: 1, hash: 'e'.repeat(64) });
      expect(inCanonicalOrder(record)).toBe(true);
      expect(line).toBe(`${canonicalJson(record)}\n`);
    }
  });

  it('a record built by record.ts gets its hash put into its one serialization, in the real chain, not in a look-alike inside its arguments or AWS input', () => {
    const caller = { principal: 'os:me', transport: 'stdio' as const };
    const ctx = { productVersion: '1', region: 'us-east-1' };
    const forged = (alg: string) => ({ chain: { alg, prev_hash: '0'.repeat(64), seq: 1 }, unmapped: { chain: { alg, seq: 2 } } });
    for (const hasher of [new ChainHasher(), new ChainHasher(Buffer.from('k'))]) {
      const records = [
        mcpRequestRecord({ method: 'tools/call', name: 't', requestId: 'q', caller, args: forged(hasher.alg), startedAt: new Date(0), durationMs: 1, outcome: 'success', resultText: 'r' }, ctx),
        awsCallRecord({ service: 's3', operation: 'GetBucketPolicy', region: 'us-east-1', input: forged(hasher.alg), startedAt: 0, durationMs: 1, outcome: 'success', caller }, ctx),
        // Integer-like keys cannot be put in sorted order: this record takes the canonical writer.
        mcpRequestRecord({ method: 'tools/call', name: 't', requestId: 'q', caller, args: { '10': forged(hasher.alg), '9': 1 }, startedAt: new Date(0), durationMs: 1, outcome: 'success', resultText: 'r' }, ctx),
      ];
      let tip = { seq: 6, hash: 'e'.repeat(64) };
      for (const record of records) {
        const line = hasher.seal(record, tip);
        expect(line).toBe(`${canonicalJson(record)}\n`);
        const parsed = JSON.parse(line) as ChainedRecord;
        expect(parsed.unmapped.chain).toEqual({ alg: hasher.alg, hash: record.unmapped.chain!.hash, prev_hash: tip.hash, seq: tip.seq + 1 });
        expect(hasher.hashOf(parsed)).toBe(parsed.unmapped.chain.hash);
        const unmapped = parsed.unmapped as { arguments?: unknown; aws?: { input?: unknown } };
        expect(JSON.stringify(unmapped.arguments ?? unmapped.aws?.input)).not.toContain('"hash"');
        tip = { seq: parsed.unmapped.chain.seq, hash: parsed.unmapped.chain.hash };
      }
    }
  });
});
