/**
 * The EC2 resource kinds the sandbox describes: how each renders in EC2 Query XML (element
 * names as the SDK's EC2 schemas read them: lowerCamelCase, `*Set` lists of <item>, and the
 * odd ones such as securityGroupInfo, groupDescription, instanceState, ipAddress), and which
 * Filter.N.Name values each answers to, with the values a resource offers for each.
 */
import { createHash } from 'node:crypto';
import type { SandboxRegion } from '../account/model.js';
import type { XmlValue } from '../protocol/xml.js';

type Ec2 = NonNullable<SandboxRegion['EC2']>;
export type Vpc = NonNullable<Ec2['Vpcs']>[number];
export type Subnet = NonNullable<Ec2['Subnets']>[number];
export type RouteTable = NonNullable<Ec2['RouteTables']>[number];
export type SecurityGroup = NonNullable<Ec2['SecurityGroups']>[number];
export type Instance = NonNullable<Ec2['Instances']>[number];
export type NetworkInterface = NonNullable<Ec2['NetworkInterfaces']>[number];
export type InternetGateway = NonNullable<Ec2['InternetGateways']>[number];
export type NatGateway = NonNullable<Ec2['NatGateways']>[number];
export type Address = NonNullable<Ec2['Addresses']>[number];
export type NetworkAcl = NonNullable<Ec2['NetworkAcls']>[number];
export type FlowLog = NonNullable<Ec2['FlowLogs']>[number];
export type Volume = NonNullable<Ec2['Volumes']>[number];
export type EbsSnapshot = NonNullable<Ec2['Snapshots']>[number];
export type Image = NonNullable<Ec2['Images']>[number];
export type VpcEndpoint = NonNullable<Ec2['VpcEndpoints']>[number];
export type KeyPair = NonNullable<Ec2['KeyPairs']>[number];
export type LaunchTemplate = NonNullable<Ec2['LaunchTemplates']>[number];
export type LaunchTemplateVersion = LaunchTemplate['Versions'][number];
type NetworkAclEntry = NonNullable<NetworkAcl['Entries']>[number];
type IpPermission = NonNullable<SecurityGroup['IpPermissions']>[number];
type Tag = { Key: string; Value: string };

/** What a resource is rendered and filtered against: its account, region and sibling resources. */
export interface Ec2Scope {
  accountId: string;
  region: string;
  ec2: Ec2;
}

/** Filter name -> the values a resource has for it (a resource matches if any value matches). */
export type FilterTable<T> = Record<string, (item: T, scope: Ec2Scope) => ReadonlyArray<string | number | boolean | undefined>>;

export interface Ec2Collection<T> {
  operation: string;
  /** The id list parameter (GroupId.N, ...) and what an unknown or malformed id answers. */
  idParam: string;
  idPattern: RegExp;
  idNoun: string;
  notFoundCode: string;
  malformedCode: string;
  /** The element the result list renders in, e.g. securityGroupInfo. */
  resultElement: string;
  /** MaxResults bounds of this operation. */
  maxResults: { min: number; max: number };
  /** A second list of names that select like ids (DescribeSecurityGroups' GroupName.N). */
  names?: { param: string; of(item: T): string; notFoundCode?: string; notFoundMessage?: string };
  /**
   * The owner list parameter (DescribeSnapshots' and DescribeImages' Owner.N): the sandbox holds only
   * this account's own, so a request for other owners ("amazon", another account) lists nothing.
   */
  ownerParam?: string;
  /** The request parameter name AWS cites when MaxResults is combined with explicit ids. */
  idsExcludeMaxResults?: string;
  items(ec2: Ec2): readonly T[];
  id(item: T): string;
  tags(item: T): readonly Tag[] | undefined;
  filters: FilterTable<T>;
  render(item: T, scope: Ec2Scope): XmlValue;
}

export const ec2Arn = (scope: Ec2Scope, type: string, id: string) => `arn:aws:ec2:${scope.region}:${scope.accountId}:${type}/${id}`;

