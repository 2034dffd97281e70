/** Shared by the RDS cluster checks: walking DB clusters and naming them. */
import type { DBCluster } from '@aws-sdk/client-rds';
import type { CheckMetadata, Finding } from '../../findings/model.js';
import type { InventorySnapshot, RdsInventory } from '../../inventory/snapshot.js';
import type { FindingSubject } from '../finding.js';
import { forEachInRegions } from '../regional.js';

export function clusterSubject(cluster: DBCluster, region: string, snapshot: InventorySnapshot): FindingSubject {
  return {
    region,
    resourceId: cluster.DBClusterArn ?? `arn:${snapshot.partition}:rds:${region}:${snapshot.accountId}:cluster:${cluster.DBClusterIdentifier}`,
    resourceName: cluster.DBClusterIdentifier,
  };
}

export function forEachDbCluster(
  meta: CheckMetadata,
  snapshot: InventorySnapshot,
  judge: (cluster: DBCluster, region: string, rds: RdsInventory) => Finding | Finding[] | undefined,
): Iterable<Finding> {
  return forEachInRegions(meta, snapshot, snapshot.rds, 'rds', (rds) => rds.dbClusters, 'the DB clusters (rds:DescribeDBClusters)', judge);
}
