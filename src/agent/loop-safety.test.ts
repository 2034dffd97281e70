/**
 * How the loop treats a model that misbehaves: bad arguments, unknown tools, repeating
 * itself, spending its budgets, submitting an invalid report, never submitting one. Each is
 * an error the model can read or a stop with a named reason, never a crash. Real SDK against
 * a scripted Messages API; the real server over stdio; the sandbox behind it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { useSandbox } from '../test-support/sandbox.js';
import { startFakeAnthropic, toolUse, toolUseIds, lastToolResults, text } from '../test-support/fake-anthropic.js';
import type { FakeModelServer } from '../test-support/fake-model-server.js';
import { runAgentForTest, scratch } from '../test-support/agent-run.js';
import type { AgentOptions } from './run.js';

const env = useSandbox('s3-account.json');
const fakes: FakeModelServer[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function runWith(script: Parameters<typeof startFakeAnthropic>[0], extra: Partial<AgentOptions> = {}) {
  const fake = await startFakeAnthropic(script);
  fakes.push(fake);
  const { cwd } = scratch();
  const run = await runAgentForTest({ endpoint: env.endpoint, cwd, modelEnv: { ANTHROPIC_API_KEY: 'sk-test', ANTHROPIC_BASE_URL: fake.url }, extra });
  return { fake, run, cwd };
}

const emptyReport = () => ({ content: [toolUse('submit_report', { summary: 'Nothing found.', findings: [] })] });

describe('agent loop safety', () => {
  it('answers a malformed tool input with the validation error, as an is_error tool_result', async () => {
    const { fake, run } = await runWith([{ content: [toolUse('get_bucket_policy', { bucket: 'Not A Bucket!' })] }, emptyReport]);
    expect(run.status).toBe('complete');
    const [result] = lastToolResults(fake.modelRequests()[1]!);
    expect(result!.is_error).toBe(true);
    expect(result!.content).toContain('an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens');
    expect(run.report.toolCalls[0]).toMatchObject({ tool: 'get_bucket_policy', outcome: 'error' });
    expect(run.progress).toMatch(/#1 get_bucket_policy \{"bucket":"Not A Bucket!"\} -> error: .*bucket/);
  });

  it('answers a tool that does not exist with an error listing the tools that do', async () => {
    const { fake, run } = await runWith([{ content: [toolUse('terraform_apply', { target: 'all' })] }, emptyReport]);
    expect(run.status).toBe('complete');
    const [result] = lastToolResults(fake.modelRequests()[1]!);
    expect(result!.is_error).toBe(true);
    expect(result!.content).toMatch(/Unknown tool "terraform_apply"\. The available tools are: .*get_bucket_policy.*list_s3_buckets.*submit_report/);
    // It never reached the server.
    expect(run.report.toolCalls).toEqual([expect.objectContaining({ tool: 'terraform_apply', outcome: 'refused' })]);
    expect(run.report.usage.toolCalls).toBe(0);
  });

  it('warns a model that repeats the same call, then stops it', async () => {
    const same = () => ({ content: [text('Let me check again.'), toolUse('list_s3_buckets', { limit: 5, prefix: 'a' })] });
    const sameReordered = () => ({ content: [toolUse('list_s3_buckets', { prefix: 'a', limit: 5 })] });
    const { fake, run } = await runWith([same, sameReordered, same, same, same]);
    expect(run).toMatchObject({ status: 'incomplete', stopReason: 'repeated_call' });
    expect(fake.modelRequests()).toHaveLength(4);
    const [warning] = lastToolResults(fake.modelRequests()[3]!);
    expect(warning!.is_error).toBe(true);
    expect(warning!.content).toContain('with these exact arguments 3 times');
    // Two real calls; the third was refused, the fourth ended the run.
    expect(run.report.toolCalls.map((c) => c.outcome)).toEqual(['success', 'success', 'refused']);
    // A partial report is still written, saying why it stopped.
    const written = JSON.parse(readFileSync(join(run.outputDir, 'report.json'), 'utf8'));
    expect(written).toMatchObject({ status: 'incomplete', stopReason: 'repeated_call', findings: [] });
  });

  it('stops at the turn budget, after asking for the report on the last turn', async () => {
    let n = 0;
    const wander = () => ({ content: [toolUse('list_s3_buckets', { prefix: `p${++n}` })] });
    const { fake, run } = await runWith([wander, wander, wander, wander], { budgets: { maxTurns: 3 } });
    expect(run).toMatchObject({ status: 'incomplete', stopReason: 'max_turns' });
    expect(fake.modelRequests()).toHaveLength(3);
    const lastMessage = fake.modelRequests()[2]!.body.messages.at(-1);
    expect(JSON.stringify(lastMessage.content)).toContain('call submit_report in your next turn');
  });

  it('refuses calls past the tool-call budget and says so', async () => {
    const { fake, run } = await runWith(
      [{ content: [toolUse('list_s3_buckets', {}), toolUse('whoami', {}), toolUse('get_bucket_policy', { bucket: 'alpha-logs' })] }, emptyReport],
      { budgets: { maxToolCalls: 2 } },
    );
    expect(run.status).toBe('complete');
    const results = lastToolResults(fake.modelRequests()[1]!);
    expect(results.map((r) => r.is_error)).toEqual([false, false, true]);
    expect(results[2]!.content).toContain('tool-call budget of 2 calls is used up');
  });

  it('stops when the token budget is spent, capping each turn at what is left', async () => {
    const big = () => ({ content: [toolUse('whoami', {})], usage: { input_tokens: 30_000, output_tokens: 2_000 } });
    const { fake, run } = await runWith([big, big, big], { budgets: { maxTokens: 36_000 } });
    expect(run).toMatchObject({ status: 'incomplete', stopReason: 'max_tokens' });
    expect(fake.modelRequests()).toHaveLength(2);
    expect(run.report.usage).toMatchObject({ inputTokens: 60_000, outputTokens: 4_000 });
    expect(fake.modelRequests()[0]!.body.max_tokens).toBe(8_192);
    expect(fake.modelRequests()[1]!.body.max_tokens).toBe(4_000);
  });

  it('returns an invalid report to the model with the problems, and accepts the fixed one', async () => {
    const { fake, run } = await runWith([
      { content: [toolUse('get_bucket_policy', { bucket: 'bravo-public-site' })] },
      () => ({
        content: [toolUse('submit_report', { summary: 'One public bucket.', findings: [{ severity: 'urgent', title: 'Public bucket', resource: { id: 'bravo-public-site' }, description: 'Public read.', evidence: [{ callId: 'toolu_invented' }] }] })],
      }),
      (req) => ({
        content: [
          toolUse('submit_report', {
            summary: 'One public bucket.',
            findings: [{ severity: 'high', title: 'Public bucket', resource: { id: 'bravo-public-site' }, description: 'Public read.', evidence: [{ callId: toolUseIds(req, 'get_bucket_policy')[0] }], remediation: 'Block public access.' }],
          }),
        ],
      }),
    ]);
    expect(run).toMatchObject({ status: 'complete', stopReason: 'report_submitted' });
    const [problem] = lastToolResults(fake.modelRequests()[2]!);
    expect(problem!.is_error).toBe(true);
    expect(problem!.content).toContain('findings.0.severity');
    expect(problem!.content).toContain('findings.0.remediation');
    expect(run.report.findings[0]!.evidence[0]!.tool).toBe('get_bucket_policy');
  });

  it('gives up after three invalid reports', async () => {
    const bad = () => ({ content: [toolUse('submit_report', { summary: 'x', findings: 'none' })] });
    const { fake, run } = await runWith([bad, bad, bad, bad]);
    expect(run).toMatchObject({ status: 'incomplete', stopReason: 'invalid_report' });
    expect(fake.modelRequests()).toHaveLength(3);
  });

  it('nudges a model that answers in prose, then stops it', async () => {
    const prose = () => ({ content: [text('All buckets look fine to me.')] });
    const { fake, run } = await runWith([prose, prose, prose, prose]);
    expect(run).toMatchObject({ status: 'incomplete', stopReason: 'no_report' });
    expect(fake.modelRequests()).toHaveLength(3);
    expect(JSON.stringify(fake.modelRequests()[1]!.body.messages.at(-1))).toContain('calling the submit_report tool');
  });

  it('stops at the wall-clock budget, aborting the request in flight', async () => {
    const { fake, run, cwd } = await runWith([{ content: [toolUse('whoami', {})] }, emptyReport], { budgets: { timeoutMs: 1 } });
    expect(run).toMatchObject({ status: 'incomplete', stopReason: 'timeout' });
    expect(run.report.stopDetail).toContain('wall-clock budget');
    expect(fake.remaining()).toBeGreaterThan(0);
    expect(readdirSync(cwd)).toHaveLength(1);
  });
});
