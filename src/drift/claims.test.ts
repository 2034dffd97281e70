/**
 * What one state instance declares of another resource: a bucket's policy, versioning, logging,
 * encryption and grants are compared on the bucket when no split resource manages them (as
 * `terraform plan -refresh-only` shows them), and on the split resource only when one does; the
 * rules that rule resources declare for a security group are part of what the group should have.
 * Run over the wire against the sandbox, with states shaped as `terraform apply` writes them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox, TEST_CREDENTIALS } from '../test-support/sandbox.js';
import { AwsSession } from '../aws/session.js';
import { loadTerraformInputs, runDrift } from './run.js';
import type { DriftReport } from './model.js';
import { renderDriftReport, DRIFT_FORMATS } from './report/render.js';

const OWNER_ID = '4f1c8a2e9b7d3c6a5e0f1b2d3c4a5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d';
const ownerAcl = { Owner: { ID: OWNER_ID }, Grants: [{ Grantee: { Type: 'CanonicalUser', ID: OWNER_ID }, Permission: 'FULL_CONTROL' }] };
const aes256 = { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }] };
const publicRead = (bucket: string) => ({
  Version: '2012-10-17',
  Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }],
});
const appRead = (bucket: string) => ({
  Version: '2012-10-17',
  Statement: [{ Sid: 'AppRead', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/app' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }],
});

const bucketLive = (name: string, extra: Record<string, unknown> = {}) => ({
  Name: name,
  CreationDate: '2024-01-01T00:00:00Z',
  Region: 'us-east-1',
  Acl: ownerAcl,
  ServerSideEncryptionConfiguration: aes256,
  ...extra,
});

const ACCOUNT = {
  AccountId: '111122223333',
  Regions: {
    'us-east-1': {
      EC2: {
        SecurityGroups: [
          {
            GroupId: 'sg-0f1e5aaa',
            GroupName: 'fresh',
            Description: 'rules as separate resources',
            VpcId: 'vpc-0bbb2222',
            IpPermissions: [
              { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/8', Description: 'https' }] },
              { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: 'sg-0a99bbbb' }] },
            ],
            IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
          },
          {
            GroupId: 'sg-0c0501ef',
            GroupName: 'touched',
            Description: 'a rule added in the console',
            VpcId: 'vpc-0bbb2222',
            IpPermissions: [
              { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/8', Description: 'https' }] },
              { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
            ],
            IpPermissionsEgress: [],
          },
        ],
      },
    },
  },
  S3: {
    Buckets: [
      // A public-read policy added in the console; no aws_s3_bucket_policy manages the bucket.
      bucketLive('inline-public', { Policy: publicRead('inline-public') }),
      // Managed by aws_s3_bucket_policy, changed in the console: reported there only.
      bucketLive('split-managed', { Policy: publicRead('split-managed') }),
      // Everything as the state says, in the shapes the provider refreshes.
      bucketLive('quiet', { Policy: appRead('quiet'), Versioning: { Status: 'Enabled' }, LoggingEnabled: { TargetBucket: 'logs', TargetPrefix: 'quiet/' } }),
      // Versioning suspended and logging turned off in the console.
      bucketLive('loosened', { Versioning: { Status: 'Suspended' } }),
    ],
  },
};

const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';
const resource = (type: string, name: string, attributes: Record<string, unknown>) => ({
  mode: 'managed', type, name, provider: PROVIDER, instances: [{ schema_version: 0, attributes }],
});

/** An `aws_s3_bucket` as provider v5 writes it after apply. */
const bucketState = (name: string, extra: Record<string, unknown> = {}) =>
  resource('aws_s3_bucket', name.replace(/-/g, '_'), {
    id: name,
    bucket: name,
    arn: `arn:aws:s3:::${name}`,
    policy: '',
    grant: [{ id: OWNER_ID, permissions: ['FULL_CONTROL'], type: 'CanonicalUser', uri: '' }],
    versioning: [{ enabled: false, mfa_delete: false }],
    logging: [],
    server_side_encryption_configuration: [{ rule: [{ apply_server_side_encryption_by_default: [{ kms_master_key_id: '', sse_algorithm: 'AES256' }], bucket_key_enabled: false }] }],
    tags: {},
    tags_all: {},
    ...extra,
  });

const groupState = (id: string, name: string, description: string, ingress: unknown[] = [], egress: unknown[] = []) =>
  resource('aws_security_group', name, { id, arn: `arn:aws:ec2:us-east-1:111122223333:security-group/${id}`, name, description, vpc_id: 'vpc-0bbb2222', ingress, egress, tags: {}, tags_all: {} });

