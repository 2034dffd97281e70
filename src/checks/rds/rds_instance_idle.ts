import type { CheckMetadata } from '../../findings/model.js';
import { daysBetween, finding, readError } from '../finding.js';
import type { Check } from '../types.js';
import { dbSubject, forEachDbInstance } from './instances.js';

const metadata: CheckMetadata = {
  id: 'rds_instance_idle',
  title: 'RDS instances have had connections within the idle window',
  failTitle: 'RDS instance has had no connections within the idle window',
  severity: 'low',
  service: 'rds',
  resourceType: 'AWS::RDS::DBInstance',
  risk: 'A database nobody connects to costs money every hour, keeps data (and its exposure) alive past its purpose, and is patched by nobody.',
  remediation: 'Confirm with the owner, take a final snapshot, and delete the instance (or stop it while deciding).',
  remediationTerraform: `# Delete the instance with a final snapshot: remove aws_db_instance.<name> after setting
resource "aws_db_instance" "<name>" {
  # ...
  skip_final_snapshot       = false
  final_snapshot_identifier = "<name>-final"
  deletion_protection       = false
}`,
  terraformTypes: ['aws_db_instance'],
  references: ['https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-metrics.html'],
};

export const rds_instance_idle: Check = {
  metadata,
  reads: ['rds:DescribeDBInstances', 'cloudwatch:GetMetricData'],
  run: (snapshot, options) =>
    forEachDbInstance(metadata, snapshot, (db, region) => {
      if (db.DBInstanceStatus && db.DBInstanceStatus !== 'available') return undefined;
      const subject = dbSubject(db, region, snapshot);
      const id = db.DBInstanceIdentifier ?? 'unknown';
      const days = options.idleDays;
      const age = db.InstanceCreateTime ? daysBetween(db.InstanceCreateTime, options.now) : undefined;
      if (age !== undefined && age < days) {
        return finding(metadata, snapshot, subject, 'pass', `DB instance ${id} is ${age} days old, younger than the ${days}-day idle window.`, { ageDays: age, idleWindowDays: days });
      }
      const metrics = snapshot.cloudwatch?.[region]?.dbActivity;
      if (!metrics) return readError(metadata, snapshot, subject, `the CloudWatch metrics of ${id}`, { code: 'NotCollected', message: 'CloudWatch was not collected for this region' });
      if (metrics.error) return readError(metadata, snapshot, subject, `the CloudWatch metrics of ${id} (cloudwatch:GetMetricData)`, metrics.error);
      const activity = metrics.value[id];
      if (!activity) return readError(metadata, snapshot, subject, `the CloudWatch metrics of ${id}`, { code: 'MissingResult', message: 'no metric result for this instance' });
      if (activity.error) return readError(metadata, snapshot, subject, `the CloudWatch metrics of ${id} (cloudwatch:GetMetricData)`, activity.error);
      const { connectionsMax, connectionsDatapoints, cpuAverage } = activity.value;
      const evidence = { idleWindowDays: days, connectionsMax, connectionsDatapoints, cpuAverage };
      if (connectionsMax === null) {
        return finding(metadata, snapshot, subject, 'error', `DB instance ${id} has no DatabaseConnections datapoints in the last ${days} days; idleness cannot be judged.`, {
          ...evidence,
          error: { code: 'NoDatapoints', message: 'CloudWatch returned no DatabaseConnections datapoints' },
        });
      }
      if (connectionsMax === 0) {
        const cpu = cpuAverage === null ? '' : ` (average CPU ${cpuAverage.toFixed(1)}%)`;
        return finding(metadata, snapshot, subject, 'fail', `DB instance ${id} had no connections in the last ${days} days${cpu}.`, evidence);
      }
      return finding(metadata, snapshot, subject, 'pass', `DB instance ${id} had up to ${connectionsMax} connections in the last ${days} days.`, evidence);
    }),
};
