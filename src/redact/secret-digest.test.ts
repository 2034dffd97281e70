import { describe, expect, it } from 'vitest';
import { SENSITIVE_MARKER } from './marker.js';
import { concealMap, differingNames, digestsOf } from './secret-digest.js';

describe('secrets compared by keyed digest', () => {
  it('conceals every value and tells equal from different without holding either', () => {
    const a = concealMap({ DB_PASSWORD: 'hunter2', MODE: 'prod', ONLY_A: 'x' });
    const b = concealMap({ DB_PASSWORD: 'hunter2', MODE: 'staging', ONLY_B: 'y' });
    expect(a).toEqual({ DB_PASSWORD: SENSITIVE_MARKER, MODE: SENSITIVE_MARKER, ONLY_A: SENSITIVE_MARKER });
    expect(JSON.stringify(a)).not.toContain('hunter2');
    expect(differingNames(a, b)).toEqual(['MODE', 'ONLY_A', 'ONLY_B']);
  });

  it('leaves the digests behind in any copy, which then compares by names only', () => {
    const a = concealMap({ K: 'one' });
    const copy = JSON.parse(JSON.stringify(a)) as unknown;
    expect(digestsOf(copy)).toBeUndefined();
    expect(digestsOf({ ...a })).toBeUndefined();
    expect(differingNames(copy, concealMap({ K: 'two' }))).toEqual([]);
    expect(differingNames(copy, concealMap({ L: 'two' }))).toEqual(['K', 'L']);
  });

  it('gives a value that was already concealed no digest, so it never differs from the real value', () => {
    // A state read from a source that had concealed the value (a redacted copy) holds the marker itself.
    const fromRedactedState = concealMap({ TOKEN: SENSITIVE_MARKER, MODE: 'prod' });
    const live = concealMap({ TOKEN: 's3cr3t', MODE: 'dev' });
    expect(digestsOf(fromRedactedState)).toEqual({ MODE: expect.any(String) });
    expect(differingNames(fromRedactedState, live)).toEqual(['MODE']);
    expect(differingNames(live, fromRedactedState)).toEqual(['MODE']);
  });
});
