import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { PutObjectCommand, GetBucketPolicyCommand } from '@aws-sdk/client-s3';
import { startHttpServer, type RunningHttpServer } from '../server/http.js';
import { createMcpServer, REQUEST_ID_META } from '../server/create-server.js';
import { ServerSession } from '../server/session.js';
import { TokenAuthenticator, hashToken } from '../server/auth/tokens.js';
import { useSandbox, TEST_CREDENTIALS } from '../test-support/sandbox.js';
import { AuditLog, type AuditLogOptions } from './audit-log.js';
import { verifyChain } from './verify.js';
import type { AuditRecord } from './record.js';

const ALICE = 'token-alice-0123456789';

interface Running {
  server: RunningHttpServer;
  audit: AuditLog;
  session: ServerSession;
  close(): Promise<void>;
}

async function start(endpoint: string, options: Partial<AuditLogOptions> & { target: string }): Promise<Running> {
  let session: ServerSession | undefined;
  const audit = await AuditLog.open({ identity: () => session!.identity(), region: 'us-east-1', ...options });
  session = new ServerSession({ aws: { endpointUrl: endpoint, credentials: TEST_CREDENTIALS, region: 'us-east-1' }, awsCallRecorder: audit });
  const s = session;
  const server = await startHttpServer({
    authenticator: new TokenAuthenticator([{ principal: 'alice@sec', sha256: hashToken(ALICE) }]),
    rateLimitPerSecond: 1_000_000,
    onRefused: (e) => audit.recordRefusedRequest(e),
    buildServer: (principal) => createMcpServer(s, { defaultCaller: { principal: principal.name, transport: 'http' }, onToolCall: audit.onToolCall }),
  });
  return {
    server,
    audit,
    session: s,
    async close() {
      await server.close();
      s.close();
      await audit.close();
    },
  };
}

