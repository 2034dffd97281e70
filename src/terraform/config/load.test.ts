import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixturePath } from '../../test-support/sandbox.js';
import { InfraAuditError } from '../../errors.js';
import { Redactor } from '../../redact/redactor.js';
import { SENSITIVE_MARKER } from '../../redact/marker.js';
import { loadConfig } from './load.js';
import { Unknown } from './expression/value.js';
import type { TerraformConfig } from './types.js';

const ROOT = fixturePath('tf-config-basic');

describe('loadConfig: a root module with tfvars, locals, a local module and unknowns', () => {
  let config: TerraformConfig;
  let redactor: Redactor;
  beforeAll(async () => {
    redactor = new Redactor();
    config = await loadConfig(ROOT, { env: {}, redactor });
  });
  const attributes = (address: string) => config.byAddress.get(address)!.attributes;

  it('expands count, for_each (string keys escaped) and nested module calls into state addresses', () => {
    expect(config.resources.map((r) => r.address)).toEqual([
      'aws_s3_bucket.logs',
      'aws_s3_bucket_policy.logs',
      'aws_iam_policy.readonly',
      'aws_instance.web[0]',
      'aws_instance.web[1]',
      'data.aws_ami.al2023',
      'aws_iam_role.per_device[*]',
      'aws_ssm_parameter.db',
      'aws_security_group.web',
      'aws_sns_topic.alerts',
      'module.buckets["curated"].aws_s3_bucket.this',
      'module.buckets["curated"].aws_s3_bucket_versioning.this[0]',
      'module.buckets["curated"].module.notifications[0].aws_sns_topic.this',
      'module.buckets["raw"].aws_s3_bucket.this',
      'module.buckets["raw"].aws_s3_bucket_versioning.this[0]',
      'module.buckets["raw"].module.notifications[0].aws_sns_topic.this',
      'module.buckets["say \\"hi\\""].aws_s3_bucket.this',
      'module.buckets["say \\"hi\\""].aws_s3_bucket_versioning.this[0]',
      'module.buckets["say \\"hi\\""].module.notifications[0].aws_sns_topic.this',
    ]);
    expect(config.byAddress.get('module.buckets["raw"].aws_s3_bucket_versioning.this[0]')).toMatchObject({
      configAddress: 'module.buckets.aws_s3_bucket_versioning.this',
      moduleAddress: 'module.buckets["raw"]',
      indexKey: 0,
    });
  });

  it('knows each resource\'s file and line', () => {
    const where = (address: string) => { const r = config.byAddress.get(address)!; return `${r.file}:${r.line}`; };
    expect(where('aws_s3_bucket.logs')).toBe('main.tf:20');
    expect(where('aws_instance.web[1]')).toBe('main.tf:48');
    expect(where('data.aws_ami.al2023')).toBe('main.tf:57');
    expect(where('module.buckets["raw"].aws_s3_bucket.this')).toBe(path.join('modules', 'bucket', 'main.tf') + ':15');
    expect(where('module.buckets["raw"].module.notifications[0].aws_sns_topic.this')).toBe(path.join('modules', 'notifications', 'main.tf') + ':5');
  });

  it('resolves variables: defaults, terraform.tfvars, *.auto.tfvars, with declared-type conversion', () => {
    expect(config.variables).toMatchObject({ project: 'acme', environment: 'prod', region: 'us-east-1', web_count: 2, extra_tags: { CostCenter: 'cc-42' } });
  });

  it('evaluates locals, templates, merge, lookup, format and module inputs', () => {
    expect(attributes('aws_s3_bucket.logs')).toEqual({ bucket: 'acme-prod-logs', tags: { CostCenter: 'cc-42', Project: 'acme', Environment: 'prod' } });
    expect(attributes('aws_instance.web[1]')).toMatchObject({ instance_type: 'm5.large', tags: { Name: 'acme-prod-web-02' } });
    expect(attributes('module.buckets["say \\"hi\\""].aws_s3_bucket.this')).toEqual({
      bucket: 'acme-prod-say "hi"',
      tags: { CostCenter: 'cc-42', Project: 'acme', Environment: 'prod', Name: 'acme-prod-say "hi"' },
    });
    expect(attributes('module.buckets["raw"].module.notifications[0].aws_sns_topic.this')).toEqual({ name: 'acme-prod-raw-events' });
  });

  it('evaluates jsonencode as Terraform does, and file() relative to the module', () => {
    expect(attributes('aws_iam_policy.readonly')).toEqual({
      name: 'acme-prod-readonly',
      policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*"}]}\n',
      tags: { Document: '{"Owner":"acme","Version":"2012-10-17"}' },
    });
  });

  it('expands dynamic blocks and keeps static nested blocks as lists', () => {
    expect(attributes('aws_security_group.web').ingress).toEqual([
      { from_port: 443, to_port: 443, protocol: 'tcp', cidr_blocks: ['10.0.0.0/8'] },
      { from_port: 80, to_port: 80, protocol: 'tcp', cidr_blocks: ['10.0.0.0/8'] },
    ]);
    expect(attributes('module.buckets["raw"].aws_s3_bucket_versioning.this[0]').versioning_configuration).toEqual([{ status: 'Enabled' }]);
  });

  it('reports what needs a plan as Unknown with the expression text, never a guess', () => {
    expect(attributes('aws_instance.web[0]').ami).toEqual(new Unknown('data.aws_ami.al2023.id', 'data sources are read during plan'));
    expect(attributes('aws_s3_bucket_policy.logs').bucket).toEqual(new Unknown('aws_s3_bucket.logs.id', 'resource attributes are known only after apply'));
    const policy = attributes('aws_s3_bucket_policy.logs').policy as Unknown;
    expect(policy).toBeInstanceOf(Unknown);
    expect(policy.expression).toMatch(/^jsonencode\(\{[\s\S]*\$\{aws_s3_bucket\.logs\.arn\}\/\*[\s\S]*\}\)$/);
    expect(attributes('aws_sns_topic.alerts').policy).toEqual(new Unknown('module.buckets["raw"].arn', 'resource attributes are known only after apply'));
  });

  it('keeps a resource whose count is unknown as one [*] entry, saying why', () => {
    const role = config.byAddress.get('aws_iam_role.per_device[*]')!;
    expect(role.expansionUnknown).toEqual(new Unknown('length(data.aws_ami.al2023.block_device_mappings)', 'data sources are read during plan'));
    expect(role.attributes.name).toBeInstanceOf(Unknown);
    expect((role.attributes.name as Unknown).expression).toBe('"device-${count.index}"');
  });

  it('redacts a sensitive variable\'s value wherever it lands, and learns it', () => {
    expect(attributes('aws_ssm_parameter.db').value).toBe(SENSITIVE_MARKER);
    expect(config.variables.db_password).toBe(SENSITIVE_MARKER);
    expect(JSON.stringify(config)).not.toContain('CanaryConfigPw');
    expect(redactor.redactText('login with CanaryConfigPw-1234 failed')).toBe(`login with ${SENSITIVE_MARKER} failed`);
  });

  it('lists module calls with their sources and directories', () => {
    expect(config.moduleCalls.map((m) => [m.address, m.directory, `${m.file}:${m.line}`])).toEqual([
      ['module.buckets["curated"]', path.join('modules', 'bucket'), 'main.tf:62'],
      ['module.buckets["curated"].module.notifications[0]', path.join('modules', 'notifications'), path.join('modules', 'bucket', 'main.tf') + ':29'],
      ['module.buckets["raw"]', path.join('modules', 'bucket'), 'main.tf:62'],
      ['module.buckets["raw"].module.notifications[0]', path.join('modules', 'notifications'), path.join('modules', 'bucket', 'main.tf') + ':29'],
      ['module.buckets["say \\"hi\\""]', path.join('modules', 'bucket'), 'main.tf:62'],
      ['module.buckets["say \\"hi\\""].module.notifications[0]', path.join('modules', 'notifications'), path.join('modules', 'bucket', 'main.tf') + ':29'],
    ]);
  });
});

