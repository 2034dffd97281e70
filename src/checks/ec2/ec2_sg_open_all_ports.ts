import type { CheckMetadata } from '../../findings/model.js';
import type { Check } from '../types.js';
import { admitsAllPorts, openPortCheck, SECURITY_GROUP_READS } from './security-groups.js';

const metadata: CheckMetadata = {
  id: 'ec2_sg_open_all_ports',
  title: 'No security group admits all ports from the internet',
  failTitle: 'Security group admits all ports from the internet',
  severity: 'critical',
  service: 'ec2',
  resourceType: 'AWS::EC2::SecurityGroup',
  risk: 'A group open on every port to 0.0.0.0/0 or ::/0 exposes every service on every instance behind it, including ones nobody knows are listening.',
  remediation: 'Delete the all-traffic rule from 0.0.0.0/0 and ::/0 and admit only the ports and sources the workload needs.',
  remediationTerraform: `# Replace the all-traffic rule (ip_protocol = "-1", cidr 0.0.0.0/0) with what the service needs:
resource "aws_vpc_security_group_ingress_rule" "<name>_https" {
  security_group_id = aws_security_group.<name>.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}`,
  cis: ['5.2', '5.3'],
  terraformTypes: ['aws_security_group', 'aws_vpc_security_group_ingress_rule', 'aws_security_group_rule'],
  references: ['https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html'],
};

export const ec2_sg_open_all_ports: Check = {
  metadata,
  reads: SECURITY_GROUP_READS,
  run: (snapshot) => openPortCheck(metadata, snapshot, 'all ports', (rule) => (admitsAllPorts(rule) ? (rule.protocol === 'all' ? 'all traffic' : `all ${rule.protocol} ports`) : undefined)),
};
