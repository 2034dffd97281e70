import type { CheckMetadata } from '../../findings/model.js';
import { finding } from '../finding.js';
import type { Check } from '../types.js';
import { clusterSubject, forEachDbCluster } from './clusters.js';

const metadata: CheckMetadata = {
  id: 'rds_cluster_storage_encrypted',
  title: 'RDS cluster storage is encrypted',
  failTitle: 'RDS cluster storage is not encrypted',
  severity: 'high',
  service: 'rds',
  resourceType: 'AWS::RDS::DBCluster',
  risk: "An unencrypted cluster volume leaves the data, its backups and every cluster snapshot readable without any KMS permission, including a snapshot shared by mistake.",
  remediation: 'Encryption cannot be turned on in place: snapshot the cluster, restore it from the snapshot with storage encryption and a KMS key, and switch over.',
  remediationTerraform: `resource "aws_rds_cluster" "<name>" {
  # ... restored from a snapshot of the unencrypted cluster:
  snapshot_identifier = "<cluster_snapshot_id>"
  storage_encrypted   = true
  kms_key_id          = aws_kms_key.<key>.arn
}`,
  terraformTypes: ['aws_rds_cluster'],
  references: ['https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html'],
};

export const rds_cluster_storage_encrypted: Check = {
  metadata,
  reads: ['rds:DescribeDBClusters'],
  run: (snapshot) =>
    forEachDbCluster(metadata, snapshot, (cluster, region) => {
      const subject = clusterSubject(cluster, region, snapshot);
      const evidence = { storageEncrypted: cluster.StorageEncrypted === true, kmsKeyId: cluster.KmsKeyId ?? null, engine: cluster.Engine ?? null };
      if (cluster.StorageEncrypted) return finding(metadata, snapshot, subject, 'pass', `DB cluster ${cluster.DBClusterIdentifier} has encrypted storage.`, evidence);
      return finding(metadata, snapshot, subject, 'fail', `DB cluster ${cluster.DBClusterIdentifier} stores its data unencrypted.`, evidence);
    }),
};
