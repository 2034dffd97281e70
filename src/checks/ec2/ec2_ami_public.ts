import type { CheckMetadata } from '../../findings/model.js';
import { sharingExposureFinding } from '../exposure.js';
import { readError } from '../finding.js';
import { forEachInRegions } from '../regional.js';
import type { Check } from '../types.js';

const metadata: CheckMetadata = {
  id: 'ec2_ami_public',
  title: 'AMIs are not public or shared outside the account',
  failTitle: 'AMI is public or shared outside the account',
  severity: 'high',
  service: 'ec2',
  resourceType: 'AWS::EC2::Image',
  risk: 'Anyone can launch a public AMI and read its disks: application code, baked-in configuration, keys and credentials. An AMI shared with another account or organisation gives them the same.',
  remediation: 'Remove "all" and every account or organisation outside the audited one from the AMI\'s launchPermission; turn on the AMI Block Public Access setting for the region.',
  remediationTerraform: `# Make the AMI private:
#   aws ec2 modify-image-attribute --image-id <id> --launch-permission "Remove=[{Group=all}]"
# and share only with named accounts of your organisation:
resource "aws_ami_launch_permission" "<name>" {
  image_id   = "<ami_id>"
  account_id = "<account_in_your_org>"
}`,
  terraformTypes: ['aws_ami', 'aws_ami_launch_permission', 'aws_ami_copy'],
  references: ['https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-intro.html'],
};

export const ec2_ami_public: Check = {
  metadata,
  reads: ['ec2:DescribeImageAttribute'],
  run: (snapshot) =>
    forEachInRegions(metadata, snapshot, snapshot.ec2, 'ec2', (ec2) => ec2.images, 'the AMIs (ec2:DescribeImages)', ({ image, launchPermissions }, region) => {
      const id = image.ImageId ?? 'unknown';
      const subject = { region, resourceId: `arn:${snapshot.partition}:ec2:${region}::image/${id}`, resourceName: image.Name ?? id };
      if (launchPermissions.error) return readError(metadata, snapshot, subject, `who may launch AMI ${id}`, launchPermissions.error);
      const permissions = launchPermissions.value;
      const evidence = { launchPermissions: permissions, isPublic: image.Public === true, name: image.Name ?? null };
      const sharing = {
        // DescribeImages' Public flag says the same; the launch permission is the source of truth.
        public: permissions.some((p) => p.Group === 'all') || image.Public === true,
        accounts: permissions.map((p) => p.UserId).filter((u): u is string => !!u),
        organizations: permissions.flatMap((p) => [p.OrganizationArn, p.OrganizationalUnitArn]).filter((o): o is string => !!o),
      };
      return sharingExposureFinding(metadata, snapshot, subject, `AMI ${id}`, sharing, evidence);
    }),
};
