import { describe, expect, it } from 'vitest';
import { replaceBlock, staleBlocks } from './generate.js';

describe('generated documentation', () => {
  it('is current (run `npm run docs` after changing tools, checks or sandbox operations)', () => {
    expect(staleBlocks(false)).toEqual([]);
  });

  it('replaces only between its markers', () => {
    const text = 'a\n<!-- generated:x -->\nold\n<!-- /generated:x -->\nb';
    expect(replaceBlock(text, 'x', 'new')).toBe('a\n<!-- generated:x -->\nnew\n<!-- /generated:x -->\nb');
    expect(replaceBlock(text, 'y', 'new')).toBeUndefined();
  });
});