function stableHex(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

const tagSet = (tags: readonly Tag[] | undefined): XmlValue => (tags?.length ? tags.map((t) => ({ key: t.Key, value: t.Value })) : undefined);

const availabilityZoneOf = (scope: Ec2Scope, subnetId: string | undefined) =>
  subnetId === undefined ? undefined : scope.ec2.Subnets?.find((s) => s.SubnetId === subnetId)?.AvailabilityZone;

// ------------------------------------------------------------------ VPCs

export const vpcs: Ec2Collection<Vpc> = {
  operation: 'DescribeVpcs',
  idParam: 'VpcId',
  idPattern: /^vpc-[0-9a-f]{8,17}$/,
  idNoun: 'vpc ID',
  notFoundCode: 'InvalidVpcID.NotFound',
  malformedCode: 'InvalidVpcID.Malformed',
  resultElement: 'vpcSet',
  maxResults: { min: 5, max: 1000 },
  items: (ec2) => ec2.Vpcs ?? [],
  id: (v) => v.VpcId,
  tags: (v) => v.Tags,
  filters: {
    'vpc-id': (v) => [v.VpcId],
    cidr: (v) => [v.CidrBlock],
    'cidr-block-association.cidr-block': (v) => [v.CidrBlock],
    'is-default': (v) => [v.IsDefault ?? false],
    state: (v) => [v.State ?? 'available'],
    'owner-id': (_v, s) => [s.accountId],
  },
  render: (v, scope) => ({
    vpcId: v.VpcId,
    ownerId: scope.accountId,
    state: v.State ?? 'available',
    cidrBlock: v.CidrBlock,
    cidrBlockAssociationSet: [
      { cidrBlock: v.CidrBlock, associationId: `vpc-cidr-assoc-${stableHex(v.VpcId, 17)}`, cidrBlockState: { state: 'associated' } },
    ],
    instanceTenancy: 'default',
    isDefault: v.IsDefault ?? false,
    tagSet: tagSet(v.Tags),
  }),
};

// ------------------------------------------------------------------ subnets

export const subnets: Ec2Collection<Subnet> = {
  operation: 'DescribeSubnets',
  idParam: 'SubnetId',
  idPattern: /^subnet-[0-9a-f]{8,17}$/,
  idNoun: 'subnet ID',
  notFoundCode: 'InvalidSubnetID.NotFound',
  malformedCode: 'InvalidSubnetID.Malformed',
  resultElement: 'subnetSet',
  maxResults: { min: 5, max: 1000 },
  items: (ec2) => ec2.Subnets ?? [],
  id: (s) => s.SubnetId,
  tags: (s) => s.Tags,
  filters: {
    'subnet-id': (s) => [s.SubnetId],
    'vpc-id': (s) => [s.VpcId],
    'availability-zone': (s) => [s.AvailabilityZone],
    'cidr-block': (s) => [s.CidrBlock],
    'map-public-ip-on-launch': (s) => [s.MapPublicIpOnLaunch ?? false],
    'default-for-az': () => [false],
    state: () => ['available'],
    'subnet-arn': (s, scope) => [ec2Arn(scope, 'subnet', s.SubnetId)],
    'owner-id': (_s, scope) => [scope.accountId],
  },
  render: (s, scope) => ({
    subnetId: s.SubnetId,
    subnetArn: ec2Arn(scope, 'subnet', s.SubnetId),
    state: 'available',
    vpcId: s.VpcId,
    ownerId: scope.accountId,
    cidrBlock: s.CidrBlock,
    availabilityZone: s.AvailabilityZone,
    defaultForAz: false,
    mapPublicIpOnLaunch: s.MapPublicIpOnLaunch ?? false,
    tagSet: tagSet(s.Tags),
  }),
};

// ------------------------------------------------------------------ route tables

const associationId = (rt: RouteTable, index: number, given: string | undefined) => given ?? `rtbassoc-${stableHex(`${rt.RouteTableId}/${index}`, 17)}`;

export const routeTables: Ec2Collection<RouteTable> = {
  operation: 'DescribeRouteTables',
  idParam: 'RouteTableId',
  idPattern: /^rtb-[0-9a-f]{8,17}$/,
  idNoun: 'routeTable ID',
  notFoundCode: 'InvalidRouteTableID.NotFound',
  malformedCode: 'InvalidRouteTableID.Malformed',
  resultElement: 'routeTableSet',
  maxResults: { min: 5, max: 100 },
  items: (ec2) => ec2.RouteTables ?? [],
  id: (rt) => rt.RouteTableId,
  tags: (rt) => rt.Tags,
  filters: {
    'route-table-id': (rt) => [rt.RouteTableId],
    'vpc-id': (rt) => [rt.VpcId],
    'association.subnet-id': (rt) => (rt.Associations ?? []).map((a) => a.SubnetId),
    'association.main': (rt) => (rt.Associations ?? []).map((a) => a.Main ?? false),
    'association.route-table-association-id': (rt) => (rt.Associations ?? []).map((a, i) => associationId(rt, i, a.RouteTableAssociationId)),
    'route.destination-cidr-block': (rt) => (rt.Routes ?? []).map((r) => r.DestinationCidrBlock),
    'route.destination-ipv6-cidr-block': (rt) => (rt.Routes ?? []).map((r) => r.DestinationIpv6CidrBlock),
    'route.gateway-id': (rt) => (rt.Routes ?? []).map((r) => r.GatewayId),
    'route.nat-gateway-id': (rt) => (rt.Routes ?? []).map((r) => r.NatGatewayId),
    'route.transit-gateway-id': (rt) => (rt.Routes ?? []).map((r) => r.TransitGatewayId),
    'route.vpc-peering-connection-id': (rt) => (rt.Routes ?? []).map((r) => r.VpcPeeringConnectionId),
    'route.state': (rt) => (rt.Routes ?? []).map((r) => r.State ?? 'active'),
    'owner-id': (_rt, scope) => [scope.accountId],
  },
  render: (rt, scope) => ({
    routeTableId: rt.RouteTableId,
    vpcId: rt.VpcId,
    ownerId: scope.accountId,
    routeSet: (rt.Routes ?? []).map((r) => ({
      destinationCidrBlock: r.DestinationCidrBlock,
      destinationIpv6CidrBlock: r.DestinationIpv6CidrBlock,
      destinationPrefixListId: r.DestinationPrefixListId,
      gatewayId: r.GatewayId,
      natGatewayId: r.NatGatewayId,
      transitGatewayId: r.TransitGatewayId,
      vpcPeeringConnectionId: r.VpcPeeringConnectionId,
      networkInterfaceId: r.NetworkInterfaceId,
      egressOnlyInternetGatewayId: r.EgressOnlyInternetGatewayId,
      state: r.State ?? 'active',
      origin: r.GatewayId === 'local' ? 'CreateRouteTable' : 'CreateRoute',
    })),
    associationSet: (rt.Associations ?? []).map((a, i) => ({
      main: a.Main ?? false,
      routeTableAssociationId: associationId(rt, i, a.RouteTableAssociationId),
      routeTableId: rt.RouteTableId,
      subnetId: a.SubnetId,
      associationState: { state: 'associated' },
    })),
    propagatingVgwSet: [],
    tagSet: tagSet(rt.Tags),
  }),
};

// ------------------------------------------------------------------ security groups

function renderIpPermission(p: IpPermission, scope: Ec2Scope): XmlValue {
  return {
    ipProtocol: p.IpProtocol,
    fromPort: p.FromPort,
    toPort: p.ToPort,
    groups: (p.UserIdGroupPairs ?? []).map((g) => ({ description: g.Description, userId: g.UserId ?? scope.accountId, groupId: g.GroupId })),
    ipRanges: (p.IpRanges ?? []).map((r) => ({ description: r.Description, cidrIp: r.CidrIp })),
    ipv6Ranges: (p.Ipv6Ranges ?? []).map((r) => ({ description: r.Description, cidrIpv6: r.CidrIpv6 })),
    prefixListIds: (p.PrefixListIds ?? []).map((r) => ({ description: r.Description, prefixListId: r.PrefixListId })),
  };
}

function permissionFilters(prefix: string, of: (sg: SecurityGroup) => readonly IpPermission[] | undefined): FilterTable<SecurityGroup> {
  const each = <V>(pick: (p: IpPermission) => readonly V[]) => (sg: SecurityGroup) => (of(sg) ?? []).flatMap(pick);
  return {
    [`${prefix}.cidr`]: each((p) => (p.IpRanges ?? []).map((r) => r.CidrIp)),
    [`${prefix}.ipv6-cidr`]: each((p) => (p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6)),
    [`${prefix}.from-port`]: each((p) => [p.FromPort]),
    [`${prefix}.to-port`]: each((p) => [p.ToPort]),
    [`${prefix}.protocol`]: each((p) => [p.IpProtocol]),
    [`${prefix}.group-id`]: each((p) => (p.UserIdGroupPairs ?? []).map((g) => g.GroupId)),
    [`${prefix}.prefix-list-id`]: each((p) => (p.PrefixListIds ?? []).map((r) => r.PrefixListId)),
  };
}

export const securityGroups: Ec2Collection<SecurityGroup> = {
  operation: 'DescribeSecurityGroups',
  idParam: 'GroupId',
  idPattern: /^sg-[0-9a-f]{8,17}$/,
  idNoun: 'security group',
  notFoundCode: 'InvalidGroup.NotFound',
  malformedCode: 'InvalidGroupId.Malformed',
  resultElement: 'securityGroupInfo',
  maxResults: { min: 5, max: 1000 },
  names: { param: 'GroupName', of: (sg) => sg.GroupName },
  items: (ec2) => ec2.SecurityGroups ?? [],
  id: (sg) => sg.GroupId,
  tags: (sg) => sg.Tags,
  filters: {
    'group-id': (sg) => [sg.GroupId],
    'group-name': (sg) => [sg.GroupName],
    'vpc-id': (sg) => [sg.VpcId],
    description: (sg) => [sg.Description ?? ''],
    'owner-id': (_sg, scope) => [scope.accountId],
    ...permissionFilters('ip-permission', (sg) => sg.IpPermissions),
    ...permissionFilters('egress.ip-permission', (sg) => sg.IpPermissionsEgress),
  },
  render: (sg, scope) => ({
    ownerId: scope.accountId,
    groupId: sg.GroupId,
    groupName: sg.GroupName,
    groupDescription: sg.Description ?? '',
    vpcId: sg.VpcId,
    securityGroupArn: ec2Arn(scope, 'security-group', sg.GroupId),
    ipPermissions: (sg.IpPermissions ?? []).map((p) => renderIpPermission(p, scope)),
    ipPermissionsEgress: (sg.IpPermissionsEgress ?? []).map((p) => renderIpPermission(p, scope)),
    tagSet: tagSet(sg.Tags),
  }),
};

// ------------------------------------------------------------------ instances

const INSTANCE_STATE_CODES: Record<Instance['State']['Name'], number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

function renderInstance(i: Instance, scope: Ec2Scope): XmlValue {
  const profile = i.IamInstanceProfile;
  const metadata = i.MetadataOptions;
  return {
    instanceId: i.InstanceId,
    imageId: i.ImageId,
    instanceState: { code: INSTANCE_STATE_CODES[i.State.Name], name: i.State.Name },
    reason: '',
    amiLaunchIndex: 0,
    instanceType: i.InstanceType,
    keyName: i.KeyName,
    launchTime: new Date(i.LaunchTime),
    placement: { availabilityZone: availabilityZoneOf(scope, i.SubnetId), tenancy: 'default' },
    monitoring: { state: 'disabled' },
    subnetId: i.SubnetId,
    vpcId: i.VpcId,
    privateIpAddress: i.PrivateIpAddress,
    ipAddress: i.PublicIpAddress,
    groupSet: (i.SecurityGroups ?? []).map((g) => ({ groupId: g.GroupId, groupName: g.GroupName })),
    iamInstanceProfile: profile ? { arn: profile.Arn, id: `AIPA${stableHex(profile.Arn, 17).toUpperCase()}` } : undefined,
    metadataOptions: metadata
      ? {
          state: 'applied',
          httpTokens: metadata.HttpTokens,
          httpPutResponseHopLimit: metadata.HttpPutResponseHopLimit ?? 1,
          httpEndpoint: metadata.HttpEndpoint ?? 'enabled',
        }
      : undefined,
    tagSet: tagSet(i.Tags),
  };
}

/** The model has no reservations: each instance is its own launch, with a stable reservation id. */
export const instances: Ec2Collection<Instance> = {
  operation: 'DescribeInstances',
  idParam: 'InstanceId',
  idPattern: /^i-[0-9a-f]{8,17}$/,
  idNoun: 'instance ID',
  notFoundCode: 'InvalidInstanceID.NotFound',
  malformedCode: 'InvalidInstanceID.Malformed',
  resultElement: 'reservationSet',
  maxResults: { min: 5, max: 1000 },
  idsExcludeMaxResults: 'instancesSet',
  items: (ec2) => ec2.Instances ?? [],
  id: (i) => i.InstanceId,
  tags: (i) => i.Tags,
  filters: {
    'instance-id': (i) => [i.InstanceId],
    'instance-state-name': (i) => [i.State.Name],
    'instance-state-code': (i) => [INSTANCE_STATE_CODES[i.State.Name]],
    'instance-type': (i) => [i.InstanceType],
    'image-id': (i) => [i.ImageId],
    'key-name': (i) => [i.KeyName],
    'vpc-id': (i) => [i.VpcId],
    'subnet-id': (i) => [i.SubnetId],
    'availability-zone': (i, scope) => [availabilityZoneOf(scope, i.SubnetId)],
    'instance.group-id': (i) => (i.SecurityGroups ?? []).map((g) => g.GroupId),
    'instance.group-name': (i) => (i.SecurityGroups ?? []).map((g) => g.GroupName),
    'private-ip-address': (i) => [i.PrivateIpAddress],
    'ip-address': (i) => [i.PublicIpAddress],
    'iam-instance-profile.arn': (i) => [i.IamInstanceProfile?.Arn],
    'metadata-options.http-tokens': (i) => [i.MetadataOptions?.HttpTokens],
    'metadata-options.http-endpoint': (i) => [i.MetadataOptions ? (i.MetadataOptions.HttpEndpoint ?? 'enabled') : undefined],
    'reservation-id': (i) => [reservationId(i)],
    'owner-id': (_i, scope) => [scope.accountId],
  },
  render: (i, scope) => ({
    reservationId: reservationId(i),
    ownerId: scope.accountId,
    groupSet: [],
    instancesSet: [renderInstance(i, scope)],
  }),
};

function reservationId(i: Instance): string {
  return `r-${stableHex(i.InstanceId, 17)}`;
}

// ------------------------------------------------------------------ network interfaces

export const networkInterfaces: Ec2Collection<NetworkInterface> = {
  operation: 'DescribeNetworkInterfaces',
  idParam: 'NetworkInterfaceId',
  idPattern: /^eni-[0-9a-f]{8,17}$/,
  idNoun: 'networkInterface ID',
  notFoundCode: 'InvalidNetworkInterfaceID.NotFound',
  malformedCode: 'InvalidNetworkInterfaceID.Malformed',
  resultElement: 'networkInterfaceSet',
  maxResults: { min: 5, max: 1000 },
  idsExcludeMaxResults: 'networkInterfaceIdSet',
  items: (ec2) => ec2.NetworkInterfaces ?? [],
  id: (n) => n.NetworkInterfaceId,
  tags: () => undefined,
  filters: {
    'network-interface-id': (n) => [n.NetworkInterfaceId],
    'subnet-id': (n) => [n.SubnetId],
    'vpc-id': (n) => [n.VpcId],
    'group-id': (n) => (n.Groups ?? []).map((g) => g.GroupId),
    'group-name': (n) => (n.Groups ?? []).map((g) => g.GroupName),
    'attachment.instance-id': (n) => [n.Attachment?.InstanceId],
    'attachment.status': (n) => [n.Attachment ? (n.Attachment.Status ?? 'attached') : undefined],
    'association.public-ip': (n) => [n.Association?.PublicIp],
    'addresses.private-ip-address': (n) => [n.PrivateIpAddress],
    'private-ip-address': (n) => [n.PrivateIpAddress],
    'interface-type': (n) => [n.InterfaceType ?? 'interface'],
    status: (n) => [interfaceStatus(n)],
    description: (n) => [n.Description ?? ''],
    'availability-zone': (n, scope) => [availabilityZoneOf(scope, n.SubnetId)],
    'owner-id': (_n, scope) => [scope.accountId],
  },
  render: (n, scope) => ({
    networkInterfaceId: n.NetworkInterfaceId,
    subnetId: n.SubnetId,
    vpcId: n.VpcId,
    availabilityZone: availabilityZoneOf(scope, n.SubnetId),
    description: n.Description ?? '',
    ownerId: scope.accountId,
    requesterManaged: false,
    status: interfaceStatus(n),
    privateIpAddress: n.PrivateIpAddress,
    sourceDestCheck: true,
    interfaceType: n.InterfaceType ?? 'interface',
    groupSet: (n.Groups ?? []).map((g) => ({ groupId: g.GroupId, groupName: g.GroupName })),
    attachment: n.Attachment
      ? {
          attachmentId: `eni-attach-${stableHex(n.NetworkInterfaceId, 17)}`,
          instanceId: n.Attachment.InstanceId,
          instanceOwnerId: scope.accountId,
          deviceIndex: 0,
          status: n.Attachment.Status ?? 'attached',
          deleteOnTermination: true,
        }
      : undefined,
    association: n.Association ? { publicIp: n.Association.PublicIp, ipOwnerId: 'amazon' } : undefined,
  }),
};

function interfaceStatus(n: NetworkInterface): string {
  return n.Status ?? (n.Attachment ? 'in-use' : 'available');
}

// ------------------------------------------------------------------ internet gateways

export const internetGateways: Ec2Collection<InternetGateway> = {
  operation: 'DescribeInternetGateways',
  idParam: 'InternetGatewayId',
  idPattern: /^igw-[0-9a-f]{8,17}$/,
  idNoun: 'internetGateway ID',
  notFoundCode: 'InvalidInternetGatewayID.NotFound',
  malformedCode: 'InvalidInternetGatewayID.Malformed',
  resultElement: 'internetGatewaySet',
  maxResults: { min: 5, max: 1000 },
  items: (ec2) => ec2.InternetGateways ?? [],
  id: (g) => g.InternetGatewayId,
  tags: (g) => g.Tags,
  filters: {
    'internet-gateway-id': (g) => [g.InternetGatewayId],
    'attachment.vpc-id': (g) => [g.VpcId],
    'attachment.state': (g) => [g.VpcId ? 'available' : undefined],
    'owner-id': (_g, scope) => [scope.accountId],
  },
  render: (g, scope) => ({
    internetGatewayId: g.InternetGatewayId,
    ownerId: scope.accountId,
    attachmentSet: g.VpcId ? [{ vpcId: g.VpcId, state: 'available' }] : [],
    tagSet: tagSet(g.Tags),
  }),
};

// ------------------------------------------------------------------ NAT gateways

export const natGateways: Ec2Collection<NatGateway> = {
  operation: 'DescribeNatGateways',
  idParam: 'NatGatewayId',
  idPattern: /^nat-[0-9a-f]{8,17}$/,
  idNoun: 'NAT gateway ID',
  notFoundCode: 'NatGatewayNotFound',
  malformedCode: 'NatGatewayMalformed',
  resultElement: 'natGatewaySet',
  maxResults: { min: 5, max: 1000 },
  items: (ec2) => ec2.NatGateways ?? [],
  id: (n) => n.NatGatewayId,
  tags: (n) => n.Tags,
  filters: {
    'nat-gateway-id': (n) => [n.NatGatewayId],
    state: (n) => [n.State ?? 'available'],
    'subnet-id': (n) => [n.SubnetId],
    'vpc-id': (n) => [n.VpcId],
  },
  render: (n) => ({
    natGatewayId: n.NatGatewayId,
    subnetId: n.SubnetId,
    vpcId: n.VpcId,
    state: n.State ?? 'available',
    connectivityType: n.ConnectivityType ?? 'public',
    createTime: new Date(n.CreateTime),
    natGatewayAddressSet: [
      {
        allocationId: n.AllocationId,
        publicIp: n.PublicIp,
        privateIp: n.PrivateIp,
        networkInterfaceId: n.NetworkInterfaceId,
        isPrimary: true,
        status: 'succeeded',
      },
    ],
    tagSet: tagSet(n.Tags),
  }),
};

// ------------------------------------------------------------------ Elastic IP addresses

export const addresses: Ec2Collection<Address> = {
  operation: 'DescribeAddresses',
  idParam: 'AllocationId',
  idPattern: /^eipalloc-[0-9a-f]{8,17}$/,
  idNoun: 'allocation ID',
  notFoundCode: 'InvalidAllocationID.NotFound',
  malformedCode: 'InvalidAllocationID.Malformed',
  resultElement: 'addressesSet',
  // DescribeAddresses is not paginated: it answers every address at once.
  maxResults: { min: 5, max: 1000 },
  names: { param: 'PublicIp', of: (a) => a.PublicIp },
  items: (ec2) => ec2.Addresses ?? [],
  id: (a) => a.AllocationId,
  tags: (a) => a.Tags,
  filters: {
    'allocation-id': (a) => [a.AllocationId],
    'association-id': (a) => [a.AssociationId],
    domain: (a) => [a.Domain ?? 'vpc'],
    'instance-id': (a) => [a.InstanceId],
    'network-interface-id': (a) => [a.NetworkInterfaceId],
    'private-ip-address': (a) => [a.PrivateIpAddress],
    'public-ip': (a) => [a.PublicIp],
  },
  render: (a, scope) => ({
    allocationId: a.AllocationId,
    publicIp: a.PublicIp,
    domain: a.Domain ?? 'vpc',
    associationId: a.AssociationId,
    instanceId: a.InstanceId,
    networkInterfaceId: a.NetworkInterfaceId,
    networkInterfaceOwnerId: a.NetworkInterfaceId ? scope.accountId : undefined,
    privateIpAddress: a.PrivateIpAddress,
    publicIpv4Pool: 'amazon',
    networkBorderGroup: scope.region,
    tagSet: tagSet(a.Tags),
  }),
};

// ------------------------------------------------------------------ network ACLs

/** The entries AWS returns: the account file's, then the catch-all denies every ACL ends with (IPv6 only when it has IPv6 rules). */
function aclEntries(acl: NetworkAcl): NetworkAclEntry[] {
  const entries = acl.Entries ?? [];
  const catchAll = (egress: boolean): NetworkAclEntry[] => [
    { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: egress, CidrBlock: '0.0.0.0/0' },
    ...(entries.some((e) => e.Ipv6CidrBlock) ? [{ RuleNumber: 32768 as number, Protocol: '-1', RuleAction: 'deny' as const, Egress: egress, Ipv6CidrBlock: '::/0' }] : []),
  ];
  return [...entries, ...catchAll(false), ...catchAll(true)];
}

const aclAssociationId = (acl: NetworkAcl, subnetId: string, given: string | undefined) => given ?? `aclassoc-${stableHex(`${acl.NetworkAclId}/${subnetId}`, 17)}`;

export const networkAcls: Ec2Collection<NetworkAcl> = {
  operation: 'DescribeNetworkAcls',
  idParam: 'NetworkAclId',
  idPattern: /^acl-[0-9a-f]{8,17}$/,
  idNoun: 'networkAcl ID',
  notFoundCode: 'InvalidNetworkAclID.NotFound',
  malformedCode: 'InvalidNetworkAclID.Malformed',
  resultElement: 'networkAclSet',
  maxResults: { min: 5, max: 1000 },
  items: (ec2) => ec2.NetworkAcls ?? [],
  id: (a) => a.NetworkAclId,
  tags: (a) => a.Tags,
  filters: {
    'network-acl-id': (a) => [a.NetworkAclId],
    'vpc-id': (a) => [a.VpcId],
    default: (a) => [a.IsDefault ?? false],
    'association.subnet-id': (a) => (a.Associations ?? []).map((x) => x.SubnetId),
    'association.network-acl-id': (a) => ((a.Associations ?? []).length ? [a.NetworkAclId] : []),
    'entry.rule-number': (a) => aclEntries(a).map((e) => e.RuleNumber),
    'entry.rule-action': (a) => aclEntries(a).map((e) => e.RuleAction),
    'entry.protocol': (a) => aclEntries(a).map((e) => e.Protocol),
    'entry.cidr': (a) => aclEntries(a).map((e) => e.CidrBlock),
    'entry.ipv6-cidr': (a) => aclEntries(a).map((e) => e.Ipv6CidrBlock),
    'entry.egress': (a) => aclEntries(a).map((e) => e.Egress),
    'owner-id': (_a, scope) => [scope.accountId],
  },
  render: (a, scope) => ({
    networkAclId: a.NetworkAclId,
    vpcId: a.VpcId,
    default: a.IsDefault ?? false,
    ownerId: scope.accountId,
    entrySet: aclEntries(a).map((e) => ({
      ruleNumber: e.RuleNumber,
      protocol: e.Protocol,
      ruleAction: e.RuleAction,
      egress: e.Egress,
      cidrBlock: e.CidrBlock,
      ipv6CidrBlock: e.Ipv6CidrBlock,
      portRange: e.PortRange ? { from: e.PortRange.From, to: e.PortRange.To } : undefined,
      icmpTypeCode: e.IcmpTypeCode ? { type: e.IcmpTypeCode.Type, code: e.IcmpTypeCode.Code } : undefined,
    })),
    associationSet: (a.Associations ?? []).map((x) => ({
      networkAclAssociationId: aclAssociationId(a, x.SubnetId, x.NetworkAclAssociationId),
      networkAclId: a.NetworkAclId,
      subnetId: x.SubnetId,
    })),
    tagSet: tagSet(a.Tags),
  }),
};

// ------------------------------------------------------------------ flow logs

export const flowLogs: Ec2Collection<FlowLog> = {
  operation: 'DescribeFlowLogs',
  idParam: 'FlowLogId',
  idPattern: /^fl-[0-9a-f]{8,17}$/,
  idNoun: 'flow log ID',
  notFoundCode: 'InvalidFlowLogId.NotFound',
  malformedCode: 'InvalidFlowLogId.Malformed',
  resultElement: 'flowLogSet',
  maxResults: { min: 1, max: 1000 },
  items: (ec2) => ec2.FlowLogs ?? [],
  id: (f) => f.FlowLogId,
  tags: (f) => f.Tags,
  filters: {
    'flow-log-id': (f) => [f.FlowLogId],
    'resource-id': (f) => [f.ResourceId],
    'traffic-type': (f) => [f.TrafficType],
    'log-destination-type': (f) => [f.LogDestinationType ?? 'cloud-watch-logs'],
    'log-group-name': (f) => [f.LogGroupName],
    'deliver-log-status': (f) => [f.DeliverLogsStatus ?? 'SUCCESS'],
  },
  render: (f) => ({
    flowLogId: f.FlowLogId,
    creationTime: new Date(f.CreationTime),
    resourceId: f.ResourceId,
    trafficType: f.TrafficType,
    logDestinationType: f.LogDestinationType ?? 'cloud-watch-logs',
    logDestination: f.LogDestination,
    logGroupName: f.LogGroupName,
    deliverLogsPermissionArn: f.DeliverLogsPermissionArn,
    flowLogStatus: f.FlowLogStatus ?? 'ACTIVE',
    deliverLogsStatus: f.DeliverLogsStatus ?? 'SUCCESS',
    logFormat: f.LogFormat ?? '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}',
    maxAggregationInterval: f.MaxAggregationInterval ?? 600,
    tagSet: tagSet(f.Tags),
  }),
};

// ------------------------------------------------------------------ EBS volumes

const volumeState = (v: Volume) => v.State ?? ((v.Attachments ?? []).length ? 'in-use' : 'available');

export const volumes: Ec2Collection<Volume> = {
  operation: 'DescribeVolumes',
  idParam: 'VolumeId',
  idPattern: /^vol-[0-9a-f]{8,17}$/,
  idNoun: 'volume',
  notFoundCode: 'InvalidVolume.NotFound',
  malformedCode: 'InvalidVolumeID.Malformed',
  resultElement: 'volumeSet',
  maxResults: { min: 5, max: 500 },
  idsExcludeMaxResults: 'volumeIds',
  items: (ec2) => ec2.Volumes ?? [],
  id: (v) => v.VolumeId,
  tags: (v) => v.Tags,
  filters: {
    'volume-id': (v) => [v.VolumeId],
    'availability-zone': (v) => [v.AvailabilityZone],
    encrypted: (v) => [v.Encrypted],
    size: (v) => [v.Size],
    status: (v) => [volumeState(v)],
    'volume-type': (v) => [v.VolumeType ?? 'gp3'],
    'snapshot-id': (v) => [v.SnapshotId],
    'attachment.instance-id': (v) => (v.Attachments ?? []).map((a) => a.InstanceId),
    'attachment.device': (v) => (v.Attachments ?? []).map((a) => a.Device),
    'multi-attach-enabled': (v) => [v.MultiAttachEnabled ?? false],
  },
  render: (v) => ({
    volumeId: v.VolumeId,
    size: v.Size,
    snapshotId: v.SnapshotId ?? '',
    availabilityZone: v.AvailabilityZone,
    status: volumeState(v),
    createTime: new Date(v.CreateTime),
    attachmentSet: (v.Attachments ?? []).map((a) => ({
      volumeId: v.VolumeId,
      instanceId: a.InstanceId,
      device: a.Device,
      status: a.State ?? 'attached',
      attachTime: new Date(v.CreateTime),
      deleteOnTermination: a.DeleteOnTermination ?? false,
    })),
    volumeType: v.VolumeType ?? 'gp3',
    iops: v.Iops,
    throughput: v.Throughput,
    encrypted: v.Encrypted,
    kmsKeyId: v.KmsKeyId,
    multiAttachEnabled: v.MultiAttachEnabled ?? false,
    tagSet: tagSet(v.Tags),
  }),
};

// ------------------------------------------------------------------ EBS snapshots and AMIs (this account's own)

export const ebsSnapshots: Ec2Collection<EbsSnapshot> = {
  operation: 'DescribeSnapshots',
  idParam: 'SnapshotId',
  idPattern: /^snap-[0-9a-f]{8,17}$/,
  idNoun: 'snapshot',
  notFoundCode: 'InvalidSnapshot.NotFound',
  malformedCode: 'InvalidSnapshotID.Malformed',
  resultElement: 'snapshotSet',
  maxResults: { min: 5, max: 1000 },
  ownerParam: 'Owner',
  items: (ec2) => ec2.Snapshots ?? [],
  id: (s) => s.SnapshotId,
  tags: (s) => s.Tags,
  filters: {
    'snapshot-id': (s) => [s.SnapshotId],
    'volume-id': (s) => [s.VolumeId],
    status: (s) => [s.State ?? 'completed'],
    encrypted: (s) => [s.Encrypted],
    'owner-id': (_s, scope) => [scope.accountId],
    'volume-size': (s) => [s.VolumeSize],
    description: (s) => [s.Description ?? ''],
  },
  render: (s, scope) => ({
    snapshotId: s.SnapshotId,
    volumeId: s.VolumeId ?? 'vol-ffffffff',
    status: s.State ?? 'completed',
    startTime: new Date(s.StartTime),
    progress: '100%',
    ownerId: scope.accountId,
    description: s.Description ?? '',
    volumeSize: s.VolumeSize,
    encrypted: s.Encrypted,
    kmsKeyId: s.KmsKeyId,
    storageTier: 'standard',
    tagSet: tagSet(s.Tags),
  }),
};

export const imageIsPublic = (i: Image) => (i.LaunchPermissions ?? []).some((p) => p.Group === 'all');

export const images: Ec2Collection<Image> = {
  operation: 'DescribeImages',
  idParam: 'ImageId',
  idPattern: /^ami-[0-9a-f]{8,17}$/,
  idNoun: 'image id',
  notFoundCode: 'InvalidAMIID.NotFound',
  malformedCode: 'InvalidAMIID.Malformed',
  resultElement: 'imagesSet',
  maxResults: { min: 5, max: 1000 },
  ownerParam: 'Owner',
  items: (ec2) => ec2.Images ?? [],
  id: (i) => i.ImageId,
  tags: (i) => i.Tags,
  filters: {
    'image-id': (i) => [i.ImageId],
    name: (i) => [i.Name],
    state: (i) => [i.State ?? 'available'],
    'is-public': (i) => [imageIsPublic(i)],
    'owner-id': (_i, scope) => [scope.accountId],
    architecture: (i) => [i.Architecture ?? 'x86_64'],
    'image-type': () => ['machine'],
  },
  render: (i, scope) => ({
    imageId: i.ImageId,
    imageLocation: `${scope.accountId}/${i.Name}`,
    imageState: i.State ?? 'available',
    imageOwnerId: scope.accountId,
    creationDate: i.CreationDate,
    isPublic: imageIsPublic(i),
    architecture: i.Architecture ?? 'x86_64',
    imageType: 'machine',
    name: i.Name,
    description: i.Description,
    rootDeviceType: 'ebs',
    rootDeviceName: i.RootDeviceName ?? '/dev/xvda',
    blockDeviceMapping: (i.BlockDeviceSnapshots ?? []).map((snapshotId, n) => ({
      deviceName: n === 0 ? (i.RootDeviceName ?? '/dev/xvda') : `/dev/sd${String.fromCharCode(102 + n)}`,
      ebs: { snapshotId, deleteOnTermination: true, volumeType: 'gp3', encrypted: false },
    })),
    virtualizationType: 'hvm',
    hypervisor: 'xen',
    enaSupport: true,
    platformDetails: 'Linux/UNIX',
    tagSet: tagSet(i.Tags),
  }),
};

// ------------------------------------------------------------------ VPC endpoints

/** What AWS answers for an endpoint made without a policy: full access. */
export const DEFAULT_ENDPOINT_POLICY = '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}';

const endpointType = (e: VpcEndpoint) => e.VpcEndpointType ?? 'Gateway';
const endpointPolicy = (e: VpcEndpoint) =>
  e.PolicyDocument === undefined ? DEFAULT_ENDPOINT_POLICY : typeof e.PolicyDocument === 'string' ? e.PolicyDocument : JSON.stringify(e.PolicyDocument);

export const vpcEndpoints: Ec2Collection<VpcEndpoint> = {
  operation: 'DescribeVpcEndpoints',
  idParam: 'VpcEndpointId',
  idPattern: /^vpce-[0-9a-f]{8,17}$/,
  idNoun: 'VPC endpoint ID',
  notFoundCode: 'InvalidVpcEndpointId.NotFound',
  malformedCode: 'InvalidVpcEndpointId.Malformed',
  resultElement: 'vpcEndpointSet',
  maxResults: { min: 1, max: 1000 },
  items: (ec2) => ec2.VpcEndpoints ?? [],
  id: (e) => e.VpcEndpointId,
  tags: (e) => e.Tags,
  filters: {
    'vpc-endpoint-id': (e) => [e.VpcEndpointId],
    'vpc-id': (e) => [e.VpcId],
    'service-name': (e) => [e.ServiceName],
    'vpc-endpoint-state': (e) => [e.State ?? 'available'],
    'vpc-endpoint-type': (e) => [endpointType(e)],
    'ip-address-type': () => ['ipv4'],
  },
  render: (e, scope) => ({
    vpcEndpointId: e.VpcEndpointId,
    vpcEndpointType: endpointType(e),
    vpcId: e.VpcId,
    serviceName: e.ServiceName,
    state: e.State ?? 'available',
    policyDocument: endpointPolicy(e),
    routeTableIdSet: e.RouteTableIds ?? [],
    subnetIdSet: e.SubnetIds ?? [],
    groupSet: (e.Groups ?? []).map((g) => ({ groupId: g.GroupId, groupName: g.GroupName })),
    ipAddressType: 'ipv4',
    privateDnsEnabled: e.PrivateDnsEnabled ?? false,
    requesterManaged: false,
    networkInterfaceIdSet: endpointType(e) === 'Interface' ? (e.SubnetIds ?? []).map((subnet) => `eni-${stableHex(`${e.VpcEndpointId}/${subnet}`, 17)}`) : [],
    dnsEntrySet: [],
    creationTimestamp: new Date(e.CreationTimestamp),
    ownerId: scope.accountId,
    tagSet: tagSet(e.Tags),
  }),
};

// ------------------------------------------------------------------ key pairs

/** DescribeKeyPairs is not paginated: it answers every key pair of the region at once. */
export const keyPairs: Ec2Collection<KeyPair> = {
  operation: 'DescribeKeyPairs',
  idParam: 'KeyPairId',
  idPattern: /^key-[0-9a-f]{8,17}$/,
  idNoun: 'key pair',
  notFoundCode: 'InvalidKeyPair.NotFound',
  malformedCode: 'InvalidKeyPair.NotFound',
  resultElement: 'keySet',
  maxResults: { min: 5, max: 1000 },
  names: { param: 'KeyName', of: (k) => k.KeyName },
  items: (ec2) => ec2.KeyPairs ?? [],
  id: (k) => k.KeyPairId,
  tags: (k) => k.Tags,
  filters: {
    'key-pair-id': (k) => [k.KeyPairId],
    'key-name': (k) => [k.KeyName],
    fingerprint: (k) => [k.KeyFingerprint],
  },
  render: (k) => ({
    keyPairId: k.KeyPairId,
    keyType: k.KeyType ?? 'rsa',
    tagSet: tagSet(k.Tags),
    createTime: new Date(k.CreateTime),
    keyName: k.KeyName,
    keyFingerprint: k.KeyFingerprint,
  }),
};

// ------------------------------------------------------------------ launch templates

export const latestVersionNumber = (t: LaunchTemplate) => Math.max(...t.Versions.map((v) => v.VersionNumber));
export const defaultVersionNumber = (t: LaunchTemplate) => t.DefaultVersionNumber ?? Math.min(...t.Versions.map((v) => v.VersionNumber));
const createdBy = (scope: Ec2Scope) => `arn:aws:iam::${scope.accountId}:root`;

export const launchTemplates: Ec2Collection<LaunchTemplate> = {
  operation: 'DescribeLaunchTemplates',
  idParam: 'LaunchTemplateId',
  idPattern: /^lt-[0-9a-f]{8,17}$/,
  idNoun: 'launch template ID',
  notFoundCode: 'InvalidLaunchTemplateId.NotFound',
  malformedCode: 'InvalidLaunchTemplateId.Malformed',
  resultElement: 'launchTemplates',
  maxResults: { min: 1, max: 200 },
  names: {
    param: 'LaunchTemplateName',
    of: (t) => t.LaunchTemplateName,
    notFoundCode: 'InvalidLaunchTemplateName.NotFoundException',
    notFoundMessage: 'At least one of the launch templates specified in the request does not exist.',
  },
  items: (ec2) => ec2.LaunchTemplates ?? [],
  id: (t) => t.LaunchTemplateId,
  tags: (t) => t.Tags,
  filters: {
    'launch-template-name': (t) => [t.LaunchTemplateName],
    'create-time': (t) => [t.CreateTime],
  },
  render: (t, scope) => ({
    launchTemplateId: t.LaunchTemplateId,
    launchTemplateName: t.LaunchTemplateName,
    createTime: new Date(t.CreateTime),
    createdBy: createdBy(scope),
    defaultVersionNumber: defaultVersionNumber(t),
    latestVersionNumber: latestVersionNumber(t),
    tagSet: tagSet(t.Tags),
  }),
};

/** One version as DescribeLaunchTemplateVersions renders it. */
export function renderLaunchTemplateVersion(t: LaunchTemplate, v: LaunchTemplateVersion, scope: Ec2Scope): XmlValue {
  const d = v.LaunchTemplateData;
  return {
    launchTemplateId: t.LaunchTemplateId,
    launchTemplateName: t.LaunchTemplateName,
    versionNumber: v.VersionNumber,
    versionDescription: v.VersionDescription,
    createTime: new Date(v.CreateTime ?? t.CreateTime),
    createdBy: createdBy(scope),
    defaultVersion: v.VersionNumber === defaultVersionNumber(t),
    launchTemplateData: {
      imageId: d.ImageId,
      instanceType: d.InstanceType,
      keyName: d.KeyName,
      userData: d.UserData,
      ebsOptimized: d.EbsOptimized,
      iamInstanceProfile: d.IamInstanceProfile ? { arn: d.IamInstanceProfile.Arn, name: d.IamInstanceProfile.Name } : undefined,
      securityGroupIdSet: d.SecurityGroupIds,
      metadataOptions: d.MetadataOptions
        ? {
            state: 'applied',
            httpTokens: d.MetadataOptions.HttpTokens,
            httpPutResponseHopLimit: d.MetadataOptions.HttpPutResponseHopLimit,
            httpEndpoint: d.MetadataOptions.HttpEndpoint,
          }
        : undefined,
      blockDeviceMappingSet: d.BlockDeviceMappings?.map((b) => ({
        deviceName: b.DeviceName,
        ebs: b.Ebs
          ? { encrypted: b.Ebs.Encrypted, kmsKeyId: b.Ebs.KmsKeyId, volumeSize: b.Ebs.VolumeSize, volumeType: b.Ebs.VolumeType, deleteOnTermination: b.Ebs.DeleteOnTermination }
          : undefined,
      })),
    },
  };
}
