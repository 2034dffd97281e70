/**
 * Helpers for agent tests: a scripted model, the real MCP server spawned from the built CLI
 * over stdio, the sandbox behind it, and a scratch working directory.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { onTestFinished } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAgent, type AgentOptions, type AgentRunResult } from '../agent/run.js';
import { fixturePath } from './sandbox.js';

export const BUILT_CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** A scratch directory holding a copy of the agent Terraform fixture, and an empty cwd; removed when the test ends. */
export function scratch(): { cwd: string; configDir: string } {
  const root = mkdtempSync(join(tmpdir(), 'agent-test-'));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  const configDir = join(root, 'infra');
  cpSync(fixturePath('agent-terraform'), configDir, { recursive: true });
  const cwd = join(root, 'work');
  mkdirSync(cwd);
  return { cwd, configDir };
}

export interface TestRun extends AgentRunResult {
  progress: string;
}

export async function runAgentForTest(options: {
  task?: string;
  endpoint: string;
  modelEnv: Record<string, string>;
  cwd: string;
  configDir?: string;
  extra?: Partial<AgentOptions>;
}): Promise<TestRun> {
  let progress = '';
  const result = await runAgent({
    task: options.task ?? 'Audit all S3 buckets. Find any with public read access. Return a structured findings report with a remediation step for each.',
    cwd: options.cwd,
    env: { ...process.env, ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '', OPENAI_BASE_URL: '', ...options.modelEnv },
    serve: { endpointUrl: options.endpoint, region: 'us-east-1', ...(options.configDir ? { config: options.configDir } : {}) },
    progress: { write: (s: string) => (progress += s) },
    cliPath: BUILT_CLI,
    maxRetries: 3,
    ...options.extra,
  });
  return { ...result, progress };
}