const STATE = {
  version: 4,
  terraform_version: '1.9.8',
  serial: 3,
  lineage: 'claims-test',
  outputs: {},
  resources: [
    bucketState('inline-public'),
    bucketState('split-managed'),
    resource('aws_s3_bucket_policy', 'split_managed', { id: 'split-managed', bucket: 'split-managed', policy: JSON.stringify(appRead('split-managed')) }),
    bucketState('quiet', {
      policy: JSON.stringify(appRead('quiet')),
      versioning: [{ enabled: true, mfa_delete: false }],
      logging: [{ target_bucket: 'logs', target_prefix: 'quiet/' }],
    }),
    bucketState('loosened', { versioning: [{ enabled: true, mfa_delete: false }], logging: [{ target_bucket: 'logs', target_prefix: 'loosened/' }] }),
    // As `terraform apply` writes a group whose rules are separate resources: its own lists empty.
    groupState('sg-0f1e5aaa', 'fresh', 'rules as separate resources'),
    resource('aws_vpc_security_group_ingress_rule', 'fresh_https', {
      id: 'sgr-1', arn: 'arn:aws:ec2:us-east-1:111122223333:security-group-rule/sgr-1', security_group_id: 'sg-0f1e5aaa', ip_protocol: 'tcp', from_port: 443, to_port: 443, cidr_ipv4: '10.0.0.0/8', description: 'https',
    }),
    resource('aws_security_group_rule', 'fresh_db', {
      id: 'sgrule-2', security_group_id: 'sg-0f1e5aaa', type: 'ingress', protocol: 'tcp', from_port: 5432, to_port: 5432, source_security_group_id: 'sg-0a99bbbb', cidr_blocks: null, self: false, description: '',
    }),
    resource('aws_vpc_security_group_egress_rule', 'fresh_all', {
      id: 'sgr-3', arn: 'arn:aws:ec2:us-east-1:111122223333:security-group-rule/sgr-3', security_group_id: 'sg-0f1e5aaa', ip_protocol: '-1', cidr_ipv4: '0.0.0.0/0', description: '',
    }),
    groupState('sg-0c0501ef', 'touched', 'a rule added in the console'),
    resource('aws_vpc_security_group_ingress_rule', 'touched_https', {
      id: 'sgr-4', arn: 'arn:aws:ec2:us-east-1:111122223333:security-group-rule/sgr-4', security_group_id: 'sg-0c0501ef', ip_protocol: 'tcp', from_port: 443, to_port: 443, cidr_ipv4: '10.0.0.0/8', description: 'https',
    }),
  ],
};

async function drift(endpoint: string): Promise<DriftReport> {
  const dir = mkdtempSync(path.join(tmpdir(), 'drift-claims-'));
  writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify(STATE));
  const inputs = await loadTerraformInputs({ statePaths: [path.join(dir, 'terraform.tfstate')], env: {} });
  const session = new AwsSession({ endpointUrl: endpoint, credentials: TEST_CREDENTIALS, region: 'us-east-1', retry: { maxAttempts: 1 } });
  return runDrift(inputs, session, { regions: ['us-east-1'] });
}

const entry = (report: DriftReport, address: string) => report.entries.find((e) => e.terraformAddress === address);

describe('drift of what one resource declares of another', () => {
  const env = useSandbox(ACCOUNT);
  let report: DriftReport;
  beforeAll(async () => {
    report = await drift(env.endpoint);
  });

  it('reports a public policy added to a bucket that no aws_s3_bucket_policy manages, statement by statement', () => {
    const bucket = entry(report, 'aws_s3_bucket.inline_public');
    expect(bucket?.kind).toBe('changed');
    expect(bucket?.diffs).toHaveLength(1);
    expect(bucket?.diffs?.[0]).toMatchObject({ path: 'policy', state: '', statements: ['+ PublicRead'] });
  });

  it('shows a policy diff statement by statement in every format, never as two whole documents', () => {
    const policy = entry(report, 'aws_s3_bucket_policy.split_managed')?.diffs?.[0];
    expect(policy?.statementDiffs).toEqual([
      { statement: 'PublicRead', change: 'added', live: publicRead('split-managed').Statement[0] },
      { statement: 'AppRead', change: 'removed', state: appRead('split-managed').Statement[0] },
    ]);
    for (const format of DRIFT_FORMATS.filter((f) => f !== 'json')) {
      const text = renderDriftReport(format, report);
      expect(text, format).toContain('policy + PublicRead');
      expect(text, format).toContain('policy - AppRead');
      // The whole live document never appears as one value.
      expect(text, format).not.toContain(JSON.stringify(publicRead('split-managed')).slice(0, 60));
    }
  });

  it('reports a change to a split-managed part once, on the split resource', () => {
    expect(entry(report, 'aws_s3_bucket.split_managed')).toBeUndefined();
    expect(entry(report, 'aws_s3_bucket_policy.split_managed')?.diffs?.map((d) => d.path)).toEqual(['policy']);
  });

  it("compares the bucket's versioning and logging as the provider refreshes them, without noise from its default shapes", () => {
    expect(entry(report, 'aws_s3_bucket.quiet')).toBeUndefined();
    const loosened = entry(report, 'aws_s3_bucket.loosened');
    expect(loosened?.diffs?.map((d) => d.path)).toEqual(['versioning', 'logging']);
    expect(loosened?.diffs?.[0]).toMatchObject({ state: { enabled: true, mfa_delete: false }, live: { enabled: false, mfa_delete: false } });
    expect(loosened?.diffs?.[1]).toMatchObject({ state: { target_bucket: 'logs', target_prefix: 'loosened/' }, live: null });
  });

  it('counts the rules that rule resources declare into their group: a freshly applied group is in sync', () => {
    expect(entry(report, 'aws_security_group.fresh')).toBeUndefined();
    for (const rule of ['aws_vpc_security_group_ingress_rule.fresh_https', 'aws_security_group_rule.fresh_db', 'aws_vpc_security_group_egress_rule.fresh_all']) {
      expect(entry(report, rule)).toBeUndefined();
    }
  });

  it('still reports a rule added in the console to such a group, and only that rule', () => {
    const touched = entry(report, 'aws_security_group.touched');
    expect(touched?.diffs).toEqual([{ path: 'ingress', state: ['tcp 443 cidr:10.0.0.0/8 "https"'], live: expect.arrayContaining(['tcp 22 cidr:0.0.0.0/0', 'tcp 443 cidr:10.0.0.0/8 "https"']) }]);
    expect(report.entries.map((e) => e.terraformAddress).sort()).toEqual([
      'aws_s3_bucket.inline_public',
      'aws_s3_bucket.loosened',
      'aws_s3_bucket_policy.split_managed',
      'aws_security_group.touched',
    ]);
  });
});
