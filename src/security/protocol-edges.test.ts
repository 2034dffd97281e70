/**
 * Issue 14 item 9, through the real transports: every tool refuses an unknown argument field and
 * names it; a cursor the server never issued is -32602; over stdio (`infra-audit serve` as a
 * child, the SDK's own stdio client transport) a tools/call whose params is an array, or whose
 * name/arguments have the wrong type, gets a -32602 reply with a readable message; and
 * find_public_buckets and the s3_bucket_public_read check say the same thing about a bucket that
 * is public through its ACL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema, McpError, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { useSandbox, childProcessEnv } from '../test-support/sandbox.js';
import { startMcpHarness, type McpHarness } from '../test-support/mcp.js';
import { DataPlane } from '../dataplane/data-plane.js';
import { DataPlaneScope } from '../dataplane/scope.js';
import { parseDataPlaneConfig } from '../dataplane/config.js';
import { ALL_TOOLS } from '../tools/index.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';

const account = {
  AccountId: '111122223333',
  Regions: { 'us-east-1': {} },
  S3: {
    Buckets: [
      { Name: 'acme-reports', CreationDate: '2024-01-01T00:00:00Z', Objects: [{ Key: 'readme.txt', Body: 'Reports for ACME.\n' }] },
      {
        Name: 'acme-listable',
        CreationDate: '2024-01-01T00:00:00Z',
        Acl: { Grants: [{ Grantee: { Type: 'Group', URI: ALL_USERS }, Permission: 'READ' }] },
        PublicAccessBlock: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] },
      },
    ],
  },
};

/** A code and message from a rejected request, or a failure when it resolved. */
async function rejection(promise: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(McpError);
    return { code: (err as McpError).code, message: (err as McpError).message };
  }
  throw new Error('the request was accepted');
}

describe('every tool refuses unknown argument fields and names them; tools/list refuses a made-up cursor (14.9)', () => {
  const env = useSandbox(account);
  let mcp: McpHarness;
  beforeAll(async () => {
    const config = parseDataPlaneConfig({ buckets: ['acme-reports'] }, 'test');
    mcp = await startMcpHarness(env.endpoint, { session: { dataPlane: new DataPlane(DataPlaneScope.fromConfig(config)) } });
  });
  afterAll(() => mcp?.close());

  it('each of the registered tools, called with an extra field, is refused naming the field', async () => {
    const { tools } = await mcp.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(ALL_TOOLS.map((t) => t.name).sort());
    const accepted: string[] = [];
    for (const tool of tools) {
      expect(tool.inputSchema.additionalProperties, tool.name).toBe(false);
      const res = await mcp.call(tool.name, { limitt: 5 });
      if (!res.isError || !res.text.includes('"limitt"')) accepted.push(`${tool.name}: ${res.text.slice(0, 160)}`);
    }
    expect(accepted).toEqual([]);
  });

  it('a cursor the server never issued is -32602 on tools/list (and the other unpaged lists)', async () => {
    const tools = await rejection(mcp.client.listTools({ cursor: 'made-up' }));
    expect(tools.code).toBe(-32602);
    expect(tools.message).toMatch(/cursor/);
    expect((await rejection(mcp.client.listPrompts({ cursor: 'eyJvIjoxMH0' }))).code).toBe(-32602);
    // Without a cursor, one page with everything.
    const page = await mcp.client.listTools();
    expect(page.nextCursor).toBeUndefined();
  });
});

