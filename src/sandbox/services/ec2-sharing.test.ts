/** The sandbox's EBS snapshots and AMIs with their sharing attributes, through the real SDK client. */
import { describe, expect, it } from 'vitest';
import { DescribeImageAttributeCommand, DescribeImagesCommand, DescribeSnapshotAttributeCommand, DescribeSnapshotsCommand, EC2Client, paginateDescribeSnapshots } from '@aws-sdk/client-ec2';
import { rejection, useSandbox } from '../../test-support/sandbox.js';

const ACCOUNT = '111122223333';
const account = {
  AccountId: ACCOUNT,
  Regions: {
    'us-east-1': {
      EC2: {
        Snapshots: [
          { SnapshotId: 'snap-0a0000000000000a1', VolumeId: 'vol-0a0000000000000a1', VolumeSize: 8, StartTime: '2026-01-01T00:00:00Z', Encrypted: false, CreateVolumePermissions: [{ Group: 'all' as const }], Tags: [{ Key: 'Name', Value: 'golden' }] },
          { SnapshotId: 'snap-0a0000000000000a2', VolumeSize: 20, StartTime: '2026-01-02T00:00:00Z', Encrypted: true, KmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/1', CreateVolumePermissions: [{ UserId: '444455556666' }] },
          ...Array.from({ length: 6 }, (_, i) => ({ SnapshotId: `snap-0b00000000000000${i}`, VolumeSize: 8, StartTime: '2026-01-03T00:00:00Z', Encrypted: true })),
        ],
        Images: [
          { ImageId: 'ami-0a0000000000000a1', Name: 'base-2026-01', CreationDate: '2026-01-01T00:00:00Z', LaunchPermissions: [{ Group: 'all' as const }], BlockDeviceSnapshots: ['snap-0a0000000000000a1'] },
          { ImageId: 'ami-0a0000000000000a2', Name: 'app-2026-01', CreationDate: '2026-01-02T00:00:00Z', LaunchPermissions: [{ OrganizationArn: 'arn:aws:organizations::999988887777:organization/o-abc123' }, { UserId: '444455556666' }] },
          { ImageId: 'ami-0a0000000000000a3', Name: 'private', CreationDate: '2026-01-03T00:00:00Z' },
        ],
      },
    },
  },
};

describe('sandbox EC2 snapshots and AMIs (EC2 query protocol)', () => {
  const env = useSandbox(account);
  const ec2 = () => new EC2Client(env.config('ec2'));

  it("DescribeSnapshots: the account's own with OwnerIds self, nothing for another owner, paged", async () => {
    const own = await ec2().send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
    expect(own.Snapshots).toHaveLength(8);
    expect(own.Snapshots![0]).toMatchObject({ SnapshotId: 'snap-0a0000000000000a1', OwnerId: ACCOUNT, VolumeSize: 8, Encrypted: false, State: 'completed', Tags: [{ Key: 'Name', Value: 'golden' }] });
    expect(own.Snapshots![0]!.StartTime).toEqual(new Date('2026-01-01T00:00:00Z'));
    expect((await ec2().send(new DescribeSnapshotsCommand({ OwnerIds: [ACCOUNT] }))).Snapshots).toHaveLength(8);
    expect((await ec2().send(new DescribeSnapshotsCommand({ OwnerIds: ['amazon'] }))).Snapshots).toEqual([]);
    const sizes: number[] = [];
    for await (const page of paginateDescribeSnapshots({ client: ec2(), pageSize: 5 }, { OwnerIds: ['self'] })) sizes.push(page.Snapshots?.length ?? 0);
    expect(sizes).toEqual([5, 3]);
    const err = await rejection(ec2().send(new DescribeSnapshotsCommand({ SnapshotIds: ['snap-0a00000000000ffff'] })));
    expect(err.name).toBe('InvalidSnapshot.NotFound');
  });

  it('DescribeSnapshotAttribute createVolumePermission: all, an account, or nobody; unknown snapshot and attribute refused', async () => {
    const perms = async (SnapshotId: string) => (await ec2().send(new DescribeSnapshotAttributeCommand({ SnapshotId, Attribute: 'createVolumePermission' }))).CreateVolumePermissions;
    expect(await perms('snap-0a0000000000000a1')).toEqual([{ Group: 'all' }]);
    expect(await perms('snap-0a0000000000000a2')).toEqual([{ UserId: '444455556666' }]);
    expect(await perms('snap-0b000000000000000')).toEqual([]);
    expect((await rejection(ec2().send(new DescribeSnapshotAttributeCommand({ SnapshotId: 'snap-0a00000000000ffff', Attribute: 'createVolumePermission' })))).name).toBe('InvalidSnapshot.NotFound');
    expect((await rejection(ec2().send(new DescribeSnapshotAttributeCommand({ SnapshotId: 'snap-0a0000000000000a1', Attribute: 'kernel' as never })))).name).toBe('InvalidParameterValue');
  });

  it('DescribeImages and DescribeImageAttribute launchPermission: public flag, accounts and organizations', async () => {
    const own = await ec2().send(new DescribeImagesCommand({ Owners: ['self'] }));
    expect(own.Images?.map((i) => [i.ImageId, i.Name, i.Public, i.OwnerId, i.State])).toEqual([
      ['ami-0a0000000000000a1', 'base-2026-01', true, ACCOUNT, 'available'],
      ['ami-0a0000000000000a2', 'app-2026-01', false, ACCOUNT, 'available'],
      ['ami-0a0000000000000a3', 'private', false, ACCOUNT, 'available'],
    ]);
    expect(own.Images![0]!.BlockDeviceMappings?.[0]?.Ebs?.SnapshotId).toBe('snap-0a0000000000000a1');
    const launch = async (ImageId: string) => (await ec2().send(new DescribeImageAttributeCommand({ ImageId, Attribute: 'launchPermission' }))).LaunchPermissions;
    expect(await launch('ami-0a0000000000000a1')).toEqual([{ Group: 'all' }]);
    expect(await launch('ami-0a0000000000000a2')).toEqual([{ OrganizationArn: 'arn:aws:organizations::999988887777:organization/o-abc123' }, { UserId: '444455556666' }]);
    expect(await launch('ami-0a0000000000000a3')).toEqual([]);
    expect((await rejection(ec2().send(new DescribeImageAttributeCommand({ ImageId: 'ami-0a00000000000ffff', Attribute: 'launchPermission' })))).name).toBe('InvalidAMIID.NotFound');
  });
});

describe('sandbox EC2 --deny on a snapshot and an AMI', () => {
  const env = useSandbox(account, { deny: ['DescribeSnapshotAttribute:snap-0a0000000000000a2', 'DescribeImageAttribute:ami-0a0000000000000a2'] });
  it('answers UnauthorizedOperation for the named resource only', async () => {
    const client = new EC2Client(env.config('ec2'));
    const snap = await rejection(client.send(new DescribeSnapshotAttributeCommand({ SnapshotId: 'snap-0a0000000000000a2', Attribute: 'createVolumePermission' })));
    expect([snap.name, snap.$metadata.httpStatusCode]).toEqual(['UnauthorizedOperation', 403]);
    const ami = await rejection(client.send(new DescribeImageAttributeCommand({ ImageId: 'ami-0a0000000000000a2', Attribute: 'launchPermission' })));
    expect(ami.name).toBe('UnauthorizedOperation');
    expect((await client.send(new DescribeSnapshotAttributeCommand({ SnapshotId: 'snap-0a0000000000000a1', Attribute: 'createVolumePermission' }))).CreateVolumePermissions).toHaveLength(1);
  });
});
