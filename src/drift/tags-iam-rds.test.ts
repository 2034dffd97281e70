/**
 * Tags compared per key, the live tags against the state's tags_all (so provider default_tags
 * count), on the types whose listing leaves tags out: IAM customer-managed policies
 * (ListPolicyTags), instance profiles (ListInstanceProfileTags), server certificates
 * (ListServerCertificateTags) and DB subnet groups (rds:ListTagsForResource). Per type: in sync with tags, a tag changed in the console reported
 * `changed` at tags.<Key> with its configuration value, a tag that only default_tags sets not
 * reported, and a denied tag read `unchecked` with its reason, never in sync or drift. The tag
 * reads are drift's alone: an audit of the same account makes none, and AWS-managed policies are
 * never asked for theirs. `infra-audit drift` and the audit against the sandbox, real SDK clients
 * over HTTP.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fetchStats, opCount, useSandbox } from '../test-support/sandbox.js';
import { auditSandbox } from '../test-support/audit.js';
import { driftCli, stateOf, stateResource, type DriftCliRun } from '../test-support/drift.js';

const ACCOUNT_ID = '111122223333';
const T0 = '2026-01-01T00:00:00Z';
const DOCUMENT = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] };
const iamArn = (kind: string, name: string) => `arn:aws:iam::${ACCOUNT_ID}:${kind}/${name}`;
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const tags = (map: Record<string, string>) => Object.entries(map).map(([Key, Value]) => ({ Key, Value }));
const PROD = { Environment: 'prod' };

/**
 * Each type's four objects: in sync (`synced`), retagged in the console (`retagged`: team=ops
 * live, team=platform in the state and configuration), tagged by default_tags only (`defaults`),
 * and one whose tag read is denied (`locked`).
 */
interface TypeCase {
  type: string;
  service: 'iam' | 'rds';
  tagRead: string;
  live(name: string, tagMap: Record<string, string>): Record<string, unknown>;
  state(name: string, own: Record<string, string>): Record<string, unknown>;
  hcl: string;
}

const policyLive = (PolicyName: string, tagMap: Record<string, string>) => ({ PolicyName, CreateDate: T0, Versions: [{ VersionId: 'v1', IsDefaultVersion: true, CreateDate: T0, Document: DOCUMENT }], Tags: tags(tagMap) });
const withDefaults = (own: Record<string, string>) => ({ tags: own, tags_all: { ...PROD, ...own } });

const CASES: TypeCase[] = [
  {
    type: 'aws_iam_policy',
    service: 'iam',
    tagRead: 'ListPolicyTags',
    live: policyLive,
    state: (name, own) => ({ id: iamArn('policy', name), arn: iamArn('policy', name), name, name_prefix: '', path: '/', description: '', policy: JSON.stringify(DOCUMENT), policy_id: 'ANPAEXAMPLE', ...withDefaults(own) }),
    hcl: `resource "aws_iam_policy" "retagged" {
  name   = "retagged"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }] })
  tags   = { team = "platform" }
}`,
  },
  {
    type: 'aws_iam_instance_profile',
    service: 'iam',
    tagRead: 'ListInstanceProfileTags',
    live: (InstanceProfileName, tagMap) => ({ InstanceProfileName, CreateDate: T0, Roles: ['app'], Tags: tags(tagMap) }),
    state: (name, own) => ({ id: name, name, name_prefix: '', arn: iamArn('instance-profile', name), path: '/', role: 'app', unique_id: 'AIPAEXAMPLE', create_date: T0, ...withDefaults(own) }),
    hcl: `resource "aws_iam_instance_profile" "retagged" {
  name = "retagged"
  role = "app"
  tags = { team = "platform" }
}`,
  },
  {
    type: 'aws_iam_server_certificate',
    service: 'iam',
    tagRead: 'ListServerCertificateTags',
    live: (ServerCertificateName, tagMap) => ({ ServerCertificateName, UploadDate: T0, Expiration: '2027-01-01T00:00:00Z', Tags: tags(tagMap) }),
    state: (name, own) => ({ id: `ASCA${name.toUpperCase()}`, name, name_prefix: '', arn: iamArn('server-certificate', name), path: '/', expiration: '2027-01-01T00:00:00Z', ...withDefaults(own) }),
    hcl: `resource "aws_iam_server_certificate" "retagged" {
  name             = "retagged"
  certificate_body = "-----BEGIN CERTIFICATE-----"
  private_key      = "-----BEGIN RSA PRIVATE KEY-----"
  tags             = { team = "platform" }
}`,
  },
  {
    type: 'aws_db_subnet_group',
    service: 'rds',
    tagRead: 'ListTagsForResource',
    live: (DBSubnetGroupName, tagMap) => ({ DBSubnetGroupName, DBSubnetGroupDescription: 'db', VpcId: 'vpc-0a1', SubnetIds: ['subnet-0a1', 'subnet-0a2'], TagList: tags(tagMap) }),
    state: (name, own) => ({ id: name, name, name_prefix: '', arn: `arn:aws:rds:us-east-1:${ACCOUNT_ID}:subgrp:${name}`, description: 'db', subnet_ids: ['subnet-0a2', 'subnet-0a1'], supported_network_types: ['IPV4'], vpc_id: 'vpc-0a1', ...withDefaults(own) }),
    hcl: `resource "aws_db_subnet_group" "retagged" {
  name        = "retagged"
  description = "db"
  subnet_ids  = ["subnet-0a1", "subnet-0a2"]
  tags        = { team = "platform" }
}`,
  },
];

