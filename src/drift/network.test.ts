/**
 * Drift for the network, compute and account types: VPCs, subnets, route tables (routes inline or
 * as `aws_route`), associations, instances, IAM users' tags, access keys (metadata only), the
 * account password policy and manual DB snapshots. Per type: in sync, changed, missing,
 * unmanaged with its import block, and near misses the provider does not report. Run over the
 * wire against the sandbox, with states shaped as `terraform apply` writes them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox, TEST_CREDENTIALS } from '../test-support/sandbox.js';
import { AwsSession } from '../aws/session.js';
import { loadTerraformInputs, runDrift } from './run.js';
import type { DriftReport } from './model.js';

const ACCOUNT_ID = '111122223333';
const tags = (name: string, extra: Record<string, string> = {}) => Object.entries({ Name: name, ...extra }).map(([Key, Value]) => ({ Key, Value }));

const ACCOUNT = {
  AccountId: ACCOUNT_ID,
  Regions: {
    'us-east-1': {
      EC2: {
        Vpcs: [
          { VpcId: 'vpc-0aaa1111', CidrBlock: '10.1.0.0/16', Tags: tags('core') },
          // Its Name tag changed in the console.
          { VpcId: 'vpc-0bbb2222', CidrBlock: '10.2.0.0/16', Tags: tags('edge-renamed') },
          // Made by hand.
          { VpcId: 'vpc-0ccc3333', CidrBlock: '10.3.0.0/16', Tags: tags('handmade') },
          // AWS's default VPC: never "unmanaged".
          { VpcId: 'vpc-0ddd4444', CidrBlock: '172.31.0.0/16', IsDefault: true },
        ],
        Subnets: [
          { SubnetId: 'subnet-0aaa1111', VpcId: 'vpc-0aaa1111', CidrBlock: '10.1.1.0/24', AvailabilityZone: 'us-east-1a', MapPublicIpOnLaunch: false, Tags: tags('private-a') },
          // Turned public in the console.
          { SubnetId: 'subnet-0bbb2222', VpcId: 'vpc-0aaa1111', CidrBlock: '10.1.2.0/24', AvailabilityZone: 'us-east-1b', MapPublicIpOnLaunch: true, Tags: tags('private-b') },
        ],
        RouteTables: [
          {
            RouteTableId: 'rtb-0aaa1111',
            VpcId: 'vpc-0aaa1111',
            Routes: [
              { DestinationCidrBlock: '10.1.0.0/16', GatewayId: 'local', State: 'active' },
              { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-0aaa1111', State: 'active' },
              // Declared as an aws_route resource.
              { DestinationCidrBlock: '192.168.0.0/16', TransitGatewayId: 'tgw-0aaa1111', State: 'active' },
            ],
            Associations: [{ RouteTableAssociationId: 'rtbassoc-0aaa1111', SubnetId: 'subnet-0aaa1111', Main: false }],
            Tags: tags('private'),
          },
          {
            RouteTableId: 'rtb-0bbb2222',
            VpcId: 'vpc-0aaa1111',
            Routes: [
              { DestinationCidrBlock: '10.1.0.0/16', GatewayId: 'local', State: 'active' },
              // The state routes 0.0.0.0/0 to the NAT gateway; someone pointed it at the internet gateway.
              { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-0aaa1111', State: 'active' },
              // Added in the console.
              { DestinationCidrBlock: '10.99.0.0/16', VpcPeeringConnectionId: 'pcx-0aaa1111', State: 'active' },
            ],
            // An association made by hand.
            Associations: [{ RouteTableAssociationId: 'rtbassoc-0bbb2222', SubnetId: 'subnet-0bbb2222', Main: false }],
            Tags: tags('touched'),
          },
          // The VPC's main table: AWS's, never "unmanaged".
          { RouteTableId: 'rtb-0ccc3333', VpcId: 'vpc-0aaa1111', Routes: [{ DestinationCidrBlock: '10.1.0.0/16', GatewayId: 'local', State: 'active' }], Associations: [{ RouteTableAssociationId: 'rtbassoc-0ccc3333', Main: true }] },
        ],
        SecurityGroups: [{ GroupId: 'sg-0aaa1111', GroupName: 'app', Description: 'app', VpcId: 'vpc-0aaa1111', IpPermissions: [], IpPermissionsEgress: [] }],
        Instances: [
          {
            InstanceId: 'i-0aaa1111',
            InstanceType: 't3.micro',
            ImageId: 'ami-0aaa1111',
            KeyName: 'ops',
            State: { Name: 'running' },
            LaunchTime: '2026-01-01T00:00:00Z',
            VpcId: 'vpc-0aaa1111',
            SubnetId: 'subnet-0aaa1111',
            SecurityGroups: [{ GroupId: 'sg-0aaa1111', GroupName: 'app' }],
            IamInstanceProfile: { Arn: `arn:aws:iam::${ACCOUNT_ID}:instance-profile/app` },
            MetadataOptions: { HttpTokens: 'required' },
            Tags: tags('app'),
          },
          {
            // Resized and its token requirement loosened in the console.
            InstanceId: 'i-0bbb2222',
            InstanceType: 't3.xlarge',
            ImageId: 'ami-0aaa1111',
            State: { Name: 'running' },
            LaunchTime: '2026-01-01T00:00:00Z',
            VpcId: 'vpc-0aaa1111',
            SubnetId: 'subnet-0aaa1111',
            SecurityGroups: [{ GroupId: 'sg-0aaa1111', GroupName: 'app' }],
            MetadataOptions: { HttpTokens: 'optional' },
            Tags: tags('worker'),
          },
          // Terminated: gone, though DescribeInstances still lists it for a while.
          { InstanceId: 'i-0ccc3333', InstanceType: 't3.micro', State: { Name: 'terminated' }, LaunchTime: '2026-01-01T00:00:00Z', Tags: tags('old') },
        ],
      },
      RDS: {
        DBSnapshots: [
          { DBSnapshotIdentifier: 'before-upgrade', DBInstanceIdentifier: 'app', SnapshotCreateTime: '2026-01-01T00:00:00Z', SnapshotType: 'manual', Encrypted: true },
          { DBSnapshotIdentifier: 'by-hand', DBInstanceIdentifier: 'app', SnapshotCreateTime: '2026-01-02T00:00:00Z', SnapshotType: 'manual', Encrypted: true },
          // Automated snapshots are AWS's: never "unmanaged".
          { DBSnapshotIdentifier: 'rds:app-2026-01-03', DBInstanceIdentifier: 'app', SnapshotCreateTime: '2026-01-03T00:00:00Z', SnapshotType: 'automated', Encrypted: true },
        ],
      },
    },
  },
  IAM: {
    PasswordPolicy: { MinimumPasswordLength: 8, RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true, AllowUsersToChangePassword: true, ExpirePasswords: false },
    Users: [
      { UserName: 'alice', UserId: 'AIDAALICE0000000001', Arn: `arn:aws:iam::${ACCOUNT_ID}:user/alice`, Path: '/', CreateDate: '2025-01-01T00:00:00Z', Tags: [{ Key: 'team', Value: 'platform' }] },
      // Its team tag changed in the console.
      { UserName: 'bob', UserId: 'AIDABOB000000000001', Arn: `arn:aws:iam::${ACCOUNT_ID}:user/bob`, Path: '/', CreateDate: '2025-01-01T00:00:00Z', Tags: [{ Key: 'team', Value: 'finance' }] },
      {
        UserName: 'ci',
        UserId: 'AIDACI00000000000001',
        Arn: `arn:aws:iam::${ACCOUNT_ID}:user/ci`,
        Path: '/',
        CreateDate: '2025-01-01T00:00:00Z',
        AccessKeys: [
          // Deactivated in the console.
          { AccessKeyId: 'AKIAEXAMPLECI0000001', Status: 'Inactive', CreateDate: '2026-03-01T10:00:00Z' },
          // A second key made by hand.
          { AccessKeyId: 'AKIAEXAMPLECI0000002', Status: 'Active', CreateDate: '2026-04-01T10:00:00Z' },
        ],
      },
    ],
  },
};

const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';
const resource = (type: string, name: string, attributes: Record<string, unknown>) => ({ mode: 'managed', type, name, provider: PROVIDER, instances: [{ schema_version: 0, attributes }] });
const stateTags = (name: string) => ({ tags: { Name: name }, tags_all: { Name: name } });
const arn = (kind: string, id: string) => `arn:aws:ec2:us-east-1:${ACCOUNT_ID}:${kind}/${id}`;
/** A route block as the provider writes it: every target attribute present, one set. */
const routeBlock = (cidr: string, target: Record<string, string>) => ({
  cidr_block: cidr, ipv6_cidr_block: '', destination_prefix_list_id: '', carrier_gateway_id: '', core_network_arn: '', egress_only_gateway_id: '', gateway_id: '',
  local_gateway_id: '', nat_gateway_id: '', network_interface_id: '', transit_gateway_id: '', vpc_endpoint_id: '', vpc_peering_connection_id: '', ...target,
});
const instanceState = (id: string, type: string, extra: Record<string, unknown> = {}) =>
  resource('aws_instance', id === 'i-0aaa1111' ? 'app' : 'worker', {
    id, arn: arn('instance', id), ami: 'ami-0aaa1111', instance_type: type, subnet_id: 'subnet-0aaa1111', vpc_security_group_ids: ['sg-0aaa1111'],
    iam_instance_profile: '', key_name: '', monitoring: false, ebs_optimized: false, user_data: null, private_ip: '10.1.1.10',
    metadata_options: [{ http_endpoint: 'enabled', http_put_response_hop_limit: 1, http_tokens: 'required', instance_metadata_tags: 'disabled' }],
    ...extra,
  });

