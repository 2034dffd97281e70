/**
 * Prompt caching and a context that stays small, on the demo account and the article's task.
 * The scripted Messages API accounts usage as the real one documents prompt caching (prefix
 * order tools, system, messages; a breakpoint writes an entry once its prefix reaches 1,024
 * tokens; a request reads the longest earlier entry), with tokens estimated from characters.
 *
 * The first test also prints the numbers quoted in the closing note:
 *   npx vitest run src/agent/context-and-cache.test.ts -t 'per turn'
 */
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../test-support/sandbox.js';
import { demoAccount, demoExpectedFindings } from '../test-support/demo.js';
import { lastToolResults, text, toolUse, toolUseIds, type AnthropicReply } from '../test-support/fake-anthropic.js';
import type { RecordedRequest, ScriptStep } from '../test-support/fake-model-server.js';
import { useAgentMcpServer } from '../test-support/agent-run.js';
import type { AgentOptions } from './run.js';

const env = useSandbox(demoAccount());
const agent = useAgentMcpServer(env);
const runWith = (script: ReadonlyArray<ScriptStep<AnthropicReply>>, extra: Partial<AgentOptions> = {}) => agent.runAnthropic(script, extra, { simulateUsage: true });

/** The article's task on the demo account, as a model that follows the system prompt would do it. */
const publicRead = demoExpectedFindings().filter((f) => f.checkId === 's3_bucket_public_read');
const demoScript = (): Array<ScriptStep<AnthropicReply>> => [
  { content: [text('Starting with the whole-account view.'), toolUse('find_public_buckets', {}), toolUse('list_s3_buckets', {})] },
  { content: publicRead.map((f) => toolUse('get_bucket_policy', { bucket: f.resourceId.replace('arn:aws:s3:::', '') })) },
  { content: [toolUse('run_checks', { services: ['s3'] })] },
  (req: RecordedRequest) => {
    const [find] = toolUseIds(req, 'find_public_buckets');
    const policies = toolUseIds(req, 'get_bucket_policy');
    return {
      content: [
        toolUse('submit_report', {
          summary: `${publicRead.length} buckets allow public read.`,
          findings: publicRead.map((f, i) => ({
            severity: 'critical',
            title: `${f.resourceId} allows public read`,
            checkId: 's3_bucket_public_read',
            resource: { id: f.resourceId },
            description: 'Its bucket policy lets anyone read objects.',
            evidence: [{ callId: find! }, { callId: policies[i]! }],
            remediation: 'Remove the public statement and turn on Block Public Access.',
          })),
        }),
      ],
    };
  },
];

const cacheMarks = (body: any): number =>
  (body.tools as any[]).filter((t) => t.cache_control).length +
  (body.system as any[]).filter((b) => b.cache_control).length +
  (body.messages as any[]).flatMap((m) => m.content as any[]).filter((b) => b.cache_control).length;

