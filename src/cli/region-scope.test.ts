/**
 * Issue 13 item 12, through the built CLI as a child process: `--region` filters S3 buckets by
 * their own region, and every report's header says exactly what was covered (the regions, the
 * buckets left out, the services that are global whatever the region).
 */
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../test-support/cli.js';
import { fetchStats, opCount, useSandbox } from '../test-support/sandbox.js';

vi.setConfig({ testTimeout: 120_000 });

const account = {
  AccountId: '111122223333',
  Regions: { 'us-east-1': {}, 'eu-west-1': {} },
  S3: {
    Buckets: [
      { Name: 'virginia-logs', CreationDate: '2025-01-01T00:00:00Z', Region: 'us-east-1' },
      { Name: 'virginia-site', CreationDate: '2025-01-01T00:00:00Z', Region: 'us-east-1' },
      { Name: 'dublin-data', CreationDate: '2025-01-01T00:00:00Z', Region: 'eu-west-1' },
    ],
  },
};

interface JsonReport {
  accounts: Array<{ accountId: string; regions: string[]; allRegions?: boolean; globalServices?: string[]; bucketsOutsideRegions?: number }>;
  findings: Array<{ checkId: string; resourceId: string; region: string }>;
}

const bucketsIn = (report: JsonReport) => [...new Set(report.findings.filter((f) => f.resourceId.startsWith('arn:aws:s3:::')).map((f) => f.resourceId))].sort();

describe('audit --region and S3 buckets', () => {
  const env = useSandbox(account);

  it('--region eu-west-1 audits only the eu-west-1 buckets, reads nothing more about the others, and says so in the header', async () => {
    const before = await fetchStats(env.endpoint);
    const r = await runCli(['audit', '--endpoint-url', env.endpoint, '--region', 'eu-west-1', '--services', 's3,iam', '--format', 'json']);
    expect(r.code, r.err).not.toBe(2);
    const report = JSON.parse(r.out) as JsonReport;
    expect(bucketsIn(report)).toEqual(['arn:aws:s3:::dublin-data']);
    expect(report.findings.filter((f) => f.region === 'us-east-1')).toEqual([]);
    expect(report.accounts).toEqual([
      { accountId: '111122223333', regions: ['eu-west-1'], allRegions: false, globalServices: ['IAM', 'S3 account settings'], bucketsOutsideRegions: 2 },
    ]);
    // The us-east-1 buckets are listed, never read: one bucket's worth of per-bucket calls.
    const after = await fetchStats(env.endpoint);
    expect(opCount(after, 's3', 'GetBucketPolicy') - opCount(before, 's3', 'GetBucketPolicy')).toBe(1);
    expect(opCount(after, 's3', 'GetBucketAcl') - opCount(before, 's3', 'GetBucketAcl')).toBe(1);
  });

  it('every human-readable format heads with the same scope line', async () => {
    const scope = 'region eu-west-1; S3 buckets in that region only (2 buckets in other regions not audited); global, whatever the region: IAM, S3 account settings';
    const table = await runCli(['audit', '--endpoint-url', env.endpoint, '--region', 'eu-west-1', '--services', 's3,iam']);
    expect(table.out.split('\n')[0]).toBe(`Scope: 111122223333: ${scope}`);
    expect(table.out).not.toContain('virginia-');
    const html = await runCli(['audit', '--endpoint-url', env.endpoint, '--region', 'eu-west-1', '--services', 's3,iam', '--format', 'html']);
    expect(html.out).toContain(`<dt>Scope</dt><dd>${scope}</dd>`);
    expect(html.out).not.toContain('virginia-');
    const markdown = await runCli(['audit', '--endpoint-url', env.endpoint, '--region', 'eu-west-1', '--services', 's3', '--format', 'markdown']);
    expect(markdown.out).toMatch(/^Account `111122223333` — region eu-west-1; S3 buckets in that region only \\\(2 buckets in other regions not audited\\\); global, whatever the region: S3 account settings · /m);
  });

  it('several named regions take the buckets of each; "all" (the default) takes every bucket and says "all"', async () => {
    const both = JSON.parse((await runCli(['audit', '--endpoint-url', env.endpoint, '--region', 'us-east-1', 'eu-west-1', '--checks', 's3_bucket_versioning', '--format', 'json'])).out) as JsonReport;
    expect(bucketsIn(both)).toEqual(['arn:aws:s3:::dublin-data', 'arn:aws:s3:::virginia-logs', 'arn:aws:s3:::virginia-site']);
    expect(both.accounts[0]).toMatchObject({ regions: ['us-east-1', 'eu-west-1'], allRegions: false, bucketsOutsideRegions: 0 });

    const all = await runCli(['audit', '--endpoint-url', env.endpoint, '--checks', 's3_bucket_versioning', '--format', 'json']);
    const report = JSON.parse(all.out) as JsonReport;
    expect(bucketsIn(report)).toHaveLength(3);
    expect(report.accounts[0]).toMatchObject({ allRegions: true, regions: [] });
    expect(report.accounts[0]!.bucketsOutsideRegions).toBeUndefined();
    const table = await runCli(['audit', '--endpoint-url', env.endpoint, '--checks', 's3_bucket_versioning,ec2_sg_open_ssh']);
    expect(table.out.split('\n')[0]).toBe('Scope: 111122223333: all enabled regions (eu-west-1, us-east-1)');
  });

  it('a region the account has not enabled is refused before a bucket is read', async () => {
    const before = opCount(await fetchStats(env.endpoint), 's3', 'ListBuckets');
    const r = await runCli(['audit', '--endpoint-url', env.endpoint, '--region', 'ap-south-2', '--services', 's3']);
    expect(r.code).toBe(2);
    expect(opCount(await fetchStats(env.endpoint), 's3', 'ListBuckets')).toBe(before);
    expect(r.err).toMatch(/region "ap-south-2" is not enabled in this account/);
    expect(r.err).toMatch(/hint: enabled regions: eu-west-1, us-east-1/);
  });
});
