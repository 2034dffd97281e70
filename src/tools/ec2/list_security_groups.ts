import { z } from 'zod';
import type { IpPermission, SecurityGroup } from '@aws-sdk/client-ec2';
import { defineTool, READ_ONLY_LIVE } from '../../server/tool.js';
import { inventoryOperations } from '../../server/inventory-cache.js';
import { SECURITY_GROUP_READS, WORLD_CIDRS } from '../../checks/ec2/security-groups.js';
import type { Ec2Inventory, InventorySnapshot } from '../../inventory/snapshot.js';
import { ItemErrorSchema, cursorVersion, itemError, listingArgs, listingFailed, moreText, pageOf, regionsArg, type ItemError } from '../listing.js';

const RuleSchema = z.object({
  direction: z.enum(['ingress', 'egress']),
  protocol: z.string().describe('all, tcp, udp, icmp, icmpv6 or an IP protocol number'),
  fromPort: z.number().int().nullable().describe('null: every port'),
  toPort: z.number().int().nullable(),
  source: z.string().describe('For egress, the destination: a CIDR, a security group id or a prefix list id'),
  sourceType: z.enum(['cidr', 'ipv6', 'security-group', 'prefix-list']),
  description: z.string().optional(),
  openToWorld: z.boolean().describe('Source is 0.0.0.0/0 or ::/0'),
});
const GroupSchema = z.object({
  groupId: z.string(),
  name: z.string(),
  arn: z.string(),
  region: z.string(),
  vpcId: z.string().optional(),
  description: z.string().optional(),
  rules: z.array(RuleSchema),
  openToWorld: z.boolean().describe('An ingress rule admits 0.0.0.0/0 or ::/0'),
  worldOpenIngress: z.array(z.string()).describe('The world-open ingress rules, e.g. "tcp 22 from 0.0.0.0/0"'),
  attachedEnis: z.union([z.number().int(), z.literal('unknown')]),
  attachedInstances: z.union([z.number().int(), z.literal('unknown')]),
  instanceIds: z.array(z.string()),
  errors: z.array(ItemErrorSchema),
});
type Group = z.infer<typeof GroupSchema>;
type Rule = z.infer<typeof RuleSchema>;

const PROTOCOLS: Record<string, string> = { '-1': 'all', '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6' };

function flatten(direction: Rule['direction'], permissions: readonly IpPermission[] | undefined): Rule[] {
  return (permissions ?? []).flatMap((p) => {
    const protocol = PROTOCOLS[p.IpProtocol ?? ''] ?? p.IpProtocol ?? 'unknown';
    const all = protocol === 'all';
    const base = { direction, protocol, fromPort: all ? null : (p.FromPort ?? null), toPort: all ? null : (p.ToPort ?? null) };
    const rule = (source: string | undefined, sourceType: Rule['sourceType'], description: string | undefined): Rule => ({
      ...base,
      source: source ?? '?',
      sourceType,
      ...(description ? { description } : {}),
      openToWorld: (WORLD_CIDRS as readonly string[]).includes(source ?? ''),
    });
    return [
      ...(p.IpRanges ?? []).map((r) => rule(r.CidrIp, 'cidr', r.Description)),
      ...(p.Ipv6Ranges ?? []).map((r) => rule(r.CidrIpv6, 'ipv6', r.Description)),
      ...(p.UserIdGroupPairs ?? []).map((g) => rule(g.UserId && g.GroupId ? `${g.UserId}/${g.GroupId}` : g.GroupId, 'security-group', g.Description)),
      ...(p.PrefixListIds ?? []).map((l) => rule(l.PrefixListId, 'prefix-list', l.Description)),
    ];
  });
}

function ports(r: Rule): string {
  if (r.fromPort === null) return r.protocol;
  return `${r.protocol} ${r.fromPort === r.toPort ? r.fromPort : `${r.fromPort}-${r.toPort}`}`;
}

function admitsPort(r: Rule, port: number): boolean {
  if (r.protocol === 'all') return true;
  return (r.protocol === 'tcp' || r.protocol === 'udp') && (r.fromPort ?? 0) <= port && port <= (r.toPort ?? 65535);
}

