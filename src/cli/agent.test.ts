/** `infra-audit agent` as a user runs it: the no-key message, flag checks, and the built CLI end to end. */
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main.js';
import { bufferIO } from './io.js';
import { useSandbox } from '../test-support/sandbox.js';
import { startFakeAnthropic, toolUse } from '../test-support/fake-anthropic.js';
import type { FakeModelServer } from '../test-support/fake-model-server.js';
import { BUILT_CLI, runAgentForTest } from '../test-support/agent-run.js';

const run = promisify(execFile);
const TASK = 'Audit all S3 buckets. Find any with public read access. Return a structured findings report with a remediation step for each.';
const fakes: FakeModelServer[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

function emptyCwd(): string {
  return scratchDir();
}

function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'agent-cli-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('infra-audit agent (CLI)', () => {
  const env = useSandbox('s3-account.json');

  it('without a model key exits 2 with one line saying what it needs and pointing to the LLM-free audit', async () => {
    for (const argv of [['agent', TASK], ['agent', TASK, '--provider', 'openai']]) {
      const cwd = emptyCwd();
      const io = bufferIO({ cwd, env: { PATH: process.env.PATH ?? '' } });
      expect(await main(argv, io)).toBe(2);
      const lines = io.err().trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^infra-audit: the agent needs a model: set ANTHROPIC_API_KEY, or use --provider openai with OPENAI_BASE_URL .*run `infra-audit audit`$/);
      expect(readdirSync(cwd)).toEqual([]);
    }
    // The near miss: an OpenAI-compatible local server needs no key, only its URL (it then fails later, on the flag).
    const io = bufferIO({ cwd: emptyCwd(), env: { PATH: process.env.PATH ?? '', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' } });
    expect(await main(['agent', TASK, '--provider', 'openai', '--mcp-token-env', 'X'], io)).toBe(2);
    expect(io.err()).toContain('--mcp-token-env goes with --mcp-url');
  });

  it('refuses bad flags with usage errors', async () => {
    const io = bufferIO({ cwd: emptyCwd(), env: { ANTHROPIC_API_KEY: 'k' } });
    expect(await main(['agent', TASK, '--provider', 'gemini'], io)).toBe(2);
    expect(io.err()).toContain('--provider must be anthropic or openai');
    const io2 = bufferIO({ cwd: emptyCwd(), env: { ANTHROPIC_API_KEY: 'k' } });
    expect(await main(['agent', TASK, '--max-turns', '0'], io2)).toBe(2);
    expect(io2.err()).toContain('--max-turns expects a whole number of at least 1');
    const io3 = bufferIO({ cwd: scratchDir(), env: { ANTHROPIC_API_KEY: 'k' } });
    expect(await main(['agent', TASK, '--mcp-url', 'http://127.0.0.1:9/mcp', '--config', './infra', '--endpoint-url', 'http://x'], io3)).toBe(2);
    expect(io3.err()).toContain('--endpoint-url, --config configure the server the agent starts itself');
  });

  it('runs end to end from the built CLI: progress on stderr, the output folder on stdout, exit 0', async () => {
    const fake = await startFakeAnthropic([{ content: [toolUse('list_s3_buckets', {})] }, { content: [toolUse('submit_report', { summary: 'No bucket checked in depth.', findings: [] })] }]);
    fakes.push(fake);
    const cwd = emptyCwd();
    const { stdout, stderr } = await run(
      process.execPath,
      [BUILT_CLI, 'agent', TASK, '--endpoint-url', env.endpoint, '--region', 'us-east-1', '--output', 'audit-out', '--max-turns', '4', '--model', 'claude-haiku-4-5'],
      { cwd, env: { ...process.env, ANTHROPIC_API_KEY: 'sk-test', ANTHROPIC_BASE_URL: fake.url }, timeout: 60_000 },
    );
    expect(stdout).toBe(`${join(cwd, 'audit-out')}\n`);
    expect(stderr).toMatch(/\[agent [0-9TZ]+-[0-9a-f]{6}\] anthropic claude-haiku-4-5; MCP infra-audit-mcp 0\.1\.0 over stdio with \d+ tools/);
    expect(stderr).toMatch(/#1 list_s3_buckets \{\} -> ok \(\d+ ms\)/);
    expect(fake.modelRequests()[0]!.body.model).toBe('claude-haiku-4-5');
    const report = JSON.parse(readFileSync(join(cwd, 'audit-out', 'report.json'), 'utf8'));
    expect(report).toMatchObject({ status: 'complete', model: 'claude-haiku-4-5', cost: { inputPerMillionTokens: 1, outputPerMillionTokens: 5 } });
    expect(readdirSync(cwd)).toEqual(['audit-out']);
  });

  it('exits 1 when the run stops before a report, having written the partial one', async () => {
    const prose = { content: [{ type: 'text' as const, text: 'Looks fine.' }] };
    const fake = await startFakeAnthropic([prose, prose, prose]);
    fakes.push(fake);
    const cwd = emptyCwd();
    const failed = await run(process.execPath, [BUILT_CLI, 'agent', TASK, '--endpoint-url', env.endpoint, '--region', 'us-east-1', '--output', 'o'], {
      cwd,
      env: { ...process.env, ANTHROPIC_API_KEY: 'sk-test', ANTHROPIC_BASE_URL: fake.url },
      timeout: 60_000,
    }).catch((e: { code: number; stderr: string }) => e);
    expect((failed as { code: number }).code).toBe(1);
    expect(existsSync(join(cwd, 'o', 'report.json'))).toBe(true);
  });

  it('exits 3 with an unverified report when the model answers with findings in text', async () => {
    const answer = { content: [{ type: 'text' as const, text: '```json\n{"findings":[{"severity":"high","title":"Public bucket","resource":"bravo-public-site","description":"Anyone can read it.","remediation":"Block public access."}]}\n```' }] };
    const fake = await startFakeAnthropic([answer, answer, answer]);
    fakes.push(fake);
    const cwd = emptyCwd();
    const failed = await run(process.execPath, [BUILT_CLI, 'agent', TASK, '--endpoint-url', env.endpoint, '--region', 'us-east-1', '--output', 'o'], {
      cwd,
      env: { ...process.env, ANTHROPIC_API_KEY: 'sk-test', ANTHROPIC_BASE_URL: fake.url },
      timeout: 60_000,
    }).catch((e: { code: number; stderr: string }) => e);
    expect((failed as { code: number }).code).toBe(3);
    expect((failed as { stderr: string }).stderr).toContain("read 1 of 1 finding(s) from the model's json text answer, marked unverified");
    const report = JSON.parse(readFileSync(join(cwd, 'o', 'report.json'), 'utf8'));
    expect(report).toMatchObject({ status: 'unverified', findings: [{ verified: false, resource: { id: 'bravo-public-site' } }] });
  });

  it('--dry-run prints the tools, the system prompt and the first request exactly as a run sends it, with no key and no files', async () => {
    const cwd = emptyCwd();
    const { ANTHROPIC_API_KEY: _k, OPENAI_API_KEY: _o, ...noKeys } = process.env;
    const io = bufferIO({ cwd, env: noKeys });
    expect(await main(['agent', '--dry-run', TASK, '--endpoint-url', env.endpoint, '--region', 'us-east-1', '--max-tool-calls', '12'], io)).toBe(0);
    const out = io.out();
    expect(out).toMatch(/^# infra-audit agent --dry-run: anthropic claude-sonnet-5-5 \(no model was called\)/);
    expect(out).toMatch(/## Tools offered to the model \(\d+\)\n\n- [\s\S]*- get_bucket_policy: [\s\S]*- submit_report: End the run/);
    expect(out).toContain('## System prompt\n\nYou are the infra-audit agent.');
    expect(out).toContain('at most 12 tool calls');
    expect(out).toMatch(/The first request is \d+ characters, about \d+ input tokens/);
    expect(out).toMatch(/about \$\d+\.\d{4} of input per turn uncached; \$\d+\.\d{4} when read from the prompt cache/);
    expect(readdirSync(cwd)).toEqual([]);
    const printed = JSON.parse(/## The first request \(POST \/v1\/messages\)\n\n([\s\S]*?)\n\n## Size and cost/.exec(out)![1]!);

    // The request a real run sends first is the one printed.
    const fake = await startFakeAnthropic([{ content: [toolUse('submit_report', { summary: 'Nothing checked.', findings: [] })] }]);
    fakes.push(fake);
    await runAgentForTest({ task: TASK, endpoint: env.endpoint, cwd: scratchDir(), modelEnv: { ANTHROPIC_API_KEY: 'sk-test', ANTHROPIC_BASE_URL: fake.url }, extra: { budgets: { maxToolCalls: 12 } } });
    expect(fake.modelRequests()[0]!.body).toEqual(printed);
  });
});
