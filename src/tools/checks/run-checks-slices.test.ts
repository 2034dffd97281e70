/**
 * run_checks judges a large inventory in slices (audit/evaluate.ts), through serve's stdio
 * transport: while it evaluates, the server answers another call; a call past its time limit ends
 * with LIMIT_EXCEEDED at the limit, not after the checks; a cancelled call stops evaluating. The
 * inventory is read first, so what each call spends is the checks phase. Nothing here measures
 * time: the tests wait (in turns of the event loop) for answers and look at which came first.
 */
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { evaluateChecks, runCheck } from '../../audit/evaluate.js';
import { CHECKS } from '../../checks/registry.js';
import { DEFAULT_CHECK_OPTIONS } from '../../checks/types.js';
import type { Finding } from '../../findings/model.js';
import { generateAccount } from '../../sandbox/account/generate.js';
import { createMcpServer, type ToolCallEvent } from '../../server/create-server.js';
import { ServerSession } from '../../server/session.js';
import { ScreenedStdioTransport } from '../../server/stdio-transport.js';
import { TEST_CREDENTIALS, useSandbox } from '../../test-support/sandbox.js';

/** The IAM checks of this account are several times this on any machine (iam_policy_privilege_escalation alone, per principal). */
const LIMIT_MS = 60;
const IAM = CHECKS.filter((c) => c.metadata.service === 'iam');

interface Line {
  id?: number;
  result?: CallToolResult;
}

const textOf = (result: CallToolResult | undefined) => (result?.content ?? []).map((c) => (c.type === 'text' ? c.text : '')).join('\n');

/** Turns of the event loop until `condition` holds; bounded. */
async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 5_000_000 && !condition(); turn++) await new Promise<void>((resolve) => setImmediate(resolve));
  expect(condition()).toBe(true);
}

describe('run_checks on a large account, in slices', () => {
  const generated = generateAccount({ buckets: 1, roles: 600, users: 150, securityGroups: 1, dbInstances: 1 }, 3);
  const env = useSandbox(generated.account);
  let session: ServerSession;
  const cleanups: Array<() => Promise<void> | void> = [];

  beforeAll(async () => {
    session = new ServerSession({ aws: { endpointUrl: env.endpoint, credentials: TEST_CREDENTIALS, region: 'us-east-1', maxAttempts: 1 } });
    // Read once: the calls below judge the cached inventory.
    await session.inventory.get({ reads: IAM.flatMap((c) => c.reads) });
  }, 180_000);
  afterAll(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    session.close();
  });

  /** A server on the shared session over serve's stdio transport, its calls answered in the order `order` records. */
  async function serve(toolTimeoutMs?: number) {
    const events: ToolCallEvent[] = [];
    const server = createMcpServer(session, { defaultCaller: { principal: 'os:test', transport: 'stdio' }, toolTimeoutMs, onToolCall: (e) => void events.push(e) });
    const input = new PassThrough();
    const output = new PassThrough();
    await server.connect(new ScreenedStdioTransport(input, output));
    const lines: Line[] = [];
    const order: number[] = [];
    let pending = '';
    output.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        const line = JSON.parse(pending.slice(0, nl)) as Line;
        lines.push(line);
        if (line.id !== undefined) order.push(line.id);
        pending = pending.slice(nl + 1);
      }
    });
    cleanups.push(async () => {
      input.end();
      await server.close();
    });
    const send = (message: object) => input.write(`${JSON.stringify(message)}\n`);
    let nextId = 1;
    const call = (name: string, args: Record<string, unknown> = {}) => {
      const id = nextId++;
      send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
      return id;
    };
    const answer = (id: number) => lines.find((l) => l.id === id)?.result;
    send({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
    await until(() => lines.some((l) => l.id === 0));
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    return { send, call, answer, order, events };
  }

  it('a call past its time limit ends with LIMIT_EXCEEDED during the checks, and the stopped run is not kept', async () => {
    const s = await serve(LIMIT_MS);
    const before = session.inventory.runs.latest()?.id;
    const id = s.call('run_checks', { services: ['iam'] });
    await until(() => s.answer(id) !== undefined);
    expect(s.answer(id)!.isError, textOf(s.answer(id))).toBe(true);
    expect(textOf(s.answer(id))).toContain(`Error [LIMIT_EXCEEDED]: run_checks did not finish within ${LIMIT_MS / 1000}s`);
    // Its signal stopped the evaluation: no run finished after the answer either.
    await until(() => s.events.length === 1);
    expect(session.inventory.runs.latest()?.id).toBe(before);
  });

  it('a cancelled call stops evaluating: no answer, recorded as cancelled, and no run kept', async () => {
    const s = await serve();
    const before = session.inventory.runs.latest()?.id;
    const id = s.call('run_checks', { services: ['iam'] });
    await new Promise<void>((resolve) => setImmediate(resolve));
    s.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'the user moved on' } });
    await until(() => s.events.length === 1);
    expect(s.events[0]).toMatchObject({ tool: 'run_checks', errorCode: 'CANCELLED' });
    const after = s.call('list_checks');
    await until(() => s.answer(after) !== undefined);
    expect(s.answer(id)).toBeUndefined();
    expect(session.inventory.runs.latest()?.id).toBe(before);
  });

  it('while run_checks evaluates, another call is answered first; the run then finishes with every verdict', async () => {
    const s = await serve();
    const checks = s.call('run_checks', { services: ['iam'] });
    // One turn of the event loop: run_checks is in its checks phase (the inventory is cached), and only a server that yields reads the next line.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const quick = s.call('whoami');
    await until(() => s.answer(checks) !== undefined && s.answer(quick) !== undefined);
    expect(s.order.filter((id) => id === checks || id === quick)).toEqual([quick, checks]);
    expect(s.answer(checks)!.isError ?? false, textOf(s.answer(checks))).toBe(false);
    const summary = (s.answer(checks)!.structuredContent as { summary: { fail: number; error: number; pass: number } }).summary;
    // The same verdicts as each check run whole.
    const view = await session.inventory.get({ reads: IAM.flatMap((c) => c.reads) });
    const whole = IAM.flatMap((c) => runCheck(c, view.snapshot, { ...DEFAULT_CHECK_OPTIONS, now: new Date() }));
    expect(summary).toMatchObject({ fail: whole.filter((f) => f.status === 'fail').length, error: whole.filter((f) => f.status === 'error').length, pass: whole.filter((f) => f.status === 'pass').length });
  });

  it('evaluates to the same findings, in the same order, as running each check whole, however small the slices', async () => {
    const view = await session.inventory.get({ reads: IAM.flatMap((c) => c.reads) });
    const options = { ...DEFAULT_CHECK_OPTIONS, now: new Date('2026-06-01T00:00:00Z') };
    const sliced: Finding[] = [];
    let turns = 0;
    const counter = setInterval(() => turns++, 0);
    await evaluateChecks(IAM, view.snapshot, options, (_check, findings) => sliced.push(...findings), { sliceMs: 0 });
    clearInterval(counter);
    const whole = IAM.flatMap((c) => runCheck(c, view.snapshot, options));
    expect(sliced.length).toBeGreaterThan(1000);
    expect(sliced).toEqual(whole);
    expect(turns).toBeGreaterThan(0);
  });
});
