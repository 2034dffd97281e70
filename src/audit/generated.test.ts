/**
 * A generated account (src/sandbox/account/generate.ts) plants an exact, known set of problems
 * among clean resources and near misses: the audit must flag exactly those.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAccount, type GenerateSpec } from '../sandbox/account/generate.js';
import { startSandbox, type RunningSandbox } from '../sandbox/server.js';
import { normaliseAccount } from '../sandbox/account/load.js';
import { auditSandbox } from '../test-support/audit.js';
import { CHECKS } from '../checks/registry.js';

/** Every kind the generator makes, with the security baseline. */
const SPEC: GenerateSpec = { buckets: 1000, roles: 350, users: 100, securityGroups: 200, dbInstances: 100, dbClusters: 100, queues: 200, functions: 200, trails: 11, keys: 100, instances: 100, launchTemplates: 100, vpcEndpoints: 20, keyPairs: 20, ebsSnapshots: 200, images: 200, fileSystems: 40, topics: 200, serverCertificates: 20, repositories: 200, secrets: 200, baseline: 1 };

describe('a generated account', () => {
  const generated = generateAccount(SPEC, 20260101);
  let sandbox: RunningSandbox;
  let audit: Awaited<ReturnType<typeof auditSandbox>>;
  beforeAll(async () => {
    sandbox = await startSandbox({ account: normaliseAccount(generated.account) });
    // Thousands of reads against an in-process sandbox on a shared machine: a generous request
    // timeout, so a loaded machine slows the test down instead of turning reads into errors.
    audit = await auditSandbox(sandbox.endpoint, { requestTimeoutMs: 240_000 });
  }, 600_000);
  afterAll(() => sandbox?.close());

  it('plants something for every check but the few a generated account keeps clean by design', () => {
    // The root user is one per account and kept compliant; the default security groups are the rule-less near misses.
    const clean = ['iam_root_access_keys', 'iam_root_mfa', 'iam_root_hardware_mfa', 'iam_root_usage', 'iam_password_policy', 'ec2_default_sg_rules',
      // Admin plants are judged by the admin checks; these two look past them at narrower grants, which no plant makes.
      'iam_policy_sensitive_wildcard', 'iam_policy_privilege_escalation',
      // The account's trails: one compliant multi-region trail logs every bucket's objects, delivering to a logged bucket.
      'cloudtrail_multi_region_enabled', 'cloudtrail_bucket_access_logging', 'cloudtrail_s3_data_events_write', 'cloudtrail_s3_data_events_read'];
    // Without the baseline, the account-wide controls it sets up are planted as gaps instead.
    const withoutBaseline = generateAccount({ ...SPEC, baseline: 0 }, 20260101);
    const unplanted = CHECKS.map((c) => c.metadata.id).filter((id) => !generated.plantedResources[id] && !withoutBaseline.plantedResources[id]);
    expect(unplanted.sort()).toEqual(clean.sort());
  });

  it('flags every planted resource and nothing else, with every read succeeding', () => {
    expect(audit.errors).toEqual([]);
    // Every verdict reached: a principal whose attached policy was never collected is an error, not a read error.
    expect(audit.findings.filter((f) => f.status === 'error').map((f) => `${f.checkId} ${f.resourceId}: ${f.message}`)).toEqual([]);
    const flagged: Record<string, string[]> = {};
    for (const f of audit.findings.filter((f) => f.status === 'fail')) (flagged[f.checkId] ??= []).push(f.resourceId);
    const sorted = (r: Record<string, string[]>) => Object.fromEntries(Object.keys(r).sort().map((k) => [k, [...r[k]!].sort()]));
    expect(sorted(flagged)).toEqual(sorted(generated.plantedResources));
  });
});

describe('collection cost on a generated account', () => {
  const generated = generateAccount({ buckets: 0, roles: 120, users: 0, securityGroups: 0, dbInstances: 520, regions: ['us-east-1'] }, 7);
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ account: normaliseAccount(generated.account) });
  });
  afterAll(() => sandbox?.close());

  it('asks CloudWatch about 500 queries at a time (two metrics per instance), not once per instance', async () => {
    const audit = await auditSandbox(sandbox.endpoint, { checks: ['rds_instance_idle'] });
    expect(audit.stats.byOperation['cloudwatch:GetMetricData']).toBe(Math.ceil((520 * 2) / 500));
    const idle = audit.findings.filter((f) => f.status === 'fail').map((f) => f.resourceId).sort();
    expect(idle).toEqual([...generated.plantedResources.rds_instance_idle!].sort());
  });

  it('reads each managed policy document once, however many roles attach it', async () => {
    const audit = await auditSandbox(sandbox.endpoint, { checks: ['iam_policy_admin_star', 'iam_policy_privilege_escalation'] });
    expect(audit.stats.byOperation['iam:GetPolicyVersion']).toBe(generated.account.IAM!.Policies!.length);
    expect(audit.stats.byOperation['iam:ListAttachedRolePolicies']).toBe(120);
  });
});
