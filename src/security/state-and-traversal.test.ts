/**
 * Issue 13 items 1-2 and issue 14 items 1-2, through the interfaces an attacker with a token
 * touches: `infra-audit serve` as a stdio child and the Streamable HTTP server, with the real
 * MCP client, against the sandbox. The data tools are off unless enabled; a key with dot
 * segments never reaches another bucket or another prefix; the bucket named by `backend "s3"`
 * stays protected when the state is a local file; the generated IAM policy says the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { useSandbox, childProcessEnv, fetchStats, opCount, rejection } from '../test-support/sandbox.js';
import { startMcpHarness, type McpHarness } from '../test-support/mcp.js';
import { DataPlane } from '../dataplane/data-plane.js';
import { DataPlaneScope } from '../dataplane/scope.js';
import { parseDataPlaneConfig } from '../dataplane/config.js';
import { main } from '../cli/main.js';
import { bufferIO } from '../cli/io.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const CANARY = 'CANARY-STATE-7f3a9c';
const DATA_TOOLS = ['read_file', 'list_files', 'query_db', 'list_tables', 'describe_table'];

const account = {
  AccountId: '111122223333',
  Regions: { 'us-east-1': {} },
  S3: {
    Buckets: [
      { Name: 'acme-reports', CreationDate: '2024-01-01T00:00:00Z', Objects: [{ Key: 'readme.txt', Body: 'Reports for ACME.\n' }] },
      {
        Name: 'acme-exports',
        CreationDate: '2024-01-01T00:00:00Z',
        Objects: [
          { Key: 'public/a.txt', Body: 'public a' },
          { Key: 'README.txt', Body: 'outside the public prefix' },
        ],
      },
      { Name: 'acme-tfstate', CreationDate: '2024-01-01T00:00:00Z', Objects: [{ Key: 'prod/terraform.tfstate', Body: `{"password": "${CANARY}"}` }] },
    ],
  },
};

/** A root module whose state lives in S3 (backend "s3") and a local snapshot of that state, as the README's example runs it. */
function terraformDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'infra-audit-sec-tf-'));
  writeFileSync(join(dir, 'main.tf'), 'terraform {\n  backend "s3" {\n    bucket = "acme-tfstate"\n    key    = "prod/terraform.tfstate"\n    region = "us-east-1"\n  }\n}\n');
  const bucket = (name: string, resource: string) => ({
    mode: 'managed',
    type: 'aws_s3_bucket',
    name: resource,
    provider: 'provider["registry.terraform.io/hashicorp/aws"]',
    instances: [{ schema_version: 0, attributes: { id: name, bucket: name, arn: `arn:aws:s3:::${name}` } }],
  });
  const state = { version: 4, terraform_version: '1.6.0', serial: 1, lineage: 'sec-test', outputs: {}, resources: [bucket('acme-tfstate', 'state'), bucket('acme-reports', 'reports')] };
  writeFileSync(join(dir, 'terraform.tfstate'), JSON.stringify(state));
  return dir;
}

async function startStdio(endpoint: string, args: string[]): Promise<{ client: Client; stderr: () => string }> {
  let stderr = '';
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'serve', '--endpoint-url', endpoint, '--region', 'us-east-1', '--audit-log', join(mkdtempSync(join(tmpdir(), 'infra-audit-sec-')), 'audit.jsonl'), ...args],
    env: childProcessEnv(),
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (d) => (stderr += String(d)));
  const client = new Client({ name: 'sec-test', version: '1' });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

