/**
 * VPC endpoints. Compared: the VPC, service, endpoint type, the endpoint policy as a policy
 * (statement by statement: AWS's full-access default when none was set, which the provider keeps
 * in state as computed), private DNS, the subnets, route tables and security groups as sets, and
 * tags. Not compared: what AWS assigns (network interfaces, DNS entries, prefix lists, state).
 * An endpoint a service made for itself (requester-managed) is never "unmanaged". Import id: the
 * endpoint id.
 */
import type { VpcEndpoint } from '@aws-sdk/client-ec2';
import { ec2Arn, lookupRegional, regionalIndex, stringAttr, tagMap, type LiveInventory, type Regional } from './inventory.js';
import { memo } from './memo.js';
import type { LiveObject, LiveTypeSpec } from './types.js';

/** Endpoints by id; a deleted one lingers in the listing for a while: it is gone. */
const endpoints = memo((live) =>
  regionalIndex(live.snapshot.ec2, 'DescribeVpcEndpoints', (ec2) => ec2.vpcEndpoints, (e: VpcEndpoint) =>
    e.State?.toLowerCase() === 'deleted' || e.State?.toLowerCase() === 'deleting' ? undefined : e.VpcEndpointId,
  ),
);

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : []);

function toEndpointObject({ region, value: e }: Regional<VpcEndpoint>, live: LiveInventory): LiveObject {
  const id = e.VpcEndpointId!;
  const type = e.VpcEndpointType ?? 'Gateway';
  return {
    type: 'aws_vpc_endpoint',
    importId: id,
    resourceId: ec2Arn(live, region, 'vpc-endpoint', id),
    region,
    name: tagMap(e.Tags).Name ?? id,
    attributes: {
      vpc_id: e.VpcId,
      service_name: e.ServiceName,
      vpc_endpoint_type: type,
      policy: e.PolicyDocument,
      private_dns_enabled: e.PrivateDnsEnabled === true,
      subnet_ids: strings(e.SubnetIds),
      route_table_ids: strings(e.RouteTableIds),
      security_group_ids: strings((e.Groups ?? []).map((g) => g.GroupId)),
      tags: tagMap(e.Tags),
    },
    stub: {
      vpc_id: e.VpcId ?? '',
      service_name: e.ServiceName ?? '',
      ...(type === 'Gateway' ? {} : { vpc_endpoint_type: type }),
    },
  };
}

const vpcEndpoint: LiveTypeSpec = {
  type: 'aws_vpc_endpoint',
  importIdFormat: 'VPC endpoint id',
  compared: [
    { path: 'vpc_id', kind: 'value' },
    { path: 'service_name', kind: 'value' },
    { path: 'vpc_endpoint_type', kind: 'value', normalize: (a) => a.vpc_endpoint_type ?? 'Gateway' },
    { path: 'policy', kind: 'policy' },
    { path: 'private_dns_enabled', kind: 'value', normalize: (a) => a.private_dns_enabled === true },
    { path: 'subnet_ids', kind: 'set', normalize: (a) => strings(a.subnet_ids) },
    { path: 'route_table_ids', kind: 'set', normalize: (a) => strings(a.route_table_ids) },
    { path: 'security_group_ids', kind: 'set', normalize: (a) => strings(a.security_group_ids) },
    { path: 'tags', kind: 'tags' },
  ],
  resourceIdOf: (attributes) => stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'id') ?? '',
  lookup(attributes, live) {
    const found = lookupRegional(endpoints(live), stringAttr(attributes, 'id'), live, stringAttr(attributes, 'arn'));
    return 'item' in found ? { found: toEndpointObject(found.item, live) } : found;
  },
  enumerate: (live) => [...endpoints(live).items.values()].filter((e) => e.value.RequesterManaged !== true).map((e) => toEndpointObject(e, live)),
};

export const VPC_ENDPOINT_TYPES: readonly LiveTypeSpec[] = [vpcEndpoint];
