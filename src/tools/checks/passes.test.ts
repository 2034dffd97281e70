/**
 * run_checks and list_findings over a generated account, through a real MCP client over HTTP:
 * a run held by the session keeps its passes aggregated (counts and resource ids), not one
 * finding object each, and the tools still return each pass, paged, counted and filtered as
 * before; a pass is built only for its page, with the check's title as its message and no evidence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../../checks/registry.js';
import { passCount } from '../../findings/passed.js';
import { generateAccount } from '../../sandbox/account/generate.js';
import { startMcpHarness, type McpHarness } from '../../test-support/mcp.js';
import { useSandbox } from '../../test-support/sandbox.js';

interface Finding { checkId: string; status: string; severity: string; service: string; region: string; resourceId: string; resourceName?: string; message: string; evidence?: unknown; remediation?: string }
interface Result { run: { id: string }; summary: { fail: number; error: number; pass: number }; findings: Finding[]; total: number; nextCursor?: string }

const title = (checkId: string) => CHECKS.find((c) => c.metadata.id === checkId)!.metadata.title;
const key = (f: Finding) => `${f.status} ${f.checkId} ${f.region} ${f.resourceId}`;

async function allPages(mcp: McpHarness, tool: string, args: Record<string, unknown>): Promise<{ findings: Finding[]; first: Result; pages: number }> {
  const findings: Finding[] = [];
  let first: Result | undefined;
  let cursor: string | undefined;
  for (let pages = 1; pages <= 400; pages++) {
    const res = await mcp.call<Result>(tool, { ...args, ...(cursor ? { cursor } : {}) });
    expect(res.isError, res.text).toBe(false);
    first ??= res.structured;
    findings.push(...res.structured.findings);
    cursor = res.structured.nextCursor;
    if (!cursor) return { findings, first, pages };
  }
  throw new Error('pagination did not end');
}

describe('passes in the check tools of a generated account', () => {
  const generated = generateAccount({ buckets: 120, roles: 40, users: 15, securityGroups: 30, dbInstances: 6 }, 5);
  const buckets = generated.account.S3?.Buckets?.length ?? 0;
  const env = useSandbox(generated.account);
  let mcp: McpHarness;
  beforeAll(async () => {
    mcp = await startMcpHarness(env.endpoint);
  });
  afterAll(() => mcp.close());

  it('run_checks keeps the passes of its run aggregated, and returns every one, paged, after the failures', async () => {
    const { findings, first, pages } = await allPages(mcp, 'run_checks', { services: ['s3', 'iam', 'ec2'], includePass: true, includeEvidence: true, limit: 500 });
    const run = mcp.session.inventory.runs.latest()!;
    expect(run.id).toBe(first.run.id);
    // What the session holds: failures and errors as findings, passes as counts and ids.
    expect(run.findings.length).toBeGreaterThan(0);
    expect(run.findings.filter((f) => f.status === 'pass')).toEqual([]);
    expect(passCount(run.passed)).toBe(first.summary.pass);
    expect(run.passOrder).toHaveLength(first.summary.pass);
    for (const p of run.passed) expect(p.resourceIds).toHaveLength(p.count);

    // What the client gets: every verdict once, failures and errors first, then each pass.
    expect(pages).toBeGreaterThan(2);
    expect(findings).toHaveLength(first.total);
    expect(first.total).toBe(first.summary.fail + first.summary.error + first.summary.pass);
    expect(new Set(findings.map(key)).size).toBe(findings.length);
    const firstPass = findings.findIndex((f) => f.status === 'pass');
    expect(firstPass).toBe(first.summary.fail + first.summary.error);
    expect(findings.slice(firstPass).every((f) => f.status === 'pass')).toBe(true);
    const passes = findings.slice(firstPass);
    expect(passes.length).toBeGreaterThan(buckets);
    for (const p of passes) {
      expect(p.message, p.checkId).toBe(title(p.checkId));
      expect(p.evidence, p.checkId).toBeUndefined();
      expect(p.remediation, p.checkId).toBeTruthy();
    }
    expect(findings.filter((f) => f.status === 'fail').some((f) => f.evidence !== undefined)).toBe(true);
    // Bucket checks account for every bucket: its passes and planted failures.
    const versioning = passes.filter((f) => f.checkId === 's3_bucket_versioning');
    expect(versioning).toHaveLength(buckets - (generated.planted.s3_bucket_versioning ?? 0));
    expect(new Set(versioning.map((f) => f.resourceId)).size).toBe(versioning.length);
  });

  it('list_findings filters the aggregated passes by check, resource and region, counting them in the summary', async () => {
    const bucket = generated.account.S3!.Buckets![7]!.Name;
    const byResource = await allPages(mcp, 'list_findings', { services: ['s3'], statuses: ['pass', 'fail'], resource: bucket.toUpperCase() });
    expect(byResource.findings.length).toBeGreaterThan(0);
    expect(byResource.findings.every((f) => f.resourceId.toLowerCase().includes(bucket.toLowerCase()) || (f.resourceName ?? '').toLowerCase().includes(bucket.toLowerCase()))).toBe(true);
    // get_resource judges the same bucket on its own: the same checks pass and fail on it.
    const detail = await mcp.call<{ findings: Finding[] }>('get_resource', { resource: `arn:aws:s3:::${bucket}` });
    expect(detail.isError, detail.text).toBe(false);
    const verdicts = (fs: Finding[]) => fs.filter((f) => f.resourceId === `arn:aws:s3:::${bucket}` && f.status !== 'error').map((f) => `${f.status} ${f.checkId}`).sort();
    expect(verdicts(byResource.findings)).toEqual(verdicts(detail.structured.findings));
    expect(byResource.first.summary.pass).toBe(byResource.findings.filter((f) => f.status === 'pass').length);

    const oneCheck = await allPages(mcp, 'list_findings', { checks: ['s3_bucket_versioning'], statuses: ['pass'], limit: 25 });
    expect(oneCheck.pages).toBeGreaterThan(1);
    expect(oneCheck.findings).toHaveLength(buckets - (generated.planted.s3_bucket_versioning ?? 0));
    expect(oneCheck.first.summary.pass).toBe(oneCheck.findings.length);
    expect(oneCheck.first.summary.fail).toBe(generated.planted.s3_bucket_versioning ?? 0);

    const region = oneCheck.findings[0]!.region;
    const inRegion = await allPages(mcp, 'list_findings', { checks: ['s3_bucket_versioning'], statuses: ['pass'], regions: [region], limit: 500 });
    expect(inRegion.findings.every((f) => f.region === region)).toBe(true);
    expect(inRegion.findings.map((f) => f.resourceId)).toEqual(oneCheck.findings.filter((f) => f.region === region).map((f) => f.resourceId));
    expect(inRegion.first.summary.pass).toBe(inRegion.findings.length);
  });
});
