/**
 * Helpers for agent tests: a scripted model, the real MCP server spawned from the built CLI
 * over stdio, the sandbox behind it, and a scratch working directory.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, onTestFinished } from 'vitest';
import { startFakeAnthropic, type AnthropicReply, type FakeAnthropicOptions } from './fake-anthropic.js';
import type { FakeModelServer, ScriptStep } from './fake-model-server.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAgent, type AgentOptions, type AgentRunResult } from '../agent/run.js';
import { fixturePath, TEST_CREDENTIALS } from './sandbox.js';
import { startHttpServer } from '../server/http.js';
import { createMcpServer, type ToolCallEvent as ServerToolCall } from '../server/create-server.js';
import { ServerSession } from '../server/session.js';
import { TokenAuthenticator, hashToken } from '../server/auth/tokens.js';

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
    serve: options.extra?.mcpUrl ? {} : { endpointUrl: options.endpoint, region: 'us-east-1', ...(options.configDir ? { config: options.configDir } : {}) },
    progress: { write: (s: string) => (progress += s) },
    cliPath: BUILT_CLI,
    maxRetries: 3,
    ...options.extra,
  });
  return { ...result, progress };
}

/**
 * The real MCP server over Streamable HTTP on 127.0.0.1:0, in this process, for agent tests
 * that run many short runs: no server process to spawn per run. Every tool call it answers is
 * recorded (with its start time and duration) in `calls`.
 */
export async function startAgentMcpServer(endpoint: string): Promise<{ url: string; tokenEnv: Record<string, string>; calls: ServerToolCall[]; close(): Promise<void> }> {
  const token = `agent-test-token-${process.pid}-0123456789`;
  const calls: ServerToolCall[] = [];
  const session = new ServerSession({ aws: { endpointUrl: endpoint, credentials: TEST_CREDENTIALS, region: 'us-east-1', maxAttempts: 1 } });
  const server = await startHttpServer({
    authenticator: new TokenAuthenticator([{ principal: 'agent-test@sec', sha256: hashToken(token) }]),
    buildServer: (principal) => createMcpServer(session, { defaultCaller: { principal: principal.name, transport: 'http' }, onToolCall: (e) => void calls.push(e) }),
    rateLimitPerSecond: 1000,
  });
  return {
    url: server.url,
    tokenEnv: { AGENT_TEST_MCP_TOKEN: token },
    calls,
    async close() {
      await server.close();
      session.close();
    },
  };
}

/** Options for runAgentForTest that point the agent at a server from startAgentMcpServer. */
export function viaHttp(server: { url: string }): Partial<AgentOptions> {
  return { mcpUrl: server.url, mcpTokenEnv: 'AGENT_TEST_MCP_TOKEN' };
}

/**
 * For a test file of agent runs: one in-process MCP server (startAgentMcpServer) for the
 * file, scripted model APIs closed after each test, and `runAnthropic` for one run.
 */
export function useAgentMcpServer(sandbox: { readonly endpoint: string }) {
  const holder: { server?: Awaited<ReturnType<typeof startAgentMcpServer>> } = {};
  const fakes: FakeModelServer[] = [];
  beforeAll(async () => {
    holder.server = await startAgentMcpServer(sandbox.endpoint);
  });
  afterAll(() => holder.server?.close());
  afterEach(async () => {
    await Promise.all(fakes.splice(0).map((f) => f.close()));
  });
  const server = () => {
    if (!holder.server) throw new Error('agent MCP server not started');
    return holder.server;
  };
  return {
    get server() {
      return server();
    },
    /** Close this fake after the test. */
    track<F extends FakeModelServer>(fake: F): F {
      fakes.push(fake);
      return fake;
    },
    async runAnthropic(script: ReadonlyArray<ScriptStep<AnthropicReply>>, extra: Partial<AgentOptions> = {}, fakeOptions: FakeAnthropicOptions = {}) {
      const fake = await startFakeAnthropic(script, fakeOptions);
      fakes.push(fake);
      const { cwd } = scratch();
      const run = await runAgentForTest({ endpoint: sandbox.endpoint, cwd, modelEnv: { ANTHROPIC_API_KEY: 'sk-test', ANTHROPIC_BASE_URL: fake.url, ...server().tokenEnv }, extra: { ...viaHttp(server()), ...extra } });
      return { fake, run };
    },
  };
}
