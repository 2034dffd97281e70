/**
 * The VPC network: VPCs, subnets, route tables (their routes, whether inline or `aws_route`
 * resources) and their subnet associations. Compared is what a person sets and AWS keeps as set;
 * ids and ARNs AWS assigns are how objects are found, never diffs. A VPC's main route table is
 * made by AWS with the VPC, like its default security group: managed by
 * `aws_default_route_table` or not at all, it is never "unmanaged".
 */
import type { Address, InternetGateway, NatGateway, Route, RouteTable, Subnet, Vpc } from '@aws-sdk/client-ec2';
import { ec2Arn, lookupRegional, stringAttr, tagMap, type LiveInventory, type Regional, type RegionalIndex } from './inventory.js';
import type { LiveLookup, LiveObject, LiveTypeSpec } from './types.js';

// ---------------------------------------------------------------- VPC

function toVpcObject({ region, value: v }: Regional<Vpc>, live: LiveInventory): LiveObject {
  const id = v.VpcId!;
  return {
    type: 'aws_vpc',
    importId: id,
    resourceId: ec2Arn(live, region, 'vpc', id),
    region,
    name: tagMap(v.Tags).Name ?? id,
    attributes: { cidr_block: v.CidrBlock, instance_tenancy: v.InstanceTenancy, tags: tagMap(v.Tags) },
    stub: { cidr_block: v.CidrBlock ?? '' },
  };
}

const vpc: LiveTypeSpec = {
  type: 'aws_vpc',
  importIdFormat: 'VPC id',
  compared: [
    { path: 'cidr_block', kind: 'value' },
    { path: 'instance_tenancy', kind: 'value', normalize: (a) => a.instance_tenancy ?? 'default' },
    { path: 'tags', kind: 'tags' },
  ],
  resourceIdOf: (attributes) => stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'id') ?? '',
  lookup(attributes, live) {
    const found = lookupRegional(live.vpcs, stringAttr(attributes, 'id'), live, stringAttr(attributes, 'arn'));
    return 'item' in found ? { found: toVpcObject(found.item, live) } : found;
  },
  // The default VPC is AWS's (`aws_default_vpc` adopts it); it is never "unmanaged".
  enumerate: (live) => [...live.vpcs.items.values()].filter((v) => v.value.IsDefault !== true).map((v) => toVpcObject(v, live)),
};

// ---------------------------------------------------------------- Subnet

function toSubnetObject({ region, value: s }: Regional<Subnet>, live: LiveInventory): LiveObject {
  const id = s.SubnetId!;
  return {
    type: 'aws_subnet',
    importId: id,
    resourceId: s.SubnetArn ?? ec2Arn(live, region, 'subnet', id),
    region,
    name: tagMap(s.Tags).Name ?? id,
    attributes: {
      vpc_id: s.VpcId,
      cidr_block: s.CidrBlock,
      availability_zone: s.AvailabilityZone,
      map_public_ip_on_launch: s.MapPublicIpOnLaunch,
      tags: tagMap(s.Tags),
    },
    stub: { vpc_id: s.VpcId ?? '', cidr_block: s.CidrBlock ?? '' },
  };
}

const subnet: LiveTypeSpec = {
  type: 'aws_subnet',
  importIdFormat: 'subnet id',
  compared: [
    { path: 'vpc_id', kind: 'value' },
    { path: 'cidr_block', kind: 'value' },
    { path: 'availability_zone', kind: 'value' },
    { path: 'map_public_ip_on_launch', kind: 'value', normalize: (a) => a.map_public_ip_on_launch ?? false },
    { path: 'tags', kind: 'tags' },
  ],
  resourceIdOf: (attributes) => stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'id') ?? '',
  lookup(attributes, live) {
    const found = lookupRegional(live.subnets, stringAttr(attributes, 'id'), live, stringAttr(attributes, 'arn'));
    return 'item' in found ? { found: toSubnetObject(found.item, live) } : found;
  },
  // A default VPC's default subnets are AWS's too.
  enumerate: (live) => [...live.subnets.items.values()].filter((s) => s.value.DefaultForAz !== true).map((s) => toSubnetObject(s, live)),
};

// ---------------------------------------------------------------- Routes

/** The provider's destination attributes and the API fields they mirror. */
const DESTINATIONS: ReadonlyArray<[string, keyof Route]> = [
  ['cidr_block', 'DestinationCidrBlock'],
  ['ipv6_cidr_block', 'DestinationIpv6CidrBlock'],
  ['destination_prefix_list_id', 'DestinationPrefixListId'],
];

