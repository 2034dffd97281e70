/** EBS snapshot and AMI exposure: public (group all), cross-account (another account or an organisation), near misses, and a denied read as `error`. */
import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from '../../test-support/sandbox.js';
import { auditSandbox } from '../../test-support/audit.js';

const ACCOUNT = '111122223333';
const snap = (n: number, name: string, perms: object[] | undefined) => ({
  SnapshotId: `snap-0000000000000000${n}`, VolumeSize: 8, StartTime: '2026-01-01T00:00:00Z', Encrypted: true, Tags: [{ Key: 'Name', Value: name }], ...(perms ? { CreateVolumePermissions: perms } : {}),
});
const ami = (n: number, Name: string, perms: object[] | undefined) => ({ ImageId: `ami-0000000000000000${n}`, Name, CreationDate: '2026-01-01T00:00:00Z', ...(perms ? { LaunchPermissions: perms } : {}) });

const account = {
  AccountId: ACCOUNT,
  Regions: {
    'us-east-1': {
      EC2: {
        Snapshots: [
          snap(1, 'public-snap', [{ Group: 'all' }]),
          snap(2, 'shared-snap', [{ UserId: '999988887777' }]),
          snap(3, 'own-account-snap', [{ UserId: ACCOUNT }]),
          snap(4, 'private-snap', undefined),
          snap(5, 'denied-snap', [{ Group: 'all' }]),
        ],
        Images: [
          ami(1, 'public-ami', [{ Group: 'all' }]),
          ami(2, 'shared-ami', [{ UserId: '999988887777' }]),
          ami(3, 'org-ami', [{ OrganizationArn: 'arn:aws:organizations::999988887777:organization/o-abc123def4' }]),
          ami(4, 'own-account-ami', [{ UserId: ACCOUNT }]),
          ami(5, 'private-ami', undefined),
        ],
      },
    },
  },
};

describe('EBS snapshot and AMI exposure', () => {
  const env = useSandbox(account, { deny: ['DescribeSnapshotAttribute:snap-00000000000000005'] });
  let audit: Awaited<ReturnType<typeof auditSandbox>>;
  beforeAll(async () => {
    audit = await auditSandbox(env.endpoint, { regions: ['us-east-1'], checks: ['ec2_ebs_snapshot_public,ec2_ami_public'] });
  });

  it('fails a public or cross-account snapshot; one shared with the account itself, or unshared, passes; a denied attribute is error', () => {
    expect(audit.statuses('ec2_ebs_snapshot_public')).toEqual({ 'public-snap': 'fail', 'shared-snap': 'fail', 'own-account-snap': 'pass', 'private-snap': 'pass', 'denied-snap': 'error' });
    expect(audit.verdict('ec2_ebs_snapshot_public', 'public-snap')).toMatchObject({ resourceId: 'arn:aws:ec2:us-east-1::snapshot/snap-00000000000000001', evidence: { exposure: 'public' } });
    expect(audit.verdict('ec2_ebs_snapshot_public', 'shared-snap').evidence).toMatchObject({ exposure: 'cross-account', externalAccounts: ['999988887777'] });
    expect(audit.errors.map((e) => `${e.operation} ${e.code} ${e.resource}`)).toEqual(['DescribeSnapshotAttribute UnauthorizedOperation arn:aws:ec2:us-east-1::snapshot/snap-00000000000000005']);
  });

  it('fails a public AMI, one shared with another account, and one shared with an organisation the audit cannot place; passes the near misses', () => {
    expect(audit.statuses('ec2_ami_public')).toEqual({ 'public-ami': 'fail', 'shared-ami': 'fail', 'org-ami': 'fail', 'own-account-ami': 'pass', 'private-ami': 'pass' });
    expect(audit.verdict('ec2_ami_public', 'public-ami').evidence).toMatchObject({ exposure: 'public', isPublic: true });
    expect(audit.verdict('ec2_ami_public', 'org-ami').evidence).toMatchObject({ exposure: 'cross-account', externalOrganizations: ['arn:aws:organizations::999988887777:organization/o-abc123def4'] });
  });
});

describe('a denied DescribeImages', () => {
  const env = useSandbox(account, { deny: ['DescribeImages:*'] });
  it('is one error for the region, never a pass', async () => {
    const audit = await auditSandbox(env.endpoint, { regions: ['us-east-1'], checks: ['ec2_ami_public'] });
    expect(audit.findings.map((f) => `${f.status} ${f.resourceId}`)).toEqual([`error ${ACCOUNT}`]);
  });
});
