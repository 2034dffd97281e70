import { describe, expect, it } from 'vitest';
import {
  CreateDBSnapshotCommand,
  DeleteDBInstanceCommand,
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotAttributesCommand,
  DescribeDBSnapshotsCommand,
  ModifyDBInstanceCommand,
  RDSClient,
  paginateDescribeDBInstances,
} from '@aws-sdk/client-rds';
import { fetchStats, opCount, useSandbox, rejection } from '../../test-support/sandbox.js';


describe('sandbox RDS (Query protocol)', () => {
  const env = useSandbox('regional-rds.json');
  const rds = (region = 'us-east-1') => new RDSClient(env.config('rds', { region }));

  describe('DescribeDBInstances', () => {
    it('renders an instance with its endpoint, security groups, subnet group, tags and ARN', async () => {
      const res = await rds().send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'prod-db' }));
      expect(res.DBInstances).toHaveLength(1);
      const db = res.DBInstances![0]!;
      expect(db).toMatchObject({
        DBInstanceIdentifier: 'prod-db',
        DBInstanceClass: 'db.r6g.large',
        Engine: 'postgres',
        EngineVersion: '16.3',
        DBInstanceStatus: 'available',
        Endpoint: { Address: 'prod-db.abcdefghijkl.us-east-1.rds.amazonaws.com', Port: 5432, HostedZoneId: 'Z2R2ITUGPM61AM' },
        PubliclyAccessible: false,
        StorageEncrypted: true,
        BackupRetentionPeriod: 14,
        DeletionProtection: true,
        MultiAZ: true,
        IAMDatabaseAuthenticationEnabled: true,
        DBInstanceArn: 'arn:aws:rds:us-east-1:111122223333:db:prod-db',
        VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-0a0000000000000a2', Status: 'active' }],
        TagList: [{ Key: 'Environment', Value: 'prod' }],
      });
      expect(db.InstanceCreateTime).toEqual(new Date('2024-06-01T12:00:00Z'));
      expect(db.DBSubnetGroup?.VpcId).toBe('vpc-0a0000000000000a1');
      expect(db.DBSubnetGroup?.Subnets?.map((s) => [s.SubnetIdentifier, s.SubnetAvailabilityZone?.Name])).toEqual([
        ['subnet-0a0000000000000b2', 'us-east-1b'],
        ['subnet-0a0000000000000b3', 'us-east-1c'],
      ]);
      expect(db.DbiResourceId).toMatch(/^db-[0-9A-Z]{26}$/);
    });

    it('matches the identifier regardless of case, and answers an unknown one with DBInstanceNotFoundFault (404)', async () => {
      const upper = await rds().send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'PROD-DB' }));
      expect(upper.DBInstances?.map((d) => d.DBInstanceIdentifier)).toEqual(['prod-db']);
      const err = await rejection(rds().send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'prod-db2' })));
      expect(err.name).toBe('DBInstanceNotFoundFault');
      expect(err.message).toBe('DBInstance prod-db2 not found.');
      expect(err.$metadata.httpStatusCode).toBe(404);
    });

    it('filters by engine (exact) and db-instance-id, and refuses an unknown filter name', async () => {
      const mysql = await rds().send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'engine', Values: ['mysql'] }] }));
      expect(mysql.DBInstances?.map((d) => [d.DBInstanceIdentifier, d.PubliclyAccessible, d.StorageEncrypted])).toEqual([['legacy-mysql', true, false]]);
      const nearMiss = await rds().send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'engine', Values: ['mysq'] }] }));
      expect(nearMiss.DBInstances).toEqual([]);
      const byIds = await rds().send(
        new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-instance-id', Values: ['legacy-mysql', 'arn:aws:rds:us-east-1:111122223333:db:prod-db'] }] }),
      );
      expect(byIds.DBInstances?.map((d) => d.DBInstanceIdentifier)).toEqual(['prod-db', 'legacy-mysql']);
      const bad = await rejection(rds().send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'engine-name', Values: ['mysql'] }] })));
      expect(bad.name).toBe('InvalidParameterValue');
    });

    it('pages 24 instances with MaxRecords 20 in 2 calls through the SDK paginator', async () => {
      env.sandbox.resetStats();
      const sizes: number[] = [];
      const ids: string[] = [];
      for await (const page of paginateDescribeDBInstances({ client: rds(), pageSize: 20 }, {})) {
        sizes.push(page.DBInstances?.length ?? 0);
        ids.push(...(page.DBInstances ?? []).map((d) => d.DBInstanceIdentifier!));
      }
      expect(sizes).toEqual([20, 4]);
      expect(new Set(ids).size).toBe(24);
      expect(opCount(await fetchStats(env.endpoint), 'rds', 'DescribeDBInstances')).toBe(2);
    });

    it('refuses a MaxRecords below 20', async () => {
      const err = await rejection(rds().send(new DescribeDBInstancesCommand({ MaxRecords: 19 })));
      expect(err.name).toBe('InvalidParameterValue');
    });
  });

  describe('DescribeDBSnapshots', () => {
    it('lists the snapshots of one instance, enriched from it', async () => {
      const res = await rds().send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: 'prod-db' }));
      expect(res.DBSnapshots?.map((s) => [s.DBSnapshotIdentifier, s.SnapshotType, s.Encrypted])).toEqual([
        ['prod-db-before-migration', 'manual', true],
        ['rds:prod-db-2025-03-01-05-00', 'automated', true],
      ]);
      expect(res.DBSnapshots![0]).toMatchObject({
        DBSnapshotArn: 'arn:aws:rds:us-east-1:111122223333:snapshot:prod-db-before-migration',
        Engine: 'postgres',
        Port: 5432,
        VpcId: 'vpc-0a0000000000000a1',
        Status: 'available',
        TagList: [{ Key: 'Reason', Value: 'migration' }],
      });
      expect(res.DBSnapshots![0]!.SnapshotCreateTime).toEqual(new Date('2025-01-10T03:00:00Z'));
    });

    it('selects by SnapshotType and by snapshot id, and names an unknown snapshot', async () => {
      const automated = await rds().send(new DescribeDBSnapshotsCommand({ SnapshotType: 'automated' }));
      expect(automated.DBSnapshots?.map((s) => s.DBSnapshotIdentifier)).toEqual(['rds:prod-db-2025-03-01-05-00']);
      const shared = await rds().send(new DescribeDBSnapshotsCommand({ SnapshotType: 'shared' }));
      expect(shared.DBSnapshots).toEqual([]);
      const one = await rds().send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: 'legacy-shared' }));
      expect(one.DBSnapshots?.map((s) => s.DBInstanceIdentifier)).toEqual(['legacy-mysql']);
      const none = await rds().send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: 'no-such-db' }));
      expect(none.DBSnapshots).toEqual([]);
      const err = await rejection(rds().send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: 'legacy-share' })));
      expect(err.name).toBe('DBSnapshotNotFoundFault');
      expect(err.$metadata.httpStatusCode).toBe(404);
    });

    it('filters by snapshot-type', async () => {
      const manual = await rds().send(new DescribeDBSnapshotsCommand({ Filters: [{ Name: 'snapshot-type', Values: ['manual'] }] }));
      expect(manual.DBSnapshots?.map((s) => s.DBSnapshotIdentifier)).toEqual(['prod-db-before-migration', 'legacy-shared', 'legacy-private']);
    });
  });

  describe('DescribeDBSnapshotAttributes', () => {
    it('reports who may restore a snapshot: all (public), named accounts, or nobody', async () => {
      const restoreValues = async (id: string) => {
        const res = await rds().send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: id }));
        expect(res.DBSnapshotAttributesResult?.DBSnapshotIdentifier).toBe(id);
        return res.DBSnapshotAttributesResult?.DBSnapshotAttributes?.find((a) => a.AttributeName === 'restore')?.AttributeValues;
      };
      expect(await restoreValues('prod-db-before-migration')).toEqual(['all']);
      expect(await restoreValues('legacy-shared')).toEqual(['444455556666', '555566667777']);
      expect(await restoreValues('legacy-private')).toEqual([]);
      const err = await rejection(rds().send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: 'nope' })));
      expect(err.name).toBe('DBSnapshotNotFoundFault');
    });
  });

  describe('DescribeDBClusters', () => {
    it('renders a cluster with its encryption, members, security groups and tags; an unknown one is DBClusterNotFoundFault (404)', async () => {
      const res = await rds().send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'ORDERS-AURORA' }));
      expect(res.DBClusters).toHaveLength(1);
      expect(res.DBClusters![0]).toMatchObject({
        DBClusterIdentifier: 'orders-aurora',
        DBClusterArn: 'arn:aws:rds:us-east-1:111122223333:cluster:orders-aurora',
        Engine: 'aurora-postgresql',
        Status: 'available',
        StorageEncrypted: true,
        KmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/11111111-2222-3333-4444-555555555555',
        MultiAZ: true,
        DeletionProtection: true,
        DBSubnetGroup: 'prod-private',
        VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-0a0000000000000a2', Status: 'active' }],
        DBClusterMembers: [{ DBInstanceIdentifier: 'orders-aurora-1', IsClusterWriter: true }],
        TagList: [{ Key: 'Environment', Value: 'prod' }],
      });
      expect(res.DBClusters![0]!.ClusterCreateTime).toEqual(new Date('2024-09-01T10:00:00Z'));
      expect(res.DBClusters![0]!.DbClusterResourceId).toMatch(/^cluster-[0-9A-Z]{26}$/);
      const all = await rds().send(new DescribeDBClustersCommand({}));
      expect(all.DBClusters?.map((c) => [c.DBClusterIdentifier, c.StorageEncrypted])).toEqual([
        ['orders-aurora', true],
        ['legacy-aurora', false],
      ]);
      const mysql = await rds().send(new DescribeDBClustersCommand({ Filters: [{ Name: 'engine', Values: ['aurora-mysql'] }] }));
      expect(mysql.DBClusters?.map((c) => c.DBClusterIdentifier)).toEqual(['legacy-aurora']);
      const err = await rejection(rds().send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'orders-auror' })));
      expect(err.name).toBe('DBClusterNotFoundFault');
      expect(err.message).toBe('DBCluster orders-auror not found.');
      expect(err.$metadata.httpStatusCode).toBe(404);
    });
  });

  describe('DescribeDBClusterSnapshots and their attributes', () => {
    it('lists cluster snapshots, by type and by cluster, enriched from their cluster', async () => {
      const all = await rds().send(new DescribeDBClusterSnapshotsCommand({}));
      expect(all.DBClusterSnapshots?.map((s) => [s.DBClusterSnapshotIdentifier, s.SnapshotType, s.StorageEncrypted])).toEqual([
        ['orders-aurora-before-upgrade', 'manual', true],
        ['legacy-aurora-shared', 'manual', false],
        ['rds:orders-aurora-2025-03-01-05-00', 'automated', true],
      ]);
      expect(all.DBClusterSnapshots![0]).toMatchObject({
        DBClusterSnapshotArn: 'arn:aws:rds:us-east-1:111122223333:cluster-snapshot:orders-aurora-before-upgrade',
        DBClusterIdentifier: 'orders-aurora',
        Engine: 'aurora-postgresql',
        Port: 5432,
        TagList: [{ Key: 'Reason', Value: 'upgrade' }],
      });
      const automated = await rds().send(new DescribeDBClusterSnapshotsCommand({ SnapshotType: 'automated' }));
      expect(automated.DBClusterSnapshots?.map((s) => s.DBClusterSnapshotIdentifier)).toEqual(['rds:orders-aurora-2025-03-01-05-00']);
      const ofLegacy = await rds().send(new DescribeDBClusterSnapshotsCommand({ DBClusterIdentifier: 'legacy-aurora' }));
      expect(ofLegacy.DBClusterSnapshots?.map((s) => s.DBClusterSnapshotIdentifier)).toEqual(['legacy-aurora-shared']);
      const err = await rejection(rds().send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: 'nope' })));
      expect(err.name).toBe('DBClusterSnapshotNotFoundFault');
      expect(err.$metadata.httpStatusCode).toBe(404);
    });

    it('reports who may restore a cluster snapshot: all (public), named accounts, or nobody', async () => {
      const restoreValues = async (id: string) => {
        const res = await rds().send(new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: id }));
        expect(res.DBClusterSnapshotAttributesResult?.DBClusterSnapshotIdentifier).toBe(id);
        return res.DBClusterSnapshotAttributesResult?.DBClusterSnapshotAttributes?.find((a) => a.AttributeName === 'restore')?.AttributeValues;
      };
      expect(await restoreValues('orders-aurora-before-upgrade')).toEqual(['all']);
      expect(await restoreValues('legacy-aurora-shared')).toEqual(['444455556666']);
      expect(await restoreValues('rds:orders-aurora-2025-03-01-05-00')).toEqual([]);
      const err = await rejection(rds().send(new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: 'nope' })));
      expect(err.name).toBe('DBClusterSnapshotNotFoundFault');
    });
  });

  it('serves each region its own databases', async () => {
    const eu = await rds('eu-west-1').send(new DescribeDBInstancesCommand({}));
    expect(eu.DBInstances?.map((d) => [d.DBInstanceIdentifier, d.DBInstanceArn])).toEqual([
      ['eu-reporting', 'arn:aws:rds:eu-west-1:111122223333:db:eu-reporting'],
    ]);
    const prodInEu = await rejection(rds('eu-west-1').send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'prod-db' })));
    expect(prodInEu.name).toBe('DBInstanceNotFoundFault');
    const disabled = await rejection(rds('ap-southeast-2').send(new DescribeDBInstancesCommand({})));
    expect(disabled.name).toBe('InvalidClientTokenId');
    expect(disabled.$metadata.httpStatusCode).toBe(403);
  });

  it('refuses mutating calls with AccessDenied naming the resource, and counts them as refused writes', async () => {
    const before = (await fetchStats(env.endpoint)).faults.refusedWrites;
    const modify = await rejection(rds().send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'prod-db', PubliclyAccessible: true })));
    expect(modify.name).toBe('AccessDenied');
    expect(modify.$metadata.httpStatusCode).toBe(403);
    expect(modify.message).toContain('rds:ModifyDBInstance on resource: arn:aws:rds:us-east-1:111122223333:db:prod-db');
    const del = await rejection(rds().send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'prod-db', SkipFinalSnapshot: true })));
    expect(del.name).toBe('AccessDenied');
    const snap = await rejection(rds().send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'prod-db', DBSnapshotIdentifier: 'x' })));
    expect(snap.name).toBe('AccessDenied');
    const stats = await fetchStats(env.endpoint);
    expect(stats.faults.refusedWrites).toBe(before + 3);
    expect(opCount(stats, 'rds', 'ModifyDBInstance')).toBeGreaterThanOrEqual(1);
    const still = await rds().send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'prod-db' }));
    expect(still.DBInstances?.[0]?.PubliclyAccessible).toBe(false);
  });

  it('answers an action RDS does not have with InvalidAction', async () => {
    const res = await fetch(env.endpoint + '/', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/rds/aws4_request, SignedHeaders=host, Signature=x',
      },
      body: 'Action=DescribeDBPasswords&Version=2014-10-31',
    });
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toContain('<Code>InvalidAction</Code>');
    expect(body).toContain('xmlns="http://rds.amazonaws.com/doc/2014-10-31/"');
  });
});

