import type { CheckMetadata } from '../../findings/model.js';
import type { Check } from '../types.js';
import { admitsTcpPort, openPortCheck, SECURITY_GROUP_READS } from './security-groups.js';

/** Database and data-store ports that should never face the internet. */
export const DATABASE_PORTS: ReadonlyArray<{ port: number; name: string }> = [
  { port: 1433, name: 'SQL Server' },
  { port: 1521, name: 'Oracle' },
  { port: 3306, name: 'MySQL/Aurora' },
  { port: 5432, name: 'PostgreSQL' },
  { port: 5439, name: 'Redshift' },
  { port: 6379, name: 'Redis' },
  { port: 9200, name: 'Elasticsearch/OpenSearch' },
  { port: 11211, name: 'Memcached' },
  { port: 27017, name: 'MongoDB' },
];

const metadata: CheckMetadata = {
  id: 'ec2_sg_open_db_ports',
  title: 'No security group admits database ports from the internet',
  failTitle: 'Security group admits database ports from the internet',
  severity: 'high',
  service: 'ec2',
  resourceType: 'AWS::EC2::SecurityGroup',
  risk: 'Databases reachable from the internet are found by scanners and attacked with default credentials, leaked passwords and engine vulnerabilities; data theft needs nothing else.',
  remediation: `Remove 0.0.0.0/0 and ::/0 sources on database ports (${DATABASE_PORTS.map((p) => p.port).join(', ')}); admit only the application's security group.`,
  remediationTerraform: `resource "aws_vpc_security_group_ingress_rule" "<name>_db" {
  security_group_id            = aws_security_group.<db>.id
  ip_protocol                  = "tcp"
  from_port                    = <port>
  to_port                      = <port>
  referenced_security_group_id = aws_security_group.<app>.id # not 0.0.0.0/0
}`,
  terraformTypes: ['aws_security_group', 'aws_vpc_security_group_ingress_rule', 'aws_security_group_rule'],
  references: ['https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.RDSSecurityGroups.html'],
};

export const ec2_sg_open_db_ports: Check = {
  metadata,
  reads: SECURITY_GROUP_READS,
  run: (snapshot) =>
    openPortCheck(metadata, snapshot, 'database ports', (rule) => {
      const reached = DATABASE_PORTS.filter((p) => admitsTcpPort(rule, p.port));
      return reached.length ? reached.map((p) => `${p.name} (${p.port})`).join(', ') : undefined;
    }),
};
