/** Shared by the security group checks: which ingress rules admit the whole internet, and to what. */
import type { IpPermission, SecurityGroup } from '@aws-sdk/client-ec2';
import type { CheckMetadata, Finding } from '../../findings/model.js';
import type { Ec2Inventory, InventorySnapshot } from '../../inventory/snapshot.js';
import { finding, type FindingSubject } from '../finding.js';
import { forEachInRegions } from '../regional.js';
import type { AwsRead } from '../../aws/read-operations.js';

/** The rules, and the network interfaces that say what uses a group (evidence). */
export const SECURITY_GROUP_READS: readonly AwsRead[] = ['ec2:DescribeSecurityGroups', 'ec2:DescribeNetworkInterfaces'];

export const WORLD_CIDRS = ['0.0.0.0/0', '::/0'] as const;

/** One ingress rule open to the internet, as it reads in the console. */
export interface OpenRule {
  protocol: string;
  fromPort: number | null;
  toPort: number | null;
  source: string;
}

function isAllProtocols(p: IpPermission): boolean {
  return p.IpProtocol === '-1' || p.IpProtocol === 'all';
}

function isTcp(p: IpPermission): boolean {
  return p.IpProtocol === 'tcp' || p.IpProtocol === '6';
}

/** Ingress rules of `sg` whose source is 0.0.0.0/0 or ::/0. */
export function worldOpenRules(sg: SecurityGroup): Array<OpenRule & { permission: IpPermission }> {
  const rules: Array<OpenRule & { permission: IpPermission }> = [];
  for (const permission of sg.IpPermissions ?? []) {
    const sources = [
      ...(permission.IpRanges ?? []).map((r) => r.CidrIp),
      ...(permission.Ipv6Ranges ?? []).map((r) => r.CidrIpv6),
    ].filter((c): c is (typeof WORLD_CIDRS)[number] => WORLD_CIDRS.includes(c as (typeof WORLD_CIDRS)[number]));
    for (const source of sources) {
      rules.push({
        protocol: isAllProtocols(permission) ? 'all' : (permission.IpProtocol ?? 'unknown'),
        fromPort: isAllProtocols(permission) ? null : (permission.FromPort ?? null),
        toPort: isAllProtocols(permission) ? null : (permission.ToPort ?? null),
        source,
        permission,
      });
    }
  }
  return rules;
}

/** Does the rule admit TCP to `port`? (All-protocol rules do; so does a TCP range that spans it.) */
export function admitsTcpPort(rule: { permission: IpPermission }, port: number): boolean {
  const p = rule.permission;
  if (isAllProtocols(p)) return true;
  if (!isTcp(p)) return false;
  return (p.FromPort ?? 0) <= port && port <= (p.ToPort ?? 65535);
}

/** Does the rule admit every port (all protocols, or TCP/UDP 0-65535)? */
export function admitsAllPorts(rule: { permission: IpPermission }): boolean {
  const p = rule.permission;
  if (isAllProtocols(p)) return true;
  return (isTcp(p) || p.IpProtocol === 'udp' || p.IpProtocol === '17') && (p.FromPort ?? 0) <= 1 && (p.ToPort ?? 0) >= 65535;
}

export function securityGroupSubject(sg: SecurityGroup, region: string, snapshot: InventorySnapshot): FindingSubject {
  return {
    region,
    resourceId: `arn:${snapshot.partition}:ec2:${region}:${sg.OwnerId ?? snapshot.accountId}:security-group/${sg.GroupId}`,
    resourceName: sg.GroupName ? `${sg.GroupName} (${sg.GroupId})` : sg.GroupId,
  };
}

/** Network interfaces using the group: context for the reader ("is anything behind this?"). */
export function attachments(sg: SecurityGroup, ec2: Ec2Inventory): string[] | 'unknown' {
  if (ec2.networkInterfaces.error) return 'unknown';
  return ec2.networkInterfaces.value
    .filter((eni) => eni.Groups?.some((g) => g.GroupId === sg.GroupId))
    .map((eni) => eni.Attachment?.InstanceId ?? eni.NetworkInterfaceId ?? 'unknown');
}

/**
 * The common shape of the "port open to the world" checks: for each group, the open rules
 * that reach `ports`, fail if any.
 */
export function openPortCheck(meta: CheckMetadata, snapshot: InventorySnapshot, what: string, matches: (rule: ReturnType<typeof worldOpenRules>[number]) => string | undefined): Iterable<Finding> {
  return forEachInRegions(meta, snapshot, snapshot.ec2, 'ec2', (ec2) => ec2.securityGroups, 'the security groups (ec2:DescribeSecurityGroups)', (sg, region, ec2) => {
    const subject = securityGroupSubject(sg, region, snapshot);
    const open = worldOpenRules(sg)
      .map((rule) => ({ rule, reached: matches(rule) }))
      .filter((r): r is { rule: (typeof r)['rule']; reached: string } => r.reached !== undefined);
    if (open.length === 0) return finding(meta, snapshot, subject, 'pass', `Security group ${sg.GroupId} does not admit the internet to ${what}.`);
    const rules = open.map(({ rule, reached }) => ({ protocol: rule.protocol, fromPort: rule.fromPort, toPort: rule.toPort, source: rule.source, reaches: reached }));
    const reached = [...new Set(open.map((o) => o.reached))].join(', ');
    const sources = [...new Set(open.map((o) => o.rule.source))].join(' and ');
    return finding(meta, snapshot, subject, 'fail', `Security group ${sg.GroupId} admits ${sources} to ${reached}.`, {
      openRules: rules,
      attachedTo: attachments(sg, ec2),
    });
  });
}
