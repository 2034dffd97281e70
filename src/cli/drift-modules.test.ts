/**
 * Registry and git modules (issue 12 item 3): read from .terraform/modules when `terraform init`
 * has run, reported as unresolved when it has not, through the CLI against a real sandbox.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../terraform/config/load.js';
import { envOverrides, TEST_CREDENTIALS, useSandbox } from '../test-support/sandbox.js';
import { bufferIO } from './io.js';
import { main } from './main.js';

const account = {
  AccountId: '111122223333',
  Regions: { 'us-east-1': {} },
  S3: { Buckets: [{ Name: 'logs-bucket', CreationDate: '2025-01-01T00:00:00Z', Tags: [{ Key: 'team', Value: 'web' }] }] },
};
const tags = { team: 'data' };
const state = JSON.stringify({
  version: 4, terraform_version: '1.9.8', serial: 3, lineage: 'modules', outputs: {},
  resources: [{ module: 'module.logs', mode: 'managed', type: 'aws_s3_bucket', name: 'this', provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [{ index_key: 0, schema_version: 0, attributes: { id: 'logs-bucket', bucket: 'logs-bucket', arn: 'arn:aws:s3:::logs-bucket', tags, tags_all: tags } }] }],
});
const MODULE = ['variable "bucket" {}', 'variable "team" {}', 'resource "aws_s3_bucket" "this" {', '  count  = 1', '  bucket = var.bucket', '  tags   = { team = var.team }', '}'].join('\n');

const { set: setEnv, saved } = envOverrides();
beforeAll(() => setEnv({ AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey, AWS_PROFILE: undefined, AWS_ENDPOINT_URL: undefined, TF_DATA_DIR: undefined }));
afterAll(() => setEnv(saved));

describe('drift with registry modules', () => {
  const env = useSandbox(account);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'infra-audit-modules-'));
    writeFileSync(join(dir, 'main.tf'), ['module "logs" {', '  source  = "terraform-aws-modules/s3-bucket/aws"', '  version = "4.1.2"', '  bucket  = "logs-bucket"', '  team    = "web"', '}'].join('\n'));
    writeFileSync(join(dir, 'terraform.tfstate'), state);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const install = (entries: Array<{ Key: string; Source: string; Dir: string }>, moduleDir = '.terraform/modules/logs') => {
    mkdirSync(join(dir, moduleDir), { recursive: true });
    mkdirSync(join(dir, '.terraform/modules'), { recursive: true });
    writeFileSync(join(dir, moduleDir, 'main.tf'), MODULE);
    writeFileSync(join(dir, '.terraform/modules/modules.json'), JSON.stringify({ Modules: [{ Key: '', Source: '', Dir: '.' }, ...entries] }));
  };
  const drift = async () => {
    const io = bufferIO({ cwd: dir });
    const code = await main(['drift', '--state', 'terraform.tfstate', '--config', '.', '--endpoint-url', env.endpoint, '--format', 'json'], io);
    return { code, report: JSON.parse(io.out()), err: io.err() };
  };

  it('says which module calls it could not read before terraform init, and why', async () => {
    const { code, report, err } = await drift();
    expect(code).toBe(1);
    expect(report.config.unresolvedModules).toEqual([{ address: 'module.logs', source: 'terraform-aws-modules/s3-bucket/aws', file: 'main.tf', line: 1 }]);
    expect(err).toContain('drift: 1 module call(s) not read, their source not downloaded: module.logs (terraform-aws-modules/s3-bucket/aws); run terraform init');
    // The drift is still found from the state; only the declared value is missing.
    expect(report.entries[0].diffs).toEqual([{ path: 'tags.team', config: null, state: 'data', live: 'web' }]);
  });

  it('reads the module terraform init downloaded: the declared value and its file, no warning', async () => {
    install([{ Key: 'logs', Source: 'registry.terraform.io/terraform-aws-modules/s3-bucket/aws', Dir: '.terraform/modules/logs' }]);
    const { code, report, err } = await drift();
    expect(code).toBe(1);
    expect(report.config.unresolvedModules).toBeUndefined();
    expect(err).not.toContain('not downloaded');
    expect(report.entries[0]).toMatchObject({ terraformAddress: 'module.logs.aws_s3_bucket.this[0]', file: '.terraform/modules/logs/main.tf', line: 3 });
    expect(report.entries[0].diffs).toEqual([{ path: 'tags.team', config: 'web', state: 'data', live: 'web' }]);
  });

  it('reads a directory modules.json names only inside .terraform/modules', async () => {
    install([{ Key: 'logs', Source: 'registry.terraform.io/terraform-aws-modules/s3-bucket/aws', Dir: 'elsewhere/logs' }], 'elsewhere/logs');
    const config = await loadConfig(dir, { env: {} });
    expect(config.moduleCalls.map((c) => [c.address, c.directory])).toEqual([['module.logs', undefined]]);
    expect(config.resources).toEqual([]);
    // TF_DATA_DIR moves the data directory, as it does for terraform itself.
    mkdirSync(join(dir, 'data/modules/logs'), { recursive: true });
    writeFileSync(join(dir, 'data/modules/logs/main.tf'), MODULE);
    writeFileSync(join(dir, 'data/modules/modules.json'), JSON.stringify({ Modules: [{ Key: 'logs', Source: 'x', Dir: 'data/modules/logs' }] }));
    const moved = await loadConfig(dir, { env: { TF_DATA_DIR: 'data' } });
    expect(moved.resources.map((r) => r.address)).toEqual(['module.logs.aws_s3_bucket.this[0]']);
  });
});
