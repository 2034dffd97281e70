import { describe, expect, it } from 'vitest';
import { hexPreview, sniff } from './sniff.js';

const whole = { atStart: true, atEnd: true };

describe('sniff', () => {
  it('returns valid UTF-8 as text', () => {
    expect(sniff(Buffer.from('a,b\n1,2\n'), whole)).toEqual({ kind: 'text', text: 'a,b\n1,2\n', skippedStart: 0, skippedEnd: 0 });
    expect(sniff(Buffer.from('<svg/>'), { ...whole, contentType: 'image/svg+xml' })).toMatchObject({ kind: 'text' });
  });

  it('calls binary what the content type, a NUL, invalid UTF-8 or control characters say is binary', () => {
    expect(sniff(Buffer.from('GIF89a'), { ...whole, contentType: 'image/gif' })).toEqual({ kind: 'binary', reason: 'content type image/gif' });
    expect(sniff(Buffer.from('ab\0cd'), whole)).toEqual({ kind: 'binary', reason: 'contains NUL bytes' });
    expect(sniff(Buffer.from([0x61, 0xc3, 0x28]), whole)).toEqual({ kind: 'binary', reason: 'not valid UTF-8' });
    expect(sniff(Buffer.from([1, 2, 3, 4, 0x61, 0x62, 0x63]), whole)).toEqual({ kind: 'binary', reason: 'mostly control characters' });
  });

  it('trims a character cut by the range at either end, but not in a whole object', () => {
    const euro = Buffer.from('€'); // e2 82 ac
    const cut = Buffer.concat([euro.subarray(1), Buffer.from('ok'), euro.subarray(0, 2)]);
    expect(sniff(cut, { atStart: false, atEnd: false })).toEqual({ kind: 'text', text: 'ok', skippedStart: 2, skippedEnd: 2 });
    expect(sniff(cut, whole)).toEqual({ kind: 'binary', reason: 'not valid UTF-8' });
  });

  it('previews the first bytes in hex', () => {
    expect(hexPreview(Buffer.from([0x89, 0x50, 0x4e, 0x47]))).toBe('89 50 4e 47');
    expect(hexPreview(Buffer.alloc(100, 0xab), 3)).toBe('ab ab ab');
  });
});
