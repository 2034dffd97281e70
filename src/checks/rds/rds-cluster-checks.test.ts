/** RDS clusters, cluster snapshots, minor upgrades and Multi-AZ: each check's positive and near miss, and a denied read as `error`. */
import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from '../../test-support/sandbox.js';
import { auditSandbox } from '../../test-support/audit.js';

const ACCOUNT = '111122223333';
const ANCHOR = '2026-06-01T00:00:00Z';
const daysAgo = (n: number) => new Date(Date.parse(ANCHOR) - n * 86_400_000).toISOString();

const db = (DBInstanceIdentifier: string, extra: object = {}) => ({
  DBInstanceIdentifier,
  DBInstanceClass: 'db.t4g.medium',
  Engine: 'postgres',
  EngineVersion: '16.4',
  InstanceCreateTime: daysAgo(300),
  PubliclyAccessible: false,
  StorageEncrypted: true,
  BackupRetentionPeriod: 7,
  DeletionProtection: true,
  MultiAZ: true,
  AutoMinorVersionUpgrade: true,
  ...extra,
});
const cluster = (DBClusterIdentifier: string, extra: object = {}) => ({
  DBClusterIdentifier,
  Engine: 'aurora-postgresql',
  ClusterCreateTime: daysAgo(200),
  StorageEncrypted: true,
  BackupRetentionPeriod: 7,
  DeletionProtection: true,
  MultiAZ: true,
  ...extra,
});
const clusterSnapshot = (id: string, restore: string[] | undefined, extra: object = {}) => ({
  DBClusterSnapshotIdentifier: id,
  DBClusterIdentifier: 'encrypted-cluster',
  SnapshotCreateTime: daysAgo(5),
  SnapshotType: 'manual',
  StorageEncrypted: true,
  ...(restore ? { Attributes: [{ AttributeName: 'restore', AttributeValues: restore }] } : {}),
  ...extra,
});

