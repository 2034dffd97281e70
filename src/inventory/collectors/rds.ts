/** RDS, per region: DB instances, DB snapshots with their sharing attributes, and DB subnet groups. */
import { DescribeDBSnapshotAttributesCommand, paginateDescribeDBInstances, paginateDescribeDBSnapshots, paginateDescribeDBSubnetGroups } from '@aws-sdk/client-rds';
import { collectPages } from '../../aws/paginate.js';
import { read, type CollectorContext, type CollectorReads } from '../context.js';
import type { RdsInventory, RdsSnapshot } from '../snapshot.js';

export const RDS_READS = {
  'rds:DescribeDBInstances': [],
  'rds:DescribeDBSnapshots': [],
  'rds:DescribeDBSnapshotAttributes': ['rds:DescribeDBSnapshots'],
  'rds:DescribeDBSubnetGroups': [],
} satisfies CollectorReads;

export async function collectRds(ctx: CollectorContext, region: string): Promise<RdsInventory> {
  const client = ctx.session.client('rds', region);
  const label = (operation: string, resource?: string) => ({ service: 'rds' as const, region, operation, resource });
  const [dbInstances, listedSnapshots, dbSubnetGroups] = await Promise.all([
    read(ctx, label('DescribeDBInstances'), () => collectPages(paginateDescribeDBInstances({ client }, {}), (p) => p.DBInstances)),
    read(ctx, label('DescribeDBSnapshots'), () => collectPages(paginateDescribeDBSnapshots({ client }, {}), (p) => p.DBSnapshots)),
    read(ctx, label('DescribeDBSubnetGroups'), () => collectPages(paginateDescribeDBSubnetGroups({ client }, {}), (p) => p.DBSubnetGroups)),
  ]);
  let dbSnapshots: RdsInventory['dbSnapshots'];
  if (listedSnapshots.error) dbSnapshots = listedSnapshots;
  else {
    const snapshots = await Promise.all(
      listedSnapshots.value.map(async (snapshot): Promise<RdsSnapshot> => {
        // Only manual snapshots can be shared; automated ones have no restore attribute to read.
        if (snapshot.SnapshotType && snapshot.SnapshotType !== 'manual') return { snapshot, attributes: { value: [] } };
        const attributes = await read(ctx, label('DescribeDBSnapshotAttributes', snapshot.DBSnapshotArn ?? snapshot.DBSnapshotIdentifier), async () => {
          const out = await client.send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: snapshot.DBSnapshotIdentifier }));
          return out.DBSnapshotAttributesResult?.DBSnapshotAttributes ?? [];
        });
        return { snapshot, attributes };
      }),
    );
    dbSnapshots = { value: snapshots };
  }
  ctx.progress?.({ service: 'rds', region, done: true });
  return { dbInstances, dbSnapshots, dbSubnetGroups };
}
