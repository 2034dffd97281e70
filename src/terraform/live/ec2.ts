/**
 * Security groups and their rules. AWS groups permissions by protocol and port range with a
 * list of sources; Terraform groups them by description (`aws_security_group.ingress`), or one
 * source per resource (`aws_vpc_security_group_ingress_rule`), or several sources per resource
 * (the legacy `aws_security_group_rule`). Every form is exploded into atoms — one protocol, port
 * range, source and description each — and atoms are what is compared.
 */
import type { IpPermission, SecurityGroup } from '@aws-sdk/client-ec2';
import { ec2Arn, stringAttr, tagMap, type LiveInventory, type Regional } from './inventory.js';
import type { LiveLookup, LiveObject, LiveTypeSpec } from './types.js';

type Direction = 'ingress' | 'egress';

export interface RuleAtom {
  protocol: string;
  fromPort: number;
  toPort: number;
  /** `cidr:0.0.0.0/0`, `cidr6:::/0`, `pl:pl-123`, `sg:sg-123` (a group's own id for `self`). */
  source: string;
  description: string;
}

const PROTOCOL_NAMES: Record<string, string> = { '-1': 'all', all: 'all', '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6' };

function normalizeProtocol(protocol: unknown): string {
  const text = String(protocol ?? '-1').toLowerCase();
  return PROTOCOL_NAMES[text] ?? text;
}

function atom(protocol: unknown, fromPort: unknown, toPort: unknown, source: string, description: unknown): RuleAtom {
  const normalized = normalizeProtocol(protocol);
  // "All traffic" has no ports: AWS omits them, Terraform writes 0/0 or null.
  const all = normalized === 'all';
  return {
    protocol: normalized,
    fromPort: all ? 0 : Number(fromPort ?? 0),
    toPort: all ? 0 : Number(toPort ?? 0),
    source,
    description: typeof description === 'string' ? description : '',
  };
}

/** The atom as one line, the form diffs show and sets compare. */
export function atomText(a: RuleAtom, withDescription = true): string {
  const ports = a.protocol === 'all' ? 'all' : `${a.protocol} ${a.fromPort === a.toPort ? a.fromPort : `${a.fromPort}-${a.toPort}`}`;
  return `${ports} ${a.source}${withDescription && a.description ? ` "${a.description}"` : ''}`;
}

export function liveAtoms(permissions: readonly IpPermission[] | undefined, groupId: string): RuleAtom[] {
  const atoms: RuleAtom[] = [];
  for (const p of permissions ?? []) {
    for (const r of p.IpRanges ?? []) atoms.push(atom(p.IpProtocol, p.FromPort, p.ToPort, `cidr:${r.CidrIp}`, r.Description));
    for (const r of p.Ipv6Ranges ?? []) atoms.push(atom(p.IpProtocol, p.FromPort, p.ToPort, `cidr6:${r.CidrIpv6}`, r.Description));
    for (const r of p.PrefixListIds ?? []) atoms.push(atom(p.IpProtocol, p.FromPort, p.ToPort, `pl:${r.PrefixListId}`, r.Description));
    for (const r of p.UserIdGroupPairs ?? []) atoms.push(atom(p.IpProtocol, p.FromPort, p.ToPort, `sg:${r.GroupId ?? groupId}`, r.Description));
  }
  return atoms;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : [];
}

/** `aws_security_group.ingress` / `.egress` blocks, and legacy rules, as atoms. */
function blockAtoms(block: Record<string, unknown>, groupId: string, sourceGroupKey: 'security_groups' | 'source_security_group_id'): RuleAtom[] {
  const at = (source: string) => atom(block.protocol, block.from_port, block.to_port, source, block.description);
  const sourceGroups = sourceGroupKey === 'security_groups' ? strings(block.security_groups) : strings([block.source_security_group_id]);
  return [
    ...strings(block.cidr_blocks).map((c) => at(`cidr:${c}`)),
    ...strings(block.ipv6_cidr_blocks).map((c) => at(`cidr6:${c}`)),
    ...strings(block.prefix_list_ids).map((c) => at(`pl:${c}`)),
    ...sourceGroups.map((g) => at(`sg:${g}`)),
    ...(block.self === true ? [at(`sg:${groupId}`)] : []),
  ];
}

