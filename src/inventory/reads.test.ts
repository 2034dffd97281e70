/**
 * Need-driven collection against the sandbox with the real SDK: each check's declared reads
 * are enough for its verdicts, and a read left out can only turn a verdict into `error`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AwsRead } from '../aws/read-operations.js';
import { resolveRegions } from '../aws/regions.js';
import { AwsSession } from '../aws/session.js';
import { runCheck } from '../audit/evaluate.js';
import { CHECKS } from '../checks/registry.js';
import { DEFAULT_CHECK_OPTIONS } from '../checks/types.js';
import { demoAccount } from '../test-support/demo.js';
import { TEST_CREDENTIALS, useSandbox } from '../test-support/sandbox.js';
import { collectInventory } from './collect.js';
import type { CollectorContext } from './context.js';
import { collectCallerIdentity } from './collectors/sts.js';
import { PART_READS, partReads, partsOf, readsToMake } from './reads.js';

describe('need-driven collection', () => {
  const env = useSandbox(demoAccount());
  const now = new Date();
  const options = { ...DEFAULT_CHECK_OPTIONS, now };
  let session: AwsSession;
  let regions: string[];

  async function collect(needs: ReadonlySet<AwsRead>) {
    const identity = await collectCallerIdentity(session);
    const ctx: CollectorContext = { session, needs, accountId: identity.accountId, partition: identity.partition, regions, now, idleDays: options.idleDays, errors: [] };
    return { snapshot: await collectInventory(ctx, identity.arn), errors: ctx.errors };
  }
  const verdicts = (findings: ReturnType<typeof runCheck>) => new Map(findings.map((f) => [f.resourceId, f.status]));

  beforeAll(async () => {
    session = new AwsSession({ endpointUrl: env.endpoint, credentials: TEST_CREDENTIALS });
    regions = await resolveRegions(session, undefined);
  });

  it('adds prerequisites transitively and maps reads to their collectors', () => {
    expect([...readsToMake(['iam:GetAccessKeyLastUsed'])].sort()).toEqual(['iam:GetAccessKeyLastUsed', 'iam:ListAccessKeys', 'iam:ListUsers']);
    expect([...partsOf(readsToMake(['cloudwatch:GetMetricData']))].sort()).toEqual(['cloudwatch', 'rds']);
    expect(partReads('s3control')).toEqual(Object.keys(PART_READS.s3control));
  });

  it("collects enough for every check's verdicts from its declared reads alone", async () => {
    for (const check of CHECKS) {
      const { snapshot, errors } = await collect(readsToMake(check.reads));
      expect(errors, check.metadata.id).toEqual([]);
      const notCollected = runCheck(check, snapshot, options).filter((f) => f.status === 'error');
      expect(notCollected.map((f) => f.message), check.metadata.id).toEqual([]);
    }
  });

  it('turns a verdict into error, never into pass, when a read it needs was not made', async () => {
    const full = await collect(readsToMake(CHECKS.flatMap((c) => c.reads)));
    let changed = 0;
    for (const check of CHECKS) {
      const baseline = verdicts(runCheck(check, full.snapshot, options));
      const needs = readsToMake(check.reads);
      for (const left of needs) {
        const { snapshot } = await collect(new Set([...needs].filter((n) => n !== left)));
        for (const [resource, status] of verdicts(runCheck(check, snapshot, options))) {
          if (status === baseline.get(resource)) continue;
          changed++;
          expect(status, `${check.metadata.id} ${resource} without ${left}`).toBe('error');
        }
      }
    }
    expect(changed).toBeGreaterThan(50);
  });
});
