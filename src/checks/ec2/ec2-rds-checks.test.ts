import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from '../../test-support/sandbox.js';
import { auditSandbox } from '../../test-support/audit.js';

const ACCOUNT = '111122223333';
const ANCHOR = '2026-06-01T00:00:00Z';
const daysAgo = (n: number) => new Date(Date.parse(ANCHOR) - n * 86_400_000).toISOString();
const world = { IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
const tcp = (from: number, to = from, source: object = world) => ({ IpProtocol: 'tcp', FromPort: from, ToPort: to, ...source });
const sg = (GroupId: string, GroupName: string, IpPermissions: object[], extra: object = {}) => ({ GroupId, GroupName, VpcId: 'vpc-0a0000000000000a1', IpPermissions, ...extra });
const VPC = 'vpc-0a0000000000000a1';

const db = (DBInstanceIdentifier: string, extra: object = {}) => ({
  DBInstanceIdentifier,
  DBInstanceClass: 'db.t4g.medium',
  Engine: 'postgres',
  Endpoint: { Address: `${DBInstanceIdentifier}.example.us-east-1.rds.amazonaws.com`, Port: 5432 },
  InstanceCreateTime: daysAgo(300),
  PubliclyAccessible: false,
  StorageEncrypted: true,
  BackupRetentionPeriod: 7,
  DeletionProtection: true,
  VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-00000000000000d02' }],
  DBSubnetGroup: { DBSubnetGroupName: 'private', VpcId: VPC, Subnets: [{ SubnetIdentifier: 'subnet-00000000000000b02' }] },
  ...extra,
});
const connections = (id: string, value: number) => ({ Namespace: 'AWS/RDS', MetricName: 'DatabaseConnections', Dimensions: [{ Name: 'DBInstanceIdentifier', Value: id }], Constant: { Value: value, Since: daysAgo(60) } });

const account = {
  AccountId: ACCOUNT,
  TimeAnchor: ANCHOR,
  Regions: {
    'us-east-1': {
      EC2: {
        Vpcs: [{ VpcId: VPC, CidrBlock: '10.0.0.0/16' }],
        Subnets: [
          { SubnetId: 'subnet-00000000000000b01', VpcId: VPC, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1a' },
          { SubnetId: 'subnet-00000000000000b02', VpcId: VPC, CidrBlock: '10.0.2.0/24', AvailabilityZone: 'us-east-1b' },
        ],
        RouteTables: [
          { RouteTableId: 'rtb-00000000000000c01', VpcId: VPC, Routes: [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-00000000000000e01' }], Associations: [{ SubnetId: 'subnet-00000000000000b01' }] },
          { RouteTableId: 'rtb-00000000000000c02', VpcId: VPC, Routes: [{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-00000000000000f01' }], Associations: [{ Main: true }] },
        ],
        SecurityGroups: [
          sg('sg-00000000000000a01', 'ssh-world', [tcp(22)]),
          sg('sg-00000000000000a02', 'ssh-private', [tcp(22, 22, { IpRanges: [{ CidrIp: '10.0.0.0/8' }] })]),
          sg('sg-00000000000000a03', 'rdp-ipv6', [tcp(3389, 3389, { Ipv6Ranges: [{ CidrIpv6: '::/0' }] })]),
          sg('sg-00000000000000a04', 'https-world', [tcp(443)]),
          sg('sg-00000000000000a05', 'all-traffic', [{ IpProtocol: '-1', ...world }]),
          sg('sg-00000000000000a06', 'tcp-range', [tcp(0, 65535)]),
          sg('sg-00000000000000a07', 'default', [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: 'sg-00000000000000a07' }] }], { IpPermissionsEgress: [{ IpProtocol: '-1', ...world }] }),
          sg('sg-00000000000000a08', 'default', [], { VpcId: 'vpc-0b0000000000000b1', IpPermissionsEgress: [] }),
          sg('sg-00000000000000d01', 'db-world', [tcp(5432)]),
          sg('sg-00000000000000d02', 'db-from-app', [tcp(5432, 5432, { UserIdGroupPairs: [{ GroupId: 'sg-00000000000000a04' }] })]),
          sg('sg-00000000000000d03', 'redis-world', [tcp(6379)]),
        ],
        Instances: [
          { InstanceId: 'i-00000000000000001', InstanceType: 't3.micro', State: { Name: 'running' }, LaunchTime: daysAgo(10), MetadataOptions: { HttpTokens: 'optional' } },
          { InstanceId: 'i-00000000000000002', InstanceType: 't3.micro', State: { Name: 'running' }, LaunchTime: daysAgo(10), MetadataOptions: { HttpTokens: 'required' } },
          { InstanceId: 'i-00000000000000003', InstanceType: 't3.micro', State: { Name: 'stopped' }, LaunchTime: daysAgo(10), MetadataOptions: { HttpTokens: 'optional', HttpEndpoint: 'disabled' } },
          { InstanceId: 'i-00000000000000004', InstanceType: 't3.micro', State: { Name: 'terminated' }, LaunchTime: daysAgo(10), MetadataOptions: { HttpTokens: 'optional' } },
        ],
        NetworkInterfaces: [{ NetworkInterfaceId: 'eni-00000000000000001', SubnetId: 'subnet-00000000000000b01', VpcId: VPC, Groups: [{ GroupId: 'sg-00000000000000a01' }], Attachment: { InstanceId: 'i-00000000000000001' } }],
      },
      RDS: {
        DBInstances: [
          db('private-db'),
          db('reachable-db', { PubliclyAccessible: true, VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-00000000000000d01' }], DBSubnetGroup: { DBSubnetGroupName: 'public', VpcId: VPC, Subnets: [{ SubnetIdentifier: 'subnet-00000000000000b01' }] } }),
          db('flag-only-db', { PubliclyAccessible: true }),
          db('unencrypted-db', { StorageEncrypted: false }),
          db('no-backups-db', { BackupRetentionPeriod: 0 }),
          db('unprotected-db', { DeletionProtection: false }),
          db('new-db', { InstanceCreateTime: daysAgo(3) }),
        ],
        DBSnapshots: [
          { DBSnapshotIdentifier: 'public-snap', DBInstanceIdentifier: 'private-db', SnapshotCreateTime: daysAgo(5), SnapshotType: 'manual', Encrypted: true, Attributes: [{ AttributeName: 'restore', AttributeValues: ['all'] }] },
          { DBSnapshotIdentifier: 'shared-snap', DBInstanceIdentifier: 'private-db', SnapshotCreateTime: daysAgo(5), SnapshotType: 'manual', Encrypted: true, Attributes: [{ AttributeName: 'restore', AttributeValues: ['999988887777'] }] },
          { DBSnapshotIdentifier: 'own-snap', DBInstanceIdentifier: 'private-db', SnapshotCreateTime: daysAgo(5), SnapshotType: 'manual', Encrypted: true, Attributes: [{ AttributeName: 'restore', AttributeValues: [ACCOUNT] }] },
        ],
      },
      CloudWatch: {
        Metrics: [connections('private-db', 12), connections('reachable-db', 0), connections('flag-only-db', 3), connections('unencrypted-db', 4), connections('no-backups-db', 2), connections('unprotected-db', 1), connections('new-db', 0)],
      },
    },
  },
};

describe('EC2 and RDS checks', () => {
  const env = useSandbox(account);
  let audit: Awaited<ReturnType<typeof auditSandbox>>;
  beforeAll(async () => {
    audit = await auditSandbox(env.endpoint, { regions: ['us-east-1'], checks: ['ec2_sg_open_ssh,ec2_sg_open_rdp,ec2_sg_open_db_ports,ec2_sg_open_all_ports,ec2_default_sg_rules,ec2_instance_imdsv2,rds_instance_public_access,rds_instance_storage_encrypted,rds_snapshot_public,rds_instance_backups,rds_instance_deletion_protection,rds_instance_idle'] });
  });

  it('reads everything it needs', () => {
    expect(audit.errors).toEqual([]);
  });

  it('fails SSH and RDP open to the internet over IPv4 or IPv6, and every rule that spans the port', () => {
    expect(audit.statuses('ec2_sg_open_ssh')).toMatchObject({ 'ssh-world (sg-00000000000000a01)': 'fail', 'ssh-private (sg-00000000000000a02)': 'pass', 'https-world (sg-00000000000000a04)': 'pass', 'all-traffic (sg-00000000000000a05)': 'fail', 'tcp-range (sg-00000000000000a06)': 'fail' });
    expect(audit.statuses('ec2_sg_open_rdp')).toMatchObject({ 'rdp-ipv6 (sg-00000000000000a03)': 'fail', 'ssh-world (sg-00000000000000a01)': 'pass' });
    expect(audit.verdict('ec2_sg_open_rdp', 'sg-00000000000000a03').message).toContain('::/0');
    expect(audit.verdict('ec2_sg_open_ssh', 'sg-00000000000000a01').evidence).toMatchObject({ attachedTo: ['i-00000000000000001'] });
  });

  it('fails database ports open to the world, not ones open to a security group', () => {
    const db = audit.statuses('ec2_sg_open_db_ports');
    expect(db).toMatchObject({ 'db-world (sg-00000000000000d01)': 'fail', 'redis-world (sg-00000000000000d03)': 'fail', 'db-from-app (sg-00000000000000d02)': 'pass', 'https-world (sg-00000000000000a04)': 'pass' });
    expect(audit.verdict('ec2_sg_open_db_ports', 'sg-00000000000000d03').message).toContain('Redis (6379)');
  });

  it('fails all-ports rules only', () => {
    expect(audit.statuses('ec2_sg_open_all_ports')).toMatchObject({ 'all-traffic (sg-00000000000000a05)': 'fail', 'tcp-range (sg-00000000000000a06)': 'fail', 'ssh-world (sg-00000000000000a01)': 'pass' });
  });

  it('fails a default security group with rules, and passes an empty one', () => {
    expect(audit.verdict('ec2_default_sg_rules', 'sg-00000000000000a07').status).toBe('fail');
    expect(audit.verdict('ec2_default_sg_rules', 'sg-00000000000000a08').status).toBe('pass');
    expect(audit.findings.filter((f) => f.checkId === 'ec2_default_sg_rules')).toHaveLength(2);
  });

  it('fails IMDSv1, passes IMDSv2 or a disabled endpoint, and skips terminated instances', () => {
    expect(audit.statuses('ec2_instance_imdsv2')).toEqual({ 'i-00000000000000001': 'fail', 'i-00000000000000002': 'pass', 'i-00000000000000003': 'pass' });
  });

  it('fails publicly accessible instances and says which network parts hold', () => {
    const reachable = audit.verdict('rds_instance_public_access', 'reachable-db');
    expect(reachable.status).toBe('fail');
    expect(reachable.evidence).toMatchObject({ reachableFromInternet: true, securityGroupOpen: { holds: true }, subnetRoutedToInternet: { holds: true } });
    const flagOnly = audit.verdict('rds_instance_public_access', 'flag-only-db');
    expect(flagOnly.status).toBe('fail');
    // The subnet uses the VPC's main route table, which goes to a NAT gateway, not an internet gateway.
    expect(flagOnly.evidence).toMatchObject({ reachableFromInternet: false, securityGroupOpen: { holds: false }, subnetRoutedToInternet: { holds: false } });
    expect(audit.verdict('rds_instance_public_access', 'private-db').status).toBe('pass');
  });

  it('checks encryption, backups and deletion protection', () => {
    expect(audit.verdict('rds_instance_storage_encrypted', 'unencrypted-db').status).toBe('fail');
    expect(audit.verdict('rds_instance_storage_encrypted', 'private-db').status).toBe('pass');
    expect(audit.verdict('rds_instance_backups', 'no-backups-db').status).toBe('fail');
    expect(audit.verdict('rds_instance_backups', 'private-db').status).toBe('pass');
    expect(audit.verdict('rds_instance_deletion_protection', 'unprotected-db').status).toBe('fail');
    expect(audit.verdict('rds_instance_deletion_protection', 'private-db').status).toBe('pass');
  });

  it('fails public snapshots, not ones shared with a named account', () => {
    expect(audit.statuses('rds_snapshot_public')).toEqual({ 'public-snap': 'fail', 'shared-snap': 'fail', 'own-snap': 'pass' });
    expect(audit.verdict('rds_snapshot_public', 'shared-snap')).toMatchObject({ evidence: { exposure: 'cross-account', externalAccounts: ['999988887777'] } });
    expect(audit.verdict('rds_snapshot_public', 'public-snap').evidence).toMatchObject({ exposure: 'public' });
  });

  it('fails instances without a connection in the idle window, and leaves new ones be', () => {
    const idle = audit.statuses('rds_instance_idle');
    expect(idle).toMatchObject({ 'reachable-db': 'fail', 'private-db': 'pass', 'new-db': 'pass' });
    expect(audit.verdict('rds_instance_idle', 'reachable-db').evidence).toMatchObject({ idleWindowDays: 7, connectionsMax: 0 });
    expect(audit.verdict('rds_instance_idle', 'new-db').message).toContain('younger than the 7-day idle window');
  });

  it('asks CloudWatch for every instance in one GetMetricData call', () => {
    expect(audit.stats.byOperation['cloudwatch:GetMetricData']).toBe(1);
  });
});

describe('the idle window', () => {
  const env = useSandbox({
    ...account,
    Regions: {
      'us-east-1': {
        RDS: { DBInstances: [db('quiet-lately')] },
        // Connections until 10 days ago, none since.
        CloudWatch: { Metrics: [{ Namespace: 'AWS/RDS', MetricName: 'DatabaseConnections', Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'quiet-lately' }], Datapoints: [...Array.from({ length: 20 }, (_, i) => ({ Timestamp: daysAgo(30 - i), Value: 5 })), ...Array.from({ length: 10 }, (_, i) => ({ Timestamp: daysAgo(10 - i), Value: 0 }))] }] },
      },
    },
  });

  it('is --idle-days long: idle over 7 days, not over 14', async () => {
    const week = await auditSandbox(env.endpoint, { regions: ['us-east-1'], checks: ['rds_instance_idle'] });
    expect(week.verdict('rds_instance_idle', 'quiet-lately').status).toBe('fail');
    const fortnight = await auditSandbox(env.endpoint, { regions: ['us-east-1'], checks: ['rds_instance_idle'], idleDays: 14 });
    expect(fortnight.verdict('rds_instance_idle', 'quiet-lately').status).toBe('pass');
  });
});
