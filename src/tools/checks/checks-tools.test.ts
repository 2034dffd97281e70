/**
 * run_checks, list_findings and list_checks through a real MCP client over HTTP against the
 * sandbox serving the acme demo: each service's failures are exactly its planted problems,
 * cursors page one run, and bad input comes back as an error naming what is allowed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from '../../test-support/sandbox.js';
import { startMcpHarness, type McpHarness } from '../../test-support/mcp.js';
import { demoAccount, demoExpectedFindings } from '../../test-support/demo.js';
import { CHECKS } from '../../checks/registry.js';
import { inputDigest } from '../../server/create-server.js';

interface Finding { checkId: string; status: string; severity: string; service: string; region: string; resourceId: string; resourceName?: string; evidence?: unknown; remediationTerraform?: string }
interface Run { id: string; ranAt: string; inventoryCollectedAt: string; checksRun: number; regions: string[] }
interface Result { run: Run; reran?: boolean; summary: { fail: number; error: number; pass: number }; findings: Finding[]; total: number; nextCursor?: string }

const key = (f: { checkId: string; resourceId: string }) => `${f.checkId} ${f.resourceId}`;
const expected = demoExpectedFindings().filter((f) => !f.implied);
const serviceOf = (checkId: string) => CHECKS.find((c) => c.metadata.id === checkId)!.metadata.service;

async function allPages(mcp: McpHarness, tool: string, args: Record<string, unknown>): Promise<{ findings: Finding[]; runs: Set<string> }> {
  const findings: Finding[] = [];
  const runs = new Set<string>();
  let cursor: string | undefined;
  // Bounded well above the demo's findings at 5 a page (every check's pass verdicts included).
  for (let i = 0; i < 200; i++) {
    const res = await mcp.call<Result>(tool, { ...args, ...(cursor ? { cursor } : {}) });
    expect(res.isError, res.text).toBe(false);
    findings.push(...res.structured.findings);
    runs.add(res.structured.run.id);
    cursor = res.structured.nextCursor;
    if (!cursor) return { findings, runs };
  }
  throw new Error('pagination did not end');
}

describe('check tools on the demo account', () => {
  const env = useSandbox(demoAccount());
  let mcp: McpHarness;
  beforeAll(async () => {
    mcp = await startMcpHarness(env.endpoint);
  });
  afterAll(() => mcp.close());

  for (const service of ['s3', 'iam', 'ec2', 'rds', 'cloudtrail', 'config'] as const) {
    it(`run_checks for ${service} fails exactly the planted ${service} problems`, async () => {
      const res = await mcp.call<Result>('run_checks', { services: [service], limit: 500 });
      expect(res.isError, res.text).toBe(false);
      expect(res.structured.findings.every((f) => f.service === service)).toBe(true);
      expect(res.structured.summary.error).toBe(0);
      const failed = res.structured.findings.filter((f) => f.status === 'fail').map(key).sort();
      expect(failed).toEqual(expected.filter((e) => serviceOf(e.checkId) === service).map(key).sort());
      expect(res.structured.findings.some((f) => f.status === 'pass')).toBe(false);
      expect(res.structured.run.checksRun).toBe(CHECKS.filter((c) => c.metadata.service === service).length);
    });
  }

  it('run_checks with includePass and includeEvidence returns verdicts with their evidence and fix', async () => {
    const res = await mcp.call<Result>('run_checks', { checks: ['rds_instance_idle'], includePass: true, includeEvidence: true });
    expect(res.structured.findings.map((f) => `${f.status} ${f.resourceName}`).sort()).toEqual(['fail acme-reporting', 'pass acme-app-prod']);
    const idle = res.structured.findings.find((f) => f.status === 'fail')!;
    expect(idle.evidence).toMatchObject({ connectionsMax: 0 });
    expect(idle.remediationTerraform).toContain('aws_db_instance');
    expect(res.text).toMatch(/^.*FAIL low rds_instance_idle acme-reporting \[us-east-1\]/m);
  });

  it('run_checks pages one run with cursors that round-trip', async () => {
    const first = await mcp.call<Result>('run_checks', { includePass: true, limit: 500 });
    // Even at the largest page size, the byte budget cuts the page: the result stays under the cap.
    expect(first.structured.nextCursor).toBeDefined();
    expect(JSON.stringify(first.structured).length).toBeLessThan(60_000);
    const wide = await allPages(mcp, 'run_checks', { includePass: true, limit: 500 });
    const paged = await allPages(mcp, 'run_checks', { includePass: true, limit: 7 });
    expect(paged.runs.size).toBe(1);
    expect(paged.findings.length).toBe(first.structured.total);
    expect(new Set(paged.findings.map((f) => `${key(f)} ${f.region}`)).size).toBe(paged.findings.length);
    expect(paged.findings.map(key)).toEqual(wide.findings.map(key));
  });

  it('list_findings filters the latest run, and runs the catalog when no run covers the question', async () => {
    const fresh = await startMcpHarness(env.endpoint);
    try {
      const first = await fresh.call<Result>('list_findings', { severities: ['critical'] });
      expect(first.structured.reran).toBe(true);
      expect(first.structured.run.checksRun).toBe(CHECKS.length);
      const critical = expected.filter((e) => CHECKS.find((c) => c.metadata.id === e.checkId)!.metadata.severity === 'critical').map(key).sort();
      expect(first.structured.findings.map(key).sort()).toEqual(critical);

      env.sandbox.resetStats();
      const second = await fresh.call<Result>('list_findings', { resource: 'ACME-REPORTING' });
      expect(second.structured.reran).toBe(false);
      expect(second.structured.run.id).toBe(first.structured.run.id);
      expect(env.sandbox.stats().requests).toBe(0);
      expect(new Set(second.structured.findings.map((f) => f.resourceName))).toEqual(new Set(['acme-reporting', 'acme-reporting-db (sg-0f6b8d0a2c4e53197)']));

      const passes = await fresh.call<Result>('list_findings', { checks: ['iam_user_console_mfa'], statuses: ['pass'] });
      expect(passes.structured.findings.map((f) => f.resourceId).sort()).not.toContain('arn:aws:iam::210987654321:user/bob');
      expect(passes.structured.findings.length).toBeGreaterThan(0);

      const refreshed = await fresh.call<Result>('list_findings', { refresh: true, services: ['ec2'] });
      expect(refreshed.structured.reran).toBe(true);
      expect(refreshed.structured.run.id).not.toBe(first.structured.run.id);
      expect(env.sandbox.stats().requests).toBeGreaterThan(0);
    } finally {
      await fresh.close();
    }
  });

  it('list_findings re-runs when the latest run did not cover the checks asked about', async () => {
    const fresh = await startMcpHarness(env.endpoint);
    try {
      await fresh.call('run_checks', { services: ['s3'] });
      const s3 = await fresh.call<Result>('list_findings', { services: ['s3'] });
      expect(s3.structured.reran).toBe(false);
      const iam = await fresh.call<Result>('list_findings', { services: ['iam'] });
      expect(iam.structured.reran).toBe(true);
      expect(iam.structured.findings.map(key)).toContain('iam_role_unused arn:aws:iam::210987654321:role/legacy-etl');
    } finally {
      await fresh.close();
    }
  });

  it('list_findings pages with cursors, and refuses a cursor from another query', async () => {
    const paged = await allPages(mcp, 'list_findings', { statuses: ['fail', 'pass'], limit: 5 });
    expect(paged.runs.size).toBe(1);
    const wide = await allPages(mcp, 'list_findings', { statuses: ['fail', 'pass'], limit: 500 });
    expect(paged.findings.map(key)).toEqual(wide.findings.map(key));
    expect(paged.findings.every((f) => f.status !== 'error')).toBe(true);
    const page1 = await mcp.call<Result>('list_findings', { limit: 2 });
    const other = await mcp.call('list_findings', { limit: 2, severities: ['high'], cursor: page1.structured.nextCursor });
    expect(other.isError).toBe(true);
    expect(other.text).toContain('different query');
    const forged = await mcp.call('list_findings', { cursor: 'not-a-cursor' });
    expect(forged.isError).toBe(true);
    expect(forged.text).toMatch(/INVALID_INPUT/);
  });

  it('answers bad input with what was wrong and what is allowed', async () => {
    const unknownCheck = await mcp.call('run_checks', { checks: ['s3_bucket_public_reed'] });
    expect(unknownCheck.isError).toBe(true);
    expect(unknownCheck.text).toContain(`unknown check id "${inputDigest('s3_bucket_public_reed')}"`);
    expect(unknownCheck.text).toContain('did you mean s3_bucket_public_read');
    const severity = await mcp.call('list_findings', { severities: ['severe'] });
    expect(severity.isError).toBe(true);
    expect(severity.text).toMatch(/critical.*high.*medium.*low.*info/);
    const service = await mcp.call('run_checks', { services: ['sts'] });
    expect(service.isError).toBe(true);
    expect(service.text).toMatch(/s3.*iam.*ec2.*rds/);
    // An argument the tool does not take is refused, not silently ignored (which would widen the run).
    const misspelt = await mcp.call('run_checks', { service: 'iam' });
    expect(misspelt.isError).toBe(true);
    expect(misspelt.text).toContain('service');
    const nothing = await mcp.call('run_checks', { services: ['s3'], severities: ['info'] });
    expect(nothing.isError).toBe(true);
    expect(nothing.text).toContain('no check matches');
  });

  it('list_checks gives the catalog without calling AWS', async () => {
    env.sandbox.resetStats();
    const all = await mcp.call<{ checks: Array<{ id: string; cis: string[]; terraformTypes: string[]; remediationTerraform?: string }>; total: number }>('list_checks');
    expect(all.structured.total).toBe(CHECKS.length);
    expect(all.structured.checks.map((c) => c.id)).toEqual(CHECKS.map((c) => c.metadata.id));
    expect(all.structured.checks.find((c) => c.id === 'iam_root_mfa')?.cis).toEqual(['1.5']);
    const cis = await mcp.call<{ checks: Array<{ id: string; remediationTerraform?: string }> }>('list_checks', { cisOnly: true, services: ['ec2'], includeDetails: true });
    expect(cis.structured.checks.length).toBe(CHECKS.filter((c) => c.metadata.service === 'ec2' && c.metadata.cis?.length).length);
    expect(cis.structured.checks.every((c) => !!c.remediationTerraform)).toBe(true);
    expect(env.sandbox.stats().requests).toBe(0);
  });
});
