import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult, JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { AuditLog } from '../audit-log/audit-log.js';
import type { AuditRecord } from '../audit-log/record.js';
import { verifyChain } from '../audit-log/verify.js';
import { useSandbox, TEST_CREDENTIALS } from '../test-support/sandbox.js';
import { createMcpServer, REQUEST_ID_META } from './create-server.js';
import { ServerSession } from './session.js';
import { ScreenedStdioTransport } from './stdio-transport.js';

/**
 * The response to a tool call goes through the SDK while its record's sync runs, and the
 * transport's send waits for the sync (durable-send.ts). These tests hold the log's durable
 * write open and watch the response reach the transport: while the write is held the client
 * has nothing; a write that then fails turns the response into the withheld-result error.
 */
describe('durable before visible, with the response built while the record syncs', () => {
  const env = useSandbox('minimal-account.json');
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A server with a real audit log whose durable writes can be held (and made to fail). */
  async function serverWithHeldLog() {
    const dir = mkdtempSync(join(tmpdir(), 'durable-send-'));
    const path = join(dir, 'audit.jsonl');
    const gate = { writes: 0, hold: undefined as Promise<void> | undefined, fail: false };
    let session: ServerSession | undefined;
    const audit = await AuditLog.open({
      target: path,
      identity: () => session!.identity(),
      region: 'us-east-1',
      aroundDurableWrite: async (write) => {
        gate.writes++;
        await gate.hold;
        if (gate.fail) throw Object.assign(new Error('the disk went away'), { code: 'EIO' });
        await write();
      },
    });
    session = new ServerSession({ aws: { endpointUrl: env.endpoint, credentials: TEST_CREDENTIALS, region: 'us-east-1' }, awsCallRecorder: audit });
    const server = createMcpServer(session, { defaultCaller: { principal: 'os:test', transport: 'stdio' }, onToolCall: audit.onToolCall });
    cleanups.push(async () => {
      await server.close();
      session!.close();
      await audit.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const hold = () => {
      let release!: () => void;
      gate.hold = new Promise<void>((resolve) => (release = resolve));
      gate.writes = 0;
      return () => {
        gate.hold = undefined;
        release();
      };
    };
    const records = () =>
      readFileSync(path, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as AuditRecord);
    return { server, audit, gate, hold, records, path };
  }

  /** Turns of the event loop until `condition` holds; bounded. */
  async function until(condition: () => boolean): Promise<void> {
    for (let turn = 0; turn < 200_000 && !condition(); turn++) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(condition()).toBe(true);
  }

  /** Records every message the server hands to `transport.send` (after the server wrapped it). */
  function watchSends(transport: { send: (m: JSONRPCMessage, o?: never) => Promise<void> }): JSONRPCMessage[] {
    const handed: JSONRPCMessage[] = [];
    const send = transport.send.bind(transport);
    transport.send = (message, options) => {
      handed.push(message);
      return send(message, options);
    };
    return handed;
  }

  const answers = (handed: JSONRPCMessage[], id: unknown) => handed.some((m) => 'id' in m && m.id === id && ('result' in m || 'error' in m));

  it('a response handed to the transport while its record is not yet durable does not reach the client until it is', async () => {
    const { server, audit, gate, hold, records } = await serverWithHeldLog();
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const handed = watchSends(serverSide as never);
    const client = new Client({ name: 'durable-test', version: '1' });
    await client.connect(clientSide);
    // One call first: the identity lookup and its AWS record are behind us.
    expect((await client.callTool({ name: 'whoami', arguments: {} })).isError).toBeFalsy();
    await audit.flush();

    const release = hold();
    let received: CallToolResult | undefined;
    const call = client.callTool({ name: 'whoami', arguments: {} }).then((r) => (received = r as CallToolResult));
    // The SDK has built and validated the response and handed it to the transport; the write is held.
    const before = handed.length;
    await until(() => gate.writes === 1 && handed.slice(before).some((m) => 'result' in m));
    const id = (handed.slice(before).find((m) => 'result' in m) as { id: unknown }).id;
    expect(answers(handed, id)).toBe(true);
    await until(() => audit.stats.queued === 0);
    for (let turn = 0; turn < 50; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(received).toBeUndefined();

    release();
    await call;
    expect(received!.isError).toBeFalsy();
    expect(received!.structuredContent).toMatchObject({ accountId: '111122223333' });
    // The record was on disk before the result arrived: read now, no flush in between.
    const requestId = String(received!._meta?.[REQUEST_ID_META]);
    expect(records().some((r) => r.api.request?.uid === requestId)).toBe(true);
    await client.close();
  });

  it('over the stdio transport of serve, a held record that then fails sends the withheld-result error, never the result', async () => {
    const { server, gate, hold, audit, records, path } = await serverWithHeldLog();
    const input = new PassThrough();
    const output = new PassThrough();
    const transport = new ScreenedStdioTransport(input, output);
    await server.connect(transport);
    const handed = watchSends(transport as never);
    const lines: Array<{ id?: number; result?: CallToolResult }> = [];
    let pending = '';
    output.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        lines.push(JSON.parse(pending.slice(0, nl)) as (typeof lines)[number]);
        pending = pending.slice(nl + 1);
      }
    });
    const send = (message: object) => input.write(`${JSON.stringify(message)}\n`);
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
    await until(() => lines.some((l) => l.id === 1));
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'whoami', arguments: {} } });
    await until(() => lines.some((l) => l.id === 2));
    await audit.flush();
    const good = records().length;

    const release = hold();
    gate.fail = true;
    send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'whoami', arguments: {} } });
    await until(() => gate.writes === 1 && answers(handed, 3));
    for (let turn = 0; turn < 50; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(lines.some((l) => l.id === 3)).toBe(false);

    release();
    await until(() => lines.some((l) => l.id === 3));
    const answer = lines.find((l) => l.id === 3)!.result!;
    expect(answer.isError).toBe(true);
    expect(JSON.stringify(answer.content)).toMatch(/AUDIT_LOG_UNWRITABLE.*result is withheld/);
    expect(JSON.stringify(answer)).not.toContain('111122223333');
    expect(answer.structuredContent).toBeUndefined();
    // Nothing of the failed batch is in the log, and the chain is intact.
    expect(records()).toHaveLength(good);
    expect(await verifyChain([path])).toMatchObject({ ok: true });
    input.end();
  });
});