function groupRules(direction: Direction) {
  return (attributes: Record<string, unknown>): string[] => {
    const groupId = stringAttr(attributes, 'id') ?? '';
    const list = Array.isArray(attributes[direction]) ? (attributes[direction] as unknown[]) : [];
    return list
      .filter((b): b is Record<string, unknown> => b !== null && typeof b === 'object')
      .flatMap((b) => blockAtoms(b, groupId, 'security_groups'))
      .map((a) => atomText(a));
  };
}

/** A rule as claims name it: without its description (a changed description is compared on the rule). */
const withoutDescription = (member: string) => {
  // atomText: `all SOURCE "…"` or `PROTOCOL PORTS SOURCE "…"`; no token before the description holds a space.
  const tokens = member.split(' ');
  return tokens.slice(0, tokens[0] === 'all' ? 2 : 3).join(' ');
};

const groupClaimKey = (id: string | undefined) => (id ? `security-group:${id}` : undefined);

function groupArn(live: LiveInventory, region: string, id: string): string {
  return ec2Arn(live, region, 'security-group', id);
}

function findGroup(id: string | undefined, live: LiveInventory): { group: Regional<SecurityGroup> } | Exclude<LiveLookup, { found: LiveObject }> {
  if (!id) return { unknown: 'the state instance names no security group' };
  const group = live.securityGroups.get(id);
  if (group) return { group };
  // Absent from every list read; absent for sure only if no region's list failed.
  return live.securityGroupErrors.length ? { unknown: `DescribeSecurityGroups failed in ${live.securityGroupErrors.join(', ')}` } : { gone: true };
}

function toGroupObject(type: string, { region, value: g }: Regional<SecurityGroup>, live: LiveInventory): LiveObject {
  const id = g.GroupId!;
  return {
    type,
    importId: id,
    resourceId: groupArn(live, region, id),
    region,
    name: g.GroupName ?? id,
    attributes: {
      name: g.GroupName,
      description: g.Description,
      vpc_id: g.VpcId,
      tags: tagMap(g.Tags),
      ingress: liveAtoms(g.IpPermissions, id).map((a) => atomText(a)),
      egress: liveAtoms(g.IpPermissionsEgress, id).map((a) => atomText(a)),
    },
    stub: { name: g.GroupName ?? id, description: g.Description ?? '', vpc_id: g.VpcId ?? '' },
  };
}

function groupSpec(type: 'aws_security_group' | 'aws_default_security_group'): LiveTypeSpec {
  const identity = type === 'aws_security_group' ? (['name', 'description'] as const) : [];
  return {
    type,
    importIdFormat: 'security group id',
    compared: [
      ...identity.map((path) => ({ path, kind: 'value' as const })),
      { path: 'vpc_id', kind: 'value' },
      { path: 'tags', kind: 'tags' },
      { path: 'ingress', kind: 'set', normalize: groupRules('ingress'), memberKey: withoutDescription },
      { path: 'egress', kind: 'set', normalize: groupRules('egress'), memberKey: withoutDescription },
    ],
    // Rules declared as separate resources belong to the group too; they are compared on their own resources.
    claimKey: (attributes) => groupClaimKey(stringAttr(attributes, 'id')),
    resourceIdOf(attributes, live) {
      const id = stringAttr(attributes, 'id') ?? '';
      const group = live.securityGroups.get(id);
      return stringAttr(attributes, 'arn') ?? (group ? groupArn(live, group.region, id) : id);
    },
    lookup(attributes, live) {
      const found = findGroup(stringAttr(attributes, 'id'), live);
      return 'group' in found ? { found: toGroupObject(type, found.group, live) } : found;
    },
    // A VPC's default group is made by AWS with the VPC: managed or not, it is never "unmanaged".
    ...(type === 'aws_security_group'
      ? { enumerate: (live: LiveInventory) => [...live.securityGroups.values()].filter((g) => g.value.GroupName !== 'default').map((g) => toGroupObject(type, g, live)) }
      : {}),
  };
}

/** The atom a `aws_vpc_security_group_*_rule` describes. */
function vpcRuleAtom(attributes: Record<string, unknown>): RuleAtom {
  const groupId = stringAttr(attributes, 'security_group_id') ?? '';
  const source =
    (stringAttr(attributes, 'cidr_ipv4') && `cidr:${stringAttr(attributes, 'cidr_ipv4')}`) ||
    (stringAttr(attributes, 'cidr_ipv6') && `cidr6:${stringAttr(attributes, 'cidr_ipv6')}`) ||
    (stringAttr(attributes, 'prefix_list_id') && `pl:${stringAttr(attributes, 'prefix_list_id')}`) ||
    `sg:${stringAttr(attributes, 'referenced_security_group_id') ?? groupId}`;
  return atom(attributes.ip_protocol, attributes.from_port, attributes.to_port, source, attributes.description);
}