describe('loadConfig: variable precedence, options and failures', () => {
  it('lets explicit values beat files, and files beat TF_VAR_ and defaults', async () => {
    const fromEnv = await loadConfig(ROOT, { env: { TF_VAR_region: 'eu-west-1', TF_VAR_project: 'ignored-by-tfvars' } });
    expect(fromEnv.variables).toMatchObject({ region: 'eu-west-1', project: 'acme' });
    const explicit = await loadConfig(ROOT, { env: {}, variables: { environment: 'dev', web_count: 0 } });
    expect(explicit.byAddress.get('aws_s3_bucket.logs')!.attributes.bucket).toBe('acme-dev-logs');
    expect(explicit.resources.some((r) => r.type === 'aws_instance')).toBe(false);
  });

  const scratch = (files: Record<string, string>) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tf-config-'));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    return dir;
  };

  it('reports a syntax error as CONFIG_INVALID naming the file and line', async () => {
    const dir = scratch({ 'ok.tf': 'resource "aws_s3_bucket" "a" {}\n', 'broken.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = \n}\n' });
    const err = await loadConfig(dir, { env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InfraAuditError);
    expect((err as InfraAuditError).code).toBe('CONFIG_INVALID');
    expect((err as InfraAuditError).message).toMatch(/^broken\.tf: line 2, column \d+: Invalid expression/);
  });

  it('reports a directory with no configuration, and a duplicate declaration', async () => {
    const empty = await loadConfig(scratch({ 'README.md': '# nothing' }), { env: {} }).catch((e: unknown) => e);
    expect((empty as InfraAuditError).message).toMatch(/no Terraform configuration/);
    const twice = await loadConfig(scratch({ 'a.tf': 'resource "aws_s3_bucket" "x" {}\n', 'b.tf': 'resource "aws_s3_bucket" "x" {}\n' }), { env: {} }).catch((e: unknown) => e);
    expect((twice as InfraAuditError).message).toBe('b.tf: resource "aws_s3_bucket" "x" is declared twice (first in a.tf line 1)');
  });

  it('refuses to guess keys: for_each over a plain list, and a missing variable, are Unknown with the reason', async () => {
    const dir = scratch({
      'main.tf': [
        'variable "names" {',
        '  default = ["a", "b"]',
        '}',
        'variable "required" {}',
        'resource "aws_s3_bucket" "from_list" {',
        '  for_each = var.names',
        '}',
        'resource "aws_s3_bucket" "from_set" {',
        '  for_each = toset(var.names)',
        '  bucket   = each.value',
        '}',
        'resource "aws_s3_bucket" "counted" {',
        '  count = "2"',
        '}',
        'resource aws_s3_bucket needs_input {',
        '  bucket = var.required',
        '}',
        'module "remote" {',
        '  source = "terraform-aws-modules/s3-bucket/aws"',
        '}',
      ].join('\n'),
    });
    const config = await loadConfig(dir, { env: {} });
    expect(config.byAddress.get('aws_s3_bucket.from_list[*]')!.expansionUnknown!.reason).toMatch(/for_each needs a map or a set of strings, not a list/);
    expect(config.byAddress.get('aws_s3_bucket.from_set["b"]')!.attributes.bucket).toBe('b');
    const needsInput = config.byAddress.get('aws_s3_bucket.needs_input')!;
    expect(needsInput.line).toBe(15);
    expect(config.byAddress.has('aws_s3_bucket.counted[1]')).toBe(true);
    expect(needsInput.attributes.bucket).toEqual(new Unknown('var.required', 'no value for variable "required": it has no default and none is given'));
    expect(config.notes).toEqual(['module.remote: module source terraform-aws-modules/s3-bucket/aws is not downloaded (run terraform init, so .terraform/modules holds it); its resources are not in the configuration view']);
  });
});
