import { describe, expect, it } from 'vitest';
import { generateState } from './generate.js';
import { parseState } from './parse.js';
import { Redactor } from '../../redact/redactor.js';
import { SENSITIVE_MARKER } from '../../redact/marker.js';

describe('generateState', () => {
  const text = generateState({ resources: 1200, seed: 7 });
  const redactor = new Redactor();
  const state = parseState(text, { kind: 'file', location: 'generated' }, { redactor });

  it('produces a valid state with one instance per resource and every address shape', () => {
    expect(state.resources).toHaveLength(1200);
    expect(state.byAddress.size).toBe(1200);
    expect(state.byAddress.has('module.buckets["bucket-0"].aws_s3_bucket.this')).toBe(true);
    expect(state.byAddress.has('aws_instance.web_1[0]')).toBe(true);
    expect(state.byAddress.has('data.aws_iam_policy_document.doc_5')).toBe(true);
    expect(state.byAddress.has('module.net[4].aws_security_group.app')).toBe(true);
  });

  it('is deterministic for a seed and about 2 KB per resource', () => {
    expect(generateState({ resources: 1200, seed: 7 })).toBe(text);
    expect(text.length / 1200).toBeGreaterThan(1500);
    expect(text.length / 1200).toBeLessThan(2500);
  });

  it('holds secrets of the kinds the redactor handles, and none survive loading', () => {
    expect(text).toMatch(/"password": "[A-Za-z0-9]{24}"/);
    expect(text).toMatch(/postgres:\/\/app:[A-Za-z0-9]{20}@/);
    const db = state.byAddress.get('aws_db_instance.db_3')!;
    expect(db.attributes.password).toBe(SENSITIVE_MARKER);
    expect(state.byAddress.get('aws_instance.web_1[0]')!.attributes.user_data).toMatch(/postgres:\/\/app:<redacted:password>@db-1\.internal/);
    expect(state.outputs.db_password!.value).toBe(SENSITIVE_MARKER);
    expect(redactor.learnedCount).toBe(201);
  });
});

describe('loading cost', () => {
  it('stays within a small multiple of JSON.parse (a guard against quadratic work, not the benchmark)', () => {
    const big = generateState({ resources: 5000, seed: 3 });
    // Interleaved, best of seven each after two warm-ups: a burst of load from other processes
    // hits both sides alike instead of one, so the ratio holds on a busy machine.
    const parse = () => JSON.parse(big);
    const load = () => parseState(big, { kind: 'file', location: 'big' }, { redactor: new Redactor() });
    const time = (run: () => unknown) => {
      const started = performance.now();
      run();
      return performance.now() - started;
    };
    for (let i = 0; i < 2; i++) (parse(), load());
    let parseOnly = Number.POSITIVE_INFINITY;
    let loaded = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 7; i++) {
      parseOnly = Math.min(parseOnly, time(parse));
      loaded = Math.min(loaded, time(load));
    }
    // Warm, this is ~1.4x here; 6x leaves room for a loaded machine and still fails on work
    // that grows faster than the state does.
    expect(loaded / parseOnly).toBeLessThan(6);
  });
});
