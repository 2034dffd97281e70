/**
 * `infra-audit drift` end to end in-process: argv in, exit code and output out, against a real
 * sandbox. Exit codes follow driftctl: 0 in sync, 1 drift, 2 the comparison failed.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSandbox, TEST_CREDENTIALS, envOverrides } from '../test-support/sandbox.js';
import { bufferIO } from './io.js';
import { main } from './main.js';

const DEMO = fileURLToPath(new URL('../../examples/demo/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'infra-audit-drift-cli-'));

const account = {
  AccountId: '111122223333',
  Regions: { 'us-east-1': {} },
  S3: { Buckets: [{ Name: 'only-bucket', CreationDate: '2025-01-01T00:00:00Z', Tags: [{ Key: 'team', Value: 'web' }] }] },
};
const state = (tags: Record<string, string>) =>
  JSON.stringify({
    version: 4, terraform_version: '1.9.8', serial: 1, lineage: 'cli', outputs: {},
    resources: [{ mode: 'managed', type: 'aws_s3_bucket', name: 'only', provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [{ schema_version: 0, attributes: { id: 'only-bucket', bucket: 'only-bucket', arn: 'arn:aws:s3:::only-bucket', tags: tags, tags_all: tags } }] }],
  });

/** The CLI finds credentials through the SDK's default chain, as it would on a laptop or in CI. */
const { set: setEnv, saved } = envOverrides();
beforeAll(() => setEnv({ AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey, AWS_PROFILE: undefined, AWS_ENDPOINT_URL: undefined }));
afterAll(() => setEnv(saved));

