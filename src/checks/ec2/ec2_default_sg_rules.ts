import type { CheckMetadata } from '../../findings/model.js';
import { finding } from '../finding.js';
import { forEachInRegions } from '../regional.js';
import type { Check } from '../types.js';
import { attachments, securityGroupSubject } from './security-groups.js';

const metadata: CheckMetadata = {
  id: 'ec2_default_sg_rules',
  title: "Each VPC's default security group has no rules",
  failTitle: 'Default security group has rules',
  severity: 'medium',
  service: 'ec2',
  resourceType: 'AWS::EC2::SecurityGroup',
  risk: 'Anything launched without an explicit group lands in the default one; if it allows traffic, new resources are exposed by accident.',
  remediation: "Remove every inbound and outbound rule from each VPC's default security group, and give resources groups of their own.",
  remediationTerraform: `# Adopting the default group with no rule blocks removes all of its rules:
resource "aws_default_security_group" "default" {
  vpc_id = aws_vpc.<vpc>.id
}`,
  cis: ['5.4'],
  terraformTypes: ['aws_default_security_group'],
  references: ['https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html'],
};

export const ec2_default_sg_rules: Check = {
  metadata,
  reads: ['ec2:DescribeSecurityGroups'],
  run: (snapshot) =>
    forEachInRegions(metadata, snapshot, snapshot.ec2, 'ec2', (ec2) => ec2.securityGroups, 'the security groups (ec2:DescribeSecurityGroups)', (sg, region, ec2) => {
      if (sg.GroupName !== 'default') return undefined;
      const subject = securityGroupSubject(sg, region, snapshot);
      const inbound = sg.IpPermissions?.length ?? 0;
      const outbound = sg.IpPermissionsEgress?.length ?? 0;
      const evidence = { vpcId: sg.VpcId, inboundRules: inbound, outboundRules: outbound, attachedTo: attachments(sg, ec2) };
      if (inbound + outbound === 0) return finding(metadata, snapshot, subject, 'pass', `The default security group of ${sg.VpcId ?? 'EC2-Classic'} has no rules.`, evidence);
      return finding(metadata, snapshot, subject, 'fail', `The default security group of ${sg.VpcId ?? 'EC2-Classic'} has ${inbound} inbound and ${outbound} outbound rule${outbound === 1 ? '' : 's'}.`, evidence);
    }),
};
