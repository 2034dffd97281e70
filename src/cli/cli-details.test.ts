/**
 * The smaller CLI behaviours of issue 13 (item 16), each through the built CLI as a child process:
 * suppressions for checks that do not exist are refused, `--list-checks --format json`, repeated
 * `--checks`, `--output -`, OCSF as JSON Lines, `log query --request-id PREFIX`, `log verify` on
 * a file holding only a torn line, drift's summary prefix, a reader that closes the pipe early.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { AuditLog } from '../audit-log/audit-log.js';
import type { ToolCallEvent } from '../server/create-server.js';
import { runCli, startCli } from '../test-support/cli.js';
import { fetchStats, useSandbox } from '../test-support/sandbox.js';

vi.setConfig({ testTimeout: 120_000 });
const dir = mkdtempSync(join(tmpdir(), 'infra-audit-cli-details-'));
const account = {
  AccountId: '111122223333',
  Regions: { 'us-east-1': {} },
  S3: { Buckets: [{ Name: 'details-bucket', CreationDate: '2025-01-01T00:00:00Z' }] },
};

describe('audit', () => {
  const env = useSandbox(account);

  it('refuses a suppression whose checkId matches no check, before any AWS call', async () => {
    const file = join(dir, 'typo.yaml');
    writeFileSync(file, 'suppressions:\n  - checkId: s3_bucket_versioning\n    resource: "*"\n    reason: ok\n    expires: 2030-01-01\n  - checkId: s3_bucket_public_reads\n    resource: "*"\n    reason: typo\n    expires: 2030-01-01\n');
    const before = (await fetchStats(env.endpoint)).requests;
    const r = await runCli(['audit', '--endpoint-url', env.endpoint, '--suppressions', file]);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/suppressions\[1\] checkId: "s3_bucket_public_reads" matches no check/);
    expect(r.err).toMatch(/hint: .*s3_bucket_public_read\b/);
    expect((await fetchStats(env.endpoint)).requests).toBe(before);
    // A glob that matches nothing is refused the same way; one that matches is accepted.
    writeFileSync(file, 'suppressions:\n  - checkId: glacier_*\n    resource: "*"\n    reason: none\n    expires: 2030-01-01\n');
    expect((await runCli(['audit', '--endpoint-url', env.endpoint, '--suppressions', file])).err).toMatch(/"glacier_\*" matches no check/);
    writeFileSync(file, 'suppressions:\n  - checkId: s3_bucket_*\n    resource: "*"\n    reason: all s3\n    expires: 2030-01-01\n');
    const ok = await runCli(['audit', '--endpoint-url', env.endpoint, '--checks', 's3_bucket_versioning', '--suppressions', file]);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.err).toMatch(/0 fail \(\+1 suppressed\)/);
  });

  it('--list-checks --format json prints the catalog as JSON', async () => {
    const r = await runCli(['audit', '--list-checks', '--format', 'json']);
    expect(r.code, r.err).toBe(0);
    const catalog = JSON.parse(r.out) as Array<{ id: string; severity: string; title: string; failTitle: string; cis: string[] }>;
    expect(catalog.length).toBeGreaterThan(30);
    expect(catalog.find((c) => c.id === 's3_bucket_versioning')).toMatchObject({ severity: expect.any(String), title: expect.any(String), failTitle: expect.any(String) });
    const table = await runCli(['audit', '--list-checks']);
    expect(table.out.trimEnd().split('\n')).toHaveLength(catalog.length);
  });

  it('--checks given twice keeps both', async () => {
    const r = await runCli(['audit', '--endpoint-url', env.endpoint, '--checks', 's3_bucket_versioning', '--checks', 's3_bucket_default_encryption,s3_bucket_access_logging', '--format', 'json']);
    const report = JSON.parse(r.out) as { findings: Array<{ checkId: string }> };
    expect(new Set(report.findings.map((f) => f.checkId))).toEqual(new Set(['s3_bucket_versioning', 's3_bucket_default_encryption', 's3_bucket_access_logging']));
    expect(r.err).toMatch(/3 checks/);
    const skipped = await runCli(['audit', '--endpoint-url', env.endpoint, '--checks', 's3_bucket_versioning,s3_bucket_access_logging', '--skip-checks', 's3_bucket_versioning', '--skip-checks', 's3_bucket_access_logging']);
    expect(skipped.err).toMatch(/no checks left to run/);
  });

  it('--output - writes the report to stdout, not to a file named -', async () => {
    const r = await runCli(['audit', '--endpoint-url', env.endpoint, '--checks', 's3_bucket_versioning', '--format', 'json', '--output', '-'], { cwd: dir });
    expect(JSON.parse(r.out).findings.length).toBeGreaterThan(0);
    expect(existsSync(join(dir, '-'))).toBe(false);
  });

  it('OCSF as JSON Lines: --format ocsf-jsonl, on stdout and in --output-dir', async () => {
    const r = await runCli(['audit', '--endpoint-url', env.endpoint, '--checks', 's3_bucket_versioning', '--format', 'ocsf-jsonl']);
    const lines = r.out.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ class_uid: 2004 });
    const out = join(dir, 'ocsf');
    await runCli(['audit', '--endpoint-url', env.endpoint, '--checks', 's3_bucket_versioning', '--format', 'ocsf,ocsf-jsonl', '--output-dir', out]);
    expect(readdirSync(out).sort()).toEqual(['audit.ocsf.json', 'audit.ocsf.jsonl']);
    expect(JSON.parse(readFileSync(join(out, 'audit.ocsf.json'), 'utf8'))).toHaveLength(readFileSync(join(out, 'audit.ocsf.jsonl'), 'utf8').trimEnd().split('\n').length);
  });

  it('a reader that stops early (| head) ends the output quietly', async () => {
    const run = startCli(['audit', '--list-checks']);
    run.child.stdout!.once('data', () => run.child.stdout!.destroy());
    const r = await run.exited;
    expect(r.err).not.toMatch(/EPIPE|\n\s+at /);
    expect(r.code).toBe(0);
  });
});

describe('drift', () => {
  const env = useSandbox(account);

  it('says "drift:" once on its summary line', async () => {
    const state = join(dir, 'empty.tfstate');
    writeFileSync(state, JSON.stringify({ version: 4, terraform_version: '1.9.0', serial: 1, lineage: 'x', outputs: {}, resources: [] }));
    const r = await runCli(['drift', '--state', state, '--endpoint-url', env.endpoint, '--region', 'us-east-1']);
    expect(r.code, r.err).toBe(1);
    expect(r.err).toMatch(/^drift: 0 changed, 0 missing, [1-9]\d* unmanaged/m);
    expect(r.err).not.toMatch(/drift: Drift:/i);
  });
});

describe('infra-audit log', () => {
  function event(requestId: string, tool: string): ToolCallEvent {
    return { method: 'tools/call', requestId, tool, caller: { principal: 'agent-7', transport: 'http' }, args: {}, startedAt: new Date(), durationMs: 1, outcome: 'success', resultText: 'ok' };
  }

  it('query --request-id takes the 8 characters the table shows (a unique prefix), and refuses an ambiguous one', async () => {
    const file = join(dir, 'requests.jsonl');
    const audit = await AuditLog.open({ target: file });
    for (const [id, tool] of [
      ['f00dcafe-1111-4111-8111-111111111111', 'whoami'],
      ['f00dbeef-2222-4222-8222-222222222222', 'list_s3_buckets'],
      ['0badf00d-3333-4333-8333-333333333333', 'get_bucket_policy'],
    ]) {
      await audit.onToolCall(event(id!, tool!));
    }
    await audit.close();
    const table = await runCli(['log', 'query', file]);
    expect(table.out).toContain('f00dcafe');
    const one = await runCli(['log', 'query', file, '--request-id', 'f00dcafe', '--format', 'json']);
    expect(one.code, one.err).toBe(0);
    const records = one.out.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(records.map((r) => r.api.operation)).toEqual(['whoami']);
    const full = await runCli(['log', 'query', file, '--request-id', 'f00dbeef-2222-4222-8222-222222222222', '--format', 'json']);
    expect(full.out.trimEnd().split('\n')).toHaveLength(1);
    const ambiguous = await runCli(['log', 'query', file, '--request-id', 'f00d']);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.err).toMatch(/--request-id f00d matches 2 requests: f00dcafe-1111-4111-8111-111111111111, f00dbeef-2222-4222-8222-222222222222/);
  });

  it('verify on a file holding only a torn line does not say intact', async () => {
    const file = join(dir, 'torn-only.jsonl');
    writeFileSync(file, '{"time":1733130000000,"class_uid":6003,"unmapped":{"chain":{"seq":1,');
    const r = await runCli(['log', 'verify', file]);
    expect(r.code).toBe(1);
    expect(r.out).not.toMatch(/intact:/);
    expect(r.out).toMatch(/^NOT INTACT: .*torn-only\.jsonl:1: no complete record, only a torn line \(\d+ bytes\)/);
    // A torn last line after complete records still verifies (the documented torn-line rule).
    const good = join(dir, 'torn-after.jsonl');
    const audit = await AuditLog.open({ target: good });
    await audit.onToolCall(event('aaaaaaaa-1111-4111-8111-111111111111', 'whoami'));
    await audit.close();
    writeFileSync(good, `${readFileSync(good, 'utf8')}{"partial":`);
    const after = await runCli(['log', 'verify', good]);
    expect(after.code, after.out + after.err).toBe(0);
    expect(after.out).toMatch(/^intact: 1 record/);
  });
});
