import type { CheckMetadata } from '../../findings/model.js';
import type { Check } from '../types.js';
import { admitsTcpPort, openPortCheck, SECURITY_GROUP_READS } from './security-groups.js';

const metadata: CheckMetadata = {
  id: 'ec2_sg_open_rdp',
  title: 'No security group admits RDP (TCP 3389) from the internet',
  failTitle: 'Security group admits RDP (TCP 3389) from the internet',
  severity: 'high',
  service: 'ec2',
  resourceType: 'AWS::EC2::SecurityGroup',
  risk: 'RDP open to the internet is a leading ransomware entry point: brute-forced passwords and RDP vulnerabilities give an interactive desktop.',
  remediation: 'Remove the 0.0.0.0/0 and ::/0 sources on 3389; reach Windows hosts through a VPN, a bastion, or Fleet Manager.',
  remediationTerraform: `resource "aws_vpc_security_group_ingress_rule" "<name>_rdp" {
  security_group_id = aws_security_group.<name>.id
  ip_protocol       = "tcp"
  from_port         = 3389
  to_port           = 3389
  cidr_ipv4         = "<trusted_cidr>" # not 0.0.0.0/0
}`,
  cis: ['5.2', '5.3'],
  terraformTypes: ['aws_security_group', 'aws_vpc_security_group_ingress_rule', 'aws_security_group_rule'],
  references: ['https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html'],
};

export const ec2_sg_open_rdp: Check = {
  metadata,
  reads: SECURITY_GROUP_READS,
  run: (snapshot) => openPortCheck(metadata, snapshot, 'RDP', (rule) => (admitsTcpPort(rule, 3389) ? 'RDP (3389)' : undefined)),
};
