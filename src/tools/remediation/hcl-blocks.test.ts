import { describe, expect, it } from 'vitest';
import { HclText, type HclBlock } from './hcl-blocks.js';
import { unifiedDiff } from './unified-diff.js';

const blocks = (hcl: HclText) => hcl.items().filter((i): i is HclBlock => i.kind === 'block');

describe('HclText', () => {
  it('is not fooled by braces inside strings, templates, heredocs and comments', () => {
    const hcl = new HclText(
      [
        'resource "aws_s3_bucket" "a" {',
        '  bucket = "x-${jsonencode({ k = "}" })}" # }',
        '  /* } { */',
        '  policy = <<EOT',
        '{ "Statement": [ } ',
        'EOT',
        '  // }',
        '}',
        '',
        'resource "aws_s3_bucket" "b" {',
        '  bucket = "b"',
        '}',
        '',
      ].join('\n'),
    );
    const [a, b] = blocks(hcl);
    expect(a).toMatchObject({ type: 'resource', labels: ['aws_s3_bucket', 'a'], line: 1, endLine: 8 });
    expect(b).toMatchObject({ labels: ['aws_s3_bucket', 'b'], line: 10, endLine: 12 });
    expect(hcl.valueOf(hcl.attribute(a!, 'bucket')!)).toBe('"x-${jsonencode({ k = "}" })}"');
    expect(hcl.valueOf(hcl.attribute(a!, 'policy')!)).toBe('<<EOT\n{ "Statement": [ } \nEOT');
  });

  it('reads multi-line values and nested blocks as one item each', () => {
    const hcl = new HclText('resource "t" "n" {\n  tags = {\n    a = "1"\n  }\n  rule {\n    id = "x"\n  }\n  count = 2\n}\n');
    const [block] = blocks(hcl);
    const children = hcl.children(block!);
    expect(children.map((c) => (c.kind === 'attribute' ? `attr:${c.name}` : `block:${c.type}`))).toEqual(['attr:tags', 'block:rule', 'attr:count']);
    // The near miss: an attribute of a nested block is not an attribute of the resource.
    expect(hcl.attribute(block!, 'id')).toBeUndefined();
  });
});

describe('unifiedDiff', () => {
  it('marks a last line without a newline, and is empty for equal texts', () => {
    expect(unifiedDiff('a.tf', 'x\ny', 'x\ny')).toBe('');
    expect(unifiedDiff('a.tf', 'x\ny', 'x\nz\n')).toBe('--- a/a.tf\n+++ b/a.tf\n@@ -1,2 +1,2 @@\n x\n-y\n\\ No newline at end of file\n+z\n');
  });

  it('keeps far-apart changes in separate hunks with correct line numbers', () => {
    const before = Array.from({ length: 20 }, (_, i) => `l${i + 1}`).join('\n') + '\n';
    const after = before.replace('l2\n', 'L2\n').replace('l18\n', 'l18\nnew\n');
    const diff = unifiedDiff('f', before, after);
    // l16-l20 around the insertion after l18: three lines of context before, two (all there are) after.
    expect(diff).toContain('@@ -16,5 +16,6 @@\n l16\n l17\n l18\n+new\n l19\n l20\n');
    expect(diff.match(/^@@ .* @@$/gm)).toEqual(['@@ -1,5 +1,5 @@', '@@ -16,5 +16,6 @@']);
  });
});
