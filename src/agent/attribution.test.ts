/**
 * Every tool call of a run is attributable to it: over HTTP the server sees the token's
 * principal and the run id header on each call; over stdio the spawned server is started
 * with --agent-run-id. (When the audit log lands, it records both.)
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startHttpServer, type RunningHttpServer } from '../server/http.js';
import { createMcpServer, type ToolCallEvent } from '../server/create-server.js';
import { ServerSession } from '../server/session.js';
import { TokenAuthenticator, hashToken } from '../server/auth/tokens.js';
import { useSandbox, TEST_CREDENTIALS } from '../test-support/sandbox.js';
import { startFakeAnthropic, toolUse, toolUseIds } from '../test-support/fake-anthropic.js';
import type { FakeModelServer } from '../test-support/fake-model-server.js';
import { BUILT_CLI, runAgentForTest, scratch } from '../test-support/agent-run.js';
import { join } from 'node:path';
import { AGENT_RUN_ID_HEADER } from '../server/http.js';
import { REQUEST_ID_META } from '../server/create-server.js';
import { REQUEST_ID_META_KEY } from './mcp.js';

const env = useSandbox('s3-account.json');
const TOKEN = 'token-agent-ci-0123456789';
const events: ToolCallEvent[] = [];
let server: RunningHttpServer;
const fakes: FakeModelServer[] = [];

beforeAll(async () => {
  const session = new ServerSession({ aws: { endpointUrl: env.endpoint, credentials: TEST_CREDENTIALS, region: 'us-east-1' } });
  server = await startHttpServer({
    authenticator: new TokenAuthenticator([{ principal: 'ci-agent@sec', sha256: hashToken(TOKEN) }]),
    buildServer: (principal) => createMcpServer(session, { defaultCaller: { principal: principal.name, transport: 'http' }, onToolCall: (e) => void events.push(e) }),
  });
});
afterAll(() => server.close());
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

describe('agent run attribution', () => {
  it('over HTTP, every tool call of the run reaches the server under the token principal and the run id', async () => {
    const fake = await startFakeAnthropic([
      { content: [toolUse('list_s3_buckets', {}), toolUse('whoami', {})] },
      (req) => ({
        content: [
          toolUse('submit_report', {
            summary: 'bravo-public-site is public.',
            findings: [
              {
                severity: 'high',
                title: 'Public bucket',
                checkId: 's3_bucket_public_access_block',
                resource: { id: 'bravo-public-site' },
                description: 'Public read.',
                evidence: [{ callId: toolUseIds(req, 'list_s3_buckets')[0] }],
                remediation: 'Block public access.',
              },
            ],
          }),
        ],
      }),
    ]);
    fakes.push(fake);
    const { cwd } = scratch();
    const run = await runAgentForTest({
      endpoint: env.endpoint,
      cwd,
      modelEnv: { ANTHROPIC_API_KEY: 'sk-test', ANTHROPIC_BASE_URL: fake.url, AGENT_MCP_TOKEN: TOKEN },
      extra: { mcpUrl: server.url, mcpTokenEnv: 'AGENT_MCP_TOKEN' },
    });
    expect(run.status).toBe('complete');
    expect(run.report.mcp.transport).toBe('http');
    const ofRun = events.filter((e) => e.caller.agentRunId === run.runId);
    // The model's two calls and the agent's own suggest_remediation call, all attributed.
    expect(ofRun.map((e) => e.tool).sort()).toEqual(['list_s3_buckets', 'suggest_remediation', 'whoami']);
    expect(events.length).toBe(ofRun.length);
    for (const e of ofRun) expect(e.caller).toMatchObject({ principal: 'ci-agent@sec', transport: 'http', clientName: 'infra-audit-agent' });
    expect(run.report.toolCalls).toHaveLength(3);
  });

  it('reads the request id from the same _meta key the server writes', () => {
    expect(REQUEST_ID_META_KEY).toBe(REQUEST_ID_META);
  });

  it('over HTTP, refuses a malformed run id header before any MCP message is read', async () => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, [AGENT_RUN_ID_HEADER]: 'run id with spaces', 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(AGENT_RUN_ID_HEADER);
  });

  it('over stdio, the spawned server is started for the run id, and refuses a malformed one', async () => {
    let stderr = '';
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BUILT_CLI, 'serve', '--agent-run-id', '20260124T020000Z-abc123', '--endpoint-url', env.endpoint, '--region', 'us-east-1', '--audit-log', join(scratch().cwd, 'audit.jsonl')],
      env: { ...(process.env as Record<string, string>) },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (d) => (stderr += String(d)));
    const client = new Client({ name: 'attribution-test', version: '1.0.0' });
    await client.connect(transport);
    await client.close();
    expect(stderr).toContain('read-only tools, for agent run 20260124T020000Z-abc123');

    const bad = new StdioClientTransport({ command: process.execPath, args: [BUILT_CLI, 'serve', '--agent-run-id', '../../etc', '--audit-log', join(scratch().cwd, 'audit.jsonl')], env: { ...(process.env as Record<string, string>) }, stderr: 'pipe' });
    let badErr = '';
    bad.stderr?.on('data', (d) => (badErr += String(d)));
    const badClient = new Client({ name: 'attribution-test', version: '1.0.0' });
    await expect(badClient.connect(bad)).rejects.toThrow();
    await badClient.close().catch(() => {});
    expect(badErr).toContain('--agent-run-id must be 1-64 letters');
  });
});
