import type { CheckMetadata } from '../../findings/model.js';
import { accountSubject, finding, notCollected, readError } from '../finding.js';
import type { Check } from '../types.js';

const metadata: CheckMetadata = {
  id: 'ec2_ebs_default_encryption',
  title: 'EBS encryption by default is on in every region',
  failTitle: 'EBS encryption by default is off in a region',
  severity: 'medium',
  service: 'ec2',
  resourceType: 'AWS::::Account',
  risk: 'With encryption by default off, every volume and snapshot someone creates without asking for encryption is stored unencrypted, and so is every copy made from it.',
  remediation: 'Turn on EBS encryption by default in every region (it applies to new volumes; existing ones keep their setting).',
  remediationTerraform: `# One per region (a provider alias per region):
resource "aws_ebs_encryption_by_default" "this" {
  enabled = true
}`,
  cis: ['2.2.1'],
  terraformTypes: ['aws_ebs_encryption_by_default'],
  references: ['https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html'],
};

export const ec2_ebs_default_encryption: Check = {
  metadata,
  reads: ['ec2:GetEbsEncryptionByDefault'],
  run: (snapshot) => {
    if (!snapshot.ec2) return [notCollected(metadata, snapshot, 'ec2')];
    return Object.entries(snapshot.ec2).map(([region, ec2]) => {
      // A setting of the account in each region: the account is the resource, the region says which setting.
      const subject = { ...accountSubject(snapshot, region), resourceName: region };
      const setting = ec2.ebsEncryptionByDefault;
      if (setting.error) return readError(metadata, snapshot, subject, `EBS encryption by default in ${region} (ec2:GetEbsEncryptionByDefault)`, setting.error);
      const evidence = { ebsEncryptionByDefault: setting.value };
      if (setting.value) return finding(metadata, snapshot, subject, 'pass', `EBS encryption by default is on in ${region}.`, evidence);
      return finding(metadata, snapshot, subject, 'fail', `EBS encryption by default is off in ${region}: new volumes are unencrypted unless asked.`, evidence);
    });
  },
};
