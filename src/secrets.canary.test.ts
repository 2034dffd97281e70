/**
 * The canary test: the demo's Terraform state, tfvars and configuration hold secrets whose values
 * start with `CANARY-` (examples/demo/PLANTED.md). Every command that can see them is run — audit
 * with the state in every format, drift in every format, serve with every Terraform tool called
 * through a real MCP client, and the errors of a broken state that holds a canary — and no output,
 * file written or audit log may contain a canary. Where a secret was shown, the redaction marker
 * must be there instead, so a test that stopped seeing secrets at all would fail.
 *
 * To make secrets reach the outputs, this test adds three on purpose: the DB password copied into a
 * state tag (the state side of a drift diff) and into a live bucket tag (the live side), and a
 * live Lambda environment variable holding an API key (ListFunctions returns it in clear; only its
 * name and the marker may come out).
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { useSandbox, TEST_CREDENTIALS, childProcessEnv, envOverrides } from './test-support/sandbox.js';
import { bufferIO } from './cli/io.js';
import { main } from './cli/main.js';

const DEMO = fileURLToPath(new URL('../examples/demo/', import.meta.url));
const TERRAFORM = `${DEMO}terraform`;
const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const CANARY = /CANARY-/;
const DB_PASSWORD = 'CANARY-db-password-7f3a9c2e';
const LAMBDA_SECRET = 'CANARY-lambda-env-stripe-key-3c9e1a';
const STATUS_PAGE = 'arn:aws:lambda:us-east-1:210987654321:function:acme-status-page';
/** The marker, also as HTML and Markdown escape it. */
const MARKER = /<redacted:sensitive>|&lt;redacted:sensitive&gt;|redacted:sensitive/;

const dir = mkdtempSync(join(tmpdir(), 'infra-audit-canary-'));
const statePath = join(dir, 'terraform.tfstate');
const brokenStatePaths = [join(dir, 'broken-token.tfstate'), join(dir, 'broken-truncated.tfstate')];

/** The demo account, with the DB password pasted into a live tag of a managed bucket. */
function accountWithLiveSecret(): object {
  const account = JSON.parse(readFileSync(`${DEMO}account.json`, 'utf8'));
  const bucket = account.S3.Buckets.find((b: { Name: string }) => b.Name === 'acme-marketing-site');
  bucket.Tags.push({ Key: 'Note', Value: DB_PASSWORD });
  const fn = account.Regions['us-east-1'].Lambda.Functions.find((f: { FunctionName: string }) => f.FunctionName === 'acme-status-page');
  fn.Environment.Variables.STRIPE_SECRET_KEY = LAMBDA_SECRET;
  return account;
}

/** The demo state, with the DB password copied into a tag (state only, so drift shows it). */
function writeStates(): void {
  const text = readFileSync(`${TERRAFORM}/terraform.tfstate`, 'utf8');
  const state = JSON.parse(text);
  const db = state.resources.find((r: { type: string; name: string }) => r.type === 'aws_db_instance' && r.name === 'app_prod');
  db.instances[0].attributes.tags_all.Note = DB_PASSWORD;
  writeFileSync(statePath, JSON.stringify(state, null, 2));
  // An unquoted canary: V8's JSON error quotes the text around it.
  writeFileSync(brokenStatePaths[0]!, text.replace(`"${DB_PASSWORD}"`, DB_PASSWORD));
  writeFileSync(brokenStatePaths[1]!, text.slice(0, text.indexOf(DB_PASSWORD) + 20));
}

