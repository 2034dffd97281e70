import type { CheckMetadata } from '../../findings/model.js';
import { finding } from '../finding.js';
import type { Check } from '../types.js';
import { dbSubject, forEachDbInstance, securityGroupOpen, subnetRoutedToInternet } from './instances.js';

const metadata: CheckMetadata = {
  id: 'rds_instance_public_access',
  title: 'RDS instances are not reachable from the internet',
  failTitle: 'RDS instance is reachable from the internet',
  severity: 'critical',
  service: 'rds',
  resourceType: 'AWS::RDS::DBInstance',
  risk: 'A database with a public address, a security group open on its port and a subnet routed to an internet gateway can be reached by anyone: password guessing and engine exploits stand between the internet and the data.',
  remediation: 'Turn off PubliclyAccessible, admit only application security groups on the DB port, and place the instance in private subnets.',
  remediationTerraform: `resource "aws_db_instance" "<name>" {
  # ...
  publicly_accessible    = false
  db_subnet_group_name   = aws_db_subnet_group.<private>.name
  vpc_security_group_ids = [aws_security_group.<db>.id] # admits only the app's security group
}`,
  cis: ['2.3.3'],
  terraformTypes: ['aws_db_instance', 'aws_db_subnet_group', 'aws_security_group'],
  references: ['https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Hiding'],
};

export const rds_instance_public_access: Check = {
  metadata,
  reads: ['rds:DescribeDBInstances', 'ec2:DescribeSecurityGroups', 'ec2:DescribeRouteTables', 'ec2:DescribeSubnets'],
  run: (snapshot) =>
    forEachDbInstance(metadata, snapshot, (db, region) => {
      const subject = dbSubject(db, region, snapshot);
      if (db.PubliclyAccessible !== true) {
        return finding(metadata, snapshot, subject, 'pass', `DB instance ${db.DBInstanceIdentifier} is not publicly accessible (no public address).`, { publiclyAccessible: false });
      }
      // The flag alone gives the instance a public address: one security group or route change
      // from exposure. Whether it is reachable now rests on the network, so each part is reported.
      const ec2 = snapshot.ec2?.[region];
      const parts = { securityGroupOpen: securityGroupOpen(db, ec2), subnetRoutedToInternet: subnetRoutedToInternet(db, ec2) };
      const evidence = {
        publiclyAccessible: true,
        ...Object.fromEntries(Object.entries(parts).map(([k, p]) => [k, 'error' in p ? { holds: 'unknown', error: p.error } : { holds: p.holds, detail: p.detail }])),
      };
      const values = Object.values(parts);
      const describe = (p: (typeof values)[number]) => ('error' in p ? `unknown (${p.error.code})` : p.detail);
      const reachable = values.every((p) => 'holds' in p && p.holds);
      const message = reachable
        ? `DB instance ${db.DBInstanceIdentifier} is reachable from the internet: it is publicly accessible, ${values.map(describe).join(', and ')}.`
        : `DB instance ${db.DBInstanceIdentifier} is publicly accessible (it has a public address); network: ${values.map(describe).join('; ')}.`;
      return finding(metadata, snapshot, subject, 'fail', message, { ...evidence, reachableFromInternet: reachable ? true : values.some((p) => 'error' in p) ? 'unknown' : false });
    }),
};
