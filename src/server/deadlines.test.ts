import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { AuditLog } from '../audit-log/audit-log.js';
import type { AuditRecord } from '../audit-log/record.js';
import { verifyChain } from '../audit-log/verify.js';
import { TEST_CREDENTIALS } from '../test-support/sandbox.js';
import { createMcpServer } from './create-server.js';
import { ServerSession } from './session.js';
import { ScreenedStdioTransport } from './stdio-transport.js';
import { defineTool, READ_ONLY_LOCAL } from './tool.js';

/**
 * Per-call time limits and cancellation through serve's stdio transport, with the audit log.
 * The limits are kept by one timer per server (deadlines.ts), so these calls are arranged to
 * catch what a shared timer gets wrong: a call that times out while others come and go in
 * front of it, a second one behind a queue of finished calls, and one after the queue has
 * emptied and the timer has gone quiet. Nothing here measures time: each test waits (in
 * turns of the event loop) for the answers and records it expects.
 */
const LIMIT_MS = 400;

/** What the test tools saw: the request ids whose handler started, and those that saw their signal abort. */
const seen = { started: new Set<string>(), aborted: new Set<string>() };

const noArgs = z.strictObject({});
const anything = z.object({ ok: z.boolean() });
const base = { toolset: 'account' as const, inputSchema: noArgs, outputSchema: anything, annotations: READ_ONLY_LOCAL, awsOperations: [] };

const TOOLS = [
  defineTool({ ...base, name: 'quick', title: 'quick', description: 'answers at once', handler: async () => ({ structured: { ok: true }, text: 'ok' }) }),
  // Ignores its signal and never answers: only the time limit ends it.
  defineTool({
    ...base,
    name: 'hang',
    title: 'hang',
    description: 'never answers',
    handler: (_args, ctx) => {
      seen.started.add(ctx.requestId);
      return new Promise(() => {});
    },
  }),
  // Ends when its signal aborts, and says so.
  defineTool({
    ...base,
    name: 'watch',
    title: 'watch',
    description: 'answers when its signal aborts',
    handler: (_args, ctx) => {
      seen.started.add(ctx.requestId);
      const signal = ctx.signal;
      return new Promise((_resolve, reject) => {
        const stop = () => {
          seen.aborted.add(ctx.requestId);
          reject(new Error('stopped: the signal aborted'));
        };
        if (signal.aborted) stop();
        else signal.addEventListener('abort', stop, { once: true });
      });
    },
  }),
];

interface Line {
  id?: number;
  result?: CallToolResult;
}

describe('per-call time limits and cancellation, through the stdio transport', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    seen.started.clear();
    seen.aborted.clear();
  });

  async function serve() {
    const dir = mkdtempSync(join(tmpdir(), 'deadlines-'));
    const path = join(dir, 'audit.jsonl');
    const audit = await AuditLog.open({ target: path, region: 'us-east-1' });
    // The test tools make no AWS call: nothing listens on this endpoint.
    const session = new ServerSession({ aws: { endpointUrl: 'http://127.0.0.1:9', credentials: TEST_CREDENTIALS, region: 'us-east-1' }, awsCallRecorder: audit });
    const server = createMcpServer(session, { defaultCaller: { principal: 'os:test', transport: 'stdio' }, onToolCall: audit.onToolCall, allTools: TOOLS, toolTimeoutMs: LIMIT_MS });
    const input = new PassThrough();
    const output = new PassThrough();
    await server.connect(new ScreenedStdioTransport(input, output));
    const lines: Line[] = [];
    let pending = '';
    output.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        lines.push(JSON.parse(pending.slice(0, nl)) as Line);
        pending = pending.slice(nl + 1);
      }
    });
    cleanups.push(async () => {
      input.end();
      await server.close();
      session.close();
      await audit.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const send = (message: object) => input.write(`${JSON.stringify(message)}\n`);
    let nextId = 1;
    const call = (name: string) => {
      const id = nextId++;
      send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: {} } });
      return id;
    };
    const answer = (id: number) => lines.find((l) => l.id === id)?.result;
    const records = () =>
      readFileSync(path, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as AuditRecord)
        .filter((r) => r.unmapped.record_type === 'mcp.tools/call');
    send({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
    await until(() => lines.some((l) => l.id === 0));
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    return { audit, path, send, call, answer, lines, records };
  }

  /** Turns of the event loop until `condition` holds; bounded (the time limits end within the bound). */
  async function until(condition: () => boolean): Promise<void> {
    for (let turn = 0; turn < 2_000_000 && !condition(); turn++) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(condition()).toBe(true);
  }

  const textOf = (result: CallToolResult | undefined) => (result?.content ?? []).map((c) => (c.type === 'text' ? c.text : '')).join('\n');

  it('a call past its limit is answered LIMIT_EXCEEDED, also behind finished calls and after the queue emptied; calls in time are not touched', async () => {
    const s = await serve();
    const first = s.call('hang');
    await until(() => seen.started.size === 1);
    // Calls that start and finish while the first is still running (it stays the oldest).
    const quick = Array.from({ length: 20 }, () => s.call('quick'));
    await until(() => quick.every((id) => s.answer(id)));
    const second = s.call('hang');
    await until(() => seen.started.size === 2);
    await until(() => s.answer(first) !== undefined && s.answer(second) !== undefined);
    for (const id of [first, second]) {
      expect(s.answer(id)!.isError).toBe(true);
      expect(textOf(s.answer(id))).toContain(`Error [LIMIT_EXCEEDED]: hang did not finish within ${LIMIT_MS / 1000}s`);
    }
    expect(quick.map((id) => s.answer(id)!.isError ?? false)).toEqual(quick.map(() => false));

    // Nothing is running now; a call made after that still gets its limit, and its handler's signal aborts at it.
    const third = s.call('watch');
    await until(() => s.answer(third) !== undefined);
    expect(textOf(s.answer(third))).toContain('Error [LIMIT_EXCEEDED]: watch did not finish');
    expect(seen.aborted.size).toBe(1);

    const records = s.records();
    expect(records).toHaveLength(23);
    expect(records.filter((r) => r.api.response?.error === 'LIMIT_EXCEEDED').map((r) => r.api.operation).sort()).toEqual(['hang', 'hang', 'watch']);
    expect(records.filter((r) => r.unmapped.outcome === 'success')).toHaveLength(20);
    expect(await verifyChain([s.path])).toMatchObject({ ok: true });
  }, 60_000);

  it('a cancelled call gets no answer; a handler watching its signal stops at once, and each is recorded as cancelled', async () => {
    const s = await serve();
    const watched = s.call('watch');
    const ignoring = s.call('hang');
    await until(() => seen.started.size === 2);
    for (const id of [watched, ignoring]) s.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'the user moved on' } });
    // The watching handler stops on the cancellation; the other runs on to its time limit.
    await until(() => seen.aborted.size === 1);
    await until(() => s.records().length === 2);
    const after = s.call('quick');
    await until(() => s.answer(after) !== undefined);
    expect(s.answer(watched)).toBeUndefined();
    expect(s.answer(ignoring)).toBeUndefined();
    const records = s.records();
    expect(records.slice(0, 2).map((r) => [r.api.operation, r.unmapped.outcome, r.api.response?.error, r.api.response?.error_message])).toEqual(
      expect.arrayContaining([
        ['watch', 'error', 'CANCELLED', 'cancelled by the client'],
        ['hang', 'error', 'CANCELLED', 'cancelled by the client'],
      ]),
    );
    expect(records[2]!.unmapped.outcome).toBe('success');
  }, 60_000);
});