/** The provider's target attributes and the API fields they mirror (one is set per route). */
const TARGETS: ReadonlyArray<[string, keyof Route]> = [
  ['gateway_id', 'GatewayId'],
  ['nat_gateway_id', 'NatGatewayId'],
  ['transit_gateway_id', 'TransitGatewayId'],
  ['vpc_peering_connection_id', 'VpcPeeringConnectionId'],
  ['egress_only_gateway_id', 'EgressOnlyInternetGatewayId'],
  ['network_interface_id', 'NetworkInterfaceId'],
  ['carrier_gateway_id', 'CarrierGatewayId'],
  ['local_gateway_id', 'LocalGatewayId'],
  ['vpc_endpoint_id', 'GatewayId'],
  ['core_network_arn', 'CoreNetworkArn'],
];

/** A route as one line, `0.0.0.0/0 -> nat-0123`: the form diffs show and sets compare. */
export function routeText(destination: string, target: string): string {
  return `${destination} -> ${target || '(none)'}`;
}

/** The destination of a route line: what claims and `aws_route` name a route by. */
const routeDestination = (member: string) => member.split(' -> ')[0]!;

function firstString(values: unknown[]): string {
  return (values.find((v) => typeof v === 'string' && v !== '') as string | undefined) ?? '';
}

/** A state or config route block (`route` of a table, or an `aws_route`'s own attributes). */
function stateRoute(block: Record<string, unknown>, destinationNames: readonly string[] = DESTINATIONS.map(([n]) => n)): string {
  return routeText(firstString(destinationNames.map((n) => block[n])), firstString(TARGETS.map(([n]) => block[n])));
}

/**
 * The routes a person manages: AWS's `local` route and routes propagated from a virtual private
 * gateway are left out, as the provider leaves them out of `route`.
 */
function liveRoutes(table: RouteTable): string[] {
  return (table.Routes ?? [])
    .filter((r) => r.GatewayId !== 'local' && r.Origin !== 'EnableVgwRoutePropagation')
    .map((r) => routeText(firstString(DESTINATIONS.map(([, f]) => r[f])), firstString(TARGETS.map(([, f]) => r[f]))));
}

function blocks(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter((b): b is Record<string, unknown> => b !== null && typeof b === 'object') : [];
}

const tableClaimKey = (id: string | undefined) => (id ? `route-table:${id}` : undefined);
const isMain = (table: RouteTable) => (table.Associations ?? []).some((a) => a.Main === true);

function toTableObject(type: string, { region, value: t }: Regional<RouteTable>, live: LiveInventory): LiveObject {
  const id = t.RouteTableId!;
  return {
    type,
    importId: type === 'aws_default_route_table' ? (t.VpcId ?? id) : id,
    resourceId: ec2Arn(live, region, 'route-table', id),
    region,
    name: tagMap(t.Tags).Name ?? id,
    attributes: { vpc_id: t.VpcId, route: liveRoutes(t), tags: tagMap(t.Tags) },
    stub: type === 'aws_default_route_table' ? { default_route_table_id: id } : { vpc_id: t.VpcId ?? '' },
  };
}

function tableSpec(type: 'aws_route_table' | 'aws_default_route_table'): LiveTypeSpec {
  const idOf = (attributes: Record<string, unknown>) => stringAttr(attributes, 'id') ?? stringAttr(attributes, 'default_route_table_id');
  return {
    type,
    importIdFormat: type === 'aws_route_table' ? 'route table id' : 'VPC id',
    compared: [
      ...(type === 'aws_route_table' ? [{ path: 'vpc_id', kind: 'value' as const }] : []),
      { path: 'route', kind: 'set', normalize: (a) => blocks(a.route).map((b) => stateRoute(b)), memberKey: routeDestination },
      { path: 'tags', kind: 'tags' },
    ],
    // Routes declared as `aws_route` resources belong to the table too; they are compared on their own resources.
    claimKey: (attributes) => tableClaimKey(idOf(attributes)),
    resourceIdOf: (attributes) => stringAttr(attributes, 'arn') ?? idOf(attributes) ?? '',
    lookup(attributes, live) {
      const found = lookupRegional(live.routeTables, idOf(attributes), live, stringAttr(attributes, 'arn'));
      return 'item' in found ? { found: toTableObject(type, found.item, live) } : found;
    },
    ...(type === 'aws_route_table'
      ? { enumerate: (live: LiveInventory) => [...live.routeTables.items.values()].filter((t) => !isMain(t.value)).map((t) => toTableObject(type, t, live)) }
      : {}),
  };
}