const STATE = {
  version: 4,
  terraform_version: '1.9.8',
  serial: 7,
  lineage: 'network-test',
  outputs: {},
  resources: [
    resource('aws_vpc', 'core', { id: 'vpc-0aaa1111', arn: arn('vpc', 'vpc-0aaa1111'), cidr_block: '10.1.0.0/16', instance_tenancy: 'default', enable_dns_support: true, ...stateTags('core') }),
    resource('aws_vpc', 'edge', { id: 'vpc-0bbb2222', arn: arn('vpc', 'vpc-0bbb2222'), cidr_block: '10.2.0.0/16', instance_tenancy: 'default', ...stateTags('edge') }),
    resource('aws_vpc', 'deleted', { id: 'vpc-0eee5555', arn: arn('vpc', 'vpc-0eee5555'), cidr_block: '10.5.0.0/16', instance_tenancy: 'default', ...stateTags('deleted') }),
    resource('aws_subnet', 'a', { id: 'subnet-0aaa1111', arn: arn('subnet', 'subnet-0aaa1111'), vpc_id: 'vpc-0aaa1111', cidr_block: '10.1.1.0/24', availability_zone: 'us-east-1a', map_public_ip_on_launch: false, ...stateTags('private-a') }),
    resource('aws_subnet', 'b', { id: 'subnet-0bbb2222', arn: arn('subnet', 'subnet-0bbb2222'), vpc_id: 'vpc-0aaa1111', cidr_block: '10.1.2.0/24', availability_zone: 'us-east-1b', map_public_ip_on_launch: false, ...stateTags('private-b') }),
    // The 0.0.0.0/0 route inline; the transit route as an aws_route resource (which the table's refreshed `route` also lists).
    resource('aws_route_table', 'private', {
      id: 'rtb-0aaa1111', arn: arn('route-table', 'rtb-0aaa1111'), vpc_id: 'vpc-0aaa1111', owner_id: ACCOUNT_ID, propagating_vgws: [],
      route: [routeBlock('0.0.0.0/0', { nat_gateway_id: 'nat-0aaa1111' })], ...stateTags('private'),
    }),
    resource('aws_route', 'transit', {
      id: 'r-rtb-0aaa11111080289494', route_table_id: 'rtb-0aaa1111', destination_cidr_block: '192.168.0.0/16', destination_ipv6_cidr_block: '', destination_prefix_list_id: '',
      gateway_id: '', nat_gateway_id: '', transit_gateway_id: 'tgw-0aaa1111', vpc_peering_connection_id: '', network_interface_id: '', origin: 'CreateRoute', state: 'active',
    }),
    resource('aws_route_table', 'touched', {
      id: 'rtb-0bbb2222', arn: arn('route-table', 'rtb-0bbb2222'), vpc_id: 'vpc-0aaa1111', route: [routeBlock('0.0.0.0/0', { nat_gateway_id: 'nat-0aaa1111' })], ...stateTags('touched'),
    }),
    resource('aws_route_table_association', 'private_a', { id: 'rtbassoc-0aaa1111', route_table_id: 'rtb-0aaa1111', subnet_id: 'subnet-0aaa1111', gateway_id: '' }),
    resource('aws_route_table_association', 'gone', { id: 'rtbassoc-0fff9999', route_table_id: 'rtb-0aaa1111', subnet_id: 'subnet-0ffff999', gateway_id: '' }),
    instanceState('i-0aaa1111', 't3.micro', { iam_instance_profile: 'app', key_name: 'ops', ...stateTags('app') }),
    instanceState('i-0bbb2222', 't3.large', stateTags('worker')),
    resource('aws_instance', 'old', { id: 'i-0ccc3333', arn: arn('instance', 'i-0ccc3333'), ami: 'ami-0aaa1111', instance_type: 't3.micro', ...stateTags('old') }),
    resource('aws_iam_user', 'alice', { id: 'alice', name: 'alice', arn: `arn:aws:iam::${ACCOUNT_ID}:user/alice`, path: '/', tags: { team: 'platform' }, tags_all: { team: 'platform' } }),
    resource('aws_iam_user', 'bob', { id: 'bob', name: 'bob', arn: `arn:aws:iam::${ACCOUNT_ID}:user/bob`, path: '/', tags: { team: 'platform' }, tags_all: { team: 'platform' } }),
    resource('aws_iam_user', 'ci', { id: 'ci', name: 'ci', arn: `arn:aws:iam::${ACCOUNT_ID}:user/ci`, path: '/', tags: {}, tags_all: {} }),
    resource('aws_iam_access_key', 'ci', {
      id: 'AKIAEXAMPLECI0000001', user: 'ci', status: 'Active', create_date: '2026-03-01T10:00:00Z', secret: 'CANARY-network-test-secret-0f3a', ses_smtp_password_v4: 'CANARY-network-test-smtp-9b1c',
    }),
    resource('aws_iam_account_password_policy', 'this', {
      id: 'iam-account-password-policy', minimum_password_length: 14, require_symbols: true, require_numbers: true, require_uppercase_characters: true, require_lowercase_characters: true,
      allow_users_to_change_password: true, expire_passwords: false, hard_expiry: false, max_password_age: 0, password_reuse_prevention: 0,
    }),
    resource('aws_db_snapshot', 'before_upgrade', {
      id: 'before-upgrade', db_snapshot_identifier: 'before-upgrade', db_instance_identifier: 'app', db_snapshot_arn: `arn:aws:rds:us-east-1:${ACCOUNT_ID}:snapshot:before-upgrade`, encrypted: true, tags: {}, tags_all: {},
    }),
  ],
};

