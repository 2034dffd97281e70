/**
 * Tags compared per key, the live tags against the state's tags_all (so provider default_tags
 * count), on IAM customer-managed policies. Per type: in sync with tags, a tag changed in the
 * console reported `changed` at tags.<Key> with its configuration value, a tag that only
 * default_tags sets not reported, and a denied tag read `unchecked` with its reason, never in
 * sync or drift. The tag reads are drift's alone: an audit of the same account makes none, and
 * AWS-managed policies are never asked for theirs. `infra-audit drift` and the audit against the
 * sandbox, real SDK clients over HTTP.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fetchStats, opCount, useSandbox } from '../test-support/sandbox.js';
import { auditSandbox } from '../test-support/audit.js';
import { driftCli, stateOf, stateResource, type DriftCliRun } from '../test-support/drift.js';

const ACCOUNT_ID = '111122223333';
const T0 = '2026-01-01T00:00:00Z';
const DOCUMENT = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] };
const policyArn = (name: string) => `arn:aws:iam::${ACCOUNT_ID}:policy/${name}`;
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const tags = (map: Record<string, string>) => Object.entries(map).map(([Key, Value]) => ({ Key, Value }));
const managed = (PolicyName: string, tagMap: Record<string, string>) => ({ PolicyName, CreateDate: T0, Versions: [{ VersionId: 'v1', IsDefaultVersion: true, CreateDate: T0, Document: DOCUMENT }], Tags: tags(tagMap) });

const ACCOUNT = {
  AccountId: ACCOUNT_ID,
  Regions: { 'us-east-1': {} },
  IAM: {
    Roles: [
      {
        RoleName: 'auditor', CreateDate: T0, AttachedPolicies: [{ PolicyName: 'ReadOnlyAccess', PolicyArn: READ_ONLY }],
        AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      },
    ],
    Policies: [
      managed('app-read', { team: 'platform', Environment: 'prod' }),
      // Retagged in the console.
      managed('ci-deploy', { team: 'ops', Environment: 'prod' }),
      // Tagged by the provider's default_tags only.
      managed('defaults', { Environment: 'prod' }),
      managed('locked', { team: 'platform', Environment: 'prod' }),
      // AWS-managed and attached: listed, never asked for its tags.
      { PolicyName: 'ReadOnlyAccess', Arn: READ_ONLY, AwsManaged: true, CreateDate: T0, Versions: [{ VersionId: 'v1', IsDefaultVersion: true, CreateDate: T0, Document: DOCUMENT }] },
    ],
  },
};

const policyState = (name: string, own: Record<string, string>) => ({
  id: policyArn(name), arn: policyArn(name), name, name_prefix: '', path: '/', description: '', policy: JSON.stringify(DOCUMENT), policy_id: 'ANPAEXAMPLE',
  tags: own, tags_all: { Environment: 'prod', ...own },
});
const STATE = stateOf('tags-iam-rds', [
  stateResource('aws_iam_policy', 'app_read', policyState('app-read', { team: 'platform' })),
  stateResource('aws_iam_policy', 'ci_deploy', policyState('ci-deploy', { team: 'platform' })),
  stateResource('aws_iam_policy', 'defaults', policyState('defaults', {})),
  stateResource('aws_iam_policy', 'locked', policyState('locked', { team: 'platform' })),
]);

const HCL = `
provider "aws" {
  default_tags {
    tags = { Environment = "prod" }
  }
}

resource "aws_iam_policy" "ci_deploy" {
  name   = "ci-deploy"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }] })
  tags   = { team = "platform" }
}
`;

describe('drift compares tags of IAM customer-managed policies', () => {
  const env = useSandbox(ACCOUNT, { deny: ['ListPolicyTags:locked'] });
  let run: DriftCliRun;
  let driftTagReads: number;
  beforeAll(async () => {
    run = await driftCli(env.endpoint, { state: STATE, hcl: HCL, regions: ['us-east-1'] });
    driftTagReads = opCount(await fetchStats(env.endpoint), 'iam', 'ListPolicyTags');
  });

  it('in sync with its tags, and with a tag that only default_tags sets', () => {
    expect(run.entry('aws_iam_policy.app_read')).toBeUndefined();
    expect(run.entry('aws_iam_policy.defaults')).toBeUndefined();
    expect(run.report.unchecked.map((u) => u.terraformAddress)).not.toContain('aws_iam_policy.app_read');
  });

  it('a tag changed in the console is changed at tags.<Key>, with the configured value', () => {
    const entry = run.entry('aws_iam_policy.ci_deploy');
    expect(entry?.kind).toBe('changed');
    expect(entry?.diffs).toEqual([{ path: 'tags.team', config: 'platform', state: 'platform', live: 'ops' }]);
  });

  it('a denied tag read is unchecked with the failed read, neither in sync nor drift', () => {
    expect(run.report.unchecked).toEqual([{ terraformAddress: 'aws_iam_policy.locked', resourceType: 'aws_iam_policy', reason: 'ListPolicyTags failed: AccessDenied' }]);
    expect(run.entry('aws_iam_policy.locked')).toBeUndefined();
    expect(run.report.summary).toMatchObject({ compared: 3, inSync: 2, changed: 1, unchecked: 1 });
  });

  it('reads the tags of customer-managed policies only, and an audit reads none', async () => {
    // app-read, ci-deploy, defaults and locked: never ReadOnlyAccess.
    expect(driftTagReads).toBe(4);
    await auditSandbox(env.endpoint);
    expect(opCount(await fetchStats(env.endpoint), 'iam', 'ListPolicyTags')).toBe(driftTagReads);
  });
});