/** The names `aws_route` gives its destination (the table block's, prefixed). */
const ROUTE_DESTINATIONS = ['destination_cidr_block', 'destination_ipv6_cidr_block', 'destination_prefix_list_id'] as const;

const route: LiveTypeSpec = {
  type: 'aws_route',
  importIdFormat: 'route table id_destination (rtb-0123_0.0.0.0/0)',
  compared: [{ path: 'target', kind: 'value', normalize: (a) => stateRoute(a, ROUTE_DESTINATIONS).split(' -> ')[1] }],
  resourceIdOf: (attributes) => `${stringAttr(attributes, 'route_table_id') ?? ''}_${routeDestination(stateRoute(attributes, ROUTE_DESTINATIONS))}`,
  claims(attributes) {
    const owner = tableClaimKey(stringAttr(attributes, 'route_table_id'));
    return owner ? [{ owner, path: 'route', members: [routeDestination(stateRoute(attributes, ROUTE_DESTINATIONS))] }] : [];
  },
  lookup(attributes, live): LiveLookup {
    const found = lookupRegional(live.routeTables, stringAttr(attributes, 'route_table_id'), live);
    if (!('item' in found)) return found;
    const destination = routeDestination(stateRoute(attributes, ROUTE_DESTINATIONS));
    const match = liveRoutes(found.item.value).find((r) => routeDestination(r) === destination);
    if (!match) return { gone: true };
    const id = `${found.item.value.RouteTableId}_${destination}`;
    return {
      found: {
        type: 'aws_route',
        importId: id,
        resourceId: id,
        region: found.item.region,
        name: id,
        attributes: { target: match.split(' -> ')[1] },
        stub: {},
        parent: { type: 'aws_route_table', importId: found.item.value.RouteTableId! },
      },
    };
  },
};

// ---------------------------------------------------------------- Route table associations

interface Association {
  id: string;
  table: Regional<RouteTable>;
  subnetId?: string;
  gatewayId?: string;
}

/** Associations by id, built once per live inventory. */
const ASSOCIATIONS = new WeakMap<LiveInventory, Map<string, Association>>();

function associations(live: LiveInventory): Map<string, Association> {
  let byId = ASSOCIATIONS.get(live);
  if (!byId) {
    byId = new Map();
    for (const table of live.routeTables.items.values()) {
      for (const a of table.value.Associations ?? []) {
        if (a.Main === true || !a.RouteTableAssociationId) continue;
        byId.set(a.RouteTableAssociationId, { id: a.RouteTableAssociationId, table, subnetId: a.SubnetId, gatewayId: a.GatewayId });
      }
    }
    ASSOCIATIONS.set(live, byId);
  }
  return byId;
}

function toAssociationObject(a: Association): LiveObject {
  const tableId = a.table.value.RouteTableId!;
  return {
    type: 'aws_route_table_association',
    importId: `${a.subnetId ?? a.gatewayId ?? ''}/${tableId}`,
    resourceId: a.id,
    region: a.table.region,
    name: a.id,
    attributes: { route_table_id: tableId, subnet_id: a.subnetId ?? '', gateway_id: a.gatewayId ?? '' },
    stub: { route_table_id: tableId, ...(a.subnetId ? { subnet_id: a.subnetId } : { gateway_id: a.gatewayId ?? '' }) },
  };
}

const association: LiveTypeSpec = {
  type: 'aws_route_table_association',
  importIdFormat: 'subnet or gateway id/route table id',
  compared: [
    { path: 'route_table_id', kind: 'value' },
    { path: 'subnet_id', kind: 'value', normalize: (a) => a.subnet_id ?? '' },
    { path: 'gateway_id', kind: 'value', normalize: (a) => a.gateway_id ?? '' },
  ],
  resourceIdOf: (attributes) => stringAttr(attributes, 'id') ?? '',
  lookup(attributes, live) {
    const id = stringAttr(attributes, 'id');
    if (!id) return { unknown: 'the state instance names no association id' };
    const found = associations(live).get(id);
    if (found) return { found: toAssociationObject(found) };
    const errors = live.routeTables.errors;
    return errors.length ? { unknown: `DescribeRouteTables failed in ${errors.join(', ')}` } : { gone: true };
  },
  enumerate: (live) => [...associations(live).values()].map(toAssociationObject),
};