async function run(args: string[]) {
  const io = bufferIO({ cwd: dir });
  const code = await main(['drift', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('infra-audit drift exit codes', () => {
  const env = useSandbox(account);
  const inSync = join(dir, 'in-sync.tfstate');
  const drifted = join(dir, 'drifted.tfstate');
  beforeAll(() => {
    writeFileSync(inSync, state({ team: 'web' }));
    writeFileSync(drifted, state({ team: 'data' }));
  });

  it('exits 0 when the account matches the state', async () => {
    const result = await run(['--state', inSync, '--endpoint-url', env.endpoint]);
    expect(result.code).toBe(0);
    expect(result.out).toContain('No drift');
    expect(result.err).toMatch(/^drift: No drift/);
  });

  it('exits 1 on drift, with the attribute diff in JSON', async () => {
    const result = await run(['--state', drifted, '--endpoint-url', env.endpoint, '--format', 'json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.out);
    expect(report.entries).toEqual([
      expect.objectContaining({ kind: 'changed', resourceType: 'aws_s3_bucket', resourceId: 'arn:aws:s3:::only-bucket', terraformAddress: 'aws_s3_bucket.only', diffs: [{ path: 'tags.team', state: 'data', live: 'web' }] }),
    ]);
  });

  it('honours a .driftignore in the working directory, and --driftignore', async () => {
    writeFileSync(join(dir, 'ignore-tags'), 'aws_s3_bucket.only-bucket.tags\n');
    expect((await run(['--state', drifted, '--endpoint-url', env.endpoint, '--driftignore', 'ignore-tags'])).code).toBe(0);
    writeFileSync(join(dir, '.driftignore'), '# team tags change by hand\naws_s3_bucket.*.tags.team\n');
    const ignored = await run(['--state', drifted, '--endpoint-url', env.endpoint]);
    writeFileSync(join(dir, '.driftignore'), '');
    expect(ignored.code).toBe(0);
    expect(ignored.out).toContain('1 ignored by .driftignore');
  });

  it('writes each format to --output', async () => {
    for (const format of ['table', 'json', 'markdown', 'sarif', 'html']) {
      const output = join(dir, `report.${format}`);
      const result = await run(['--state', drifted, '--endpoint-url', env.endpoint, '--format', format, '--output', output]);
      expect(result.code, format).toBe(1);
      expect(result.out, format).toBe('');
      expect(readFileSync(output, 'utf8'), format).toContain('only-bucket');
    }
    const sarif = JSON.parse(readFileSync(join(dir, 'report.sarif'), 'utf8'));
    expect(sarif.runs[0].results).toEqual([expect.objectContaining({ ruleId: 'terraform-drift/changed', level: 'warning' })]);
  });

  it('exits 2 with a one-line error and a hint for bad input', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--endpoint-url', env.endpoint], /--state is required\n {2}hint: /],
      [['--state', join(dir, 'nope.tfstate'), '--endpoint-url', env.endpoint], /state file not found/],
      [['--state', drifted, '--format', 'yaml'], /unknown drift report format "yaml"\n {2}hint: use one of: table, json, markdown, sarif, html/],
      [['--state', drifted, '--endpoint-url', 'http://127.0.0.1:9'], /hint: /],
    ];
    writeFileSync(join(dir, 'broken.tfstate'), '{"version": 4, "resources": [');
    cases.push([['--state', join(dir, 'broken.tfstate'), '--endpoint-url', env.endpoint], /not valid JSON: it ends before the JSON is complete/]);
    for (const [args, message] of cases) {
      const result = await run(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err, args.join(' ')).toMatch(message);
      expect(result.err, args.join(' ')).not.toMatch(/\n\s+at /);
      expect(result.out, args.join(' ')).toBe('');
    }
  });
});

describe('infra-audit drift with a state of another account', () => {
  const env = useSandbox(account);
  const foreign = join(dir, 'foreign.tfstate');
  writeFileSync(
    foreign,
    JSON.stringify({
      version: 4, terraform_version: '1.9.8', serial: 1, lineage: 'foreign', outputs: {},
      resources: [{ mode: 'managed', type: 'aws_iam_role', name: 'app', provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [{ schema_version: 0, attributes: { id: 'app', name: 'app', arn: 'arn:aws:iam::999988887777:role/app', assume_role_policy: '{}', path: '/' } }] }],
    }),
  );

  it('refuses with exit 2 and names both accounts, before reading the account', async () => {
    const result = await run(['--state', foreign, '--endpoint-url', env.endpoint]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/the state's resources belong to account 999988887777, but the AWS credentials are for account 111122223333\n {2}hint: .*--allow-account-mismatch/);
    expect(result.out).toBe('');
  });

  it('compares anyway with --allow-account-mismatch', async () => {
    const result = await run(['--state', foreign, '--endpoint-url', env.endpoint, '--allow-account-mismatch', '--format', 'json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.out).summary).toMatchObject({ missing: 1 });
  });
});

describe('infra-audit drift on the demo', () => {
  const env = useSandbox(JSON.parse(readFileSync(`${DEMO}account.json`, 'utf8')));
  // Counts follow the planted drift and the state, so a plant or a state resource added later does not break them.
  const planted = JSON.parse(readFileSync(`${DEMO}expected-drift.json`, 'utf8')) as Array<{ kind: string }>;
  const count = (kind: string) => planted.filter((d) => d.kind === kind).length;
  const demoState = JSON.parse(readFileSync(`${DEMO}terraform/terraform.tfstate`, 'utf8')) as { resources: Array<{ mode: string; instances: unknown[] }> };
  const managedInstances = demoState.resources.filter((r) => r.mode === 'managed').reduce((n, r) => n + r.instances.length, 0);

  it('reports the planted drift with the declaring file, relative to the configuration directory', async () => {
    const io = bufferIO({ cwd: DEMO });
    const code = await main(['drift', '--state', 'terraform/terraform.tfstate', '--config', 'terraform', '--endpoint-url', env.endpoint, '--format', 'json'], io);
    expect(code).toBe(1);
    const report = JSON.parse(io.out());
    expect(report.summary).toMatchObject({ changed: count('changed'), missing: count('missing'), unmanaged: count('unmanaged'), unapplied: count('unapplied'), stateInstances: managedInstances, comparedPercent: 100 });
    // Most of the demo is managed; every planted unmanaged resource takes a little off.
    expect(report.summary.managedPercent).toBeGreaterThan(50);
    expect(report.summary.managedPercent).toBeLessThan(100);
    expect(io.err()).toMatch(new RegExp(`100% of ${managedInstances} state instance\\(s\\) of supported types; coverage \\d+(\\.\\d)?% managed`));
    const unapplied = report.entries.find((e: { kind: string }) => e.kind === 'unapplied');
    expect(unapplied).toMatchObject({ terraformAddress: 'aws_s3_bucket.audit_archive', file: 's3.tf' });
  });

  it('--only-managed and --only-unmanaged narrow the report as driftctl does', async () => {
    const base = ['drift', '--state', 'terraform/terraform.tfstate', '--endpoint-url', env.endpoint, '--format', 'json'];
    const managed = bufferIO({ cwd: DEMO });
    expect(await main([...base, '--only-managed'], managed)).toBe(1);
    expect(new Set(JSON.parse(managed.out()).entries.map((e: { kind: string }) => e.kind))).toEqual(new Set(['changed', 'missing']));
    const unmanaged = bufferIO({ cwd: DEMO });
    expect(await main([...base, '--only-unmanaged'], unmanaged)).toBe(1);
    expect(JSON.parse(unmanaged.out()).entries.map((e: { kind: string }) => e.kind)).toEqual(Array(count('unmanaged')).fill('unmanaged'));
    const both = bufferIO({ cwd: DEMO });
    expect(await main([...base, '--only-managed', '--only-unmanaged'], both)).toBe(2);
    expect(both.err()).toMatch(/exclude each other/);
  });
});
