/**
 * The agent with the models people really run: scripted models that answer in prose, call
 * tools in parallel, cite ids that do not exist, loop, send malformed JSON and run into
 * every budget. Each runs through the real SDKs against a scripted model API, the real MCP
 * server (Streamable HTTP in this process, so no server is spawned per run) and the sandbox,
 * whose 100 ms of latency per AWS request makes concurrent tool calls visible in time.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useSandbox } from '../test-support/sandbox.js';
import { lastToolResults, text, toolUse, toolUseIds } from '../test-support/fake-anthropic.js';
import { startFakeOpenAi } from '../test-support/fake-openai.js';
import type { RecordedRequest } from '../test-support/fake-model-server.js';
import { runAgentForTest, scratch, useAgentMcpServer, viaHttp } from '../test-support/agent-run.js';
import type { AgentOptions } from './run.js';
import type { LoopBudgets } from './loop.js';

const env = useSandbox('s3-account.json', { latencyMs: 100 });
const agent = useAgentMcpServer(env);
const runWith = (script: Parameters<typeof agent.runAnthropic>[0], extra: Partial<AgentOptions> = {}) => agent.runAnthropic(script, extra);

const BUCKETS = ['alpha-logs', 'bravo-public-site', 'charlie-data', 'delta-archive', 'echo-vpce-only'];
const empty = () => ({ content: [toolUse('submit_report', { summary: 'Nothing found.', findings: [] })] });

describe('a model that answers in text instead of calling submit_report', () => {
  it('a final JSON block: after the nudges, its findings are kept, validated and labelled unverified', async () => {
    const answer = [
      'Here is my report.',
      '```json',
      JSON.stringify({
        summary: 'One bucket is public.',
        findings: [
          { severity: 'HIGH', title: 'bravo-public-site is publicly readable', resource: 'arn:aws:s3:::bravo-public-site', description: 'Its policy allows s3:GetObject to everyone.', recommendation: 'Turn on Block Public Access.' },
          { severity: 'catastrophic', title: 'x', resource: 'alpha-logs' },
        ],
      }),
      '```',
    ].join('\n');
    const { fake, run } = await runWith([{ content: [toolUse('list_s3_buckets', {})] }, { content: [text(answer)] }, { content: [text(answer)] }, { content: [text(answer)] }]);
    // Nudged twice first, then the text is read.
    expect(fake.modelRequests()).toHaveLength(4);
    expect(run).toMatchObject({ status: 'unverified', stopReason: 'no_report' });
    const report = JSON.parse(readFileSync(join(run.outputDir, 'report.json'), 'utf8'));
    expect(report.summary).toBe('One bucket is public.');
    expect(report.textAnswer).toMatchObject({ format: 'json', found: 2, kept: 1 });
    expect(report.textAnswer.problems[0]).toMatch(/^findings\.1: severity/);
    expect(report.findings).toEqual([
      expect.objectContaining({ verified: false, evidence: [], severity: 'high', resource: { id: 'arn:aws:s3:::bravo-public-site' }, remediation: 'Turn on Block Public Access.' }),
    ]);
    const markdown = readFileSync(join(run.outputDir, 'report.md'), 'utf8');
    expect(markdown).toContain('**Unverified.** The model never called submit_report');
    expect(markdown).toContain('| 1 | high | (unverified) bravo-public-site is publicly readable |');
  });

  it('Markdown naming resources: one finding per item that names a resource a tool returned', async () => {
    const answer = [
      'I reviewed the buckets.',
      '',
      '## Findings',
      '- **bravo-public-site** (critical): anyone can read objects through its bucket policy. Remediation: enable all four Block Public Access settings.',
      '- `charlie-data` has no default encryption (medium).',
      '- The account looks otherwise tidy.',
      '- `zulu-made-up` is public (high).',
    ].join('\n');
    const prose = { content: [text(answer)] };
    const { run } = await runWith([{ content: [toolUse('list_s3_buckets', {})] }, prose, prose, prose]);
    expect(run.status).toBe('unverified');
    expect(run.report.textAnswer).toMatchObject({ format: 'markdown', found: 2, kept: 2 });
    expect(run.report.summary).toBe('I reviewed the buckets.');
    expect(run.report.findings.map((f) => [f.resource.id, f.severity, f.verified])).toEqual([
      ['bravo-public-site', 'critical', false],
      ['charlie-data', 'medium', false],
    ]);
    expect(run.report.findings[0]!.remediation).toBe('enable all four Block Public Access settings.');
    expect(run.report.findings[1]!.remediation).toBe("Not stated in the model's text answer.");
  });

  it('prose without findings is no report, after two nudges', async () => {
    const prose = { content: [text('All buckets look fine to me.')] };
    const { fake, run } = await runWith([prose, prose, prose, prose]);
    expect(run).toMatchObject({ status: 'incomplete', stopReason: 'no_report' });
    expect(fake.modelRequests()).toHaveLength(3);
    expect(JSON.stringify(fake.modelRequests()[1]!.body.messages.at(-1))).toContain('calling the submit_report tool');
    expect(run.report.findings).toEqual([]);
  });
});

describe('a model that issues five tool calls in one turn', () => {
  it('runs them concurrently, at most four at once, and answers in the order of the calls', async () => {
    const before = agent.server.calls.length;
    const { fake, run } = await runWith([
      { content: BUCKETS.map((bucket) => toolUse('get_bucket_policy', { bucket })) },
      (req: RecordedRequest) => ({
        content: [
          toolUse('submit_report', {
            summary: 'bravo-public-site is public.',
            findings: [{ severity: 'high', title: 'Public bucket', resource: { id: 'bravo-public-site' }, description: 'Public read.', evidence: [{ callId: toolUseIds(req, 'get_bucket_policy')[1]! }], remediation: 'Block public access.' }],
          }),
        ],
      }),
    ]);
    expect(run.status).toBe('complete');
    const served = agent.server.calls.slice(before).filter((c) => c.tool === 'get_bucket_policy');
    expect(served).toHaveLength(5);
    const spans = served.map((c) => [c.startedAt.getTime(), c.startedAt.getTime() + c.durationMs] as const);
    const overlapAt = (t: number) => spans.filter(([s, e]) => s <= t && t < e).length;
    const peak = Math.max(...spans.map(([s]) => overlapAt(s)));
    // One after the other, no two calls would ever overlap; the bound keeps a fifth waiting.
    expect(peak).toBeGreaterThanOrEqual(2);
    expect(peak).toBeLessThanOrEqual(4);
    const ids = toolUseIds(fake.modelRequests()[1]!, 'get_bucket_policy');
    const results = lastToolResults(fake.modelRequests()[1]!);
    expect(results.map((r) => r.tool_use_id)).toEqual(ids);
    results.forEach((r, i) => expect(r.content).toContain(BUCKETS[i]));
    expect(run.report.toolCalls.slice(0, 5).map((c) => (c.arguments as { bucket: string }).bucket)).toEqual(BUCKETS);
    expect(run.report.usage.toolCalls).toBe(5);
  });

  it('counts each call of the turn against the tool-call budget', async () => {
    const { fake, run } = await runWith([{ content: BUCKETS.map((bucket) => toolUse('get_bucket_policy', { bucket })) }, empty], { budgets: { maxToolCalls: 3 } });
    expect(run.status).toBe('complete');
    const results = lastToolResults(fake.modelRequests()[1]!);
    expect(results.map((r) => r.is_error)).toEqual([false, false, false, true, true]);
    expect(results[3]!.content).toContain('tool-call budget of 3 calls is used up');
    expect(run.report.toolCalls.map((c) => c.outcome === 'refused')).toEqual([false, false, false, true, true]);
  });
});

describe('a model that cites an audit id that does not exist', () => {
  it('is refused with the ids that exist, and may cite the real audit request id instead', async () => {
    let auditId = '';
    const { fake, run } = await runWith([
      { content: [toolUse('get_bucket_policy', { bucket: 'bravo-public-site' })] },
      () => ({
        content: [
          toolUse('submit_report', {
            summary: 'One public bucket.',
            findings: [{ severity: 'high', title: 'Public bucket', resource: { id: 'bravo-public-site' }, description: 'Public read.', evidence: [{ callId: 'req-0000-not-a-call' }], remediation: 'Block public access.' }],
          }),
        ],
      }),
      (req: RecordedRequest) => {
        const first = (req.body.messages as Array<{ content: Array<{ type: string; content?: string }> }>)[2]!.content[0]!.content!;
        auditId = /\[audit request id: ([^\]]+)\]/.exec(first)![1]!;
        return {
          content: [
            toolUse('submit_report', {
              summary: 'One public bucket.',
              findings: [{ severity: 'high', title: 'Public bucket', resource: { id: 'bravo-public-site' }, description: 'Public read.', evidence: [{ callId: auditId }], remediation: 'Block public access.' }],
            }),
          ],
        };
      },
    ]);
    const [refusal] = lastToolResults(fake.modelRequests()[2]!);
    expect(refusal!.is_error).toBe(true);
    expect(refusal!.content).toContain('"req-0000-not-a-call" is neither the call id nor the audit request id of a successful tool call');
    expect(run).toMatchObject({ status: 'complete', stopReason: 'report_submitted' });
    const call = run.report.toolCalls[0]!;
    expect(call.auditRequestId).toBe(auditId);
    expect(run.report.findings[0]!.evidence[0]).toMatchObject({ callId: call.callId, tool: 'get_bucket_policy', auditRequestId: auditId });
  });
});

describe('a model that loops on the same call', () => {
  it('in one turn: runs it up to the limit, refuses the next, and stops the run on the one after', async () => {
    const same = () => toolUse('list_s3_buckets', { prefix: 'b' });
    const { run } = await runWith([{ content: [same(), same()] }, { content: [same(), same()] }]);
    expect(run).toMatchObject({ status: 'incomplete', stopReason: 'repeated_call' });
    expect(run.report.toolCalls.map((c) => c.outcome)).toEqual(['success', 'success', 'refused']);
  });
});

describe('a model that sends malformed tool JSON (OpenAI-compatible server)', () => {
  it('gets the parse error back without reaching the server, and carries on', async () => {
    const before = agent.server.calls.length;
    const fake = await startFakeOpenAi([
      { toolCalls: [{ id: 'call_1', name: 'get_bucket_policy', arguments: '{"bucket": "bravo-public-site"' }] },
      (req) => {
        const tool = (req.body.messages as Array<{ role: string; content: string }>).find((m) => m.role === 'tool')!;
        expect(tool.content).toMatch(/^ERROR: The arguments for get_bucket_policy could not be read: the arguments are not valid JSON/);
        return { toolCalls: [{ id: 'call_2', name: 'get_bucket_policy', arguments: '{"bucket":"bravo-public-site"}' }], usage: { prompt_tokens: 900, completion_tokens: 50, prompt_tokens_details: { cached_tokens: 768 } } };
      },
      {
        toolCalls: [
          {
            id: 'call_3',
            name: 'submit_report',
            arguments: JSON.stringify({ summary: 'Public.', findings: [{ severity: 'high', title: 'Public bucket', resource: { id: 'bravo-public-site' }, description: 'Public read.', evidence: [{ callId: 'call_2' }], remediation: 'Block it.' }] }),
          },
        ],
      },
    ]);
    agent.track(fake);
    const { cwd } = scratch();
    const run = await runAgentForTest({ endpoint: env.endpoint, cwd, modelEnv: { OPENAI_BASE_URL: fake.url, ...agent.server.tokenEnv }, extra: { ...viaHttp(agent.server), provider: 'openai', model: 'qwen2.5:7b' } });
    expect(run.status).toBe('complete');
    expect(run.report.toolCalls.map((c) => [c.callId, c.outcome])).toEqual([
      ['call_1', 'refused'],
      ['call_2', 'success'],
    ]);
    expect(agent.server.calls.slice(before).map((c) => c.tool)).toEqual(['get_bucket_policy']);
    // The server's cached-token count is kept.
    expect(run.report.usage).toMatchObject({ cacheReadTokens: 768, cacheWriteTokens: 0 });
  });
});

describe('a model that hits every budget', () => {
  // It never submits: each turn it asks for something new, and a lot of it.
  let n = 0;
  const wander = () => ({ content: [toolUse('list_s3_buckets', { prefix: '', limit: 1000 - ++n })], usage: { input_tokens: 4_000, output_tokens: 500 } });
  const budgets: Array<[string, Partial<LoopBudgets>, string, (run: Awaited<ReturnType<typeof runWith>>) => void]> = [
    [
      'turns',
      { maxTurns: 2 },
      'max_turns',
      ({ fake }) => {
        expect(fake.modelRequests()).toHaveLength(2);
        // On its last turn the model was asked for the report.
        expect(JSON.stringify(fake.modelRequests()[1]!.body.messages.at(-1).content)).toContain('call submit_report in your next turn');
      },
    ],
    [
      'tokens',
      { maxTokens: 12_000 },
      'max_tokens',
      ({ fake, run }) => {
        expect(run.report.usage).toMatchObject({ inputTokens: 12_000, outputTokens: 1_500 });
        // Each turn's output is capped at what is left of the budget.
        expect(fake.modelRequests().map((r) => r.body.max_tokens)).toEqual([8_192, 7_500, 3_000]);
      },
    ],
    ['tool calls', { maxToolCalls: 1, maxTurns: 2 }, 'max_turns', ({ run }) => expect(run.report.toolCalls.map((c) => c.outcome)).toEqual(['success', 'refused'])],
    [
      'wall clock',
      { timeoutMs: 1 },
      'timeout',
      ({ fake, run }) => {
        expect(run.report.stopDetail).toContain('wall-clock budget');
        expect(fake.remaining()).toBeGreaterThan(0);
      },
    ],
    [
      'result size',
      { maxToolResultChars: 150, maxTurns: 2 },
      'max_turns',
      ({ fake }) => expect(lastToolResults(fake.modelRequests()[1]!)[0]!.content).toMatch(/\[Result cut to fit the context: \d+ of \d+ characters shown/),
    ],
  ];
  it.each(budgets)('%s', async (_name, budget, stopReason, check) => {
    const result = await runWith([wander, wander, wander, wander], { budgets: budget });
    expect(result.run).toMatchObject({ status: 'incomplete', stopReason });
    check(result);
  });

  it('invalid reports', async () => {
    const bad = () => ({ content: [toolUse('submit_report', { summary: 'x', findings: 'none' })] });
    const { fake, run } = await runWith([bad, bad, bad], { budgets: { maxReportAttempts: 2 } });
    expect(run).toMatchObject({ status: 'incomplete', stopReason: 'invalid_report' });
    expect(fake.modelRequests()).toHaveLength(2);
  });
});
