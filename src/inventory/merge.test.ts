import { describe, expect, it } from 'vitest';
import { mergeCollected } from './merge.js';

/** Collections of one unit, as loosely typed as the cache holds them. */
const merge = (older: unknown, newer: unknown): unknown => mergeCollected(older, newer);

const skipped = { error: { code: 'NotCollected', message: 'x was not read' } };
const denied = { error: { code: 'AccessDenied', message: 'no' } };

describe('mergeCollected', () => {
  it('fills what one side skipped from the other, matching resources by ARN', () => {
    const older = { roles: { value: [{ arn: 'a', lastUsed: { value: 1 }, attached: skipped }, { arn: 'gone', lastUsed: { value: 2 }, attached: skipped }] }, users: skipped };
    const newer = { roles: { value: [{ arn: 'a', lastUsed: skipped, attached: { value: ['p'] } }, { arn: 'new', lastUsed: skipped, attached: { value: [] } }] }, users: { value: [] } };
    expect(merge(older, newer)).toEqual({
      roles: { value: [{ arn: 'a', lastUsed: { value: 1 }, attached: { value: ['p'] } }, { arn: 'new', lastUsed: skipped, attached: { value: [] } }] },
      users: { value: [] },
    });
  });

  it('takes a failed read whole, never half value and half error, and the newer outcome of a read both made', () => {
    expect(merge({ policy: { value: 'p' } }, { policy: denied })).toEqual({ policy: denied });
    expect(merge({ policy: denied }, { policy: { value: 'q' } })).toEqual({ policy: { value: 'q' } });
    expect(merge({ list: { value: [{ id: 1 }] } }, { list: { value: [{ id: 2 }] } })).toEqual({ list: { value: [{ id: 2 }] } });
    const date = new Date(0);
    expect((merge({ at: new Date(1) }, { at: date }) as { at: Date }).at).toBe(date);
  });
});
