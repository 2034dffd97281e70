/**
 * A generated account (src/sandbox/account/generate.ts) plants an exact, known set of problems
 * among clean resources and near misses: the audit must flag exactly those.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAccount } from '../sandbox/account/generate.js';
import { startSandbox, type RunningSandbox } from '../sandbox/server.js';
import { normaliseAccount } from '../sandbox/account/load.js';
import { auditSandbox } from '../test-support/audit.js';

describe('a generated account', () => {
  const generated = generateAccount({ buckets: 400, roles: 350, users: 100, securityGroups: 200, dbInstances: 100, dbClusters: 100, queues: 200, functions: 200, trails: 11, repositories: 200, secrets: 200 }, 20260101);
  let sandbox: RunningSandbox;
  let audit: Awaited<ReturnType<typeof auditSandbox>>;
  beforeAll(async () => {
    sandbox = await startSandbox({ account: normaliseAccount(generated.account) });
    audit = await auditSandbox(sandbox.endpoint);
  }, 300_000);
  afterAll(() => sandbox?.close());

  it('plants something for most checks (so this test means something)', () => {
    expect(Object.keys(generated.plantedResources).length).toBeGreaterThanOrEqual(25);
  });

  it('flags every planted resource and nothing else, with every read succeeding', () => {
    expect(audit.errors).toEqual([]);
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