/** The CLI finds credentials through the SDK's default chain, as it would on a laptop or in CI. */
const { set: setEnv, saved } = envOverrides();

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = bufferIO({ cwd: dir, env: { ...process.env } });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('no canary secret leaves the product', () => {
  const env = useSandbox(accountWithLiveSecret());
  beforeAll(() => {
    setEnv({ AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey, AWS_PROFILE: undefined, AWS_ENDPOINT_URL: undefined });
    writeStates();
  });
  afterAll(() => setEnv(saved));

  it('starts from inputs that do hold the canaries', () => {
    const state = readFileSync(statePath, 'utf8');
    for (const canary of ['CANARY-db-password-7f3a9c2e', 'CANARY-iam-secret-ci-legacy-4b8d1e', 'CANARY-ses-smtp-ci-legacy-92c0aa', 'CANARY-iam-secret-svc-metrics-5e17b3', 'CANARY-ses-smtp-svc-metrics-0d4f61']) {
      expect(state).toContain(canary);
    }
    expect(readFileSync(`${TERRAFORM}/terraform.tfvars`, 'utf8')).toContain(DB_PASSWORD);
    expect(JSON.stringify(accountWithLiveSecret())).toContain(LAMBDA_SECRET);
    for (const broken of brokenStatePaths) expect(readFileSync(broken, 'utf8')).toMatch(CANARY);
  });

  it('audit --state --config, every format, stdout and --output file', async () => {
    for (const format of ['table', 'json', 'markdown', 'sarif', 'ocsf', 'html']) {
      const output = join(dir, `audit.${format}`);
      const toStdout = await cli(['audit', '--endpoint-url', env.endpoint, '--state', statePath, '--config', TERRAFORM, '--format', format]);
      const toFile = await cli(['audit', '--endpoint-url', env.endpoint, '--state', statePath, '--config', TERRAFORM, '--format', format, '--output', output]);
      expect(toStdout.code, format).toBe(1);
      expect(toStdout.out, format).toContain('aws_s3_bucket_policy.marketing_site');
      for (const text of [toStdout.out, toStdout.err, toFile.err, readFileSync(output, 'utf8')]) expect(text, format).not.toMatch(CANARY);
    }
  });

  it('drift, every format: the secrets in the diffs are shown as the marker', async () => {
    for (const format of ['table', 'json', 'markdown', 'sarif', 'html']) {
      const output = join(dir, `drift.${format}`);
      const toStdout = await cli(['drift', '--endpoint-url', env.endpoint, '--state', statePath, '--config', TERRAFORM, '--format', format]);
      const toFile = await cli(['drift', '--endpoint-url', env.endpoint, '--state', statePath, '--config', TERRAFORM, '--format', format, '--output', output]);
      expect(toStdout.code, format).toBe(1);
      const written = readFileSync(output, 'utf8');
      for (const text of [toStdout.out, toStdout.err, toFile.err, written]) expect(text, format).not.toMatch(CANARY);
      expect(toStdout.out, format).toMatch(MARKER);
      expect(written, format).toMatch(MARKER);
    }
    const report = JSON.parse((await cli(['drift', '--endpoint-url', env.endpoint, '--state', statePath, '--config', TERRAFORM, '--format', 'json'])).out);
    const diffs = report.entries.flatMap((e: { terraformAddress?: string; diffs?: Array<{ path: string; state: unknown; live: unknown }> }) =>
      (e.diffs ?? []).map((d) => ({ address: e.terraformAddress, ...d })),
    );
    expect(diffs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ address: 'aws_db_instance.app_prod', path: 'tags.Note', state: '<redacted:sensitive>', live: null }),
        expect.objectContaining({ address: 'aws_s3_bucket.marketing_site', path: 'tags.Note', state: null, live: '<redacted:sensitive>' }),
      ]),
    );
  });

  it('errors about a broken state that holds a canary', async () => {
    for (const broken of brokenStatePaths) {
      for (const command of ['drift', 'audit']) {
        const result = await cli([command, '--endpoint-url', env.endpoint, '--state', broken]);
        expect(result.code, `${command} ${broken}`).toBe(2);
        expect(result.err, `${command} ${broken}`).toMatch(/STATE_INVALID|not valid JSON/);
        expect(`${result.out}${result.err}`, `${command} ${broken}`).not.toMatch(CANARY);
      }
    }
  });

  describe('serve, every Terraform tool through a real MCP client', () => {
    const auditLog = join(dir, 'serve-audit.jsonl');
    let client: Client;
    let stderr = '';
    const results: string[] = [];

    beforeAll(async () => {
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [CLI, 'serve', '--endpoint-url', env.endpoint, '--region', 'us-east-1', '--state', statePath, '--config', TERRAFORM, '--audit-log', auditLog],
        env: childProcessEnv(),
        stderr: 'pipe',
      });
      transport.stderr?.on('data', (d) => (stderr += String(d)));
      client = new Client({ name: 'canary-test', version: '1.0.0' });
      await client.connect(transport);
    });
    afterAll(async () => {
      await client?.close();
    });

    const call = async (name: string, args: Record<string, unknown>) => {
      const result = await client.callTool({ name, arguments: args });
      results.push(JSON.stringify(result));
      return result;
    };

    it('answers every tool without a canary, with markers where the secrets were', async () => {
      const listed = await call('list_state_resources', { limit: 1000, includeData: true });
      const addresses = (listed.structuredContent as { resources: Array<{ address: string }> }).resources.map((r) => r.address);
      expect(addresses).toContain('aws_db_instance.reporting');
      // Every resource, so every attribute of the state passes through the tool.
      for (const address of addresses) await call('get_state_resource', { address });
      for (const kind of ['changed', 'missing', 'unmanaged', 'unapplied']) await call('get_drift', { kind: [kind] });
      await call('get_drift', { refresh: true });
      await call('list_unmanaged_resources', {});
      await call('get_state_resource', { address: 'aws_db_instance.not_there' });
      // The live side: the function whose environment holds a key, and every check over Lambda.
      const fn = await call('get_resource', { resource: STATUS_PAGE });
      const checked = await call('run_checks', { services: ['lambda'], includePass: true, includeEvidence: true });
      expect(checked.isError).toBeFalsy();
      expect((checked.structuredContent as { total: number }).total).toBeGreaterThanOrEqual(6);
      await call('list_findings', { services: ['lambda'], statuses: ['fail', 'pass', 'error'], includeEvidence: true });
      expect((fn.structuredContent as { attributes: { environment: { variables: Record<string, string> } } }).attributes.environment.variables).toMatchObject({
        STRIPE_SECRET_KEY: '<redacted:sensitive>',
        LOG_LEVEL: '<redacted:sensitive>',
      });

      for (const text of results) expect(text).not.toMatch(CANARY);
      const reporting = JSON.parse(results[addresses.indexOf('aws_db_instance.reporting') + 1]!);
      expect(reporting.structuredContent.attributes.password).toBe('<redacted:sensitive>');
      expect(reporting.structuredContent.redactedAttributes).toContain('password');
      const key = JSON.parse(results[addresses.indexOf('aws_iam_access_key.ci_legacy') + 1]!);
      expect(key.structuredContent.attributes).toMatchObject({ secret: '<redacted:sensitive>', ses_smtp_password_v4: '<redacted:sensitive>' });
      expect(results.filter((r) => MARKER.test(r)).length).toBeGreaterThan(3);
    });

    it('writes an audit log and a stderr without a canary', async () => {
      await client.close();
      // The log is closed (and flushed) when the server stops on stdin's end.
      for (let i = 0; i < 50 && !stderr.includes('stopped'); i++) await new Promise((r) => setTimeout(r, 100));
      const files = readdirSync(dir).filter((f) => f.startsWith('serve-audit'));
      expect(files.length).toBeGreaterThan(0);
      const log = files.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
      expect(log).toContain('get_state_resource');
      expect(log).not.toMatch(CANARY);
      expect(stderr).not.toMatch(CANARY);
    });
  });

  it('serve with a broken state that holds a canary refuses to start, naming the state, with no canary', async () => {
    const auditLog = join(dir, 'serve-broken-audit.jsonl');
    const child = spawn(process.execPath, [CLI, 'serve', '--endpoint-url', env.endpoint, '--region', 'us-east-1', '--state', brokenStatePaths[0]!, '--audit-log', auditLog], {
      env: childProcessEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(2);
    // Named as the user could type it from where the server runs: relative, never absolute.
    expect(stderr).toContain(relative(process.cwd(), brokenStatePaths[0]!));
    expect(stderr).toMatch(/not valid JSON|STATE_INVALID/);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(`${stdout}${stderr}`).not.toMatch(CANARY);
    expect(readFileSync(auditLog, 'utf8')).not.toMatch(CANARY);
  });
});