const OBJECTS: Array<[name: string, live: Record<string, string>, stateOwn: Record<string, string>]> = [
  ['synced', { team: 'platform', ...PROD }, { team: 'platform' }],
  ['retagged', { team: 'ops', ...PROD }, { team: 'platform' }],
  ['defaults', PROD, {}],
  ['locked', { team: 'platform', ...PROD }, { team: 'platform' }],
];
const liveOf = (c: TypeCase) => OBJECTS.map(([name, live]) => c.live(name, live));
const caseOf = (type: string) => CASES.find((c) => c.type === type)!;

const ACCOUNT = {
  AccountId: ACCOUNT_ID,
  Regions: { 'us-east-1': { RDS: { DBSubnetGroups: liveOf(caseOf('aws_db_subnet_group')) } } },
  IAM: {
    Roles: [
      {
        RoleName: 'app', CreateDate: T0, AttachedPolicies: [{ PolicyName: 'ReadOnlyAccess', PolicyArn: READ_ONLY }],
        AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      },
    ],
    Policies: [
      ...liveOf(caseOf('aws_iam_policy')),
      // AWS-managed and attached: listed, never asked for its tags.
      { PolicyName: 'ReadOnlyAccess', Arn: READ_ONLY, AwsManaged: true, CreateDate: T0, Versions: [{ VersionId: 'v1', IsDefaultVersion: true, CreateDate: T0, Document: DOCUMENT }] },
    ],
    InstanceProfiles: liveOf(caseOf('aws_iam_instance_profile')),
    ServerCertificates: liveOf(caseOf('aws_iam_server_certificate')),
  },
};

// The role is the profiles' role, in sync, with its attachment.
const ROLE_STATE = {
  id: 'app', name: 'app', arn: iamArn('role', 'app'), path: '/', description: '', max_session_duration: 3600, tags: {}, tags_all: {},
  assume_role_policy: JSON.stringify(ACCOUNT.IAM.Roles[0]!.AssumeRolePolicyDocument),
};
const STATE = stateOf('tags-iam-rds', [
  stateResource('aws_iam_role', 'app', ROLE_STATE),
  stateResource('aws_iam_role_policy_attachment', 'app_read_only', { id: 'app-20260101000000000000000001', role: 'app', policy_arn: READ_ONLY }),
  ...CASES.flatMap((c) => OBJECTS.map(([name, , own]) => stateResource(c.type, name, c.state(name, own)))),
]);

const HCL = `
provider "aws" {
  default_tags {
    tags = { Environment = "prod" }
  }
}

${CASES.map((c) => c.hcl).join('\n\n')}
`;

describe('drift compares the tags of IAM policies, instance profiles, server certificates and DB subnet groups', () => {
  const env = useSandbox(ACCOUNT, { deny: CASES.map((c) => `${c.tagRead}:locked`) });
  let run: DriftCliRun;
  const tagReads: Record<string, number> = {};
  beforeAll(async () => {
    run = await driftCli(env.endpoint, { state: STATE, hcl: HCL, regions: ['us-east-1'] });
    const stats = await fetchStats(env.endpoint);
    for (const c of CASES) tagReads[c.tagRead] = opCount(stats, c.service, c.tagRead);
  });

  it.each(CASES.map((c) => [c.type]))('%s: in sync with its tags, and with a tag only default_tags sets', (type) => {
    expect(run.entry(`${type}.synced`)).toBeUndefined();
    expect(run.entry(`${type}.defaults`)).toBeUndefined();
    expect(run.report.unchecked.map((u) => u.terraformAddress)).not.toContain(`${type}.synced`);
  });

  it.each(CASES.map((c) => [c.type]))('%s: a tag changed in the console is changed at tags.<Key>, with the configured value', (type) => {
    const entry = run.entry(`${type}.retagged`);
    expect(entry?.kind).toBe('changed');
    expect(entry?.diffs).toEqual([{ path: 'tags.team', config: 'platform', state: 'platform', live: 'ops' }]);
  });

  it.each(CASES.map((c) => [c.type, c.tagRead]))('%s: a denied %s is unchecked with the failed read, neither in sync nor drift', (type, tagRead) => {
    expect(run.report.unchecked.filter((u) => u.resourceType === type)).toEqual([{ terraformAddress: `${type}.locked`, resourceType: type, reason: `${tagRead} failed: AccessDenied` }]);
    expect(run.entry(`${type}.locked`)).toBeUndefined();
  });

  it('compares everything else, nothing unmanaged', () => {
    expect(run.report.summary).toMatchObject({ compared: 2 + 3 * CASES.length, inSync: 2 + 2 * CASES.length, changed: CASES.length, unchecked: CASES.length, unmanaged: 0 });
  });

  it('reads tags once per object, of customer-managed policies only, and an audit reads none', async () => {
    // The four objects of each type: never the AWS-managed ReadOnlyAccess.
    expect(tagReads).toEqual(Object.fromEntries(CASES.map((c) => [c.tagRead, OBJECTS.length])));
    await auditSandbox(env.endpoint);
    const stats = await fetchStats(env.endpoint);
    expect(Object.fromEntries(CASES.map((c) => [c.tagRead, opCount(stats, c.service, c.tagRead)]))).toEqual(tagReads);
  });
});
