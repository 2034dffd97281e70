/**
 * The agent end to end: the real Anthropic SDK against a scripted Messages API, the real
 * MCP server spawned from the built CLI over stdio, and the sandbox behind it. The article's
 * task runs to a report, proposals that apply cleanly, and nothing written outside --output.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { useSandbox, loadTestAccount, fixturePath } from '../test-support/sandbox.js';
import { startFakeAnthropic, toolUse, toolUseIds, lastToolResults, text, type AnthropicReply } from '../test-support/fake-anthropic.js';
import { startFakeOpenAi } from '../test-support/fake-openai.js';
import type { FakeModelServer, RecordedRequest } from '../test-support/fake-model-server.js';
import { runAgentForTest, scratch } from '../test-support/agent-run.js';
import type { AgentReport } from './report-schema.js';

// The S3 fixture account plus one more public bucket that Terraform does not manage.
const account = structuredClone(loadTestAccountJson());
account.S3.Buckets.push({
  Name: 'foxtrot-downloads',
  CreationDate: '2024-08-01T09:00:00Z',
  Region: 'us-east-1',
  Policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::foxtrot-downloads/*' }] },
});

function loadTestAccountJson() {
  // Validated by the real loader first, then used as an inline object.
  loadTestAccount('s3-account.json');
  return JSON.parse(readFileSync(fixturePath('s3-account.json'), 'utf8'));
}

const env = useSandbox(account);
const fakes: FakeModelServer[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function anthropic(script: Parameters<typeof startFakeAnthropic>[0]) {
  const fake = await startFakeAnthropic(script);
  fakes.push(fake);
  return fake;
}

const validateReportFile = (() => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv.compile(JSON.parse(readFileSync(fixturePath('../../../schemas/agent-report.schema.json'), 'utf8')));
})();

function submit(request: RecordedRequest): AnthropicReply {
  const [list] = toolUseIds(request, 'list_s3_buckets');
  const policies = toolUseIds(request, 'get_bucket_policy');
  return {
    content: [
      text('Two buckets are readable by anyone.'),
      toolUse('submit_report', {
        summary: 'Audited 6 buckets; 2 allow public read through their bucket policy.',
        findings: [
          {
            severity: 'high',
            title: 'bravo-public-site allows public read',
            checkId: 's3_bucket_public_access_block',
            resource: { id: 'arn:aws:s3:::bravo-public-site', type: 'AWS::S3::Bucket', region: 'us-east-1' },
            description: 'Its policy grants s3:GetObject to Principal "*" and Block Public Access is off.',
            evidence: [{ callId: list }, { callId: policies[0], note: 'Statement PublicRead: Principal "*", s3:GetObject' }],
            remediation: 'Turn on all four Block Public Access settings for the bucket.',
          },
          {
            severity: 'high',
            title: 'foxtrot-downloads allows public read',
            checkId: 's3_bucket_public_access_block',
            resource: { id: 'foxtrot-downloads' },
            description: 'Its policy grants s3:GetObject to everyone.',
            evidence: [{ callId: policies[1] }],
            remediation: 'Bring the bucket under Terraform and block public access.',
          },
        ],
      }),
    ],
    usage: { input_tokens: 5000, output_tokens: 800 },
  };
}

describe('agent: the article task, end to end', () => {
  it('runs the tool loop to a valid report, proposals that apply, and writes only its output folder', async () => {
    const fake = await anthropic([
      { content: [text('Listing buckets.'), toolUse('list_s3_buckets', {})] },
      { content: [toolUse('get_bucket_policy', { bucket: 'bravo-public-site' }), toolUse('get_bucket_policy', { bucket: 'foxtrot-downloads' })] },
      submit,
    ]);
    const { cwd, configDir } = scratch();
    const run = await runAgentForTest({ endpoint: env.endpoint, cwd, configDir, modelEnv: { ANTHROPIC_API_KEY: 'sk-test', ANTHROPIC_BASE_URL: fake.url } });

    expect(run).toMatchObject({ status: 'complete', stopReason: 'report_submitted' });
    // The only thing in the working directory is the default output folder.
    expect(readdirSync(cwd)).toEqual([`infra-audit-agent-${run.runId}`]);
    expect(readdirSync(run.outputDir).sort()).toEqual(['audit.jsonl', 'proposals', 'report.json', 'report.md']);
    expect(run.files.sort()).toEqual(
      ['report.json', 'report.md', 'proposals/01-s3-bucket-public-access-block-bravo-public-site/README.md', 'proposals/01-s3-bucket-public-access-block-bravo-public-site/change.patch', 'proposals/02-s3-bucket-public-access-block-foxtrot-downloads/README.md', 'proposals/02-s3-bucket-public-access-block-foxtrot-downloads/imports.tf'].sort(),
    );

    // What the model was sent: the server's tools plus submit_report, the authority statement, the key.
    const first = fake.modelRequests()[0]!;
    expect(first.headers.authorization).toBe('Bearer sk-test');
    expect(first.body.model).toBe('claude-sonnet-5-5');
    expect(first.body.tools.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['list_s3_buckets', 'get_bucket_policy', 'whoami', 'suggest_remediation', 'submit_report']));
    expect(first.body.system[0].text).toContain('no shell, no file system and no network access of your own');
    expect(first.body.system[0].text).toMatch(/Prefer batch tools/);
    // The tool results went back as tool_result blocks carrying the call id and fenced data.
    const results = lastToolResults(fake.modelRequests()[2]!);
    expect(results).toHaveLength(2);
    expect(results[0]!.content).toMatch(/^\[call id: toolu_fake_\d+\] \[audit request id: [^\]]+\]\n[\s\S]*<untrusted-data>[\s\S]*PublicRead/);
    expect(results.every((r) => r.is_error === false)).toBe(true);

    const report = JSON.parse(readFileSync(join(run.outputDir, 'report.json'), 'utf8')) as AgentReport;
    expect(validateReportFile(report), JSON.stringify(validateReportFile.errors)).toBe(true);
    expect(report.findings).toHaveLength(2);
    expect(report.findings[0]!.evidence[1]).toMatchObject({ tool: 'get_bucket_policy', arguments: { bucket: 'bravo-public-site' }, note: expect.stringContaining('PublicRead') });
    expect(report.findings[0]!.proposal).toMatchObject({ kind: 'patch', terraformAddress: 'aws_s3_bucket_public_access_block.site', file: 'main.tf' });
    expect(report.findings[1]!.proposal).toMatchObject({ kind: 'import' });
    expect(report.usage).toMatchObject({ inputTokens: 7000, outputTokens: 1000, cacheReadTokens: 0, cacheWriteTokens: 0, turns: 3, toolCalls: 5 });
    expect(report.usage.perTurn.map((t) => t.inputTokens)).toEqual([1000, 1000, 5000]);
    // 7000 in at $2/M + 1000 out at $10/M
    expect(report.cost).toEqual({ currency: 'USD', estimate: 0.024, inputPerMillionTokens: 2, outputPerMillionTokens: 10, cacheReadPerMillionTokens: 0.2, cacheWritePerMillionTokens: 2.5 });
    expect(report.findings.every((f) => f.verified)).toBe(true);
    expect(report.toolCalls.map((c) => c.tool)).toEqual(['list_s3_buckets', 'get_bucket_policy', 'get_bucket_policy', 'suggest_remediation', 'suggest_remediation']);

    // Every tool call of the run is in the server's audit log under the run id, and the
    // request ids the report cites are the records' api.request.uid.
    const records = readFileSync(join(run.outputDir, 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { api: { operation: string; request?: { uid: string } }; unmapped: { record_type: string; caller?: { agent_run_id?: string } } });
    const toolRecords = records.filter((r) => r.unmapped.record_type === 'mcp.tools/call');
    expect(toolRecords.map((r) => r.api.operation)).toEqual(report.toolCalls.map((c) => c.tool));
    for (const r of toolRecords) expect(r.unmapped.caller?.agent_run_id).toBe(run.runId);
    expect(toolRecords.map((r) => r.api.request!.uid)).toEqual(report.toolCalls.map((c) => c.auditRequestId));
    expect(report.findings[0]!.evidence[1]!.auditRequestId).toBe(report.toolCalls[1]!.auditRequestId);

    // The patch applies to a copy of the Terraform the server read, and the README says how.
    const proposal = join(run.outputDir, report.findings[0]!.proposal!.folder!);
    const copy = mkdtempSync(join(tmpdir(), 'agent-apply-'));
    cpSync(configDir, copy, { recursive: true });
    execFileSync('git', ['apply', '--check', join(proposal, 'change.patch')], { cwd: copy, stdio: 'pipe' });
    // …and the README's own commands work as written.
    const readme = readFileSync(join(proposal, 'README.md'), 'utf8');
    for (const line of readme.split('\n').filter((l) => l.startsWith('patch -p1'))) execFileSync('sh', ['-c', line], { cwd: copy, stdio: 'pipe' });
    expect(readFileSync(join(copy, 'main.tf'), 'utf8')).toMatch(/restrict_public_buckets = true/);
    rmSync(copy, { recursive: true, force: true });
    expect(readme).toContain(`terraform -chdir=${configDir} plan`);
    expect(readme).toContain('**Nothing has been applied.**');
    expect(readme).toContain(run.runId);
    // The Terraform the server read is untouched.
    expect(readFileSync(join(configDir, 'main.tf'), 'utf8')).toBe(readFileSync(fixturePath('agent-terraform/main.tf'), 'utf8'));

    const markdown = readFileSync(join(run.outputDir, 'report.md'), 'utf8');
    expect(markdown).toContain('| 1 | high | bravo-public-site allows public read | arn:aws:s3:::bravo-public-site |');
    expect(markdown).toContain('an estimate from list prices');
    // Progress: one line per tool call with its outcome and duration.
    expect(run.progress).toMatch(/#1 list_s3_buckets \{\} -> ok \(\d+ ms\)/);
    expect(run.progress).toMatch(/#2 get_bucket_policy \{"bucket":"bravo-public-site"\} -> ok/);
  });

  it('retries 429 and 529 from the Messages API with backoff, then carries on', async () => {
    const fake = await anthropic([
      { status: 429, errorType: 'rate_limit_error' },
      { status: 529, errorType: 'overloaded_error' },
      { content: [toolUse('list_s3_buckets', { prefix: 'bravo' })] },
      () => ({ content: [toolUse('submit_report', { summary: 'Nothing public among the listed buckets.', findings: [] })], usage: { input_tokens: 10, output_tokens: 10 }, model: 'claude-sonnet-4-5-20250929' }),
    ]);
    const { cwd } = scratch();
    const run = await runAgentForTest({ endpoint: env.endpoint, cwd, modelEnv: { ANTHROPIC_API_KEY: 'sk-test', ANTHROPIC_BASE_URL: fake.url } });
    expect(run.status).toBe('complete');
    const requests = fake.modelRequests();
    expect(requests).toHaveLength(4);
    // The SDK re-sent the same request, and said so.
    expect(requests[1]!.body).toEqual(requests[0]!.body);
    expect(requests[2]!.body).toEqual(requests[0]!.body);
    expect(requests[2]!.headers['x-stainless-retry-count']).toBe('2');
    expect(run.report.model).toBe('claude-sonnet-4-5-20250929');
    expect(run.report.cost.estimate).not.toBe('unknown');
  });

  it('stops with model_error after the retries are spent, and still writes a partial report', async () => {
    const fake = await anthropic(Array.from({ length: 4 }, () => ({ status: 529, errorType: 'overloaded_error' })));
    const { cwd } = scratch();
    const run = await runAgentForTest({ endpoint: env.endpoint, cwd, modelEnv: { ANTHROPIC_API_KEY: 'sk-test', ANTHROPIC_BASE_URL: fake.url } });
    expect(fake.modelRequests()).toHaveLength(4); // one try and maxRetries = 3
    expect(run).toMatchObject({ status: 'incomplete', stopReason: 'model_error' });
    expect(run.report.stopDetail).toContain('529');
    expect(existsSync(join(run.outputDir, 'report.json'))).toBe(true);
  });

  it('works with an OpenAI-compatible chat-completions server (one tool round trip, after a retried 429)', async () => {
    const fake = await startFakeOpenAi([
      { status: 429, message: 'Rate limit reached' },
      { toolCalls: [{ id: 'call_1', name: 'get_bucket_policy', arguments: '{"bucket":"foxtrot-downloads"}' }] },
      (req) => {
        const tool = (req.body.messages as Array<{ role: string; tool_call_id?: string; content: string }>).find((m) => m.role === 'tool')!;
        expect(tool.tool_call_id).toBe('call_1');
        return {
          toolCalls: [
            {
              id: 'call_2',
              name: 'submit_report',
              arguments: JSON.stringify({
                summary: 'foxtrot-downloads is public.',
                findings: [{ severity: 'high', title: 'Public read on foxtrot-downloads', resource: { id: 'foxtrot-downloads' }, description: 'Principal * may GetObject.', evidence: [{ callId: 'call_1' }], remediation: 'Block public access.' }],
              }),
            },
          ],
        };
      },
    ]);
    fakes.push(fake);
    const { cwd } = scratch();
    const run = await runAgentForTest({
      endpoint: env.endpoint,
      cwd,
      modelEnv: { OPENAI_BASE_URL: fake.url },
      extra: { provider: 'openai', model: 'qwen2.5:14b', output: 'out' },
    });
    expect(run).toMatchObject({ status: 'complete', outputDir: join(cwd, 'out') });
    const [first, retried] = fake.modelRequests();
    expect(fake.modelRequests()).toHaveLength(3);
    expect(retried!.body).toEqual(first!.body);
    expect(first!.body.messages[0]).toMatchObject({ role: 'system' });
    expect(first!.body.tools.find((t: { function: { name: string } }) => t.function.name === 'submit_report')).toBeTruthy();
    expect(first!.body.max_tokens).toBeGreaterThan(0); // a local server: max_tokens, not max_completion_tokens
    expect(run.report.findings[0]!.evidence[0]).toMatchObject({ tool: 'get_bucket_policy', arguments: { bucket: 'foxtrot-downloads' } });
    expect(run.report.cost.estimate).toBe('unknown');
    expect(readdirSync(cwd)).toEqual(['out']);
  });

  it('refuses an --output that is a file, before starting anything', async () => {
    const fake = await anthropic([]);
    const { cwd } = scratch();
    writeFileSync(join(cwd, 'taken'), 'x');
    await expect(runAgentForTest({ endpoint: env.endpoint, cwd, modelEnv: { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: fake.url }, extra: { output: 'taken' } })).rejects.toThrow(/exists and is not a directory/);
    expect(fake.requests).toHaveLength(0);
  });
});
