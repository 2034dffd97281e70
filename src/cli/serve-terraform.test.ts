/**
 * `serve --state --config --data-from-state` as a desktop client runs it: the state loads at
 * start, the Terraform-managed buckets become readable by the data tools (the unmanaged ones
 * and the state bucket do not), and nothing of the state's secrets leaves the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { useSandbox, childProcessEnv } from '../test-support/sandbox.js';
import { DEMO_ACCOUNT, DEMO_DIR } from '../demo/run.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

describe('serve with a Terraform state', () => {
  const env = useSandbox(JSON.parse(readFileSync(DEMO_ACCOUNT, 'utf8')));
  const auditLog = join(mkdtempSync(join(tmpdir(), 'infra-audit-serve-tf-')), 'audit.jsonl');
  let client: Client;
  let stderr = '';
  const everything: string[] = [];

  beforeAll(async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, 'serve', '--endpoint-url', env.endpoint, '--state', join(DEMO_DIR, 'terraform', 'terraform.tfstate'), '--config', join(DEMO_DIR, 'terraform'), '--data-from-state', '--audit-log', auditLog],
      env: childProcessEnv({ AWS_REGION: 'us-east-1' }),
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (d) => (stderr += String(d)));
    client = new Client({ name: 'serve-terraform-test', version: '1' });
    await client.connect(transport);
  }, 120_000);
  afterAll(async () => {
    await client?.close();
  });

  async function call(name: string, args: Record<string, unknown>) {
    const result = await client.callTool({ name, arguments: args });
    everything.push(JSON.stringify(result));
    return result;
  }

  it('loads the state at start and says so', () => {
    expect(stderr).toMatch(/Terraform: \d+ managed resources from .*terraform\.tfstate and the config in/);
  });

  it('with --data-from-state, lets the data tools read Terraform-managed buckets, and not unmanaged ones or the state bucket', async () => {
    const sources = (await call('list_data_sources', {})).structuredContent as { buckets: Array<{ bucket: string; origin: string }>; skipped: Array<{ address: string; reason: string }> };
    const fromState = sources.buckets.filter((b) => b.origin === 'terraform').map((b) => b.bucket);
    expect(fromState).toEqual(expect.arrayContaining(['acme-marketing-site', 'acme-app-uploads']));
    expect(fromState).not.toContain('acme-ds-scratch'); // live only: unmanaged
    expect(fromState).not.toContain('acme-terraform-state'); // backend "s3" in the config: protected
    expect(sources.skipped.some((s) => /aws_db_instance/.test(s.address))).toBe(true); // no login configured for databases
    const robots = await call('read_file', { bucket: 'acme-marketing-site', key: 'robots.txt' });
    expect(robots.isError).toBeFalsy();
    const scratch = await call('read_file', { bucket: 'acme-ds-scratch', key: 'churn/churn-sample.csv' });
    expect(scratch.isError).toBe(true);
  });

  it('never lets a state secret out, through any tool or the audit log', async () => {
    const db = await call('list_state_resources', { type: 'aws_db_instance' });
    expect(db.isError).toBeFalsy();
    await call('get_drift', {});
    const everythingText = everything.join('\n') + readFileSync(auditLog, 'utf8') + stderr;
    expect(everythingText).not.toContain('CANARY-');
  });
});
