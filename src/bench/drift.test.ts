/**
 * The drift benchmark's state is what `terraform apply` would have left for its account: written
 * from the live side, it must compare in full and in sync, or the benchmark measures a drift
 * report nobody would get. A small account of the same kinds (two regions, users with two keys,
 * functions with environments, network ACLs with rules) holds the bench's state writer to that.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsSession } from '../aws/session.js';
import { collectLive, loadTerraformInputs, runDrift } from '../drift/run.js';
import type { DriftReport } from '../drift/model.js';
import { generateAccount, parseGenerateSpec } from '../sandbox/account/generate.js';
import { useSandbox, TEST_CREDENTIALS } from '../test-support/sandbox.js';
import { stateFromLive } from './drift.js';

const SPEC = 'buckets=12,roles=10,users=50,security-groups=12,db-instances=4,db-clusters=2,queues=6,functions=8,keys=4,repositories=4,secrets=4,launch-templates=4,vpc-endpoints=4,key-pairs=4,regions=us-east-1+eu-west-1';

describe('the drift benchmark state', () => {
  const env = useSandbox(generateAccount(parseGenerateSpec(SPEC), 1).account);
  const dir = mkdtempSync(join(tmpdir(), 'infra-audit-bench-drift-test-'));
  let state: { text: string; instances: number; types: number };
  let report: DriftReport;
  beforeAll(async () => {
    const session = () => new AwsSession({ endpointUrl: env.endpoint, credentials: TEST_CREDENTIALS, retry: { maxAttempts: 1 } });
    const { live } = await collectLive(session());
    state = stateFromLive(live);
    const file = join(dir, 'terraform.tfstate');
    writeFileSync(file, state.text);
    report = await runDrift(await loadTerraformInputs({ statePaths: [file], env: {} }), session(), { allowAccountMismatch: true });
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the kinds that once compared wrong: a user with two keys, Lambda environments, network ACL rules, both regions', () => {
    const resources = (JSON.parse(state.text) as { resources: Array<{ type: string; instances: Array<{ attributes: Record<string, unknown> }> }> }).resources;
    const of = (type: string) => resources.filter((r) => r.type === type).map((r) => r.instances[0]!.attributes);
    const keysPerUser = new Map<unknown, number>();
    for (const key of of('aws_iam_access_key')) keysPerUser.set(key.user, (keysPerUser.get(key.user) ?? 0) + 1);
    expect(Math.max(...keysPerUser.values())).toBe(2);
    expect(of('aws_lambda_function').some((f) => Array.isArray(f.environment) && f.environment.length > 0)).toBe(true);
    expect(of('aws_network_acl').some((a) => Array.isArray(a.ingress) && a.ingress.length > 0)).toBe(true);
    expect(new Set(resources.map((r) => r.instances[0]!.attributes.region).filter(Boolean))).toEqual(new Set(['us-east-1', 'eu-west-1']));
  });

  it('compares every instance, in sync, with nothing unmanaged or unchecked', () => {
    expect(report.errors).toEqual([]);
    expect(report.unchecked).toEqual([]);
    expect(report.entries.map((e) => `${e.kind} ${e.resourceType} ${e.resourceId} ${(e.diffs ?? []).map((d) => d.path).join(',')}`)).toEqual([]);
    expect(report.summary.stateInstances).toBe(state.instances);
    expect(report.summary.compared).toBe(state.instances);
    expect(report.summary.inSync).toBe(state.instances);
    expect(report.summary.comparedPercent).toBe(100);
  });
});