export const NETWORK_TYPES: readonly LiveTypeSpec[] = [vpc, subnet, tableSpec('aws_route_table'), tableSpec('aws_default_route_table'), route, association];

// ---------------------------------------------------------------- Gateways and Elastic IPs

function simpleType<T>(o: {
  type: string;
  importIdFormat: string;
  index: (live: LiveInventory) => RegionalIndex<T>;
  arnKind: string;
  id: (item: T) => string;
  tags: (item: T) => Array<{ Key?: string; Value?: string }> | undefined;
  fields: Record<string, { live: (item: T) => unknown; state?: (a: Record<string, unknown>) => unknown }>;
  stub: (item: T) => Record<string, unknown>;
}): LiveTypeSpec {
  const toObject = ({ region, value }: Regional<T>, live: LiveInventory): LiveObject => {
    const id = o.id(value);
    return {
      type: o.type,
      importId: id,
      resourceId: ec2Arn(live, region, o.arnKind, id),
      region,
      name: tagMap(o.tags(value)).Name ?? id,
      attributes: { ...Object.fromEntries(Object.entries(o.fields).map(([path, f]) => [path, f.live(value)])), tags: tagMap(o.tags(value)) },
      stub: o.stub(value),
    };
  };
  return {
    type: o.type,
    importIdFormat: o.importIdFormat,
    compared: [
      ...Object.entries(o.fields).map(([path, f]) => ({ path, kind: 'value' as const, ...(f.state ? { normalize: f.state } : {}) })),
      { path: 'tags', kind: 'tags' as const },
    ],
    resourceIdOf: (attributes) => stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'id') ?? '',
    lookup(attributes, live) {
      const found = lookupRegional(o.index(live), stringAttr(attributes, 'id'), live, stringAttr(attributes, 'arn'));
      return 'item' in found ? { found: toObject(found.item, live) } : found;
    },
    enumerate: (live) => [...o.index(live).items.values()].map((item) => toObject(item, live)),
  };
}

const orEmpty = (name: string) => (a: Record<string, unknown>) => (typeof a[name] === 'string' ? a[name] : '');

const internetGateway = simpleType<InternetGateway>({
  type: 'aws_internet_gateway',
  importIdFormat: 'internet gateway id',
  index: (live) => live.internetGateways,
  arnKind: 'internet-gateway',
  id: (g) => g.InternetGatewayId!,
  tags: (g) => g.Tags,
  fields: { vpc_id: { live: (g) => g.Attachments?.[0]?.VpcId ?? '', state: orEmpty('vpc_id') } },
  stub: (g) => ({ vpc_id: g.Attachments?.[0]?.VpcId ?? '' }),
});

const natGateway = simpleType<NatGateway>({
  type: 'aws_nat_gateway',
  importIdFormat: 'NAT gateway id',
  index: (live) => live.natGateways,
  arnKind: 'natgateway',
  id: (n) => n.NatGatewayId!,
  tags: (n) => n.Tags,
  fields: {
    subnet_id: { live: (n) => n.SubnetId },
    connectivity_type: { live: (n) => n.ConnectivityType ?? 'public', state: (a) => a.connectivity_type ?? 'public' },
    allocation_id: { live: (n) => n.NatGatewayAddresses?.find((x) => x.IsPrimary !== false)?.AllocationId ?? '', state: orEmpty('allocation_id') },
  },
  stub: (n) => ({ subnet_id: n.SubnetId ?? '', allocation_id: n.NatGatewayAddresses?.[0]?.AllocationId ?? '' }),
});

const eip = simpleType<Address>({
  type: 'aws_eip',
  importIdFormat: 'allocation id',
  index: (live) => live.addresses,
  arnKind: 'elastic-ip',
  id: (a) => a.AllocationId!,
  tags: (a) => a.Tags,
  // What the address is associated with: a changed association moves traffic.
  fields: {
    instance: { live: (a) => a.InstanceId ?? '', state: orEmpty('instance') },
    network_interface: { live: (a) => a.NetworkInterfaceId ?? '', state: orEmpty('network_interface') },
  },
  stub: () => ({ domain: 'vpc' }),
});

export const GATEWAY_TYPES: readonly LiveTypeSpec[] = [internetGateway, natGateway, eip];