function describeGroup(sg: SecurityGroup, region: string, ec2: Ec2Inventory, snapshot: InventorySnapshot): Group {
  const errors: ItemError[] = [];
  const rules = [...flatten('ingress', sg.IpPermissions), ...flatten('egress', sg.IpPermissionsEgress)];
  const worldOpen = rules.filter((r) => r.direction === 'ingress' && r.openToWorld);
  let attachedEnis: Group['attachedEnis'] = 'unknown';
  let attachedInstances: Group['attachedInstances'] = 'unknown';
  let instanceIds: string[] = [];
  if (ec2.networkInterfaces.error) errors.push(itemError('ec2:DescribeNetworkInterfaces', ec2.networkInterfaces.error));
  else {
    const enis = ec2.networkInterfaces.value.filter((eni) => eni.Groups?.some((g) => g.GroupId === sg.GroupId));
    instanceIds = [...new Set(enis.map((eni) => eni.Attachment?.InstanceId).filter((id): id is string => !!id))].sort();
    attachedEnis = enis.length;
    attachedInstances = instanceIds.length;
  }
  return {
    groupId: sg.GroupId ?? '?',
    name: sg.GroupName ?? '',
    arn: `arn:${snapshot.partition}:ec2:${region}:${sg.OwnerId ?? snapshot.accountId}:security-group/${sg.GroupId}`,
    region,
    ...(sg.VpcId ? { vpcId: sg.VpcId } : {}),
    ...(sg.Description ? { description: sg.Description } : {}),
    rules,
    openToWorld: worldOpen.length > 0,
    worldOpenIngress: worldOpen.map((r) => `${ports(r)} from ${r.source}`),
    attachedEnis,
    attachedInstances,
    instanceIds,
    errors,
  };
}

function groupLine(g: Group): string {
  const ingress = g.rules.filter((r) => r.direction === 'ingress').map((r) => `${ports(r)} from ${r.source}${r.openToWorld ? ' (WORLD)' : ''}`);
  const attached = g.attachedEnis === 'unknown' ? 'attachments unknown' : `${g.attachedEnis} ENI(s), ${g.attachedInstances} instance(s)${g.instanceIds.length ? ` ${g.instanceIds.join(',')}` : ''}`;
  return `${g.groupId} ${g.name} [${g.region} ${g.vpcId ?? '-'}]\t${g.openToWorld ? 'OPEN TO WORLD' : 'not world-open'}\tingress: ${ingress.join('; ') || 'none'}\t${attached}`;
}

export const listSecurityGroups = defineTool({
  name: 'list_security_groups',
  toolset: 'ec2',
  title: 'List security groups for review',
  description:
    'List the EC2 security groups with their rules flattened (direction, protocol, ports, source), which ingress rules are open to the world (0.0.0.0/0, ::/0), and how many network interfaces and instances use each. ' +
    'Filter by region, VPC, name, world-open, or a port a rule admits (e.g. openToWorld: true, port: 22). Read-only.',
  inputSchema: z.strictObject({
    regions: regionsArg,
    vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, 'a VPC id such as vpc-0123abcd').optional(),
    nameContains: z.string().max(255).optional().describe('Only groups whose name or id contains this (case-insensitive)'),
    openToWorld: z.boolean().optional().describe('true: only groups with an ingress rule from 0.0.0.0/0 or ::/0 (on `port` if given); false: only groups with none'),
    port: z.number().int().min(0).max(65535).optional().describe('Only groups with an ingress rule admitting this TCP/UDP port'),
    ...listingArgs,
  }),
  outputSchema: z.object({ securityGroups: z.array(GroupSchema), total: z.number().int(), nextCursor: z.string().optional(), regions: z.array(z.string()), inventoryCollectedAt: z.string() }),
  annotations: READ_ONLY_LIVE,
  awsOperations: inventoryOperations(SECURITY_GROUP_READS),
  async handler(args, ctx) {
    const view = await ctx.session.inventory.get({ reads: SECURITY_GROUP_READS, regions: args.regions, refresh: args.refresh && !args.cursor, allowStale: !!cursorVersion(args.cursor) });
    const groups: Group[] = [];
    for (const [region, ec2] of Object.entries(view.snapshot.ec2 ?? {})) {
      if (ec2.securityGroups.error) throw listingFailed(`the security groups in ${region} (ec2:DescribeSecurityGroups)`, ec2.securityGroups.error);
      groups.push(...ec2.securityGroups.value.map((sg) => describeGroup(sg, region, ec2, view.snapshot)));
    }
    const name = args.nameContains?.toLowerCase();
    const selected = groups
      .filter((g) => (!name || g.name.toLowerCase().includes(name) || g.groupId.includes(name)) && (!args.vpcId || g.vpcId === args.vpcId))
      .filter((g) => {
        const ingress = g.rules.filter((r) => r.direction === 'ingress' && (args.port === undefined || admitsPort(r, args.port)));
        if (args.port !== undefined && ingress.length === 0) return false;
        if (args.openToWorld === undefined) return true;
        return ingress.some((r) => r.openToWorld) === args.openToWorld;
      })
      .sort((a, b) => a.region.localeCompare(b.region) || a.groupId.localeCompare(b.groupId));
    const page = pageOf(selected, 'list_security_groups', args, view.collectedAt, args.limit);
    return {
      structured: { securityGroups: page.items, total: page.total, nextCursor: page.nextCursor, regions: view.regions, inventoryCollectedAt: view.collectedAt },
      text: `${page.total} security group(s) in ${view.regions.join(', ')} (inventory read ${view.collectedAt}):\n${page.items.map(groupLine).join('\n')}${moreText(page)}`,
    };
  },
});
