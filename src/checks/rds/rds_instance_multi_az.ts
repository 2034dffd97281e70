import type { CheckMetadata } from '../../findings/model.js';
import { finding, readError } from '../finding.js';
import type { Check } from '../types.js';
import { dbSubject, forEachDbInstance } from './instances.js';

const metadata: CheckMetadata = {
  id: 'rds_instance_multi_az',
  title: 'RDS instances run in more than one Availability Zone',
  failTitle: 'RDS instance runs in a single Availability Zone',
  severity: 'low',
  service: 'rds',
  resourceType: 'AWS::RDS::DBInstance',
  risk: 'A single-AZ database is down for as long as its Availability Zone or host is, and a failed host means a restore from backup instead of a failover.',
  remediation: 'Turn on Multi-AZ for production databases (for an Aurora instance, on its cluster: a replica in another Availability Zone).',
  remediationTerraform: `resource "aws_db_instance" "<name>" {
  # ...
  multi_az = true
}`,
  terraformTypes: ['aws_db_instance', 'aws_rds_cluster'],
  references: ['https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.html'],
};

export const rds_instance_multi_az: Check = {
  metadata,
  reads: ['rds:DescribeDBInstances', 'rds:DescribeDBClusters'],
  run: (snapshot) =>
    forEachDbInstance(metadata, snapshot, (db, region, rds) => {
      const subject = dbSubject(db, region, snapshot);
      const clusterId = db.DBClusterIdentifier;
      // An Aurora instance reports MultiAZ false: its cluster says whether it spans zones.
      if (clusterId) {
        if (rds.dbClusters.error) return readError(metadata, snapshot, subject, `the DB clusters in ${region} (rds:DescribeDBClusters)`, rds.dbClusters.error);
        const cluster = rds.dbClusters.value.find((c) => c.DBClusterIdentifier === clusterId);
        const evidence = { dbClusterIdentifier: clusterId, clusterMultiAZ: cluster?.MultiAZ ?? null, clusterMembers: cluster?.DBClusterMembers?.length ?? null };
        if (cluster?.MultiAZ) return finding(metadata, snapshot, subject, 'pass', `DB instance ${db.DBInstanceIdentifier} belongs to cluster ${clusterId}, which spans Availability Zones.`, evidence);
        return finding(metadata, snapshot, subject, 'fail', `DB instance ${db.DBInstanceIdentifier} belongs to cluster ${clusterId}, which runs in one Availability Zone.`, evidence);
      }
      const evidence = { multiAZ: db.MultiAZ === true, availabilityZone: db.AvailabilityZone ?? null };
      if (db.MultiAZ) return finding(metadata, snapshot, subject, 'pass', `DB instance ${db.DBInstanceIdentifier} is a Multi-AZ deployment.`, evidence);
      return finding(metadata, snapshot, subject, 'fail', `DB instance ${db.DBInstanceIdentifier} runs in a single Availability Zone.`, evidence);
    }),
};
