import type { CheckMetadata } from '../../findings/model.js';
import { sharingExposureFinding } from '../exposure.js';
import { readError } from '../finding.js';
import { forEachInRegions } from '../regional.js';
import type { Check } from '../types.js';

const metadata: CheckMetadata = {
  id: 'rds_snapshot_public',
  title: 'RDS snapshots are not public or shared outside the account',
  failTitle: 'RDS snapshot is public or shared outside the account',
  severity: 'critical',
  service: 'rds',
  resourceType: 'AWS::RDS::DBSnapshot',
  risk: 'A public DB snapshot can be restored by any AWS account in the world, a shared one by every account it names: the whole database, including password hashes and personal data.',
  remediation: 'Remove "all" and every account outside the audited account or organisation from the snapshot\'s restore attribute; copy data to another account through a reviewed pipeline instead.',
  remediationTerraform: `# Snapshot sharing is not a Terraform resource for manual snapshots; make it private with:
#   aws rds modify-db-snapshot-attribute --db-snapshot-identifier <id> \\
#     --attribute-name restore --values-to-remove all
# and, for snapshots Terraform manages, share only with named accounts:
resource "aws_db_snapshot" "<name>" {
  db_instance_identifier = aws_db_instance.<db>.identifier
  db_snapshot_identifier = "<id>"
  shared_accounts        = [] # never "all"; outside accounts only after review
}`,
  terraformTypes: ['aws_db_snapshot'],
  references: ['https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ShareSnapshot.html'],
};

export const rds_snapshot_public: Check = {
  metadata,
  reads: ['rds:DescribeDBSnapshotAttributes'],
  run: (snapshot) =>
    forEachInRegions(metadata, snapshot, snapshot.rds, 'rds', (rds) => rds.dbSnapshots, 'the DB snapshots (rds:DescribeDBSnapshots)', ({ snapshot: dbSnapshot, attributes }, region) => {
      const id = dbSnapshot.DBSnapshotIdentifier ?? 'unknown';
      const subject = { region, resourceId: dbSnapshot.DBSnapshotArn ?? `arn:${snapshot.partition}:rds:${region}:${snapshot.accountId}:snapshot:${id}`, resourceName: id };
      if (attributes.error) return readError(metadata, snapshot, subject, `the sharing attributes of snapshot ${id}`, attributes.error);
      const restore = attributes.value.find((a) => a.AttributeName === 'restore')?.AttributeValues ?? [];
      const evidence = { restoreAttribute: restore, snapshotType: dbSnapshot.SnapshotType ?? null, encrypted: dbSnapshot.Encrypted === true };
      const sharing = { public: restore.includes('all'), accounts: restore.filter((value) => value !== 'all') };
      return sharingExposureFinding(metadata, snapshot, subject, `DB snapshot ${id}`, sharing, evidence);
    }),
};