const account = {
  AccountId: ACCOUNT,
  TimeAnchor: ANCHOR,
  Regions: {
    'us-east-1': {
      RDS: {
        DBInstances: [
          db('upgrades-db'),
          db('pinned-db', { AutoMinorVersionUpgrade: false }),
          db('single-az-db', { MultiAZ: false }),
          db('aurora-member', { Engine: 'aurora-postgresql', MultiAZ: false, DBClusterIdentifier: 'encrypted-cluster' }),
          db('lonely-member', { Engine: 'aurora-postgresql', MultiAZ: false, DBClusterIdentifier: 'single-az-cluster' }),
        ],
        DBClusters: [
          cluster('encrypted-cluster', { KmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234`, DBClusterMembers: [{ DBInstanceIdentifier: 'aurora-member', IsClusterWriter: true }] }),
          cluster('plain-cluster', { StorageEncrypted: false }),
          cluster('single-az-cluster', { MultiAZ: false, DBClusterMembers: [{ DBInstanceIdentifier: 'lonely-member', IsClusterWriter: true }] }),
        ],
        DBClusterSnapshots: [
          clusterSnapshot('public-csnap', ['all']),
          clusterSnapshot('shared-csnap', ['999988887777']),
          clusterSnapshot('own-csnap', [ACCOUNT]),
          clusterSnapshot('private-csnap', undefined),
          clusterSnapshot('rds:encrypted-cluster-2026-05-31', undefined, { SnapshotType: 'automated' }),
          clusterSnapshot('denied-csnap', ['all']),
        ],
      },
    },
  },
};

const CHECKS = 'rds_instance_auto_minor_version_upgrade,rds_instance_multi_az,rds_cluster_storage_encrypted,rds_cluster_snapshot_public';

describe('RDS cluster, minor-upgrade and Multi-AZ checks', () => {
  const env = useSandbox(account, { deny: ['DescribeDBClusterSnapshotAttributes:denied-csnap'] });
  let audit: Awaited<ReturnType<typeof auditSandbox>>;
  beforeAll(async () => {
    audit = await auditSandbox(env.endpoint, { regions: ['us-east-1'], checks: [CHECKS] });
  });

  it('fails an instance that never takes minor upgrades, passes one that does', () => {
    expect(audit.statuses('rds_instance_auto_minor_version_upgrade')).toMatchObject({ 'upgrades-db': 'pass', 'pinned-db': 'fail' });
    expect(audit.verdict('rds_instance_auto_minor_version_upgrade', 'pinned-db').message).toContain('postgres 16.4');
    expect(audit.verdict('rds_instance_auto_minor_version_upgrade', 'pinned-db').cis).toEqual(['2.3.2']);
  });

  it('fails a single-AZ instance, and judges an Aurora member by its cluster', () => {
    expect(audit.statuses('rds_instance_multi_az')).toEqual({
      'upgrades-db': 'pass',
      'pinned-db': 'pass',
      'single-az-db': 'fail',
      // MultiAZ false on the instance, as AWS reports every Aurora instance; its cluster spans zones.
      'aurora-member': 'pass',
      'lonely-member': 'fail',
    });
    expect(audit.verdict('rds_instance_multi_az', 'lonely-member').evidence).toMatchObject({ dbClusterIdentifier: 'single-az-cluster', clusterMultiAZ: false });
  });

  it('fails an unencrypted cluster, passes an encrypted one', () => {
    expect(audit.statuses('rds_cluster_storage_encrypted')).toEqual({ 'encrypted-cluster': 'pass', 'plain-cluster': 'fail', 'single-az-cluster': 'pass' });
    expect(audit.verdict('rds_cluster_storage_encrypted', 'plain-cluster').resourceId).toBe(`arn:aws:rds:us-east-1:${ACCOUNT}:cluster:plain-cluster`);
  });

  it('fails a public or cross-account cluster snapshot; one shared with its own account, unshared, or automated passes', () => {
    expect(audit.statuses('rds_cluster_snapshot_public')).toEqual({
      'public-csnap': 'fail',
      'shared-csnap': 'fail',
      'own-csnap': 'pass',
      'private-csnap': 'pass',
      'rds:encrypted-cluster-2026-05-31': 'pass',
      'denied-csnap': 'error',
    });
    expect(audit.verdict('rds_cluster_snapshot_public', 'public-csnap').evidence).toMatchObject({ exposure: 'public', restoreAttribute: ['all'] });
    expect(audit.verdict('rds_cluster_snapshot_public', 'shared-csnap').evidence).toMatchObject({ exposure: 'cross-account', externalAccounts: ['999988887777'] });
  });

  it('a denied DescribeDBClusterSnapshotAttributes is error, never pass, and recorded with its resource', () => {
    expect(audit.verdict('rds_cluster_snapshot_public', 'denied-csnap').message).toContain('AccessDenied');
    expect(audit.errors.map((e) => `${e.operation} ${e.code} ${e.resource}`)).toEqual([
      `DescribeDBClusterSnapshotAttributes AccessDenied arn:aws:rds:us-east-1:${ACCOUNT}:cluster-snapshot:denied-csnap`,
    ]);
    // Automated snapshots cannot be shared: their attributes are never asked for.
    expect(audit.stats.byOperation['rds:DescribeDBClusterSnapshotAttributes']).toBe(5);
  });
});

describe('a denied DescribeDBClusters', () => {
  const env = useSandbox(account, { deny: ['DescribeDBClusters:*'] });
  it('makes the cluster check and the Aurora members of the Multi-AZ check error, never pass', async () => {
    const audit = await auditSandbox(env.endpoint, { regions: ['us-east-1'], checks: ['rds_cluster_storage_encrypted,rds_instance_multi_az'] });
    expect(audit.findings.filter((f) => f.checkId === 'rds_cluster_storage_encrypted').map((f) => `${f.status} ${f.resourceId}`)).toEqual([`error ${ACCOUNT}`]);
    expect(audit.statuses('rds_instance_multi_az')).toMatchObject({ 'aurora-member': 'error', 'lonely-member': 'error', 'single-az-db': 'fail', 'upgrades-db': 'pass' });
  });
});
