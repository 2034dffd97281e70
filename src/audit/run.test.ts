import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { InfraAuditError } from '../errors.js';
import type { Finding } from '../findings/model.js';
import { useSandbox } from '../test-support/sandbox.js';
import { auditSandbox } from '../test-support/audit.js';
import type { AuditProgress } from './run.js';
import { generateAccount, parseGenerateSpec } from '../sandbox/account/generate.js';

const demo = JSON.parse(readFileSync(fileURLToPath(new URL('../../examples/demo/account.json', import.meta.url)), 'utf8'));
const verdicts = (findings: Finding[]) => Object.fromEntries(findings.map((f) => [`${f.checkId} ${f.resourceId}`, f.status]));

describe('an audit against a throttling endpoint', () => {
  const calm = useSandbox(demo);
  const throttled = useSandbox(demo, { throttleRate: 0.3, seed: 7 });
  // Seed 11 lets the two sequential first calls (GetCallerIdentity, DescribeRegions) through, so the run starts.
  const lossy = useSandbox(demo, { throttleRate: 0.3, seed: 11 });
  let baseline: Record<string, string>;
  beforeAll(async () => {
    baseline = verdicts((await auditSandbox(calm.endpoint)).findings);
  });

  it('retries with backoff until the audit is complete and identical to an unthrottled one', async () => {
    const audit = await auditSandbox(throttled.endpoint, { maxAttempts: 12, retry: { throttleBaseDelayMs: 10 } });
    expect(audit.stats.throttled).toBeGreaterThan(20);
    expect(audit.stats.retries).toBe(audit.stats.throttled);
    expect(audit.errors).toEqual([]);
    expect(verdicts(audit.findings)).toEqual(baseline);
    expect(throttled.sandbox.stats().faults.throttled).toBe(audit.stats.throttled);
  });

  it('without retries, turns every read it lost into error and never into a different pass or fail', async () => {
    const result = await auditSandbox(lossy.endpoint, { maxAttempts: 1 });
    expect(result.errors.length).toBeGreaterThan(0);
    expect(result.errors.filter((e) => !/Throttl|SlowDown|RequestLimitExceeded|TooManyRequests/.test(e.code)).map((e) => `${e.service}:${e.operation} ${e.code} ${e.message}`)).toEqual([]);
    const changed = Object.entries(verdicts(result.findings)).filter(([k, status]) => baseline[k] !== status);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.filter(([, status]) => status !== 'error')).toEqual([]);
  });
});

describe('the audit engine', () => {
  const env = useSandbox(demo, { latencyMs: 20 });

  it('collects only what the selected checks need', async () => {
    const audit = await auditSandbox(env.endpoint, { checks: ['ec2_sg_open_ssh'] });
    const services = new Set(Object.keys(audit.stats.byOperation).map((k) => k.split(':')[0]));
    expect([...services].sort()).toEqual(['ec2', 'sts']);
    expect(audit.findings.every((f) => f.checkId === 'ec2_sg_open_ssh')).toBe(true);
    expect(audit.stats.checksRun).toBe(1);
  });

  it('makes exactly the reads one check needs, counted at the sandbox', async () => {
    env.sandbox.resetStats();
    const audit = await auditSandbox(env.endpoint, { checks: ['s3_bucket_versioning'] });
    const buckets = (demo as { S3: { Buckets: unknown[] } }).S3.Buckets.length;
    const stats = env.sandbox.stats();
    // ListBuckets gives each bucket's region, so there is no GetBucketLocation.
    expect(stats.services.s3?.operations).toEqual({ ListBuckets: 1, GetBucketVersioning: buckets });
    expect(stats.services.sts?.operations).toEqual({ GetCallerIdentity: 1 });
    expect(stats.requests).toBe(2 + buckets);
    expect(audit.stats.apiCalls).toBe(stats.requests);
    expect(audit.findings.filter((f) => f.status === 'error')).toEqual([]);
  });

  it('skips the checks it is told to skip', async () => {
    const audit = await auditSandbox(env.endpoint, { checks: ['s3_bucket_versioning,s3_bucket_access_logging'], skipChecks: ['s3_bucket_access_logging'] });
    expect(new Set(audit.findings.map((f) => f.checkId))).toEqual(new Set(['s3_bucket_versioning']));
  });

  it('refuses an unknown check id before any AWS call, naming it and its near matches', async () => {
    const before = env.sandbox.stats().requests;
    const err = await auditSandbox(env.endpoint, { checks: ['ec2_sg_open_shh'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InfraAuditError);
    expect((err as InfraAuditError).message).toBe('--checks: unknown check id "ec2_sg_open_shh"');
    expect((err as InfraAuditError).hint).toContain('ec2_sg_open_ssh');
    const skip = await auditSandbox(env.endpoint, { skipChecks: ['imdsv2'] }).catch((e: unknown) => e);
    expect((skip as InfraAuditError).hint).toContain('ec2_instance_imdsv2');
    expect(env.sandbox.stats().requests).toBe(before);
  });

  it('reports progress as it goes', async () => {
    const events: AuditProgress[] = [];
    await auditSandbox(env.endpoint, { checks: ['rds_instance_idle'], onProgress: (e) => events.push(e) });
    const phases = events.map((e) => e.phase);
    expect(phases[0]).toBe('identity');
    expect(phases).toContain('collecting');
    expect(events.filter((e) => e.phase === 'collected').map((e) => e.detail).sort()).toEqual(['cloudwatch eu-west-1', 'cloudwatch us-east-1', 'rds eu-west-1', 'rds us-east-1']);
    expect(phases.slice(-2)).toEqual(['checking', 'done']);
  });

  it('keeps each service within its concurrency limit, and uses it', async () => {
    const audit = await auditSandbox(env.endpoint, { checks: ['s3_bucket_versioning'], concurrency: 3 });
    expect(audit.stats.peakInFlight.s3).toBe(3);
    const wide = await auditSandbox(env.endpoint, { checks: ['s3_bucket_versioning'], concurrency: 50 });
    // With a wide limit the reads of several buckets run side by side: the limit, not the code, is what bounds it.
    expect(wide.stats.peakInFlight.s3).toBeGreaterThan(3);
  });
});

describe('an audit of a large account', () => {
  const large = useSandbox(generateAccount(parseGenerateSpec('buckets=400,roles=120,queues=60,functions=60,keys=60'), 3).account);

  it('reads a bounded number of resources at once: the calls waiting for a slot follow the limit, not the account', async () => {
    const audit = await auditSandbox(large.endpoint, { concurrency: 4 });
    expect(audit.errors).toEqual([]);
    expect(audit.findings.filter((f) => f.checkId === 's3_bucket_versioning')).toHaveLength(400);
    // At most `concurrency` buckets are being read, each with at most its 8 reads at once; all
    // 400 started together would queue ~3,200 calls here.
    expect(audit.stats.peakInFlight.s3).toBe(4);
    expect(audit.stats.peakQueued.s3).toBeLessThanOrEqual(4 * 8);
    expect(audit.stats.peakQueued.iam).toBeLessThanOrEqual(4 * 8);
    for (const [limiter, queued] of Object.entries(audit.stats.peakQueued)) expect(queued, limiter).toBeLessThanOrEqual(4 * 8);
  });
});
