/**
 * The drift engine on a small inline account and state: semantic comparison over the wire
 * (policies, security group rules, tags with provider default_tags), secrets compared but never
 * shown, .driftignore, AWS-owned objects never unmanaged, and failed reads reported as unchecked
 * rather than missing.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox, TEST_CREDENTIALS } from '../test-support/sandbox.js';
import { AwsSession } from '../aws/session.js';
import { loadTerraformInputs, runDrift } from './run.js';
import { DriftIgnore } from './driftignore.js';
import type { DriftReport } from './model.js';

const SECRET = 'Sup3r-s3cret-description-value';
const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
const bucketPolicy = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Tls', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::data-bucket', 'arn:aws:s3:::data-bucket/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    { Sid: 'Read', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/app' }, Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::data-bucket/*' },
  ],
};

const ACCOUNT = {
  AccountId: '111122223333',
  Regions: {
    'us-east-1': {
      EC2: {
        SecurityGroups: [
          {
            GroupId: 'sg-0aaa1111',
            GroupName: 'web',
            Description: 'web servers',
            VpcId: 'vpc-0bbb2222',
            IpPermissions: [
              { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8', Description: 'ssh' }] },
              // Added in the console.
              { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
            ],
            IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
            Tags: [{ Key: 'Env', Value: 'prod' }],
          },
          { GroupId: 'sg-0ccc3333', GroupName: 'default', Description: 'default VPC security group', VpcId: 'vpc-0bbb2222' },
        ],
      },
    },
  },
  S3: {
    Buckets: [
      {
        Name: 'data-bucket',
        CreationDate: '2024-01-01T00:00:00Z',
        Region: 'us-east-1',
        // The same policy, statements and keys in another order.
        Policy: { Statement: [...bucketPolicy.Statement].reverse(), Version: '2012-10-17' },
        Tags: [{ Key: 'Env', Value: 'prod' }],
      },
    ],
  },
  IAM: {
    Roles: [
      { RoleName: 'app', Path: '/', CreateDate: '2024-01-01T00:00:00Z', Description: SECRET, MaxSessionDuration: 3600, AssumeRolePolicyDocument: trust, Tags: [{ Key: 'Env', Value: 'prod' }, { Key: 'Owner', Value: 'bob' }] },
      { RoleName: 'other', Path: '/', CreateDate: '2024-01-01T00:00:00Z', Description: 'changed in the console', MaxSessionDuration: 3600, AssumeRolePolicyDocument: trust, Tags: [{ Key: 'db_password', Value: 'tagged-in-console-42' }] },
      { RoleName: 'AWSServiceRoleForSupport', Path: '/aws-service-role/support.amazonaws.com/', CreateDate: '2024-01-01T00:00:00Z', AssumeRolePolicyDocument: trust },
    ],
  },
};

const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';
const resource = (type: string, name: string, attributes: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  mode: 'managed', type, name, provider: PROVIDER, instances: [{ schema_version: 0, attributes, ...extra }],
});

const STATE = {
  version: 4, terraform_version: '1.9.8', serial: 7, lineage: 'engine-test', outputs: {},
  resources: [
    resource('aws_security_group', 'web', {
      id: 'sg-0aaa1111', arn: 'arn:aws:ec2:us-east-1:111122223333:security-group/sg-0aaa1111', name: 'web', description: 'web servers', vpc_id: 'vpc-0bbb2222',
      ingress: [{ cidr_blocks: ['10.0.0.0/8'], description: 'ssh', from_port: 22, to_port: 22, protocol: 'tcp', ipv6_cidr_blocks: [], prefix_list_ids: [], security_groups: [], self: false }],
      egress: [{ cidr_blocks: ['0.0.0.0/0'], description: '', from_port: 0, to_port: 0, protocol: '-1', ipv6_cidr_blocks: [], prefix_list_ids: [], security_groups: [], self: false }],
      tags: {}, tags_all: { Env: 'prod' },
    }),
    resource('aws_vpc_security_group_ingress_rule', 'ssh', { id: 'sgr-1', arn: 'arn:aws:ec2:us-east-1:111122223333:security-group-rule/sgr-1', security_group_id: 'sg-0aaa1111', ip_protocol: 'tcp', from_port: 22, to_port: 22, cidr_ipv4: '10.0.0.0/8', description: 'ssh' }),
    resource('aws_vpc_security_group_ingress_rule', 'mysql', { id: 'sgr-2', arn: 'arn:aws:ec2:us-east-1:111122223333:security-group-rule/sgr-2', security_group_id: 'sg-0aaa1111', ip_protocol: 'tcp', from_port: 3306, to_port: 3306, cidr_ipv4: '10.0.0.0/8', description: '' }),
    resource('aws_s3_bucket', 'data', { id: 'data-bucket', bucket: 'data-bucket', arn: 'arn:aws:s3:::data-bucket', tags: {}, tags_all: { Env: 'prod' } }),
    resource('aws_s3_bucket_policy', 'data', { id: 'data-bucket', bucket: 'data-bucket', policy: JSON.stringify(bucketPolicy) }),
    // The description is marked sensitive: compared by equality, never shown.
    resource('aws_iam_role', 'app', {
      id: 'app', name: 'app', arn: 'arn:aws:iam::111122223333:role/app', path: '/', description: SECRET, max_session_duration: 3600,
      assume_role_policy: JSON.stringify(trust), tags: { Owner: 'alice' }, tags_all: { Env: 'prod', Owner: 'alice' },
    }, { sensitive_attributes: [[{ type: 'get_attr', value: 'description' }]] }),
    resource('aws_iam_role', 'other', {
      id: 'other', name: 'other', arn: 'arn:aws:iam::111122223333:role/other', path: '/', description: `${SECRET}-old`, max_session_duration: 3600,
      assume_role_policy: JSON.stringify(trust), tags: {}, tags_all: {},
    }, { sensitive_attributes: [[{ type: 'get_attr', value: 'description' }]] }),
  ],
};

const CONFIG = `
locals {
  defaults = { Env = "prod" }
}
provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = local.defaults
  }
}
resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = jsonencode(${JSON.stringify(trust)})
  tags               = { Owner = "alice" }
}
resource "aws_security_group" "web" {
  name        = "web"
  description = "web servers"
  vpc_id      = var.vpc_id
}
variable "vpc_id" {
  type    = string
  default = "vpc-0bbb2222"
}
resource "aws_iam_user" "new" {
  name = "new-user"
}
`;

function writeInputs(): { state: string; config: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'drift-engine-'));
  writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify(STATE));
  writeFileSync(path.join(dir, 'main.tf'), CONFIG);
  return { state: path.join(dir, 'terraform.tfstate'), config: dir };
}

async function drift(endpoint: string, ignore?: string): Promise<DriftReport> {
  const files = writeInputs();
  const inputs = await loadTerraformInputs({ statePaths: [files.state], configDir: files.config, env: {} });
  const session = new AwsSession({ endpointUrl: endpoint, credentials: TEST_CREDENTIALS, region: 'us-east-1', retry: { maxAttempts: 1 } });
  return runDrift(inputs, session, { regions: ['us-east-1'], ...(ignore ? { ignore: DriftIgnore.parse(ignore) } : {}) });
}

const entry = (report: DriftReport, address: string) => report.entries.find((e) => e.terraformAddress === address);

describe('drift engine', () => {
  const env = useSandbox(ACCOUNT);
  let report: DriftReport;
  beforeAll(async () => {
    report = await drift(env.endpoint);
  });

  it('does not report a reordered policy or an unchanged rule', () => {
    expect(entry(report, 'aws_s3_bucket_policy.data')).toBeUndefined();
    expect(entry(report, 'aws_vpc_security_group_ingress_rule.ssh')).toBeUndefined();
    expect(entry(report, 'aws_s3_bucket.data')).toBeUndefined();
  });

  it("reports a console-added rule as a change to the group's ingress, and a rule that is gone as missing", () => {
    const web = entry(report, 'aws_security_group.web');
    expect(web?.diffs?.map((d) => d.path)).toEqual(['ingress']);
    expect(web?.diffs?.[0]).toMatchObject({ state: ['tcp 22 cidr:10.0.0.0/8 "ssh"'], live: ['tcp 22 cidr:10.0.0.0/8 "ssh"', 'tcp 443 cidr:0.0.0.0/0'] });
    expect(entry(report, 'aws_vpc_security_group_ingress_rule.mysql')).toMatchObject({ kind: 'missing', resourceId: 'arn:aws:ec2:us-east-1:111122223333:security-group-rule/sgr-2' });
  });

  it('compares tags per key against tags_all, with the config value from the resource or the provider default_tags', () => {
    const app = entry(report, 'aws_iam_role.app');
    expect(app?.diffs).toEqual([{ path: 'tags.Owner', config: 'alice', state: 'alice', live: 'bob' }]);
    expect(app).toMatchObject({ kind: 'changed', file: 'main.tf', line: 11 });
  });

  it('compares a sensitive attribute by equality and shows only the marker', () => {
    // app's live description equals the secret in state: no diff. other's differs: a diff of markers.
    const other = entry(report, 'aws_iam_role.other');
    // A tag whose name says secret is shown as the marker too, though nothing marked it.
    expect(other?.diffs).toEqual([
      { path: 'description', config: null, state: '<redacted:sensitive>', live: '<redacted:sensitive>', sensitive: true },
      { path: 'tags.db_password', config: null, state: null, live: '<redacted:sensitive>', sensitive: true },
    ]);
    expect(JSON.stringify(report)).not.toContain(SECRET);
    expect(JSON.stringify(report)).not.toContain('tagged-in-console-42');
  });

  it('reports unapplied configuration, and never AWS-owned objects as unmanaged', () => {
    expect(report.entries.filter((e) => e.kind === 'unapplied').map((e) => [e.terraformAddress, e.resourceId])).toEqual([
      ['aws_iam_user.new', 'arn:aws:iam::111122223333:user/new-user'],
    ]);
    expect(report.entries.filter((e) => e.kind === 'unmanaged')).toEqual([]);
    expect(report.summary).toMatchObject({ changed: 3, missing: 1, unmanaged: 0, unapplied: 1, inSync: 3 });
  });

  it('leaves out what .driftignore names, counting it', async () => {
    const ignored = await drift(env.endpoint, 'aws_iam_role.*.tags.Owner\naws_vpc_security_group_ingress_rule.sgr-2\naws_iam_user.new');
    expect(entry(ignored, 'aws_iam_role.app')).toBeUndefined();
    expect(entry(ignored, 'aws_vpc_security_group_ingress_rule.mysql')).toBeUndefined();
    expect(ignored.entries.map((e) => e.terraformAddress)).toEqual(['aws_iam_role.other', 'aws_security_group.web']);
    expect(ignored.summary.ignored).toBe(3);
  });
});

describe('drift when a read fails', () => {
  const env = useSandbox(ACCOUNT, { deny: ['GetBucketPolicy:data-bucket', 'GetRole:app'] });

  it('reports what it could not check instead of calling it missing, and compares only what it read', async () => {
    const report = await drift(env.endpoint);
    // The role's tags come from GetRole: unread, and the rest of the role matches, so the role is
    // neither in sync nor drift but could not be checked (and the failed read is listed).
    expect(report.unchecked).toEqual([
      { terraformAddress: 'aws_s3_bucket_policy.data', resourceType: 'aws_s3_bucket_policy', reason: expect.stringMatching(/^AccessDenied/) },
      { terraformAddress: 'aws_iam_role.app', resourceType: 'aws_iam_role', reason: 'GetRole failed: AccessDenied' },
    ]);
    expect(report.entries.filter((e) => e.kind === 'missing').map((e) => e.terraformAddress)).toEqual(['aws_vpc_security_group_ingress_rule.mysql']);
    expect(entry(report, 'aws_iam_role.app')).toBeUndefined();
    expect(report.errors.map((e) => e.scope)).toEqual(expect.arrayContaining([expect.stringMatching(/^iam:GetRole .*role\/app$/), expect.stringMatching(/^s3:GetBucketPolicy/)]));
  });
});
