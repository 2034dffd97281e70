import type { CheckMetadata } from '../../findings/model.js';
import { sharingExposureFinding } from '../exposure.js';
import { readError } from '../finding.js';
import { forEachInRegions } from '../regional.js';
import type { Check } from '../types.js';

const metadata: CheckMetadata = {
  id: 'ec2_ebs_snapshot_public',
  title: 'EBS snapshots are not public or shared outside the account',
  failTitle: 'EBS snapshot is public or shared outside the account',
  severity: 'critical',
  service: 'ec2',
  resourceType: 'AWS::EC2::Snapshot',
  risk: 'Any AWS account can create a volume from a public snapshot and read the disk: databases, keys, credentials left on it. A snapshot shared with another account gives that account the same.',
  remediation: 'Remove "all" and every account outside the audited account or organisation from the snapshot\'s createVolumePermission; turn on EBS snapshot Block Public Access for the region.',
  remediationTerraform: `# Make the snapshot private:
#   aws ec2 modify-snapshot-attribute --snapshot-id <id> --attribute createVolumePermission \\
#     --operation-type remove --group-names all
# and stop new public shares in the region:
resource "aws_ebs_snapshot_block_public_access" "this" {
  state = "block-all-sharing"
}`,
  terraformTypes: ['aws_ebs_snapshot', 'aws_snapshot_create_volume_permission', 'aws_ebs_snapshot_block_public_access'],
  references: ['https://docs.aws.amazon.com/ebs/latest/userguide/ebs-modifying-snapshot-permissions.html'],
};

export const ec2_ebs_snapshot_public: Check = {
  metadata,
  reads: ['ec2:DescribeSnapshotAttribute'],
  run: (snapshot) =>
    forEachInRegions(metadata, snapshot, snapshot.ec2, 'ec2', (ec2) => ec2.snapshots, 'the EBS snapshots (ec2:DescribeSnapshots)', ({ snapshot: ebs, createVolumePermissions }, region) => {
      const id = ebs.SnapshotId ?? 'unknown';
      const subject = { region, resourceId: `arn:${snapshot.partition}:ec2:${region}::snapshot/${id}`, resourceName: ebs.Tags?.find((t) => t.Key === 'Name')?.Value ?? id };
      if (createVolumePermissions.error) return readError(metadata, snapshot, subject, `who may create volumes from snapshot ${id}`, createVolumePermissions.error);
      const permissions = createVolumePermissions.value;
      const evidence = { createVolumePermissions: permissions, encrypted: ebs.Encrypted === true, volumeId: ebs.VolumeId ?? null };
      const sharing = { public: permissions.some((p) => p.Group === 'all'), accounts: permissions.map((p) => p.UserId).filter((u): u is string => !!u) };
      return sharingExposureFinding(metadata, snapshot, subject, `EBS snapshot ${id}`, sharing, evidence);
    }),
};
