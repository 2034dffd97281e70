import type { CheckMetadata } from '../../findings/model.js';
import { finding } from '../finding.js';
import { forEachInRegions } from '../regional.js';
import type { Check } from '../types.js';
import { adminPortVerdicts } from './network-acls.js';

const metadata: CheckMetadata = {
  id: 'ec2_nacl_open_admin_ports',
  title: 'Network ACLs do not admit the internet to SSH or RDP',
  failTitle: 'Network ACL admits the internet to SSH or RDP',
  severity: 'medium',
  service: 'ec2',
  resourceType: 'AWS::EC2::NetworkAcl',
  risk: 'A network ACL that allows 0.0.0.0/0 or ::/0 in on port 22 or 3389 leaves one security group mistake between the internet and every SSH and RDP server in its subnets.',
  remediation: 'Add an ingress deny for 0.0.0.0/0 and ::/0 on TCP 22 and 3389 with a rule number below the allow rules, or narrow the allow rules to the ranges administrators come from.',
  remediationTerraform: `resource "aws_network_acl_rule" "deny_ssh_ipv4" {
  network_acl_id = aws_network_acl.<name>.id
  rule_number    = 50 # below the allow rules: the first matching rule wins
  egress         = false
  protocol       = "tcp"
  rule_action    = "deny"
  cidr_block     = "0.0.0.0/0"
  from_port      = 22
  to_port        = 22
}
# ... and the same for 3389, and for ::/0 with ipv6_cidr_block`,
  cis: ['5.1'],
  terraformTypes: ['aws_network_acl', 'aws_default_network_acl', 'aws_network_acl_rule'],
  references: ['https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html'],
};

export const ec2_nacl_open_admin_ports: Check = {
  metadata,
  reads: ['ec2:DescribeNetworkAcls'],
  run: (snapshot) =>
    forEachInRegions(metadata, snapshot, snapshot.ec2, 'ec2', (ec2) => ec2.networkAcls, 'the network ACLs (ec2:DescribeNetworkAcls)', (acl, region) => {
      const id = acl.NetworkAclId ?? 'unknown';
      const subject = {
        region,
        resourceId: `arn:${snapshot.partition}:ec2:${region}:${snapshot.accountId}:network-acl/${id}`,
        resourceName: acl.Tags?.find((t) => t.Key === 'Name')?.Value ?? id,
      };
      const verdicts = adminPortVerdicts(acl);
      const open = verdicts.filter((v) => v.open);
      const evidence = { vpcId: acl.VpcId ?? null, isDefault: acl.IsDefault === true, subnets: (acl.Associations ?? []).map((a) => a.SubnetId), verdicts };
      if (open.length === 0) return finding(metadata, snapshot, subject, 'pass', `Network ACL ${id} admits neither 0.0.0.0/0 nor ::/0 to TCP 22 or 3389.`, evidence);
      const parts = open.map((v) => `${v.port} from ${v.source} (rule ${v.decidingRule!.ruleNumber})`);
      return finding(metadata, snapshot, subject, 'fail', `Network ACL ${id} allows ingress to ${parts.join(', ')}.`, evidence);
    }),
};
