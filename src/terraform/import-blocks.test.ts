import { describe, expect, it } from 'vitest';
import { hclString, HclExpression, importBlock, NameAllocator, terraformName } from './import-blocks.js';

describe('import blocks', () => {
  it('writes an import block and a stub with the import id and a sanitised name', () => {
    const block = importBlock({ type: 'aws_s3_bucket', importId: 'acme-ds-scratch', stub: { bucket: 'acme-ds-scratch' } }, terraformName('acme-ds-scratch'));
    expect(block).toBe(['import {', '  to = aws_s3_bucket.acme_ds_scratch', '  id = "acme-ds-scratch"', '}', '', 'resource "aws_s3_bucket" "acme_ds_scratch" {', '  bucket = "acme-ds-scratch"', '}'].join('\n'));
  });

  it('names resources as Terraform accepts them, distinct within one output', () => {
    expect(terraformName('My.Bucket--2024')).toBe('my_bucket_2024');
    expect(terraformName('123-data')).toBe('r_123_data');
    expect(terraformName('...')).toBe('imported');
    const names = new NameAllocator();
    expect([names.allocate('aws_iam_role', 'a-b'), names.allocate('aws_iam_role', 'a.b'), names.allocate('aws_s3_bucket', 'a-b')]).toEqual(['a_b', 'a_b_2', 'a_b']);
  });

  it('escapes live values so they cannot inject HCL or templates', () => {
    expect(hclString('x"}\nresource "evil" {')).toBe('"x\\"}\\nresource \\"evil\\" {"');
    expect(hclString('${file("/etc/passwd")} %{if true}')).toBe('"$${file(\\"/etc/passwd\\")} %%{if true}"');
  });

  it('writes policies with jsonencode over an HCL object, and references as expressions', () => {
    const block = importBlock(
      { type: 'aws_iam_role_policy', importId: 'r:p', stub: { name: 'p', role: new HclExpression('aws_iam_role.r.name'), policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}' } },
      'r_p',
    );
    expect(block).toContain('  id = "r:p"');
    expect(block).toContain('  role   = aws_iam_role.r.name');
    expect(block).toContain('  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [\n      {\n        Effect = "Allow"');
  });

  it('notes the region of a regional resource on one safe line', () => {
    const block = importBlock({ type: 'aws_security_group', importId: 'sg-1', region: 'eu-west-1\nresource', stub: { name: 'x' } }, 'x');
    expect(block.split('\n')[0]).toBe('# Region eu-west-1resource: import with an aws provider configured for it.');
  });
});

describe('import blocks are valid HCL', () => {
  it('parses with HashiCorp\'s parser, live values staying literal strings', async () => {
    const { parseHcl } = await import('./config/hcl.js');
    const names = new NameAllocator();
    const text = [
      importBlock({ type: 'aws_iam_role', importId: 'odd"role', stub: { name: 'odd"role', assume_role_policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalTag/x":"${aws:username}"}}}]}' } }, names.allocate('aws_iam_role', 'odd"role')),
      importBlock({ type: 'aws_iam_role_policy_attachment', importId: 'odd"role/arn:aws:iam::aws:policy/ReadOnlyAccess', stub: { role: new HclExpression('aws_iam_role.odd_role.name'), policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } }, 'odd_role_readonly'),
    ].join('\n\n');
    const parsed = (await parseHcl('imports.tf', text)) as { import: Array<{ to: string; id: string }>; resource: Record<string, Record<string, Array<Record<string, unknown>>>> };
    expect(parsed.import.map((i) => [i.to, i.id])).toEqual([
      ['${aws_iam_role.odd_role}', 'odd"role'],
      ['${aws_iam_role_policy_attachment.odd_role_readonly}', 'odd"role/arn:aws:iam::aws:policy/ReadOnlyAccess'],
    ]);
    const role = parsed.resource.aws_iam_role!.odd_role![0]!;
    expect(role.name).toBe('odd"role');
    // The policy's ${aws:username} stays an IAM variable, escaped from Terraform's templates.
    expect(String(role.assume_role_policy)).toContain('$${aws:username}');
    expect(parsed.resource.aws_iam_role_policy_attachment!.odd_role_readonly![0]!.role).toBe('${aws_iam_role.odd_role.name}');
  });
});
