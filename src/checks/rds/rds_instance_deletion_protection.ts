import type { CheckMetadata } from '../../findings/model.js';
import { finding } from '../finding.js';
import type { Check } from '../types.js';
import { dbSubject, forEachDbInstance } from './instances.js';

const metadata: CheckMetadata = {
  id: 'rds_instance_deletion_protection',
  title: 'RDS instances have deletion protection',
  failTitle: 'RDS instance has no deletion protection',
  severity: 'low',
  service: 'rds',
  resourceType: 'AWS::RDS::DBInstance',
  risk: 'Without deletion protection, one API call (or a Terraform plan nobody read) deletes the database.',
  remediation: 'Enable deletion protection on production databases.',
  remediationTerraform: `resource "aws_db_instance" "<name>" {
  # ...
  deletion_protection = true
}`,
  terraformTypes: ['aws_db_instance'],
  references: ['https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html#USER_DeletionProtection'],
};

export const rds_instance_deletion_protection: Check = {
  metadata,
  reads: ['rds:DescribeDBInstances'],
  run: (snapshot) =>
    forEachDbInstance(metadata, snapshot, (db, region) => {
      const subject = dbSubject(db, region, snapshot);
      const evidence = { deletionProtection: db.DeletionProtection === true };
      if (db.DeletionProtection) return finding(metadata, snapshot, subject, 'pass', `DB instance ${db.DBInstanceIdentifier} has deletion protection.`, evidence);
      return finding(metadata, snapshot, subject, 'fail', `DB instance ${db.DBInstanceIdentifier} can be deleted without first turning off deletion protection.`, evidence);
    }),
};
