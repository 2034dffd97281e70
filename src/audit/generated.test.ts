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
  const generated = generateAccount({ buckets: 400, roles: 350, users: 100, securityGroups: 200, dbInstances: 100 }, 20260101);
  let sandbox: RunningSandbox;
  let audit: Awaited<ReturnType<typeof auditSandbox>>;
  beforeAll(async () => {
    sandbox = await startSandbox({ account: normaliseAccount(generated.account) });
    audit = await auditSandbox(sandbox.endpoint);
  }, 60_000);
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