describe('sandbox RDS faults', () => {
  describe('throttling', () => {
    const env = useSandbox('regional-rds.json', { throttleRate: 1, seed: 7 });
    it('throttles with Throttling', async () => {
      const err = await rejection(new RDSClient(env.config('rds')).send(new DescribeDBInstancesCommand({})));
      expect(err.name).toBe('Throttling');
      expect(err.$metadata.httpStatusCode).toBe(400);
      expect((await fetchStats(env.endpoint)).faults.throttled).toBe(1);
    });
  });

  describe('--deny on a cluster snapshot', () => {
    const env = useSandbox('regional-rds.json', { deny: ['DescribeDBClusterSnapshotAttributes:legacy-aurora-shared'] });
    it('answers AccessDenied naming the cluster snapshot ARN, and serves another', async () => {
      const client = new RDSClient(env.config('rds'));
      const err = await rejection(client.send(new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: 'legacy-aurora-shared' })));
      expect(err.name).toBe('AccessDenied');
      expect(err.$metadata.httpStatusCode).toBe(403);
      expect(err.message).toContain('rds:DescribeDBClusterSnapshotAttributes on resource: arn:aws:rds:us-east-1:111122223333:cluster-snapshot:legacy-aurora-shared');
      const other = await client.send(new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: 'orders-aurora-before-upgrade' }));
      expect(other.DBClusterSnapshotAttributesResult?.DBClusterSnapshotAttributes).toHaveLength(1);
    });
  });

  describe('--deny on a DB instance', () => {
    const env = useSandbox('regional-rds.json', { deny: ['prod-db'] });
    it('refuses a describe naming it, and serves another', async () => {
      const client = new RDSClient(env.config('rds'));
      const err = await rejection(client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'prod-db' })));
      expect(err.name).toBe('AccessDenied');
      const other = await client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'legacy-mysql' }));
      expect(other.DBInstances).toHaveLength(1);
    });
  });
});
