import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSandbox, TEST_CREDENTIALS, envOverrides } from '../test-support/sandbox.js';
import { bufferIO } from './io.js';
import { main } from './main.js';
import { CHECKS } from '../checks/registry.js';

const ACCOUNT = '111122223333';
const account = {
  AccountId: ACCOUNT,
  Regions: { 'us-east-1': {} },
  S3: {
    Buckets: [
      { Name: 'public-site', CreationDate: '2025-01-01T00:00:00Z', Policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::public-site/*' }] } },
    ],
  },
};

const dir = mkdtempSync(join(tmpdir(), 'infra-audit-cli-'));
/** The CLI finds credentials through the SDK's default chain, as it would on a laptop or in CI. */
const { set: setEnv, saved } = envOverrides();

beforeAll(() => setEnv({ AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey, AWS_PROFILE: undefined, AWS_ENDPOINT_URL: undefined }));
afterAll(() => setEnv(saved));

async function run(args: string[], io = bufferIO()) {
  const code = await main(['audit', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('infra-audit audit', () => {
  const env = useSandbox(account);

  it('exits 1 when a failure is at or above --fail-on (default high), 0 below it', async () => {
    const failing = await run(['--endpoint-url', env.endpoint, '--checks', 's3_bucket_public_read', '--format', 'json']);
    expect(failing.code).toBe(1);
    const report = JSON.parse(failing.out);
    expect(report.findings).toEqual([expect.objectContaining({ checkId: 's3_bucket_public_read', status: 'fail', severity: 'critical', resourceId: 'arn:aws:s3:::public-site' })]);
    expect(failing.err).toContain('1 finding at or above --fail-on high');
    // s3_bucket_versioning is low: it informs but does not fail the default threshold.
    const low = await run(['--endpoint-url', env.endpoint, '--checks', 's3_bucket_versioning']);
    expect(low.code).toBe(0);
    expect((await run(['--endpoint-url', env.endpoint, '--checks', 's3_bucket_versioning', '--fail-on', 'low'])).code).toBe(1);
  });

  it('takes the endpoint from AWS_ENDPOINT_URL too', async () => {
    const io = bufferIO({ env: { ...process.env, AWS_ENDPOINT_URL: env.endpoint } });
    expect((await run(['--checks', 's3_bucket_versioning'], io)).code).toBe(0);
  });

  it('renders every format, and writes --output instead of stdout', async () => {
    for (const format of ['table', 'json', 'markdown', 'sarif', 'ocsf', 'html']) {
      const output = join(dir, `report.${format}`);
      const r = await run(['--endpoint-url', env.endpoint, '--checks', 's3_bucket_public_read', '--format', format, '--output', output]);
      expect(r.code, format).toBe(1);
      expect(r.out, format).toBe('');
      expect(readFileSync(output, 'utf8'), format).toContain('public-site');
    }
    expect(JSON.parse(readFileSync(join(dir, 'report.sarif'), 'utf8')).version).toBe('2.1.0');
  });

  it("heads a failed finding with its check's failure title in every format", async () => {
    const failTitle = 'S3 bucket is publicly readable';
    const report = (format: string) => readFileSync(join(dir, `report.${format}`), 'utf8');
    expect(report('table')).toContain(`FAIL  s3_bucket_public_read  ${failTitle}: `);
    expect(report('markdown')).toContain(`CRITICAL · ${failTitle}\n`);
    expect(report('html')).toContain(`<h3>${failTitle}</h3>`);
    expect(JSON.parse(report('json')).findings[0]).toMatchObject({ title: 'S3 bucket is not publicly readable', failTitle });
    const rule = JSON.parse(report('sarif')).runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 's3_bucket_public_read');
    expect(rule.shortDescription.text).toBe(failTitle);
    expect(JSON.parse(report('ocsf'))[0].finding_info.title).toBe(failTitle);
  });

  it('does not fail the run on a suppressed finding, and says when a suppression has expired', async () => {
    const file = join(dir, 'suppressions.yaml');
    writeFileSync(file, `suppressions:\n  - checkId: s3_bucket_public_read\n    resource: arn:aws:s3:::public-site\n    reason: the public website, reviewed in SEC-1\n    expires: 2999-12-31\n`);
    const r = await run(['--endpoint-url', env.endpoint, '--checks', 's3_bucket_public_read', '--suppressions', file, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).findings[0].suppressed).toEqual({ reason: 'the public website, reviewed in SEC-1', expires: '2999-12-31' });
    writeFileSync(file, `suppressions:\n  - checkId: s3_bucket_public_read\n    resource: arn:aws:s3:::public-site\n    reason: the public website\n    expires: 2020-01-31\n`);
    const expired = await run(['--endpoint-url', env.endpoint, '--checks', 's3_bucket_public_read', '--suppressions', file]);
    expect(expired.code).toBe(1);
    expect(expired.err).toContain('suppression expired on 2020-01-31');
  });

  it('shows progress as a line redrawn in place on a terminal; off one, none in a short run', async () => {
    const quiet = await run(['--endpoint-url', env.endpoint, '--checks', 's3_bucket_versioning']);
    expect(quiet.err).not.toContain('collecting');
    let err = '';
    const tty = bufferIO({ stderr: { write: (s: string) => (err += s), isTTY: true } });
    await main(['audit', '--endpoint-url', env.endpoint, '--checks', 's3_bucket_versioning'], tty);
    expect(err).toContain(`\raudit: ${ACCOUNT}: collecting · `);
  });

  it('lists the check catalog', async () => {
    const r = await run(['--list-checks']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').filter(Boolean)).toHaveLength(CHECKS.length);
    expect(r.out).toMatch(/^iam_root_mfa\s+critical\s+CIS 1\.5\s+/m);
  });
});

describe('infra-audit audit on bad input', () => {
  const env = useSandbox(account);

  const cases: Array<[string, string[], RegExp, RegExp]> = [
    ['an unknown check id', ['--checks', 's3_bucket_public_reed'], /unknown check id "s3_bucket_public_reed"/, /did you mean s3_bucket_public_read/],
    ['an unknown format', ['--format', 'xml'], /unknown report format "xml"/, /table, json, markdown, sarif, ocsf, html/],
    ['an unknown severity', ['--fail-on', 'severe'], /--fail-on expects a severity, got "severe"/, /critical, high/],
    ['an unknown region', ['--region', 'us-west-9'], /unknown region "us-west-9"/, /enabled regions: us-east-1/],
    ['a malformed region', ['--region', 'Frankfurt'], /--region "Frankfurt" is not an AWS region name/, /--region us-east-1/],
    ['a bad --idle-days', ['--idle-days', 'seven'], /--idle-days expects a whole number/, /--idle-days 7/],
    ['an --idle-days beyond CloudWatch retention', ['--idle-days', '500'], /--idle-days must be a whole number of days between 1 and 455, got 500/, /--idle-days 7/],
    ['a malformed role ARN', ['--assume-role', 'arn:aws:iam::123:user/x'], /--assume-role expects an IAM role ARN/, /arn:aws:iam::123456789012:role\//],
    ['a missing suppressions file', ['--suppressions', '/nonexistent/s.yaml'], /suppressions file \/nonexistent\/s\.yaml does not exist/, /--suppressions path/],
  ];
  for (const [what, args, message, hint] of cases) {
    it(`exits 2 on ${what}, with one line and a hint`, async () => {
      const r = await run(['--endpoint-url', env.endpoint, ...args]);
      expect(r.code).toBe(2);
      const [line, hintLine, ...rest] = r.err.trimEnd().split('\n');
      expect(line).toMatch(message);
      expect(hintLine).toMatch(/^ {2}hint: /);
      expect(hintLine).toMatch(hint);
      expect(rest).toEqual([]);
      expect(r.out).toBe('');
    });
  }

  it('exits 2 with a clear error when the role cannot be assumed (the sandbox refuses AssumeRole)', async () => {
    const r = await run(['--endpoint-url', env.endpoint, '--assume-role', `arn:aws:iam::${ACCOUNT}:role/InfraAuditReadOnly`]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^infra-audit: cannot assume role arn:aws:iam::${ACCOUNT}:role/InfraAuditReadOnly: AccessDenied: .*sts:AssumeRole`));
    expect(r.err).toContain('--role-session-name infra-audit-');
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('exits 2 when the endpoint is unreachable', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const r = await run(['--endpoint-url', `http://127.0.0.1:${port}`, '--max-attempts', '2']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^infra-audit: cannot reach the AWS endpoint for sts:GetCallerIdentity: ECONNREFUSED\n {2}hint: /);
  });

  it('exits 2 when there are no credentials', async () => {
    setEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined, AWS_CONFIG_FILE: join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'), AWS_EC2_METADATA_DISABLED: 'true', AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined, AWS_WEB_IDENTITY_TOKEN_FILE: undefined });
    try {
      const r = await run(['--endpoint-url', env.endpoint, '--checks', 's3_bucket_versioning']);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^infra-audit: no AWS credentials for sts:GetCallerIdentity/);
      expect(r.err).toContain('hint: set AWS_PROFILE');
    } finally {
      setEnv({ AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey });
    }
  });
});
