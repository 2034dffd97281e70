import type { CheckMetadata } from '../../findings/model.js';
import { finding } from '../finding.js';
import type { Check } from '../types.js';
import { dbSubject, forEachDbInstance } from './instances.js';

const metadata: CheckMetadata = {
  id: 'rds_instance_auto_minor_version_upgrade',
  title: 'RDS instances upgrade minor engine versions automatically',
  failTitle: 'RDS instance does not upgrade minor engine versions automatically',
  severity: 'medium',
  service: 'rds',
  resourceType: 'AWS::RDS::DBInstance',
  risk: 'Minor engine versions carry security fixes; an instance that never takes them keeps running a database engine with published vulnerabilities.',
  remediation: 'Turn on auto minor version upgrade; the upgrade is applied in the maintenance window.',
  remediationTerraform: `resource "aws_db_instance" "<name>" {
  # ...
  auto_minor_version_upgrade = true
}`,
  cis: ['2.3.2'],
  terraformTypes: ['aws_db_instance'],
  references: ['https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.Maintenance.html#USER_UpgradeDBInstance.Maintenance.AutoMinorVersionUpgrades'],
};

export const rds_instance_auto_minor_version_upgrade: Check = {
  metadata,
  reads: ['rds:DescribeDBInstances'],
  run: (snapshot) =>
    forEachDbInstance(metadata, snapshot, (db, region) => {
      const subject = dbSubject(db, region, snapshot);
      const evidence = { autoMinorVersionUpgrade: db.AutoMinorVersionUpgrade === true, engine: db.Engine ?? null, engineVersion: db.EngineVersion ?? null };
      if (db.AutoMinorVersionUpgrade) return finding(metadata, snapshot, subject, 'pass', `DB instance ${db.DBInstanceIdentifier} takes minor engine upgrades automatically.`, evidence);
      return finding(metadata, snapshot, subject, 'fail', `DB instance ${db.DBInstanceIdentifier} (${[db.Engine, db.EngineVersion].filter(Boolean).join(' ') || 'unknown engine'}) has auto minor version upgrade off.`, evidence);
    }),
};
