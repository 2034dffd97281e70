/**
 * The article's task needs a few tool calls however many buckets there are: one
 * find_public_buckets call answers for a generated account of hundreds of buckets, with every
 * planted public bucket in it and no near miss, while the per-bucket reads stay on the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAccount } from '../../sandbox/account/generate.js';
import { normaliseAccount } from '../../sandbox/account/load.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/server.js';
import { startMcpHarness, type McpHarness } from '../../test-support/mcp.js';

describe('find_public_buckets at scale', () => {
  const { account, plantedResources } = generateAccount({ buckets: 400, roles: 5, users: 5, securityGroups: 5, dbInstances: 2 }, 11);
  let sandbox: RunningSandbox;
  let mcp: McpHarness;
  beforeAll(async () => {
    sandbox = await startSandbox({ account: normaliseAccount(account) });
    mcp = await startMcpHarness(sandbox.endpoint);
  });
  afterAll(async () => {
    await mcp?.close();
    await sandbox?.close();
  });

  it('answers "which buckets are public" for 400 buckets in one call', async () => {
    const planted = (plantedResources.s3_bucket_public_read ?? []).map((arn) => arn.replace('arn:aws:s3:::', '')).sort();
    expect(planted.length).toBeGreaterThan(0);
    const result = await mcp.call<{ summary: { buckets: number; public: number; unknown: number }; buckets: Array<{ bucket: string; verdict: string }>; nextCursor?: string }>('find_public_buckets', {});
    expect(result.isError).toBe(false);
    expect(result.structured.summary.buckets).toBe(400);
    expect(result.structured.summary.unknown).toBe(0);
    const publicReadable = result.structured.buckets.filter((b) => b.verdict === 'public').map((b) => b.bucket);
    const plantedPublic = [...new Set([...(plantedResources.s3_bucket_public_read ?? []), ...(plantedResources.s3_bucket_public_write ?? [])])].map((arn) => arn.replace('arn:aws:s3:::', ''));
    expect(publicReadable.sort()).toEqual(plantedPublic.sort());
    expect(publicReadable).toEqual(expect.arrayContaining(planted));
    expect(result.structured.nextCursor).toBeUndefined();
    expect(sandbox.stats().services.s3?.operations.ListBuckets).toBe(1);
  });
});