const textOf = (r: Record<string, unknown>) => ((r.content ?? []) as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n');

describe('data tools are off by default (13.1), and the state bucket of a local state stays protected (14.2)', () => {
  const env = useSandbox(account);
  const dir = terraformDir();
  const clients: Client[] = [];
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
  });

  it('serve --state --config alone registers no data tool and says so at startup and in whoami', async () => {
    const { client, stderr } = await startStdio(env.endpoint, ['--state', join(dir, 'terraform.tfstate'), '--config', dir]);
    clients.push(client);
    const names = (await client.listTools()).tools.map((t) => t.name);
    for (const tool of DATA_TOOLS) expect(names).not.toContain(tool);
    expect(names).toContain('whoami');
    expect(stderr()).toContain('data tools off: no object contents or rows are reachable');
    expect(stderr()).toContain('protected (never read): acme-tfstate');
    const who = await client.callTool({ name: 'whoami', arguments: {} });
    expect(who.structuredContent).toMatchObject({ dataAccess: { enabled: false, buckets: [], databases: [], protectedBuckets: ['acme-tfstate'] } });
    expect((who.structuredContent as { requiredActions: string[] }).requiredActions).not.toContain('s3:GetObject');
    const refused = await client.callTool({ name: 'read_file', arguments: { bucket: 'acme-tfstate', key: 'prod/terraform.tfstate' } });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).not.toContain(CANARY);
  });

  it('--data-from-state allows the managed buckets but never the backend bucket, and dot segments reach nothing', async () => {
    const before = opCount(await fetchStats(env.endpoint), 's3', 'GetObject');
    const { client, stderr } = await startStdio(env.endpoint, ['--state', join(dir, 'terraform.tfstate'), '--config', dir, '--data-from-state']);
    clients.push(client);
    expect(stderr()).toContain('data tools on: buckets acme-reports; databases (none); protected (never read): acme-tfstate');
    const sources = (await client.callTool({ name: 'list_data_sources', arguments: {} })).structuredContent as { buckets: Array<{ bucket: string }>; skipped: Array<{ address: string; reason: string }> };
    expect(sources.buckets.map((b) => b.bucket)).toEqual(['acme-reports']);
    expect(sources.skipped).toContainEqual({ address: 'aws_s3_bucket.state', reason: expect.stringContaining('holds Terraform state') });
    const who = (await client.callTool({ name: 'whoami', arguments: {} })).structuredContent as { dataAccess: unknown };
    expect(who.dataAccess).toEqual({ enabled: true, buckets: ['acme-reports'], databases: [], protectedBuckets: ['acme-tfstate'] });

    const ok = await client.callTool({ name: 'read_file', arguments: { bucket: 'acme-reports', key: 'readme.txt' } });
    expect(textOf(ok)).toContain('Reports for ACME.');
    const attempts = [
      { bucket: 'acme-tfstate', key: 'prod/terraform.tfstate' },
      { bucket: 'acme-reports', key: '../acme-tfstate/prod/terraform.tfstate' },
      { bucket: 'acme-reports', key: 'x/../../acme-tfstate/prod/terraform.tfstate' },
      { bucket: 'acme-reports', key: '%2e%2e/acme-tfstate/prod/terraform.tfstate' },
      { bucket: 'acme-reports', key: '%252e%252e/acme-tfstate/prod/terraform.tfstate' },
      { bucket: 'acme-reports', key: '..\\acme-tfstate\\prod\\terraform.tfstate' },
      { bucket: 'acme-reports', key: '\uFF0E\uFF0E/acme-tfstate/prod/terraform.tfstate' },
      { bucket: 'acme-reports', key: '/acme-tfstate/prod/terraform.tfstate' },
      { bucket: 'acme-reports', key: 'a//b' },
    ];
    for (const args of attempts) {
      const res = await client.callTool({ name: 'read_file', arguments: args });
      expect(res.isError, JSON.stringify(args)).toBe(true);
      expect(textOf(res)).not.toContain(CANARY);
    }
    const listing = await client.callTool({ name: 'list_files', arguments: { bucket: 'acme-reports', prefix: '../acme-tfstate/' } });
    expect(listing.isError).toBe(true);
    expect(textOf(listing)).toMatch(/prefix is refused: it contains a "\." or "\.\." path segment/);
    // Nothing past the one legitimate read was asked of S3.
    expect(opCount(await fetchStats(env.endpoint), 's3', 'GetObject') - before).toBe(1);
  });
});

