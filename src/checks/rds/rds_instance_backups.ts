import type { CheckMetadata } from '../../findings/model.js';
import { finding } from '../finding.js';
import type { Check } from '../types.js';
import { dbSubject, forEachDbInstance } from './instances.js';

const metadata: CheckMetadata = {
  id: 'rds_instance_backups',
  title: 'RDS instances keep automated backups',
  failTitle: 'RDS instance keeps no automated backups',
  severity: 'medium',
  service: 'rds',
  resourceType: 'AWS::RDS::DBInstance',
  risk: 'With a backup retention of 0 there are no automated backups and no point-in-time recovery: a bad migration or a deleted table is permanent.',
  remediation: 'Set the backup retention period to at least 7 days.',
  remediationTerraform: `resource "aws_db_instance" "<name>" {
  # ...
  backup_retention_period = 7
}`,
  terraformTypes: ['aws_db_instance'],
  references: ['https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html'],
};

export const rds_instance_backups: Check = {
  metadata,
  reads: ['rds:DescribeDBInstances'],
  run: (snapshot) =>
    forEachDbInstance(metadata, snapshot, (db, region) => {
      const subject = dbSubject(db, region, snapshot);
      const days = db.BackupRetentionPeriod ?? 0;
      const evidence = { backupRetentionPeriod: days };
      if (days > 0) return finding(metadata, snapshot, subject, 'pass', `DB instance ${db.DBInstanceIdentifier} keeps automated backups for ${days} day${days === 1 ? '' : 's'}.`, evidence);
      return finding(metadata, snapshot, subject, 'fail', `DB instance ${db.DBInstanceIdentifier} has automated backups off (retention 0).`, evidence);
    }),
};
