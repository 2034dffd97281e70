import type { CheckMetadata } from '../../findings/model.js';
import { finding } from '../finding.js';
import { forEachInRegions } from '../regional.js';
import type { Check } from '../types.js';

const metadata: CheckMetadata = {
  id: 'ec2_ebs_volume_encrypted',
  title: 'EBS volumes are encrypted',
  failTitle: 'EBS volume is not encrypted',
  severity: 'medium',
  service: 'ec2',
  resourceType: 'AWS::EC2::Volume',
  risk: 'An unencrypted volume, and every snapshot of it, is readable by anyone who can attach or copy it, with no KMS permission in the way.',
  remediation: 'Volumes cannot be encrypted in place: snapshot the volume, copy the snapshot with encryption, create a volume from the copy and swap it in; turn on EBS encryption by default so new volumes are encrypted.',
  remediationTerraform: `resource "aws_ebs_volume" "<name>" {
  # ... recreated from an encrypted copy of its snapshot:
  snapshot_id = "<encrypted_snapshot_id>"
  encrypted   = true
  kms_key_id  = aws_kms_key.<key>.arn
}`,
  terraformTypes: ['aws_ebs_volume', 'aws_instance'],
  references: ['https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html'],
};

export const ec2_ebs_volume_encrypted: Check = {
  metadata,
  reads: ['ec2:DescribeVolumes'],
  run: (snapshot) =>
    forEachInRegions(metadata, snapshot, snapshot.ec2, 'ec2', (ec2) => ec2.volumes, 'the EBS volumes (ec2:DescribeVolumes)', (volume, region) => {
      if (volume.State === 'deleting' || volume.State === 'deleted') return undefined;
      const id = volume.VolumeId ?? 'unknown';
      const subject = {
        region,
        resourceId: `arn:${snapshot.partition}:ec2:${region}:${snapshot.accountId}:volume/${id}`,
        resourceName: volume.Tags?.find((t) => t.Key === 'Name')?.Value ?? id,
      };
      const evidence = { encrypted: volume.Encrypted === true, kmsKeyId: volume.KmsKeyId ?? null, attachedTo: (volume.Attachments ?? []).map((a) => a.InstanceId), state: volume.State ?? null };
      if (volume.Encrypted) return finding(metadata, snapshot, subject, 'pass', `Volume ${id} is encrypted.`, evidence);
      const attached = evidence.attachedTo.length ? ` (attached to ${evidence.attachedTo.join(', ')})` : '';
      return finding(metadata, snapshot, subject, 'fail', `Volume ${id}${attached} is not encrypted.`, evidence);
    }),
};
