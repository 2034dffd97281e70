/**
 * find_public_buckets through a real MCP client over HTTP, against the sandbox serving the
 * acme demo: exactly the planted public-read buckets, with their evidence; the near misses
 * stay private; a bucket whose policy cannot be read is "unknown", never "not public".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSandbox, fetchStats, opCount } from '../../test-support/sandbox.js';
import { startMcpHarness, type McpHarness } from '../../test-support/mcp.js';
import { demoAccount, demoExpectedFindings } from '../../test-support/demo.js';

interface Grant { via: string; access: string[]; sid?: string; principal?: string; actions?: string[]; conditions?: unknown[]; grantee?: string; permission?: string }
interface Bucket { bucket: string; verdict: string; readable: unknown; listable: unknown; writable: unknown; grants: Grant[]; notInForce: string[]; errors: Array<{ read: string; code: string }>; checks: Array<{ checkId: string; status: string }> }
interface Result { summary: { buckets: number; public: number; unknown: number; notPublic: number }; buckets: Bucket[]; total: number; nextCursor?: string; remediation?: { terraform: string }; accountBlockPublicAccess: unknown }

const account = demoAccount() as { S3: { Buckets: Array<{ Name: string }> } };
const bucketNames = account.S3.Buckets.map((b) => b.Name).sort();
const plantedPublicRead = demoExpectedFindings()
  .filter((f) => f.checkId === 's3_bucket_public_read')
  .map((f) => f.resourceId.replace('arn:aws:s3:::', ''))
  .sort();

describe('find_public_buckets on the demo account', () => {
  const env = useSandbox(demoAccount());
  let mcp: McpHarness;
  let first: Result;
  let stats: Awaited<ReturnType<typeof fetchStats>>;

  beforeAll(async () => {
    env.sandbox.resetStats();
    mcp = await startMcpHarness(env.endpoint);
    const res = await mcp.call<Result>('find_public_buckets', { includeNotPublic: true });
    expect(res.isError, res.text).toBe(false);
    first = res.structured;
    stats = await fetchStats(env.endpoint);
  });
  afterAll(() => mcp.close());

  it('returns exactly the planted public-read buckets as public', () => {
    expect(plantedPublicRead).toHaveLength(2);
    const publicNames = first.buckets.filter((b) => b.verdict === 'public').map((b) => b.bucket).sort();
    expect(publicNames).toEqual(plantedPublicRead);
    expect(first.summary).toEqual({ buckets: bucketNames.length, public: 2, unknown: 0, notPublic: bucketNames.length - 2 });
    expect(first.buckets.map((b) => b.bucket).sort()).toEqual(bucketNames);
    expect(first.accountBlockPublicAccess).toBeNull();
  });

  it('gives the evidence: the policy statement for acme-marketing-site, the ACL grant for acme-legacy-exports', () => {
    const site = first.buckets.find((b) => b.bucket === 'acme-marketing-site')!;
    expect(site).toMatchObject({ readable: true, writable: false });
    expect(site.grants).toEqual([expect.objectContaining({ via: 'policy', principal: '*', actions: ['s3:GetObject'], access: ['read'], conditions: [] })]);
    expect(site.grants[0]!.sid).toBeTruthy();
    const exports = first.buckets.find((b) => b.bucket === 'acme-legacy-exports')!;
    expect(exports).toMatchObject({ listable: true, readable: false, writable: false });
    expect(exports.grants).toEqual([{ via: 'acl', access: ['list'], grantee: 'AllUsers', permission: 'READ' }]);
    expect(exports.checks).toContainEqual(expect.objectContaining({ checkId: 's3_bucket_public_read', status: 'fail' }));
  });

  it('keeps the near misses private and says what neutralised them', () => {
    const vpce = first.buckets.find((b) => b.bucket === 'acme-build-artifacts')!;
    expect(vpce.verdict).toBe('not_public');
    expect(vpce.notInForce.join(' ')).toContain('aws:SourceVpce');
    const bpa = first.buckets.find((b) => b.bucket === 'acme-partner-static')!;
    expect(bpa.verdict).toBe('not_public');
    expect(bpa.notInForce.join(' ')).toMatch(/AllUsers READ, neutralised by IgnorePublicAcls/);
    const logs = first.buckets.find((b) => b.bucket === 'acme-s3-access-logs')!;
    expect(logs.verdict).toBe('not_public');
  });

  it('includes the Terraform fix from the check metadata, and a text line per bucket', async () => {
    expect(first.remediation?.terraform).toContain('aws_s3_bucket_public_access_block');
    const res = await mcp.call<Result>('find_public_buckets');
    expect(res.structured.buckets.map((b) => b.bucket).sort()).toEqual(plantedPublicRead);
    expect(res.text).toMatch(/acme-marketing-site \[us-east-1\] PUBLIC readable: policy/);
    expect(res.text).toMatch(/acme-legacy-exports \[us-east-1\] PUBLIC listable: ACL AllUsers READ/);
  });

  it('reads only what publicness needs: four reads per bucket, and none outside S3', () => {
    const n = bucketNames.length;
    // Policy, ACL, Block Public Access, ownership controls: not encryption, versioning, logging or tags.
    expect(stats.services.s3!.operations).toEqual({ ListBuckets: 1, GetBucketPolicy: n, GetBucketAcl: n, GetPublicAccessBlock: n, GetBucketOwnershipControls: n });
    expect(opCount(stats, 's3-control', 'GetPublicAccessBlock')).toBe(1);
    expect(Object.keys(stats.services).sort()).toEqual(['s3', 's3-control', 'sts']);
  });

  it('answers a second call from the session cache, with no AWS call', async () => {
    env.sandbox.resetStats();
    const res = await mcp.call<Result>('find_public_buckets', { includeNotPublic: true });
    expect(res.structured.summary).toEqual(first.summary);
    expect(env.sandbox.stats().requests).toBe(0);
  });

  it('pages with cursors that round-trip, and refuses a cursor from another query', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 20; i++) {
      const res = await mcp.call<Result>('find_public_buckets', { includeNotPublic: true, limit: 3, ...(cursor ? { cursor } : {}) });
      expect(res.isError, res.text).toBe(false);
      expect(res.structured.buckets.length).toBeLessThanOrEqual(3);
      seen.push(...res.structured.buckets.map((b) => b.bucket));
      cursor = res.structured.nextCursor;
      if (!cursor) break;
    }
    expect(seen.sort()).toEqual(bucketNames);
    const page1 = await mcp.call<Result>('find_public_buckets', { includeNotPublic: true, limit: 3 });
    const other = await mcp.call('find_public_buckets', { limit: 3, cursor: page1.structured.nextCursor });
    expect(other.isError).toBe(true);
    expect(other.text).toContain('different query');
  });
});

describe('find_public_buckets when a bucket policy cannot be read', () => {
  const env = useSandbox(demoAccount(), { deny: ['GetBucketPolicy:arn:aws:s3:::acme-marketing-site'] });

  it('reports the bucket as unknown with the failed read, never as not public', async () => {
    const mcp = await startMcpHarness(env.endpoint);
    try {
      const res = await mcp.call<Result>('find_public_buckets');
      expect(res.isError, res.text).toBe(false);
      const site = res.structured.buckets.find((b) => b.bucket === 'acme-marketing-site')!;
      expect(site).toMatchObject({ verdict: 'unknown', readable: 'unknown' });
      expect(site.errors).toEqual([expect.objectContaining({ read: 's3:GetBucketPolicy', code: 'AccessDenied' })]);
      expect(site.checks).toContainEqual(expect.objectContaining({ checkId: 's3_bucket_public_read', status: 'error' }));
      expect(res.structured.summary).toMatchObject({ public: 1, unknown: 1 });
      expect(res.structured.buckets.find((b) => b.bucket === 'acme-legacy-exports')?.verdict).toBe('public');
      expect(res.text).toMatch(/acme-marketing-site \[us-east-1\] UNKNOWN .*s3:GetBucketPolicy AccessDenied/);
    } finally {
      await mcp.close();
    }
  });
});

describe('find_public_buckets reads the buckets in parallel', () => {
  const LATENCY_MS = 250;
  const env = useSandbox(demoAccount(), { latencyMs: LATENCY_MS });

  it('takes a fraction of the time one call after another would', async () => {
    const mcp = await startMcpHarness(env.endpoint);
    try {
      await mcp.call('whoami');
      env.sandbox.resetStats();
      const started = Date.now();
      const res = await mcp.call('find_public_buckets');
      const elapsed = Date.now() - started;
      expect(res.isError, res.text).toBe(false);
      const sequential = env.sandbox.stats().requests * LATENCY_MS;
      expect(sequential).toBeGreaterThanOrEqual(40 * LATENCY_MS);
      expect(elapsed).toBeLessThan(sequential / 2);
    } finally {
      await mcp.close();
    }
  });
});
