import type { CheckMetadata } from '../../findings/model.js';
import { finding } from '../finding.js';
import { forEachInRegions } from '../regional.js';
import type { Check } from '../types.js';

const metadata: CheckMetadata = {
  id: 'efs_encrypted',
  title: 'EFS file systems are encrypted at rest',
  failTitle: 'EFS file system is not encrypted at rest',
  severity: 'medium',
  service: 'efs',
  resourceType: 'AWS::EFS::FileSystem',
  risk: 'An unencrypted file system, its backups and its replicas are readable without any KMS permission, and encryption cannot be added later in place.',
  remediation: 'Encryption is chosen at creation: create an encrypted file system (a KMS key), copy the data (AWS DataSync), move the mount targets, and delete the old one.',
  remediationTerraform: `resource "aws_efs_file_system" "<name>" {
  # ... a new, encrypted file system to copy the data into:
  encrypted  = true
  kms_key_id = aws_kms_key.<key>.arn
}`,
  cis: ['2.4.1'],
  terraformTypes: ['aws_efs_file_system'],
  references: ['https://docs.aws.amazon.com/efs/latest/ug/encryption.html'],
};

export const efs_encrypted: Check = {
  metadata,
  reads: ['efs:DescribeFileSystems'],
  run: (snapshot) =>
    forEachInRegions(metadata, snapshot, snapshot.efs, 'efs', (efs) => efs.fileSystems, 'the EFS file systems (elasticfilesystem:DescribeFileSystems)', (fs, region) => {
      if (fs.LifeCycleState === 'deleting' || fs.LifeCycleState === 'deleted') return undefined;
      const id = fs.FileSystemId ?? 'unknown';
      const subject = { region, resourceId: fs.FileSystemArn ?? `arn:${snapshot.partition}:elasticfilesystem:${region}:${snapshot.accountId}:file-system/${id}`, resourceName: fs.Name ?? id };
      const evidence = { encrypted: fs.Encrypted === true, kmsKeyId: fs.KmsKeyId ?? null };
      if (fs.Encrypted) return finding(metadata, snapshot, subject, 'pass', `File system ${id} is encrypted at rest.`, evidence);
      return finding(metadata, snapshot, subject, 'fail', `File system ${id} is not encrypted at rest.`, evidence);
    }),
};