function directionPermissions(group: SecurityGroup, direction: Direction): IpPermission[] | undefined {
  return direction === 'ingress' ? group.IpPermissions : group.IpPermissionsEgress;
}

/** Live atoms of the group matching `wanted` in everything but the description. */
function matchingAtoms(group: Regional<SecurityGroup>, direction: Direction, wanted: RuleAtom): RuleAtom[] {
  const key = atomText(wanted, false);
  return liveAtoms(directionPermissions(group.value, direction), group.value.GroupId ?? '').filter((a) => atomText(a, false) === key);
}

function vpcRuleSpec(direction: Direction): LiveTypeSpec {
  return {
    type: `aws_vpc_security_group_${direction}_rule`,
    importIdFormat: 'security group rule id (sgr-...)',
    compared: [{ path: 'description', kind: 'value', normalize: (a) => a.description ?? '' }],
    resourceIdOf: (attributes) => stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'id') ?? '',
    claims(attributes) {
      const owner = groupClaimKey(stringAttr(attributes, 'security_group_id'));
      return owner ? [{ owner, path: direction, members: [atomText(vpcRuleAtom(attributes), false)] }] : [];
    },
    lookup(attributes, live) {
      const found = findGroup(stringAttr(attributes, 'security_group_id'), live);
      if (!('group' in found)) return found;
      const wanted = vpcRuleAtom(attributes);
      const matches = matchingAtoms(found.group, direction, wanted);
      if (matches.length === 0) return { gone: true };
      const id = stringAttr(attributes, 'id') ?? '';
      // Of several sources with the same key, prefer the one whose description agrees.
      const match = matches.find((m) => m.description === wanted.description) ?? matches[0]!;
      return {
        found: {
          type: `aws_vpc_security_group_${direction}_rule`,
          importId: id,
          resourceId: stringAttr(attributes, 'arn') ?? id,
          region: found.group.region,
          name: id,
          attributes: { description: match.description },
          stub: {},
        },
      };
    },
  };
}

function legacyRuleAtoms(attributes: Record<string, unknown>): RuleAtom[] {
  return blockAtoms(attributes, stringAttr(attributes, 'security_group_id') ?? '', 'source_security_group_id');
}

/** The legacy `aws_security_group_rule`: present while any of its sources is; compared are the sources still there. */
const legacyRule: LiveTypeSpec = {
  type: 'aws_security_group_rule',
  importIdFormat: 'group id_type_protocol_from_to_source (see the provider docs)',
  compared: [{ path: 'sources', kind: 'set', normalize: (a) => legacyRuleAtoms(a).map((atomValue) => atomText(atomValue)) }],
  resourceIdOf: (attributes) => stringAttr(attributes, 'id') ?? '',
  claims(attributes) {
    const owner = groupClaimKey(stringAttr(attributes, 'security_group_id'));
    const path: Direction = attributes.type === 'egress' ? 'egress' : 'ingress';
    return owner ? [{ owner, path, members: legacyRuleAtoms(attributes).map((a) => atomText(a, false)) }] : [];
  },
  lookup(attributes, live) {
    const found = findGroup(stringAttr(attributes, 'security_group_id'), live);
    if (!('group' in found)) return found;
    const direction: Direction = attributes.type === 'egress' ? 'egress' : 'ingress';
    const present = legacyRuleAtoms(attributes).flatMap((wanted) => matchingAtoms(found.group, direction, wanted));
    if (present.length === 0) return { gone: true };
    const id = stringAttr(attributes, 'id') ?? '';
    return {
      found: {
        type: 'aws_security_group_rule',
        importId: id,
        resourceId: id,
        region: found.group.region,
        name: id,
        attributes: { sources: present.map((a) => atomText(a)) },
        stub: {},
      },
    };
  },
};

export const EC2_TYPES: readonly LiveTypeSpec[] = [
  groupSpec('aws_security_group'),
  groupSpec('aws_default_security_group'),
  vpcRuleSpec('ingress'),
  vpcRuleSpec('egress'),
  legacyRule,
];