async function connect(url: string, name = 'audit-test') {
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${ALICE}` } } }));
  return client;
}

const records = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditRecord);
const textOf = (res: object) => ((res as { content?: unknown }).content as Array<{ type: string; text: string }>).map((c) => c.text).join('\n');
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('the audit log behind the real HTTP MCP server', () => {
  const env = useSandbox('s3-account.json');
  let dir: string;
  let path: string;
  let running: Running;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'audit-http-'));
    path = join(dir, 'audit.jsonl');
    running = await start(env.endpoint, { target: path });
  });
  afterAll(async () => {
    await running.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records a tool call with its caller, result hash and the AWS call made for it, linked by request id', async () => {
    const client = await connect(running.server.url);
    const res = await client.callTool({ name: 'whoami', arguments: {} });
    expect(res.isError).toBeFalsy();
    const requestId = (res._meta as Record<string, string>)[REQUEST_ID_META]!;
    const all = records(path);
    const tool = all.find((r) => r.api.request?.uid === requestId)!;
    expect(tool).toMatchObject({
      class_uid: 6003,
      category_uid: 6,
      activity_id: 2,
      type_uid: 600302,
      status_id: 1,
      severity_id: 1,
      actor: { user: { name: 'alice@sec' }, app_name: 'audit-test/1.0.0' },
      api: { operation: 'whoami', group: { name: 'tools' }, service: { name: 'infra-audit-mcp' } },
      src_endpoint: { ip: expect.stringMatching(/127\.0\.0\.1/) },
      cloud: { provider: 'AWS', region: 'us-east-1', account: { uid: (res.structuredContent as { accountId: string }).accountId } },
      metadata: { correlation_uid: requestId, version: '1.3.0', product: { name: 'infra-audit-mcp' } },
      unmapped: { record_type: 'mcp.tools/call', outcome: 'success', aws: { principal_arn: (res.structuredContent as { arn: string }).arn } },
    });
    expect(tool.actor.session?.uid).toBe((client.transport as StreamableHTTPClientTransport).sessionId);
    expect(tool.unmapped.result).toEqual({ bytes: Buffer.byteLength(textOf(res)), sha256: sha256(textOf(res)) });
    const aws = all.filter((r) => r.metadata.correlation_uid === requestId && r.unmapped.record_type === 'aws.api_call');
    expect(aws).toHaveLength(1);
    expect(aws[0]).toMatchObject({ api: { operation: 'GetCallerIdentity', service: { name: 'sts.amazonaws.com' }, response: { code: 200 } }, actor: { user: { name: 'alice@sec' } }, unmapped: { outcome: 'success' } });
    // The AWS record precedes the tool record: it was durable first.
    expect(all.indexOf(aws[0]!)).toBeLessThan(all.indexOf(tool));
    await client.close();
  });

  it('records the S3 reads of get_bucket_policy as resources, and a refused write as a denied AWS call', async () => {
    const client = await connect(running.server.url);
    const res = await client.callTool({ name: 'get_bucket_policy', arguments: { bucket: 'bravo-public-site' } });
    const requestId = (res._meta as Record<string, string>)[REQUEST_ID_META]!;
    const linked = records(path).filter((r) => r.metadata.correlation_uid === requestId);
    const tool = linked.find((r) => r.unmapped.record_type === 'mcp.tools/call')!;
    expect(tool.resources).toEqual([{ type: 'AWS::S3::Bucket', name: 'bravo-public-site', uid: 'arn:aws:s3:::bravo-public-site' }]);
    expect(tool.unmapped.arguments).toEqual({ bucket: 'bravo-public-site' });
    expect(linked.some((r) => r.api.operation === 'GetBucketPolicy' && r.resources?.[0]?.name === 'bravo-public-site')).toBe(true);

    await expect(running.session.client('s3').send(new PutObjectCommand({ Bucket: 'bravo-public-site', Key: 'x', Body: 'y' }))).rejects.toThrow(/read-only allowlist/);
    await running.audit.flush();
    const denied = records(path).find((r) => r.api.operation === 'PutObject')!;
    expect(denied).toMatchObject({ activity_id: 3, status_id: 2, severity_id: 4, unmapped: { outcome: 'denied' }, api: { response: { error: 'READ_ONLY_VIOLATION' } }, actor: { user: { name: 'infra-audit-mcp' } } });
    expect(denied.metadata.correlation_uid).toBeUndefined();
    // A call AWS itself refuses or fails is recorded with its AWS error name and status.
    await expect(running.session.client('s3').send(new GetBucketPolicyCommand({ Bucket: 'no-such-bucket-here' }))).rejects.toThrow();
    await running.audit.flush();
    const failed = records(path).find((r) => r.api.operation === 'GetBucketPolicy' && r.resources?.[0]?.name === 'no-such-bucket-here')!;
    expect(failed.unmapped.outcome).toBe('error');
    expect(failed.api.response).toMatchObject({ code: 404, error: 'NoSuchBucket' });
    await client.close();
  });

  it('records calls the SDK rejects before any handler (unknown tool, invalid arguments), prompts, and refused HTTP requests', async () => {
    const client = await connect(running.server.url);
    const unknown = await client.callTool({ name: 'delete_bucket', arguments: { bucket: 'x', password: 'hunter2' } });
    expect(unknown.isError).toBe(true);
    const invalid = await client.callTool({ name: 'get_bucket_policy', arguments: { bucket: 42 } });
    expect(invalid.isError).toBe(true);
    await client.getPrompt({ name: 's3_public_access_audit' });
    await fetch(running.server.url, { method: 'POST', headers: { authorization: 'Bearer wrong-token', 'content-type': 'application/json' }, body: '{}' });
    await running.audit.flush();
    const all = records(path);
    expect(all.find((r) => r.api.operation === 'delete_bucket')).toMatchObject({ unmapped: { outcome: 'error', arguments: { bucket: 'x', password: '[REDACTED]' } }, api: { response: { error: 'NOT_FOUND' } } });
    expect(all.find((r) => r.api.operation === 'get_bucket_policy' && r.unmapped.outcome === 'error')).toMatchObject({ api: { response: { error: 'INVALID_INPUT' } } });
    expect(all.find((r) => r.unmapped.record_type === 'mcp.prompts/get')).toMatchObject({ api: { operation: 's3_public_access_audit', group: { name: 'prompts' } }, unmapped: { outcome: 'success' } });
    expect(all.find((r) => r.unmapped.record_type === 'http.refused')).toMatchObject({ api: { response: { code: 401 } }, actor: { user: { name: 'unauthenticated' } }, unmapped: { outcome: 'denied' } });
    expect(JSON.stringify(all)).not.toContain('hunter2');
    await client.close();
    expect(await verifyChain([path])).toMatchObject({ ok: true, records: all.length });
  });
});

describe('10,000 tool calls from 64 concurrent HTTP clients', () => {
  const env = useSandbox('minimal-account.json');

  it('leaves exactly 10,000 tool records in one valid chain, group-committed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-load-'));
    const path = join(dir, 'audit.jsonl');
    const running = await start(env.endpoint, { target: path });
    try {
      const CLIENTS = 64;
      const CALLS = 10_000;
      const clients = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => connect(running.server.url, `load-${i}`)));
      let next = 0;
      const ids = new Set<string>();
      await Promise.all(
        clients.map(async (client) => {
          // Each client takes the next call number until all are taken.
          for (let n = next++; n < CALLS; n = next++) {
            const res = await client.callTool({ name: 'whoami', arguments: {} });
            if (res.isError) throw new Error(textOf(res));
            ids.add((res._meta as Record<string, string>)[REQUEST_ID_META]!);
          }
        }),
      );
      await Promise.all(clients.map((c) => c.close()));
      expect(ids.size).toBe(CALLS);
      const all = records(path);
      const tools = all.filter((r) => r.unmapped.record_type === 'mcp.tools/call');
      expect(tools).toHaveLength(CALLS);
      expect(new Set(tools.map((r) => r.api.request!.uid))).toEqual(ids);
      const result = await verifyChain([path]);
      expect(result).toMatchObject({ ok: true, records: all.length });
      // Concurrent calls shared fsyncs.
      expect(running.audit.stats.batches).toBeLessThan(all.length / 2);
    } finally {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('fail closed', () => {
  const env = useSandbox('minimal-account.json');

  it('a server whose audit log path cannot be created does not start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-bad-'));
    writeFileSync(join(dir, 'a-file'), '');
    await expect(AuditLog.open({ target: join(dir, 'a-file', 'audit.jsonl') })).rejects.toMatchObject({ code: 'AUDIT_LOG_UNWRITABLE', message: expect.stringContaining('ENOTDIR') });
    await expect(AuditLog.open({ target: join(dir, 'missing-dir', 'audit.jsonl') })).rejects.toMatchObject({ code: 'AUDIT_LOG_UNWRITABLE', message: expect.stringContaining('no such directory') });
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses stdout as the audit log with the stdio transport, where stdout carries MCP', async () => {
    await expect(AuditLog.open({ target: 'stdout', transport: 'stdio' })).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining('stdout carries the MCP protocol') });
  });

  it('a full disk makes every call fail with a clear error and no result data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-full-'));
    const path = join(dir, 'audit.jsonl');
    // /dev/full accepts open() and fails every write with ENOSPC.
    symlinkSync('/dev/full', path);
    const running = await start(env.endpoint, { target: path });
    try {
      const client = await connect(running.server.url);
      const res = await client.callTool({ name: 'whoami', arguments: {} });
      expect(res.isError).toBe(true);
      expect(textOf(res)).toMatch(/AUDIT_LOG_UNWRITABLE.*result is withheld.*ENOSPC \(disk full\)/s);
      expect(textOf(res)).not.toContain('111122223333');
      expect(res.structuredContent).toBeUndefined();
      const unknown = await client.callTool({ name: 'no_such_tool', arguments: {} });
      expect(textOf(unknown)).toContain('AUDIT_LOG_UNWRITABLE');
      await expect(client.getPrompt({ name: 's3_public_access_audit' })).rejects.toThrow(/AUDIT_LOG_UNWRITABLE/);
      await client.close();
    } finally {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('stream sinks', () => {
  it('writes one sealed record per line to stderr (or stdout with HTTP), through a real stream', async () => {
    const { PassThrough } = await import('node:stream');
    const stderr = new PassThrough();
    let written = '';
    stderr.on('data', (d) => (written += d));
    const audit = await AuditLog.open({ target: 'stderr', transport: 'stdio', streams: { stdout: new PassThrough(), stderr } });
    expect(audit.description).toBe('stderr');
    for (const requestId of ['a', 'b']) {
      await audit.onToolCall({ method: 'tools/call', requestId, tool: 'whoami', caller: { principal: 'os:dev', transport: 'stdio' }, args: {}, startedAt: new Date(), durationMs: 1, outcome: 'success', resultText: 'ok' });
    }
    await audit.close();
    const lines = written.trim().split('\n').map((l) => JSON.parse(l) as AuditRecord);
    expect(lines.map((r) => [r.api.request?.uid, r.unmapped.chain?.seq, r.src_endpoint.svc_name])).toEqual([
      ['a', 1, 'mcp/stdio'],
      ['b', 2, 'mcp/stdio'],
    ]);
    expect(lines[1]!.unmapped.chain!.prev_hash).toBe(lines[0]!.unmapped.chain!.hash);
  });
});