async function drift(endpoint: string): Promise<{ report: DriftReport; text: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'drift-network-'));
  writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify(STATE));
  const inputs = await loadTerraformInputs({ statePaths: [path.join(dir, 'terraform.tfstate')], env: {} });
  const session = new AwsSession({ endpointUrl: endpoint, credentials: TEST_CREDENTIALS, region: 'us-east-1', retry: { maxAttempts: 1 } });
  const report = await runDrift(inputs, session, { regions: ['us-east-1'] });
  return { report, text: JSON.stringify(report) };
}

describe('drift of the network, compute and account types', () => {
  const env = useSandbox(ACCOUNT);
  let report: DriftReport;
  let text: string;
  beforeAll(async () => {
    ({ report, text } = await drift(env.endpoint));
  });
  const entry = (address: string) => report.entries.find((e) => e.terraformAddress === address && e.kind !== 'unmanaged');
  const unmanaged = (type: string) => report.entries.filter((e) => e.kind === 'unmanaged' && e.resourceType === type);
  const paths = (address: string) => entry(address)?.diffs?.map((d) => d.path);

  it('compares every instance of the state: none of these types is unsupported', () => {
    expect(report.unsupportedTypes).toEqual([]);
    expect(report.summary.unsupported).toBe(0);
    expect(report.summary.comparedPercent).toBe(100);
    expect(report.unchecked).toEqual([]);
    expect(report.errors).toEqual([]);
  });

  it('VPC: in sync, a changed tag, missing, and an unmanaged one with its import block (never the default VPC)', () => {
    expect(entry('aws_vpc.core')).toBeUndefined();
    expect(entry('aws_vpc.edge')?.diffs).toEqual([expect.objectContaining({ path: 'tags.Name', state: 'edge', live: 'edge-renamed' })]);
    expect(entry('aws_vpc.deleted')?.kind).toBe('missing');
    const vpcs = unmanaged('aws_vpc');
    expect(vpcs.map((e) => e.importId)).toEqual(['vpc-0ccc3333']);
    expect(vpcs[0]!.importBlocks).toContain('id = "vpc-0ccc3333"');
    expect(vpcs[0]!.importBlocks).toContain('cidr_block = "10.3.0.0/16"');
  });

  it('subnet: a subnet turned public in the console is reported on map_public_ip_on_launch', () => {
    expect(entry('aws_subnet.a')).toBeUndefined();
    expect(entry('aws_subnet.b')?.diffs).toEqual([expect.objectContaining({ path: 'map_public_ip_on_launch', state: false, live: true })]);
  });

  it('route table: local routes and aws_route-declared routes are not drift; a re-pointed and an added route are', () => {
    expect(entry('aws_route_table.private')).toBeUndefined();
    expect(entry('aws_route.transit')).toBeUndefined();
    const touched = entry('aws_route_table.touched');
    expect(touched?.diffs).toEqual([
      expect.objectContaining({ path: 'route', state: ['0.0.0.0/0 -> nat-0aaa1111'], live: expect.arrayContaining(['0.0.0.0/0 -> igw-0aaa1111', '10.99.0.0/16 -> pcx-0aaa1111']) }),
    ]);
    // The main table is AWS's; the two managed tables are not unmanaged.
    expect(unmanaged('aws_route_table')).toEqual([]);
  });

  it('association: in sync, missing, and one made by hand, importable as subnet/table', () => {
    expect(entry('aws_route_table_association.private_a')).toBeUndefined();
    expect(entry('aws_route_table_association.gone')?.kind).toBe('missing');
    expect(unmanaged('aws_route_table_association').map((e) => e.importId)).toEqual(['subnet-0bbb2222/rtb-0bbb2222']);
  });

  it('instance: in sync with its profile and key; resized and IMDSv1 re-enabled reported; terminated is missing; never user_data', () => {
    expect(entry('aws_instance.app')).toBeUndefined();
    expect(paths('aws_instance.worker')).toEqual(['instance_type', 'metadata_options.0.http_tokens']);
    expect(entry('aws_instance.old')?.kind).toBe('missing');
    expect(unmanaged('aws_instance')).toEqual([]);
  });

  it('IAM user: a changed tag is reported (ListUserTags); an unchanged user is not', () => {
    expect(entry('aws_iam_user.alice')).toBeUndefined();
    expect(entry('aws_iam_user.bob')?.diffs).toEqual([expect.objectContaining({ path: 'tags.team', state: 'platform', live: 'finance' })]);
  });

  it('access key: a deactivated key is reported on status, a key made by hand is unmanaged, and no key id or secret appears', () => {
    expect(entry('aws_iam_access_key.ci')?.diffs).toEqual([expect.objectContaining({ path: 'status', state: 'Active', live: 'Inactive' })]);
    expect(unmanaged('aws_iam_access_key').map((e) => e.resourceId)).toEqual([`arn:aws:iam::${ACCOUNT_ID}:user/ci/access-key/2026-04-01T10:00:00Z`]);
    expect(text).not.toMatch(/AKIAEXAMPLECI/);
    expect(text).not.toContain('CANARY-network-test');
  });

  it('password policy: a weakened minimum length is reported; IAM defaults for unset fields are not drift', () => {
    expect(entry('aws_iam_account_password_policy.this')?.diffs).toEqual([expect.objectContaining({ path: 'minimum_password_length', state: 14, live: 8 })]);
  });

  it('DB snapshot: a managed manual snapshot in sync; one taken by hand is unmanaged; automated ones never are', () => {
    expect(entry('aws_db_snapshot.before_upgrade')).toBeUndefined();
    expect(unmanaged('aws_db_snapshot').map((e) => e.importId)).toEqual(['by-hand']);
  });
});