describe('read_file path traversal, each layer on its own (14.1)', () => {
  const env = useSandbox(account);
  let mcp: McpHarness;
  beforeAll(async () => {
    const config = parseDataPlaneConfig({ buckets: ['acme-reports', 'acme-exports/public/'] }, 'test');
    mcp = await startMcpHarness(env.endpoint, { session: { protectedBuckets: ['acme-tfstate'], dataPlane: new DataPlane(DataPlaneScope.fromConfig(config)) } });
  });
  afterAll(() => mcp?.close());

  it('over HTTP, a prefix allowlist is not escaped with dot segments', async () => {
    expect((await mcp.call('read_file', { bucket: 'acme-exports', key: 'public/a.txt' })).text).toContain('public a');
    for (const key of ['public/../README.txt', 'public/%2e%2e/README.txt', 'public/./a.txt']) {
      const res = await mcp.call('read_file', { bucket: 'acme-exports', key });
      expect(res.isError, key).toBe(true);
      expect(res.text).toContain('INVALID_INPUT');
      expect(res.text).not.toContain('outside the public prefix');
    }
  });

  it('the SDK guard refuses dot-segment keys and prefixes by itself, before a request is sent', async () => {
    const s3 = mcp.session.client('s3');
    const before = (await fetchStats(env.endpoint)).requests;
    const get = await rejection(s3.send(new GetObjectCommand({ Bucket: 'acme-reports', Key: '../acme-tfstate/prod/terraform.tfstate' })));
    expect(get.message).toContain('Key is refused');
    const list = await rejection(s3.send(new ListObjectsV2Command({ Bucket: 'acme-reports', Prefix: 'a/../../acme-tfstate/' })));
    expect(list.message).toContain('Prefix is refused');
    expect((await fetchStats(env.endpoint)).requests).toBe(before);
  });

  it('the sandbox treats a key literally, as S3 does: no other bucket is served', async () => {
    const raw = new S3Client(env.config('s3'));
    const err = await rejection(raw.send(new GetObjectCommand({ Bucket: 'acme-reports', Key: '../acme-tfstate/prod/terraform.tfstate' })));
    expect(err.name).toBe('NoSuchKey');
    raw.destroy();
  });
});

describe('the generated IAM policy scopes data reads and denies the state bucket (13.2)', () => {
  const dir = terraformDir();

  async function policy(args: string[]): Promise<{ Statement: Array<{ Sid: string; Effect: string; Action: string[]; Resource?: string | string[]; NotResource?: string[] }> }> {
    const io = bufferIO();
    expect(await main(['iam-policy', '--format', 'json', ...args], io), io.err()).toBe(0);
    return JSON.parse(io.out());
  }

  it('without the data tools, grants no object read or listing anywhere', async () => {
    const p = await policy([]);
    const actions = p.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => s.Action);
    expect(actions).not.toContain('s3:GetObject');
    expect(actions).not.toContain('s3:ListBucket');
  });

  it('with --data-config and --config, grants reads only on the allowlist and denies the backend bucket', async () => {
    const config = join(dir, 'data-plane.json');
    writeFileSync(config, JSON.stringify({ buckets: ['acme-reports', 'acme-exports/public/', 'acme-tfstate'] }));
    const p = await policy(['--data-config', config, '--config', dir]);
    expect(p.Statement.filter((s) => s.Resource === '*').flatMap((s) => s.Action)).not.toEqual(expect.arrayContaining(['s3:GetObject']));
    expect(p.Statement.find((s) => s.Sid === 'InfraAuditDataReadObjects')).toEqual({
      Sid: 'InfraAuditDataReadObjects',
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: ['arn:aws:s3:::acme-exports/public/*', 'arn:aws:s3:::acme-reports/*'],
    });
    expect(p.Statement.find((s) => s.Sid === 'InfraAuditDataListBuckets')?.Resource).toEqual(['arn:aws:s3:::acme-exports', 'arn:aws:s3:::acme-reports']);
    const deny = p.Statement.find((s) => s.Sid === 'InfraAuditDenyStateBuckets')!;
    expect(deny.Effect).toBe('Deny');
    expect(deny.Action).toEqual(expect.arrayContaining(['s3:GetObject', 's3:ListBucket']));
    expect(deny.Resource).toEqual(['arn:aws:s3:::acme-tfstate', 'arn:aws:s3:::acme-tfstate/*']);
  });

  it('with an s3:// state, allows exactly the state object and denies every other object read of that bucket', async () => {
    const p = await policy(['--state', 's3://acme-tfstate/prod/terraform.tfstate', '--protect-bucket', 'acme-audit-logs']);
    expect(p.Statement.find((s) => s.Sid === 'InfraAuditReadTerraformState')?.Resource).toEqual(['arn:aws:s3:::acme-tfstate/prod/terraform.tfstate']);
    expect(p.Statement.find((s) => s.Sid === 'InfraAuditDenyObjectsButStateAndData')?.NotResource).toEqual(['arn:aws:s3:::acme-tfstate/prod/terraform.tfstate']);
    expect(p.Statement.find((s) => s.Sid === 'InfraAuditDenyStateBucketListing')?.Resource).toEqual(['arn:aws:s3:::acme-tfstate']);
    expect(p.Statement.find((s) => s.Sid === 'InfraAuditDenyStateBuckets')?.Resource).toEqual(['arn:aws:s3:::acme-audit-logs', 'arn:aws:s3:::acme-audit-logs/*']);
  });
});
