import type { CheckMetadata } from '../../findings/model.js';
import { finding } from '../finding.js';
import type { Check } from '../types.js';
import { dbSubject, forEachDbInstance } from './instances.js';

const metadata: CheckMetadata = {
  id: 'rds_instance_storage_encrypted',
  title: 'RDS instance storage is encrypted',
  failTitle: 'RDS instance storage is not encrypted',
  severity: 'high',
  service: 'rds',
  resourceType: 'AWS::RDS::DBInstance',
  risk: 'Unencrypted storage leaves the data, its automated backups, read replicas and snapshots readable without any KMS permission, and snapshots shared by mistake are readable by their recipients.',
  remediation: 'Encryption cannot be turned on in place: snapshot the instance, copy the snapshot with encryption (a KMS key), restore from the copy, and switch over.',
  remediationTerraform: `resource "aws_db_instance" "<name>" {
  # ... restored from an encrypted copy of the latest snapshot:
  snapshot_identifier = "<encrypted_snapshot_id>"
  storage_encrypted   = true
  kms_key_id          = aws_kms_key.<key>.arn
}`,
  cis: ['2.3.1'],
  terraformTypes: ['aws_db_instance'],
  references: ['https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html'],
};

export const rds_instance_storage_encrypted: Check = {
  metadata,
  reads: ['rds:DescribeDBInstances'],
  run: (snapshot) =>
    forEachDbInstance(metadata, snapshot, (db, region) => {
      const subject = dbSubject(db, region, snapshot);
      const evidence = { storageEncrypted: db.StorageEncrypted === true, kmsKeyId: db.KmsKeyId ?? null };
      if (db.StorageEncrypted) return finding(metadata, snapshot, subject, 'pass', `DB instance ${db.DBInstanceIdentifier} has encrypted storage.`, evidence);
      return finding(metadata, snapshot, subject, 'fail', `DB instance ${db.DBInstanceIdentifier} stores its data unencrypted.`, evidence);
    }),
};