describe('prompt caching and the context budget on the demo task', () => {
  it('per turn: cached reads from the second turn on, the same input either way, a context that digests what was used', async () => {
    const cached = await runWith(demoScript());
    const uncached = await runWith(demoScript(), { promptCache: false });
    const undigested = await runWith(demoScript(), { digestUsedResults: false });
    for (const r of [cached, uncached, undigested]) expect(r.run).toMatchObject({ status: 'complete', stopReason: 'report_submitted' });

    // Breakpoints: the last tool, the system prompt, and one or two in the conversation; never more than the API's 4.
    const bodies = cached.fake.modelRequests().map((r) => r.body);
    for (const body of bodies) {
      expect(body.tools.at(-1).cache_control).toEqual({ type: 'ephemeral' });
      expect(body.system[0].cache_control).toEqual({ type: 'ephemeral' });
      expect(cacheMarks(body)).toBeGreaterThanOrEqual(3);
      expect(cacheMarks(body)).toBeLessThanOrEqual(4);
    }
    expect(uncached.fake.modelRequests().map((r) => cacheMarks(r.body))).toEqual([0, 0, 0, 0]);

    const a = cached.run.report.usage.perTurn;
    const b = uncached.run.report.usage.perTurn;
    const c = undigested.run.report.usage.perTurn;
    // The same requests either way (but for ids and timings in the results): caching changes what is billed, not what is sent.
    a.forEach((t, i) => {
      expect(Math.abs(t.inputTokens - b[i]!.inputTokens)).toBeLessThan(t.inputTokens * 0.01);
      expect(Math.abs(t.contextChars - b[i]!.contextChars)).toBeLessThan(t.contextChars * 0.01);
    });
    expect(a[0]!.cacheReadTokens).toBe(0);
    for (const t of a.slice(1)) expect(t.cacheReadTokens).toBeGreaterThan(0);
    for (const t of b) expect(t.cacheReadTokens + t.cacheWriteTokens).toBe(0);
    expect(cached.run.report.usage.cacheReadTokens).toBe(a.reduce((n, t) => n + t.cacheReadTokens, 0));
    // Cheaper with the cache, at the default model's list prices (reads 0.1x, writes 1.25x).
    expect(cached.run.report.cost.estimate).toBeLessThan(uncached.run.report.cost.estimate as number);
    // Digests keep the context smaller once results have been used.
    expect(a.at(-1)!.contextChars).toBeLessThan(c.at(-1)!.contextChars);

    const rows = a.map((t, i) => ({
      turn: t.turn,
      'context chars': t.contextChars,
      'context chars, no digests': c[i]!.contextChars,
      'input tokens, no cache': b[i]!.inputTokens,
      'of which uncached (cache on)': t.inputTokens - t.cacheReadTokens - t.cacheWriteTokens,
      'cache write': t.cacheWriteTokens,
      'cache read': t.cacheReadTokens,
    }));
    console.log(`demo task, scripted model (tokens estimated at 4 chars each):\n${JSON.stringify(rows, null, 1)}`);
    console.log(`cost estimate (claude-sonnet-5-5 list prices): $${String(cached.run.report.cost.estimate)} with caching, $${String(uncached.run.report.cost.estimate)} without`);
  });

  it('replaces used results with a digest that keeps both ids citable', async () => {
    const { fake, run } = await runWith(demoScript());
    expect(run.status).toBe('complete');
    const third = fake.modelRequests()[2]!.body.messages as Array<{ role: string; content: Array<{ type: string; content?: string }> }>;
    // Turn 1's results, once the model has answered after them, are one line each.
    const [find, list] = third[2]!.content;
    expect(find!.content).toMatch(/^\[call id: toolu_fake_\d+\] \[audit request id: [^\]]+\] find_public_buckets \{\} -> ok(: [^\n]*)? \(full result dropped from the context after use; the ids stay citable as evidence\)$/);
    expect(find!.content).not.toContain('\n');
    expect(list!.content).toContain('list_s3_buckets {} -> ok: buckets: 10 items, total: 10 (full result dropped');
    // The latest results are still whole.
    expect(lastToolResults(fake.modelRequests()[2]!)[0]!.content).toContain('<untrusted-data>');
    // The report cites the digested call, linked to its audit record.
    const evidence = run.report.findings[0]!.evidence[0]!;
    expect(evidence).toMatchObject({ tool: 'find_public_buckets', auditRequestId: expect.any(String) });
    expect(find!.content).toContain(evidence.auditRequestId);
  });

  it('cuts a result over the budget to its head and the arguments that page through the rest, which work', async () => {
    let hint: Record<string, unknown> = {};
    const { fake, run } = await runWith(
      [
        { content: [toolUse('list_s3_buckets', {})] },
        (req: RecordedRequest) => {
          const [cut] = lastToolResults(req);
          hint = JSON.parse(/call list_s3_buckets with (\{.*?\}) and then again with each nextCursor/.exec(cut!.content)![1]!);
          return { content: [toolUse('list_s3_buckets', hint)] };
        },
        { content: [toolUse('submit_report', { summary: 'Listed the buckets.', findings: [] })] },
      ],
      { budgets: { maxToolResultChars: 400 } },
    );
    expect(run.status).toBe('complete');
    const [cut] = lastToolResults(fake.modelRequests()[1]!);
    expect(cut!.content).toMatch(/\[Result cut to fit the context: \d+ of \d+ characters shown \(about \d+ of \d+ lines\)\. This page held 10 items\./);
    expect(hint.limit).toEqual(expect.any(Number));
    expect(hint.limit as number).toBeLessThan(10);
    const [page] = lastToolResults(fake.modelRequests()[2]!);
    expect(page!.is_error).toBe(false);
    expect(page!.content).not.toContain('[Result cut');
    expect(page!.content).toContain('call again with cursor');
  });
});
