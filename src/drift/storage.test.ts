/**
 * Drift for the storage and data types: RDS clusters, network ACLs (inline rules, rule resources, the
 * default ACL), flow logs, EBS volumes and EBS encryption by default. Per type: in sync, changed, missing,
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
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/11111111-2222-3333-4444-555555555555`;

const cluster = (DBClusterIdentifier: string, extra: object = {}) => ({
  DBClusterIdentifier,
  Engine: 'aurora-postgresql',
  EngineVersion: '16.4',
  DatabaseName: 'app',
  MasterUsername: 'app',
  Port: 5432,
  ClusterCreateTime: '2026-01-01T00:00:00Z',
  StorageEncrypted: true,
  KmsKeyId: KEY,
  BackupRetentionPeriod: 7,
  DeletionProtection: true,
  DBSubnetGroup: 'private',
  VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-0aaa1111' }, { VpcSecurityGroupId: 'sg-0bbb2222' }],
  TagList: [{ Key: 'team', Value: 'data' }],
  ...extra,
});

const VPC = 'vpc-0aaa1111';
const entry = (RuleNumber: number, RuleAction: 'allow' | 'deny', Protocol: string, CidrBlock: string, ports?: [number, number], Egress = false) => ({
  RuleNumber, Protocol, RuleAction, Egress, CidrBlock, ...(ports ? { PortRange: { From: ports[0], To: ports[1] } } : {}),
});
const nameTag = (Value: string) => [{ Key: 'Name', Value }];

const ACCOUNT = {
  AccountId: ACCOUNT_ID,
  Regions: {
    'us-east-1': {
      EC2: {
        EbsEncryptionByDefault: true,
        Vpcs: [{ VpcId: VPC, CidrBlock: '10.1.0.0/16' }],
        NetworkAcls: [
          // The VPC's default ACL, managed as aws_default_network_acl; in sync.
          { NetworkAclId: 'acl-0aaa0001', VpcId: VPC, IsDefault: true, Entries: [entry(100, 'allow', '-1', '0.0.0.0/0'), entry(100, 'allow', '-1', '0.0.0.0/0', undefined, true)] },
          // Inline rules; someone added rule 90 allowing SSH from anywhere in the console.
          {
            NetworkAclId: 'acl-0aaa0002', VpcId: VPC, Tags: nameTag('public'),
            Entries: [entry(90, 'allow', '6', '0.0.0.0/0', [22, 22]), entry(100, 'allow', '6', '0.0.0.0/0', [443, 443]), entry(100, 'allow', '-1', '0.0.0.0/0', undefined, true)],
            Associations: [{ SubnetId: 'subnet-0aaa0001' }],
          },
          // Rules as aws_network_acl_rule resources: rule 100 in sync, rule 110 widened to 0.0.0.0/0 in the console.
          { NetworkAclId: 'acl-0aaa0003', VpcId: VPC, Tags: nameTag('private'), Entries: [entry(100, 'allow', '6', '10.0.0.0/8', [5432, 5432]), entry(110, 'allow', '6', '0.0.0.0/0', [6379, 6379])] },
          // Made by hand.
          { NetworkAclId: 'acl-0aaa0004', VpcId: VPC, Tags: nameTag('handmade') },
        ],
        FlowLogs: [
          { FlowLogId: 'fl-0aaa0001', ResourceId: VPC, TrafficType: 'ALL', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::acme-flow-logs', CreationTime: '2026-01-01T00:00:00Z', Tags: nameTag('core') },
          // Narrowed from ALL to ACCEPT in the console.
          { FlowLogId: 'fl-0aaa0002', ResourceId: 'subnet-0aaa0001', TrafficType: 'ACCEPT', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::acme-flow-logs', CreationTime: '2026-01-01T00:00:00Z' },
          // Made by hand.
          { FlowLogId: 'fl-0aaa0003', ResourceId: 'eni-0aaa0001', TrafficType: 'REJECT', LogDestinationType: 'cloud-watch-logs', LogGroupName: 'debug', DeliverLogsPermissionArn: `arn:aws:iam::${ACCOUNT_ID}:role/flow-logs`, CreationTime: '2026-01-01T00:00:00Z' },
        ],
        Volumes: [
          { VolumeId: 'vol-0aaa0001', Size: 100, AvailabilityZone: 'us-east-1a', VolumeType: 'gp3', Iops: 3000, Throughput: 125, Encrypted: true, KmsKeyId: KEY, CreateTime: '2026-01-01T00:00:00Z', Tags: nameTag('data') },
          // Grown in the console.
          { VolumeId: 'vol-0aaa0002', Size: 500, AvailabilityZone: 'us-east-1a', VolumeType: 'gp3', Encrypted: true, KmsKeyId: KEY, CreateTime: '2026-01-01T00:00:00Z', Tags: nameTag('logs') },
          // An instance's root volume: the instance's, never an unmanaged aws_ebs_volume.
          { VolumeId: 'vol-0aaa0003', Size: 8, AvailabilityZone: 'us-east-1a', VolumeType: 'gp3', Encrypted: true, CreateTime: '2026-01-01T00:00:00Z', Attachments: [{ InstanceId: 'i-0aaa0001', Device: '/dev/xvda', DeleteOnTermination: true }] },
          // Made by hand.
          { VolumeId: 'vol-0aaa0004', Size: 50, AvailabilityZone: 'us-east-1b', VolumeType: 'gp2', Encrypted: false, CreateTime: '2026-01-01T00:00:00Z' },
        ],
      },
      RDS: {
        DBClusters: [
          cluster('orders'),
          // Deletion protection turned off and retention cut in the console.
          cluster('billing', { DeletionProtection: false, BackupRetentionPeriod: 1 }),
          // Made by hand.
          cluster('scratch', { StorageEncrypted: false, KmsKeyId: undefined, TagList: [] }),
        ],
      },
    },
  },
};

const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';
const resource = (type: string, name: string, attributes: Record<string, unknown>) => ({ mode: 'managed', type, name, provider: PROVIDER, instances: [{ schema_version: 0, attributes }] });
const clusterState = (name: string, id: string, extra: Record<string, unknown> = {}) =>
  resource('aws_rds_cluster', name, {
    id,
    cluster_identifier: id,
    arn: `arn:aws:rds:us-east-1:${ACCOUNT_ID}:cluster:${id}`,
    engine: 'aurora-postgresql',
    // The provider suppresses a version prefix: "16" matches 16.4 live.
    engine_version: '16',
    engine_mode: 'provisioned',
    database_name: 'app',
    master_username: 'app',
    master_password: 'CANARY-storage-test-master-7d2e',
    port: 5432,
    storage_encrypted: true,
    kms_key_id: KEY,
    backup_retention_period: 7,
    deletion_protection: true,
    iam_database_authentication_enabled: false,
    db_subnet_group_name: 'private',
    // Set order is not drift.
    vpc_security_group_ids: ['sg-0bbb2222', 'sg-0aaa1111'],
    copy_tags_to_snapshot: false,
    skip_final_snapshot: true,
    tags: { team: 'data' },
    tags_all: { team: 'data' },
    ...extra,
  });

const aclBlock = (rule_no: number, action: string, protocol: string, cidr_block: string, from_port = 0, to_port = 0) => ({ rule_no, action, protocol, cidr_block, ipv6_cidr_block: '', from_port, to_port, icmp_code: 0, icmp_type: 0 });
const aclRule = (name: string, aclId: string, rule_number: number, protocol: string, cidr_block: string, port: number) =>
  resource('aws_network_acl_rule', name, {
    id: `nacl-${rule_number}`, network_acl_id: aclId, rule_number, egress: false, protocol, rule_action: 'allow', cidr_block, ipv6_cidr_block: '', from_port: port, to_port: port, icmp_code: null, icmp_type: null,
  });
const flowLogState = (name: string, id: string, target: Record<string, string>, extra: Record<string, unknown> = {}) =>
  resource('aws_flow_log', name, {
    id, arn: `arn:aws:ec2:us-east-1:${ACCOUNT_ID}:vpc-flow-log/${id}`, traffic_type: 'ALL', log_destination_type: 's3', log_destination: 'arn:aws:s3:::acme-flow-logs', iam_role_arn: '',
    vpc_id: '', subnet_id: '', eni_id: '', transit_gateway_id: '', max_aggregation_interval: 600, tags: {}, tags_all: {}, ...target, ...extra,
  });
const volumeState = (name: string, id: string, size: number, extra: Record<string, unknown> = {}) =>
  resource('aws_ebs_volume', name, {
    id, arn: `arn:aws:ec2:us-east-1:${ACCOUNT_ID}:volume/${id}`, availability_zone: 'us-east-1a', size, type: 'gp3', iops: 3000, throughput: 125, encrypted: true, kms_key_id: KEY,
    snapshot_id: '', multi_attach_enabled: false, final_snapshot: false, tags: { Name: name }, tags_all: { Name: name }, ...extra,
  });

const STATE = {
  version: 4,
  terraform_version: '1.9.8',
  serial: 3,
  lineage: 'storage-test',
  outputs: {},
  resources: [
    clusterState('orders', 'orders'),
    clusterState('billing', 'billing'),
    clusterState('gone', 'gone'),
    resource('aws_default_network_acl', 'core', {
      id: 'acl-0aaa0001', default_network_acl_id: 'acl-0aaa0001', vpc_id: VPC, subnet_ids: [], tags: {}, tags_all: {},
      // The provider names the protocol; AWS answers its number.
      ingress: [aclBlock(100, 'allow', 'all', '0.0.0.0/0')], egress: [aclBlock(100, 'allow', '-1', '0.0.0.0/0')],
    }),
    resource('aws_network_acl', 'public', {
      id: 'acl-0aaa0002', arn: `arn:aws:ec2:us-east-1:${ACCOUNT_ID}:network-acl/acl-0aaa0002`, vpc_id: VPC, subnet_ids: ['subnet-0aaa0001'], tags: { Name: 'public' }, tags_all: { Name: 'public' },
      ingress: [aclBlock(100, 'allow', 'tcp', '0.0.0.0/0', 443, 443)], egress: [aclBlock(100, 'allow', '-1', '0.0.0.0/0')],
    }),
    resource('aws_network_acl', 'private', {
      id: 'acl-0aaa0003', arn: `arn:aws:ec2:us-east-1:${ACCOUNT_ID}:network-acl/acl-0aaa0003`, vpc_id: VPC, subnet_ids: [], tags: { Name: 'private' }, tags_all: { Name: 'private' },
      // As refreshed: the rules the rule resources made show here too.
      ingress: [aclBlock(100, 'allow', '6', '10.0.0.0/8', 5432, 5432), aclBlock(110, 'allow', '6', '10.0.0.0/8', 6379, 6379)], egress: [],
    }),
    aclRule('postgres', 'acl-0aaa0003', 100, 'tcp', '10.0.0.0/8', 5432),
    aclRule('redis', 'acl-0aaa0003', 110, '6', '10.0.0.0/8', 6379),
    flowLogState('core', 'fl-0aaa0001', { vpc_id: VPC }, { tags: { Name: 'core' }, tags_all: { Name: 'core' } }),
    flowLogState('subnet', 'fl-0aaa0002', { subnet_id: 'subnet-0aaa0001' }),
    flowLogState('deleted', 'fl-0aaa0009', { vpc_id: VPC }),
    volumeState('data', 'vol-0aaa0001', 100),
    // gp3 defaults the provider stores (3000 IOPS, 125 MiB/s) that the API did not return here: not drift.
    volumeState('logs', 'vol-0aaa0002', 200),
    volumeState('scratch', 'vol-0aaa0009', 10),
    resource('aws_ebs_encryption_by_default', 'this', { id: 'us-east-1', enabled: true }),
  ],
};

async function drift(endpoint: string): Promise<{ report: DriftReport; text: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'drift-storage-'));
  writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify(STATE));
  const inputs = await loadTerraformInputs({ statePaths: [path.join(dir, 'terraform.tfstate')], env: {} });
  const session = new AwsSession({ endpointUrl: endpoint, credentials: TEST_CREDENTIALS, region: 'us-east-1', retry: { maxAttempts: 1 } });
  const report = await runDrift(inputs, session, { regions: ['us-east-1'] });
  return { report, text: JSON.stringify(report) };
}

describe('drift of the storage and data types', () => {
  const env = useSandbox(ACCOUNT);
  let report: DriftReport;
  let text: string;
  beforeAll(async () => {
    ({ report, text } = await drift(env.endpoint));
  });
  const entry = (address: string) => report.entries.find((e) => e.terraformAddress === address && e.kind !== 'unmanaged');
  const unmanaged = (type: string) => report.entries.filter((e) => e.kind === 'unmanaged' && e.resourceType === type);

  it('compares every instance of the state', () => {
    expect(report.unsupportedTypes).toEqual([]);
    expect(report.summary.comparedPercent).toBe(100);
    expect(report.errors).toEqual([]);
  });

  it('network ACL: inline rules compare by number whatever the protocol is called; a rule added in the console is drift; a hand-made ACL is unmanaged, the default one never', () => {
    expect(entry('aws_default_network_acl.core')).toBeUndefined();
    expect(entry('aws_network_acl.public')?.diffs).toEqual([
      expect.objectContaining({ path: 'ingress', state: ['100 allow 6 443 0.0.0.0/0'], live: ['90 allow 6 22 0.0.0.0/0', '100 allow 6 443 0.0.0.0/0'] }),
    ]);
    const acls = unmanaged('aws_network_acl');
    expect(acls.map((e) => e.importId)).toEqual(['acl-0aaa0004']);
    expect(acls[0]!.importBlocks).toContain('id = "acl-0aaa0004"');
    expect(unmanaged('aws_default_network_acl')).toEqual([]);
  });

  it('network ACL rule: compared on the rule resource, not twice on its ACL', () => {
    expect(entry('aws_network_acl_rule.postgres')).toBeUndefined();
    expect(entry('aws_network_acl_rule.redis')?.diffs).toEqual([expect.objectContaining({ path: 'rule', state: '110 allow 6 6379 10.0.0.0/8', live: '110 allow 6 6379 0.0.0.0/0' })]);
    expect(entry('aws_network_acl.private')).toBeUndefined();
  });

  it('flow log: in sync, narrowed traffic type, missing, and one made by hand importable by id', () => {
    expect(entry('aws_flow_log.core')).toBeUndefined();
    expect(entry('aws_flow_log.subnet')?.diffs?.map((d) => [d.path, d.state, d.live])).toEqual([['traffic_type', 'ALL', 'ACCEPT']]);
    expect(entry('aws_flow_log.deleted')?.kind).toBe('missing');
    const flows = unmanaged('aws_flow_log');
    expect(flows.map((e) => e.importId)).toEqual(['fl-0aaa0003']);
    expect(flows[0]!.importBlocks).toMatch(/eni_id += "eni-0aaa0001"/);
    expect(flows[0]!.importBlocks).toMatch(/log_group_name += "debug"/);
  });

  it("EBS volume: in sync, resized, missing, and a hand-made one unmanaged (an instance's root volume never)", () => {
    expect(entry('aws_ebs_volume.data')).toBeUndefined();
    expect(entry('aws_ebs_volume.logs')?.diffs?.map((d) => [d.path, d.state, d.live])).toEqual([['size', 200, 500]]);
    expect(entry('aws_ebs_volume.scratch')?.kind).toBe('missing');
    expect(unmanaged('aws_ebs_volume').map((e) => e.importId)).toEqual(['vol-0aaa0004']);
  });

  it('EBS encryption by default: in sync in its region; imported as "default"', () => {
    expect(entry('aws_ebs_encryption_by_default.this')).toBeUndefined();
    expect(unmanaged('aws_ebs_encryption_by_default')).toEqual([]);
  });

  it('RDS cluster: in sync (version prefix, set order), changed, missing, and one made by hand with its import block; never the password', () => {
    expect(entry('aws_rds_cluster.orders')).toBeUndefined();
    expect(entry('aws_rds_cluster.billing')?.diffs?.map((d) => [d.path, d.state, d.live])).toEqual([
      ['backup_retention_period', 7, 1],
      ['deletion_protection', true, false],
    ]);
    expect(entry('aws_rds_cluster.gone')?.kind).toBe('missing');
    const scratch = unmanaged('aws_rds_cluster');
    expect(scratch.map((e) => [e.importId, e.resourceId])).toEqual([['scratch', `arn:aws:rds:us-east-1:${ACCOUNT_ID}:cluster:scratch`]]);
    expect(scratch[0]!.importBlocks).toContain('id = "scratch"');
    expect(scratch[0]!.importBlocks).toContain('resource "aws_rds_cluster"');
    expect(text).not.toContain('CANARY-storage-test');
  });
});
