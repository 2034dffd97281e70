/**
 * The Terraform tools through a real MCP client, against a server whose session has the demo's
 * state and configuration and whose AWS is the sandbox serving the demo account.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createMcpServer } from '../../server/create-server.js';
import { ServerSession } from '../../server/session.js';
import { useSandbox, TEST_CREDENTIALS, fetchStats } from '../../test-support/sandbox.js';

const DEMO = fileURLToPath(new URL('../../../examples/demo/', import.meta.url));

async function connect(session: ServerSession): Promise<Client> {
  const server = createMcpServer(session, { defaultCaller: { principal: 'test', transport: 'in-process' }, toolsets: ['terraform'] });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'terraform-tools-test', version: '1.0.0' });
  await client.connect(clientSide);
  return client;
}

type Result = Awaited<ReturnType<Client['callTool']>>;
const structured = <T>(r: Result) => r.structuredContent as T;
const text = (r: Result) => (r.content as Array<{ text: string }>).map((c) => c.text).join('\n');

describe('Terraform MCP tools', () => {
  const env = useSandbox(JSON.parse(readFileSync(`${DEMO}account.json`, 'utf8')));
  let session: ServerSession;
  let client: Client;
  beforeAll(async () => {
    session = new ServerSession({
      aws: { endpointUrl: env.endpoint, credentials: TEST_CREDENTIALS, region: 'us-east-1' },
      statePaths: [`${DEMO}terraform/terraform.tfstate`],
      configDir: `${DEMO}terraform`,
    });
    client = await connect(session);
  });
  afterAll(async () => {
    await client?.close();
    session?.close();
  });

  it('lists state resources filtered by type, module and prefix, with declaring file and line, paginated', async () => {
    const buckets = structured<{ resources: Array<{ address: string; file?: string; line?: number }>; total: number }>(
      await client.callTool({ name: 'list_state_resources', arguments: { type: 'aws_s3_bucket' } }),
    );
    expect(buckets.total).toBe(9);
    const declaredAt = readFileSync(`${DEMO}terraform/s3.tf`, 'utf8').split('\n').indexOf('resource "aws_s3_bucket" "access_logs" {') + 1;
    expect(declaredAt).toBeGreaterThan(0);
    expect(buckets.resources.find((r) => r.address === 'aws_s3_bucket.access_logs')).toMatchObject({ file: 's3.tf', line: declaredAt });
    const inModule = structured<{ resources: Array<{ address: string }> }>(
      await client.callTool({ name: 'list_state_resources', arguments: { module: 'module.private_bucket', type: 'aws_s3_bucket' } }),
    );
    expect(inModule.resources.map((r) => r.address)).toEqual([
      'module.private_bucket["app-uploads"].aws_s3_bucket.this',
      'module.private_bucket["db-backups"].aws_s3_bucket.this',
      'module.private_bucket["terraform-state"].aws_s3_bucket.this',
    ]);
    const first = structured<{ resources: Array<{ address: string }>; nextCursor?: string }>(
      await client.callTool({ name: 'list_state_resources', arguments: { addressPrefix: 'aws_iam_role.', limit: 2 } }),
    );
    expect(first.resources).toHaveLength(2);
    const second = structured<{ resources: Array<{ address: string }> }>(
      await client.callTool({ name: 'list_state_resources', arguments: { addressPrefix: 'aws_iam_role.', limit: 2, cursor: first.nextCursor } }),
    );
    expect(second.resources[0]!.address).not.toBe(first.resources[0]!.address);
    expect([...first.resources, ...second.resources].every((r) => r.address.startsWith('aws_iam_role.'))).toBe(true);
  });

  it('returns one resource with its secrets as markers and names the redacted paths', async () => {
    const result = await client.callTool({ name: 'get_state_resource', arguments: { address: 'aws_iam_access_key.ci_legacy' } });
    const resource = structured<{ attributes: Record<string, unknown>; redactedAttributes: string[] }>(result);
    expect(resource.attributes.secret).toBe('<redacted:sensitive>');
    expect(resource.redactedAttributes).toEqual(expect.arrayContaining(['secret', 'ses_smtp_password_v4']));
    expect(JSON.stringify(result)).not.toContain('CANARY-');
    const missing = await client.callTool({ name: 'get_state_resource', arguments: { address: 'aws_s3_bucket.nope' } });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toMatch(/NOT_FOUND/);
  });

  it('reports the demo drift, filtered by kind and type, and reuses the report', async () => {
    const all = structured<{ summary: { changed: number; missing: number; unmanaged: number; unapplied: number }; total: number }>(
      await client.callTool({ name: 'get_drift', arguments: {} }),
    );
    const planted = JSON.parse(readFileSync(`${DEMO}expected-drift.json`, 'utf8')) as Array<{ kind: string }>;
    const count = (kind: string) => planted.filter((d) => d.kind === kind).length;
    expect(all.summary).toMatchObject({ changed: count('changed'), missing: count('missing'), unmanaged: count('unmanaged'), unapplied: count('unapplied') });
    expect(all.total).toBe(planted.length);
    const before = (await fetchStats(env.endpoint)).requests;
    const changed = await client.callTool({ name: 'get_drift', arguments: { kind: ['changed'], type: 'aws_db_instance' } });
    const entries = structured<{ entries: Array<{ terraformAddress: string; diffs: Array<{ path: string; config: unknown; state: unknown; live: unknown }> }> }>(changed).entries;
    expect(entries).toEqual([
      expect.objectContaining({ terraformAddress: 'aws_db_instance.app_prod', diffs: [{ path: 'backup_retention_period', config: 14, state: 14, live: 7 }] }),
    ]);
    expect((await fetchStats(env.endpoint)).requests).toBe(before);
    expect(text(changed)).toContain('backup_retention_period');
  });

  it('lists unmanaged resources with import blocks', async () => {
    const result = await client.callTool({ name: 'list_unmanaged_resources', arguments: { type: 'aws_iam_role' } });
    const { resources } = structured<{ resources: Array<{ name: string; importBlocks: string }> }>(result);
    expect(resources.map((r) => r.name)).toEqual(['datadog-integration']);
    expect(resources[0]!.importBlocks).toContain('to = aws_iam_role.datadog_integration\n  id = "datadog-integration"');
    expect(resources[0]!.importBlocks).toContain('to = aws_iam_role_policy.datadog_integration_datadog_metrics');
  });

  it('says how to configure a server that has no state', async () => {
    const bare = new ServerSession({ aws: { endpointUrl: env.endpoint, credentials: TEST_CREDENTIALS, region: 'us-east-1' } });
    const bareClient = await connect(bare);
    const result = await bareClient.callTool({ name: 'list_state_resources', arguments: {} });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/started without a Terraform state[\s\S]*--state/);
    await bareClient.close();
    bare.close();
  });
});
