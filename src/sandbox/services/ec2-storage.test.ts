/** The sandbox's EC2 network ACLs, flow logs, EBS volumes and EBS encryption by default, through the real SDK client. */
import { describe, expect, it } from 'vitest';
import {
  DescribeFlowLogsCommand,
  DescribeNetworkAclsCommand,
  DescribeVolumesCommand,
  EC2Client,
  GetEbsEncryptionByDefaultCommand,
  paginateDescribeVolumes,
} from '@aws-sdk/client-ec2';
import { fetchStats, opCount, rejection, useSandbox } from '../../test-support/sandbox.js';

const VPC = 'vpc-0a0000000000000a1';
const account = {
  AccountId: '111122223333',
  Regions: {
    'us-east-1': {
      EC2: {
        EbsEncryptionByDefault: true,
        Vpcs: [{ VpcId: VPC, CidrBlock: '10.0.0.0/16' }],
        NetworkAcls: [
          {
            NetworkAclId: 'acl-0a0000000000000a1',
            VpcId: VPC,
            IsDefault: true,
            Entries: [
              { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0' },
              { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: true, CidrBlock: '0.0.0.0/0' },
            ],
            Associations: [{ SubnetId: 'subnet-0a0000000000000b1' }],
          },
          {
            NetworkAclId: 'acl-0a0000000000000a2',
            VpcId: VPC,
            Entries: [
              { RuleNumber: 90, Protocol: '6', RuleAction: 'deny', Egress: false, CidrBlock: '0.0.0.0/0', PortRange: { From: 22, To: 22 } },
              { RuleNumber: 110, Protocol: '6', RuleAction: 'allow', Egress: false, Ipv6CidrBlock: '::/0', PortRange: { From: 443, To: 443 } },
              { RuleNumber: 120, Protocol: '1', RuleAction: 'allow', Egress: false, CidrBlock: '10.0.0.0/8', IcmpTypeCode: { Type: 8, Code: 0 } },
            ],
            Tags: [{ Key: 'Name', Value: 'private' }],
          },
        ],
        FlowLogs: [
          { FlowLogId: 'fl-0a0000000000000a1', ResourceId: VPC, TrafficType: 'REJECT', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::flow-logs', CreationTime: '2026-01-01T00:00:00Z' },
          { FlowLogId: 'fl-0a0000000000000a2', ResourceId: 'subnet-0a0000000000000b1', TrafficType: 'ALL', LogGroupName: 'subnet-flows', DeliverLogsPermissionArn: 'arn:aws:iam::111122223333:role/flow-logs', CreationTime: '2026-01-02T00:00:00Z' },
        ],
        Volumes: Array.from({ length: 12 }, (_, i) => ({
          VolumeId: `vol-0a00000000000${String(i).padStart(4, '0')}`,
          Size: 8 + i,
          AvailabilityZone: 'us-east-1a',
          VolumeType: 'gp3' as const,
          Encrypted: i % 2 === 0,
          ...(i % 2 === 0 ? { KmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/1234' } : {}),
          CreateTime: '2026-01-01T00:00:00Z',
          ...(i === 0 ? { Attachments: [{ InstanceId: 'i-0a0000000000000a1', Device: '/dev/xvda', DeleteOnTermination: true }] } : {}),
        })),
      },
    },
    'eu-west-1': { EC2: {} },
  },
};

describe('sandbox EC2 network ACLs, flow logs and EBS (EC2 query protocol)', () => {
  const env = useSandbox(account);
  const ec2 = (region = 'us-east-1') => new EC2Client(env.config('ec2', { region }));

  it('DescribeNetworkAcls: entries with AWS\'s catch-all denies, associations, tags; filters by default; an unknown id is InvalidNetworkAclID.NotFound', async () => {
    const all = await ec2().send(new DescribeNetworkAclsCommand({}));
    expect(all.NetworkAcls?.map((a) => [a.NetworkAclId, a.IsDefault])).toEqual([
      ['acl-0a0000000000000a1', true],
      ['acl-0a0000000000000a2', false],
    ]);
    const custom = all.NetworkAcls![1]!;
    expect(custom.Entries?.map((e) => [e.RuleNumber, e.Protocol, e.RuleAction, e.Egress, e.CidrBlock ?? e.Ipv6CidrBlock])).toEqual([
      [90, '6', 'deny', false, '0.0.0.0/0'],
      [110, '6', 'allow', false, '::/0'],
      [120, '1', 'allow', false, '10.0.0.0/8'],
      [32767, '-1', 'deny', false, '0.0.0.0/0'],
      [32768, '-1', 'deny', false, '::/0'],
      [32767, '-1', 'deny', true, '0.0.0.0/0'],
      [32768, '-1', 'deny', true, '::/0'],
    ]);
    expect(custom.Entries![0]!.PortRange).toEqual({ From: 22, To: 22 });
    expect(custom.Entries![2]!.IcmpTypeCode).toEqual({ Type: 8, Code: 0 });
    expect(custom.Tags).toEqual([{ Key: 'Name', Value: 'private' }]);
    expect(custom.OwnerId).toBe('111122223333');
    expect(all.NetworkAcls![0]!.Associations).toEqual([expect.objectContaining({ NetworkAclId: 'acl-0a0000000000000a1', SubnetId: 'subnet-0a0000000000000b1', NetworkAclAssociationId: expect.stringMatching(/^aclassoc-/) })]);
    const defaults = await ec2().send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'default', Values: ['true'] }] }));
    expect(defaults.NetworkAcls?.map((a) => a.NetworkAclId)).toEqual(['acl-0a0000000000000a1']);
    const err = await rejection(ec2().send(new DescribeNetworkAclsCommand({ NetworkAclIds: ['acl-0a0000000000000ff'] })));
    expect(err.name).toBe('InvalidNetworkAclID.NotFound');
    expect(err.$metadata.httpStatusCode).toBe(400);
  });

  it('DescribeFlowLogs: every flow log with its destination, filtered by resource-id', async () => {
    const all = await ec2().send(new DescribeFlowLogsCommand({}));
    expect(all.FlowLogs?.map((f) => [f.FlowLogId, f.ResourceId, f.TrafficType, f.LogDestinationType, f.FlowLogStatus])).toEqual([
      ['fl-0a0000000000000a1', VPC, 'REJECT', 's3', 'ACTIVE'],
      ['fl-0a0000000000000a2', 'subnet-0a0000000000000b1', 'ALL', 'cloud-watch-logs', 'ACTIVE'],
    ]);
    expect(all.FlowLogs![0]!.CreationTime).toEqual(new Date('2026-01-01T00:00:00Z'));
    const ofVpc = await ec2().send(new DescribeFlowLogsCommand({ Filter: [{ Name: 'resource-id', Values: [VPC] }] }));
    expect(ofVpc.FlowLogs?.map((f) => f.FlowLogId)).toEqual(['fl-0a0000000000000a1']);
  });

  it('DescribeVolumes: pages 12 volumes 5 at a time in 3 calls; encryption, attachments; an unknown id is InvalidVolume.NotFound', async () => {
    env.sandbox.resetStats();
    const sizes: number[] = [];
    const encrypted: boolean[] = [];
    for await (const page of paginateDescribeVolumes({ client: ec2(), pageSize: 5 }, {})) {
      sizes.push(page.Volumes?.length ?? 0);
      encrypted.push(...(page.Volumes ?? []).map((v) => v.Encrypted === true));
    }
    expect(sizes).toEqual([5, 5, 2]);
    expect(encrypted.filter(Boolean)).toHaveLength(6);
    expect(opCount(await fetchStats(env.endpoint), 'ec2', 'DescribeVolumes')).toBe(3);
    const one = await ec2().send(new DescribeVolumesCommand({ VolumeIds: ['vol-0a000000000000000'] }));
    expect(one.Volumes?.[0]).toMatchObject({ State: 'in-use', Size: 8, VolumeType: 'gp3', Encrypted: true, Attachments: [expect.objectContaining({ InstanceId: 'i-0a0000000000000a1', Device: '/dev/xvda', DeleteOnTermination: true })] });
    const unencrypted = await ec2().send(new DescribeVolumesCommand({ Filters: [{ Name: 'encrypted', Values: ['false'] }] }));
    expect(unencrypted.Volumes).toHaveLength(6);
    const err = await rejection(ec2().send(new DescribeVolumesCommand({ VolumeIds: ['vol-0a0000000000000ff'] })));
    expect(err.name).toBe('InvalidVolume.NotFound');
  });

  it('GetEbsEncryptionByDefault: per region, off where the account file does not turn it on', async () => {
    expect((await ec2().send(new GetEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(true);
    expect((await ec2('eu-west-1').send(new GetEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(false);
    const disabled = await rejection(ec2('ap-southeast-2').send(new GetEbsEncryptionByDefaultCommand({})));
    expect(disabled.name).toBe('AuthFailure');
  });
});

describe('sandbox EC2 --deny on the new reads', () => {
  const env = useSandbox(account, { deny: ['DescribeFlowLogs:*', 'GetEbsEncryptionByDefault:*', 'DescribeNetworkAcls:acl-0a0000000000000a2'] });
  it('answers UnauthorizedOperation (403), by operation and by ACL id', async () => {
    const client = new EC2Client(env.config('ec2'));
    for (const call of [client.send(new DescribeFlowLogsCommand({})), client.send(new GetEbsEncryptionByDefaultCommand({})), client.send(new DescribeNetworkAclsCommand({ NetworkAclIds: ['acl-0a0000000000000a2'] }))]) {
      const err = await rejection(call);
      expect(err.name).toBe('UnauthorizedOperation');
      expect(err.$metadata.httpStatusCode).toBe(403);
    }
    expect((await client.send(new DescribeNetworkAclsCommand({ NetworkAclIds: ['acl-0a0000000000000a1'] }))).NetworkAcls).toHaveLength(1);
  });
});
