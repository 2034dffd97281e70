import { describe, expect, it } from 'vitest';
import { truthAnd, truthNot, truthOr } from './truth.js';

describe('three-valued logic', () => {
  it('AND: false dominates unknown, unknown dominates true', () => {
    expect(truthAnd([true, 'unknown', false])).toBe(false);
    expect(truthAnd([true, 'unknown'])).toBe('unknown');
    expect(truthAnd([true, true])).toBe(true);
    expect(truthAnd([])).toBe(true);
  });
  it('OR: true dominates unknown, unknown dominates false', () => {
    expect(truthOr([false, 'unknown', true])).toBe(true);
    expect(truthOr([false, 'unknown'])).toBe('unknown');
    expect(truthOr([false])).toBe(false);
    expect(truthOr([])).toBe(false);
  });
  it('NOT keeps unknown unknown', () => {
    expect(truthNot('unknown')).toBe('unknown');
    expect(truthNot(true)).toBe(false);
    expect(truthNot(false)).toBe(true);
  });
});
