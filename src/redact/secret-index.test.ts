import { describe, expect, it } from 'vitest';
import { SecretIndex } from './secret-index.js';

describe('SecretIndex', () => {
  it('replaces every occurrence, at the start, middle and end, including adjacent ones', () => {
    const index = new SecretIndex(6);
    index.add('hunter22');
    expect(index.replaceAll('hunter22 and hunter22hunter22', '#')).toBe('# and ##');
  });

  it('prefers the longest secret when one starts with another', () => {
    const index = new SecretIndex(6);
    index.add('abcdef');
    index.add('abcdefghij');
    expect(index.replaceAll('x abcdefghij y abcdefXX', '#')).toBe('x # y #XX');
  });

  it('finds secrets that share no prefix, among thousands, and returns the same string when none occur', () => {
    const index = new SecretIndex(6);
    const secrets = Array.from({ length: 5000 }, (_, i) => `s3cr3t-${i.toString(36)}-${(i * 7919).toString(16)}`);
    for (const s of secrets) index.add(s);
    expect(index.size).toBe(5000);
    const text = `start ${secrets[4999]} mid ${secrets[17]} end`;
    expect(index.replaceAll(text, '#')).toBe('start # mid # end');
    const clean = 'arn:aws:iam::111122223333:role/app';
    expect(index.replaceAll(clean, '#')).toBe(clean);
  });

  it('refuses secrets shorter than its window and reports duplicates', () => {
    const index = new SecretIndex(6);
    expect(index.add('short')).toBe(false);
    expect(index.add('longenough')).toBe(true);
    expect(index.add('longenough')).toBe(false);
    expect(index.size).toBe(1);
  });

  it('scans a megabyte against thousands of secrets quickly', () => {
    const index = new SecretIndex(6);
    for (let i = 0; i < 5000; i++) index.add(`Zq${i.toString(36).padStart(6, '0')}Xy`);
    const text = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(30_000);
    const started = performance.now();
    expect(index.replaceAll(text, '#')).toBe(text);
    // A regex alternation of 5,000 literals takes over a second here; the index a few ms.
    expect(performance.now() - started).toBeLessThan(500);
  });
});
