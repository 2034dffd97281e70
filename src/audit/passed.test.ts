/**
 * Passes are aggregated per check, not held as one object each: the audit's result holds its
 * failures and errors as findings, and each check's passes as a count and arrays of resource
 * ids. The reports build the pass findings back as they write them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAccount } from '../sandbox/account/generate.js';
import { startSandbox, type RunningSandbox } from '../sandbox/server.js';
import { normaliseAccount } from '../sandbox/account/load.js';
import { runAudit, type AuditResult } from './run.js';
import { toAuditReport } from './report.js';
import { TEST_CREDENTIALS } from '../test-support/sandbox.js';
import { buildJsonReport, renderJson } from '../report/json.js';
import { passCount } from '../findings/passed.js';

describe('pass verdicts of an audit', () => {
  const generated = generateAccount({ buckets: 60, roles: 30, users: 10, securityGroups: 20, dbInstances: 5 }, 7);
  const buckets = generated.account.S3?.Buckets?.length ?? 0;
  let sandbox: RunningSandbox;
  let result: AuditResult;
  beforeAll(async () => {
    sandbox = await startSandbox({ account: normaliseAccount(generated.account) });
    result = await runAudit({ endpointUrl: sandbox.endpoint, credentials: TEST_CREDENTIALS, services: ['s3', 'iam', 'ec2'] });
  }, 120_000);
  afterAll(() => sandbox?.close());

  it('are not held as finding objects: the findings are failures and errors only', () => {
    expect(result.errors).toEqual([]);
    expect(result.findings.length).toBeGreaterThan(0);
    expect(result.findings.filter((f) => f.status === 'pass')).toEqual([]);
  });

  it('are a count and parallel arrays of strings per check and account', () => {
    expect(result.passed.length).toBeGreaterThan(0);
    for (const p of result.passed) {
      expect(p.count, p.checkId).toBeGreaterThan(0);
      for (const column of [p.regions, p.resourceIds, p.resourceNames, ...(p.resourceTypes ? [p.resourceTypes] : [])]) {
        expect(column, p.checkId).toHaveLength(p.count);
        expect(column.every((v) => typeof v === 'string'), p.checkId).toBe(true);
      }
    }
  });

  it('with the failures, account for every bucket once per bucket check', () => {
    expect(buckets).toBeGreaterThan(0);
    const fails = (checkId: string) => result.findings.filter((f) => f.checkId === checkId && f.status === 'fail').length;
    const planted = generated.planted.s3_bucket_versioning ?? 0;
    const versioning = result.passed.find((p) => p.checkId === 's3_bucket_versioning')!;
    expect(fails('s3_bucket_versioning')).toBe(planted);
    expect(versioning.count + planted).toBe(buckets);
    expect(new Set(versioning.resourceIds).size).toBe(versioning.count);
    expect(versioning.resourceIds.every((id) => id.startsWith('arn:aws:s3:::'))).toBe(true);
  });

  it('come back as pass findings in the JSON report, one per resource, counted in its summary', () => {
    const report = toAuditReport(result, new Date('2026-06-01T00:00:00Z'));
    const json = buildJsonReport(report);
    const passes = json.findings.filter((f) => f.status === 'pass');
    expect(passes).toHaveLength(passCount(result.passed));
    expect(json.summary.pass).toBe(passes.length);
    expect(json.summary.total).toBe(json.findings.length);
    const versioning = passes.filter((f) => f.checkId === 's3_bucket_versioning');
    expect(versioning).toHaveLength(buckets - (generated.planted.s3_bucket_versioning ?? 0));
    expect(versioning[0]).toMatchObject({ status: 'pass', service: 's3', resourceType: 'AWS::S3::Bucket', message: result.checks.find((c) => c.id === 's3_bucket_versioning')!.title });
    // The streamed text is the whole report as JSON.stringify prints it.
    expect(renderJson(report)).toBe(`${JSON.stringify(json, null, 2)}\n`);
  });
});