describe('malformed tools/call over stdio gets -32602 with a readable message (14.9)', () => {
  const env = useSandbox(account);
  let client: Client;
  let transport: StdioClientTransport;
  const replies = new Map<string | number, JSONRPCMessage>();
  let arrived: () => void = () => {};

  beforeAll(async () => {
    transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, 'serve', '--endpoint-url', env.endpoint, '--region', 'us-east-1', '--audit-log', join(mkdtempSync(join(tmpdir(), 'infra-audit-edges-')), 'audit.jsonl')],
      env: childProcessEnv(),
      stderr: 'pipe',
    });
    client = new Client({ name: 'edges-test', version: '1' });
    await client.connect(transport);
    // Replies to the raw requests below (ids the client did not issue) are taken off the wire here.
    const inner = transport.onmessage!;
    transport.onmessage = (message) => {
      const id = (message as { id?: string | number }).id;
      if (typeof id === 'string' && id.startsWith('raw-')) {
        replies.set(id, message);
        arrived();
        return;
      }
      inner(message);
    };
  });
  afterAll(() => client?.close());

  async function sendRaw(id: string, params: unknown): Promise<{ code: number; message: string }> {
    const reply = new Promise<void>((resolve) => (arrived = () => replies.has(id) && resolve()));
    await transport.send({ jsonrpc: '2.0', id, method: 'tools/call', params } as JSONRPCMessage);
    await reply;
    return (replies.get(id) as { error: { code: number; message: string } }).error;
  }

  it('params as an array: a -32602 reply, not silence', async () => {
    const error = await sendRaw('raw-1', ['whoami', {}]);
    expect(error.code).toBe(-32602);
    expect(error.message).toMatch(/params must be an object/);
    // The server is still there.
    expect((await client.callTool({ name: 'list_checks', arguments: {} })).isError).toBeFalsy();
  });

  it('params as a string or null: the same', async () => {
    expect((await sendRaw('raw-2', 'whoami')).code).toBe(-32602);
    expect((await sendRaw('raw-3', null)).code).toBe(-32602);
  });

  it('a name that is not a string, or arguments that are not an object: -32602, one readable line, no zod dump', async () => {
    for (const params of [
      { name: 42, arguments: {} },
      { name: 'whoami', arguments: 'x' },
      { name: 'whoami', arguments: [1] },
    ]) {
      const error = await rejection(client.request({ method: 'tools/call', params: params as never }, CallToolResultSchema));
      expect(error.code, JSON.stringify(params)).toBe(-32602);
      expect(error.message).toMatch(/params\.(name|arguments): expected (string|record)/);
      expect(error.message).not.toMatch(/[[{]\s*"(code|expected|path)"/);
      expect(error.message).not.toContain('\n');
    }
  });

  it('a made-up cursor on tools/list over stdio is -32602 too', async () => {
    expect((await rejection(client.listTools({ cursor: 'made-up' }))).code).toBe(-32602);
  });
});

describe('find_public_buckets and s3_bucket_public_read tell one truth about a bucket public through its ACL (14.9)', () => {
  const env = useSandbox(account);
  let mcp: McpHarness;
  beforeAll(async () => {
    mcp = await startMcpHarness(env.endpoint);
  });
  afterAll(() => mcp?.close());

  it('listable, not readable, in the tool, in the check it embeds, and in the findings', async () => {
    const found = await mcp.call<{ buckets: Array<{ bucket: string; readable: unknown; listable: unknown; checks: Array<{ checkId: string; status: string; message: string }> }> }>('find_public_buckets', {});
    expect(found.isError).toBe(false);
    const bucket = found.structured.buckets.find((b) => b.bucket === 'acme-listable')!;
    expect(bucket).toMatchObject({ readable: false, listable: true });
    const check = bucket.checks.find((c) => c.checkId === 's3_bucket_public_read')!;
    expect(check.status).toBe('fail');
    expect(check.message).toMatch(/is publicly listable/);
    expect(check.message).not.toMatch(/publicly readable/);
    const findings = await mcp.call<{ findings: Array<{ checkId: string; resourceId: string; message: string }> }>('list_findings', { checks: ['s3_bucket_public_read'] });
    const finding = findings.structured.findings.find((f) => f.resourceId === 'arn:aws:s3:::acme-listable')!;
    expect(finding.message).toBe(check.message);
  });
});
