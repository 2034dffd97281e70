/**
 * The MCP server as a user's desktop client runs it: `infra-audit serve` as a child process
 * over stdio (the built CLI), against the sandbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { useSandbox, fetchStats, opCount, childProcessEnv } from '../test-support/sandbox.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

describe('MCP server over stdio (child process)', () => {
  const env = useSandbox('s3-account.json');
  let client: Client;
  let stderr = '';

  beforeAll(async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, 'serve', '--endpoint-url', env.endpoint, '--region', 'us-east-1', '--audit-log', join(mkdtempSync(join(tmpdir(), 'infra-audit-stdio-')), 'audit.jsonl')],
      env: childProcessEnv(),
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (d) => (stderr += String(d)));
    client = new Client({ name: 'stdio-test', version: '1.0.0' });
    await client.connect(transport);
  });
  afterAll(async () => {
    await client?.close();
  });

  it('announces its identity on stderr and lists only read-only tools', async () => {
    expect(stderr).toContain('AWS account 111122223333');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['whoami', 'list_s3_buckets', 'get_bucket_policy']));
    for (const tool of tools) {
      expect(tool.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
      expect(tool.outputSchema).toBeDefined();
    }
  });

  it("answers the article's two tools", async () => {
    const list = await client.callTool({ name: 'list_s3_buckets', arguments: {} });
    const names = (list.structuredContent as { buckets: Array<{ name: string }> }).buckets.map((b) => b.name);
    expect(names).toEqual(expect.arrayContaining(['alpha-logs', 'bravo-public-site', 'echo-vpce-only']));
    const withPolicy = await client.callTool({ name: 'get_bucket_policy', arguments: { bucket: 'bravo-public-site' } });
    const policy = (withPolicy.structuredContent as { policy: { Statement: unknown[] } | null }).policy;
    expect(policy?.Statement.length).toBeGreaterThan(0);
    const text = (withPolicy.content as Array<{ text: string }>)[0]!.text;
    expect(text).toMatch(/<untrusted-data>[\s\S]*Statement[\s\S]*<\/untrusted-data>/);
    const without = await client.callTool({ name: 'get_bucket_policy', arguments: { bucket: 'alpha-logs' } });
    expect(without.structuredContent).toEqual({ bucket: 'alpha-logs', policy: null });
  });

  it('pages with cursors bound to their query', async () => {
    const first = await client.callTool({ name: 'list_s3_buckets', arguments: { limit: 2 } });
    const page1 = first.structuredContent as { buckets: Array<{ name: string }>; nextCursor?: string; total: number };
    expect(page1.buckets).toHaveLength(2);
    expect(page1.nextCursor).toBeTruthy();
    const second = await client.callTool({ name: 'list_s3_buckets', arguments: { limit: 2, cursor: page1.nextCursor } });
    const page2 = second.structuredContent as { buckets: Array<{ name: string }> };
    expect(page2.buckets[0]!.name).not.toBe(page1.buckets[0]!.name);
    const foreign = await client.callTool({ name: 'list_s3_buckets', arguments: { limit: 3, cursor: page1.nextCursor } });
    expect(foreign.isError).toBe(true);
    expect((foreign.content as Array<{ text: string }>)[0]!.text).toContain('cursor belongs to a different query');
  });

  it('answers bad input with an error the model can act on, and keeps serving', async () => {
    const badName = await client.callTool({ name: 'get_bucket_policy', arguments: { bucket: 'Not A Bucket!' } });
    expect(badName.isError).toBe(true);
    expect(JSON.stringify(badName.content)).toContain('bucket');
    const missing = await client.callTool({ name: 'get_bucket_policy', arguments: { bucket: 'no-such-bucket-here' } });
    expect(missing.isError).toBe(true);
    expect((missing.content as Array<{ text: string }>)[0]!.text).toMatch(/NOT_FOUND.*list_s3_buckets/s);
    const unknownTool = await client.callTool({ name: 'terraform_apply', arguments: {} }).catch((e: Error) => ({ isError: true, content: [{ text: e.message }] }));
    expect(unknownTool.isError).toBe(true);
    const stillThere = await client.callTool({ name: 'whoami', arguments: {} });
    expect(stillThere.isError).toBeFalsy();
  });

  it('made only read calls against the account', async () => {
    const stats = await fetchStats(env.endpoint);
    expect(stats.faults.refusedWrites).toBe(0);
    expect(opCount(stats, 's3', 'ListBuckets')).toBeGreaterThan(0);
  });
});
