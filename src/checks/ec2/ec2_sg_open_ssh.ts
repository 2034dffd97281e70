import type { CheckMetadata } from '../../findings/model.js';
import type { Check } from '../types.js';
import { admitsTcpPort, openPortCheck, SECURITY_GROUP_READS } from './security-groups.js';

const metadata: CheckMetadata = {
  id: 'ec2_sg_open_ssh',
  title: 'No security group admits SSH (TCP 22) from the internet',
  failTitle: 'Security group admits SSH (TCP 22) from the internet',
  severity: 'high',
  service: 'ec2',
  resourceType: 'AWS::EC2::SecurityGroup',
  risk: 'SSH open to 0.0.0.0/0 or ::/0 is scanned within minutes of exposure; one weak key, password or sshd flaw away from a shell.',
  remediation: 'Replace the 0.0.0.0/0 and ::/0 sources with your VPN or office ranges, or remove the rule and use SSM Session Manager.',
  remediationTerraform: `resource "aws_vpc_security_group_ingress_rule" "<name>_ssh" {
  security_group_id = aws_security_group.<name>.id
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = "<trusted_cidr>" # not 0.0.0.0/0
}`,
  cis: ['5.2', '5.3'],
  terraformTypes: ['aws_security_group', 'aws_vpc_security_group_ingress_rule', 'aws_security_group_rule'],
  references: ['https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html'],
};

export const ec2_sg_open_ssh: Check = {
  metadata,
  reads: SECURITY_GROUP_READS,
  run: (snapshot) => openPortCheck(metadata, snapshot, 'SSH', (rule) => (admitsTcpPort(rule, 22) ? 'SSH (22)' : undefined)),
};
