/**
 * How the loop treats a model that misbehaves: bad arguments, unknown tools, repeating
 * itself across turns, submitting an invalid report (the budgets and the other misbehaviours
 * are in behaviour.test.ts). Each is
 * an error the model can read or a stop with a named reason, never a crash. Real SDK against
 * a scripted Messages API; the real server over Streamable HTTP; the sandbox behind it.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useSandbox } from '../test-support/sandbox.js';
import { toolUse, toolUseIds, lastToolResults, text } from '../test-support/fake-anthropic.js';
import { useAgentMcpServer } from '../test-support/agent-run.js';
import type { AgentOptions } from './run.js';

const env = useSandbox('s3-account.json');
const agent = useAgentMcpServer(env);
const runWith = (script: Parameters<typeof agent.runAnthropic>[0], extra: Partial<AgentOptions> = {}) => agent.runAnthropic(script, extra);

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

});
