/** RDS, per region: DB instances and clusters, their snapshots with their sharing attributes, and DB subnet groups. */
import {
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBSnapshotAttributesCommand,
  paginateDescribeDBClusters,
  paginateDescribeDBClusterSnapshots,
  paginateDescribeDBInstances,
  paginateDescribeDBSnapshots,
  paginateDescribeDBSubnetGroups,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-rds';
import { collectPages } from '../../aws/paginate.js';
import { notCollected, read, type CollectorContext, type CollectorReads } from '../context.js';
import type { RdsClusterSnapshot, RdsInventory, RdsSnapshot, RdsSubnetGroup } from '../snapshot.js';
import { mapBounded } from '../bounded.js';

export const RDS_READS = {
  'rds:DescribeDBInstances': [],
  'rds:DescribeDBSnapshots': [],
  'rds:DescribeDBSnapshotAttributes': ['rds:DescribeDBSnapshots'],
  'rds:DescribeDBSubnetGroups': [],
  'rds:ListTagsForResource': ['rds:DescribeDBSubnetGroups'],
  'rds:DescribeDBClusters': [],
  'rds:DescribeDBClusterSnapshots': [],
  'rds:DescribeDBClusterSnapshotAttributes': ['rds:DescribeDBClusterSnapshots'],
} satisfies CollectorReads;

export async function collectRds(ctx: CollectorContext, region: string): Promise<RdsInventory> {
  const client = ctx.session.client('rds', region);
  const label = (operation: string, resource?: string) => ({ service: 'rds' as const, region, operation, resource });
  const [dbInstances, listedSnapshots, dbSubnetGroups, dbClusters, listedClusterSnapshots] = await Promise.all([
    read(ctx, label('DescribeDBInstances'), () => collectPages(paginateDescribeDBInstances({ client }, {}), (p) => p.DBInstances)),
    read(ctx, label('DescribeDBSnapshots'), () => collectPages(paginateDescribeDBSnapshots({ client }, {}), (p) => p.DBSnapshots)),
    read(ctx, label('DescribeDBSubnetGroups'), () => collectPages(paginateDescribeDBSubnetGroups({ client }, {}), (p) => p.DBSubnetGroups)).then(async (r) =>
      r.error
        ? r
        : // An audit reads no tags: no per-group fan-out for reads that would be skipped.
          !ctx.needs.has('rds:ListTagsForResource')
          ? { value: r.value.map((group): RdsSubnetGroup => ({ ...group, tags: notCollected('rds:ListTagsForResource') })) }
          : {
            value: await mapBounded(
              r.value,
              ctx.session.concurrency,
              async (group): Promise<RdsSubnetGroup> => {
                // DescribeDBSubnetGroups returns no tags: drift reads them by the group's ARN.
                const arn = group.DBSubnetGroupArn ?? `arn:${ctx.partition}:rds:${region}:${ctx.accountId}:subgrp:${group.DBSubnetGroupName}`;
                const tags = await read(ctx, label('ListTagsForResource', arn), async () => (await client.send(new ListTagsForResourceCommand({ ResourceName: arn }))).TagList ?? []);
                return { ...group, tags };
              },
              ctx.session.work('rds'),
            ),
          },
    ),
    read(ctx, label('DescribeDBClusters'), () => collectPages(paginateDescribeDBClusters({ client }, {}), (p) => p.DBClusters)),
    read(ctx, label('DescribeDBClusterSnapshots'), () => collectPages(paginateDescribeDBClusterSnapshots({ client }, {}), (p) => p.DBClusterSnapshots)),
  ]);
  let dbSnapshots: RdsInventory['dbSnapshots'];
  let dbClusterSnapshots: RdsInventory['dbClusterSnapshots'];
  // Only manual snapshots can be shared; automated ones have no restore attribute to read.
  const shareable = (type: string | undefined) => !type || type === 'manual';
  [dbSnapshots, dbClusterSnapshots] = await Promise.all([
    listedSnapshots.error
      ? listedSnapshots
      : mapBounded(
          listedSnapshots.value, ctx.session.concurrency, async (snapshot): Promise<RdsSnapshot> => {
            if (!shareable(snapshot.SnapshotType)) return { snapshot, attributes: { value: [] } };
            const attributes = await read(ctx, label('DescribeDBSnapshotAttributes', snapshot.DBSnapshotArn ?? snapshot.DBSnapshotIdentifier), async () => {
              const out = await client.send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: snapshot.DBSnapshotIdentifier }));
              return out.DBSnapshotAttributesResult?.DBSnapshotAttributes ?? [];
            });
            return { snapshot, attributes };
          },
          ctx.session.work('rds'),
        ).then((value) => ({ value })),
    listedClusterSnapshots.error
      ? listedClusterSnapshots
      : mapBounded(
          listedClusterSnapshots.value, ctx.session.concurrency, async (snapshot): Promise<RdsClusterSnapshot> => {
            if (!shareable(snapshot.SnapshotType)) return { snapshot, attributes: { value: [] } };
            const attributes = await read(ctx, label('DescribeDBClusterSnapshotAttributes', snapshot.DBClusterSnapshotArn ?? snapshot.DBClusterSnapshotIdentifier), async () => {
              const out = await client.send(new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: snapshot.DBClusterSnapshotIdentifier }));
              return out.DBClusterSnapshotAttributesResult?.DBClusterSnapshotAttributes ?? [];
            });
            return { snapshot, attributes };
          },
          ctx.session.work('rds'),
        ).then((value) => ({ value })),
  ]);
  ctx.progress?.({ service: 'rds', region, done: true });
  return { dbInstances, dbSnapshots, dbSubnetGroups, dbClusters, dbClusterSnapshots };
}
