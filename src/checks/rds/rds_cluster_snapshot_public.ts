import type { CheckMetadata } from '../../findings/model.js';
import { sharingExposureFinding } from '../exposure.js';
import { readError } from '../finding.js';
import { forEachInRegions } from '../regional.js';
import type { Check } from '../types.js';

const metadata: CheckMetadata = {
  id: 'rds_cluster_snapshot_public',
  title: 'RDS cluster snapshots are not public or shared outside the account',
  failTitle: 'RDS cluster snapshot is public or shared outside the account',
  severity: 'critical',
  service: 'rds',
  resourceType: 'AWS::RDS::DBClusterSnapshot',
  risk: 'A public cluster snapshot can be restored by any AWS account in the world, a shared one by every account it names: the whole database, including password hashes and personal data.',
  remediation: 'Remove "all" and every account outside the audited account or organisation from the cluster snapshot\'s restore attribute.',
  remediationTerraform: `# Sharing a cluster snapshot is not a Terraform argument; make it private with:
#   aws rds modify-db-cluster-snapshot-attribute --db-cluster-snapshot-identifier <id> \\
#     --attribute-name restore --values-to-remove all
# and keep the snapshots Terraform manages unshared:
resource "aws_db_cluster_snapshot" "<name>" {
  db_cluster_identifier          = aws_rds_cluster.<cluster>.id
  db_cluster_snapshot_identifier = "<id>"
}`,
  terraformTypes: ['aws_db_cluster_snapshot'],
  references: ['https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-share-snapshot.html'],
};

export const rds_cluster_snapshot_public: Check = {
  metadata,
  reads: ['rds:DescribeDBClusterSnapshotAttributes'],
  run: (snapshot) =>
    forEachInRegions(
      metadata,
      snapshot,
      snapshot.rds,
      'rds',
      (rds) => rds.dbClusterSnapshots,
      'the DB cluster snapshots (rds:DescribeDBClusterSnapshots)',
      ({ snapshot: clusterSnapshot, attributes }, region) => {
        const id = clusterSnapshot.DBClusterSnapshotIdentifier ?? 'unknown';
        const subject = {
          region,
          resourceId: clusterSnapshot.DBClusterSnapshotArn ?? `arn:${snapshot.partition}:rds:${region}:${snapshot.accountId}:cluster-snapshot:${id}`,
          resourceName: id,
        };
        if (attributes.error) return readError(metadata, snapshot, subject, `the sharing attributes of cluster snapshot ${id}`, attributes.error);
        const restore = attributes.value.find((a) => a.AttributeName === 'restore')?.AttributeValues ?? [];
        const evidence = { restoreAttribute: restore, snapshotType: clusterSnapshot.SnapshotType ?? null, storageEncrypted: clusterSnapshot.StorageEncrypted === true };
        const sharing = { public: restore.includes('all'), accounts: restore.filter((value) => value !== 'all') };
        return sharingExposureFinding(metadata, snapshot, subject, `DB cluster snapshot ${id}`, sharing, evidence);
      },
    ),
};
