/**
 * Network ACLs (inline rules, `aws_network_acl_rule`, the VPC's default ACL), flow logs, EBS
 * volumes and EBS encryption by default.
 *
 * A network ACL's rules are compared as a set of lines, `RULE ACTION PROTOCOL PORTS SOURCE`, per
 * direction. AWS's catch-all deny rules (32767, 32768) are not Terraform's and never compared.
 * Protocols compare by number: the provider accepts "tcp" or "6" and AWS answers "6".
 */
import type { FlowLog, NetworkAcl, NetworkAclEntry, Volume } from '@aws-sdk/client-ec2';
import type { FileSystemDescription } from '@aws-sdk/client-efs';
import { ec2Arn, lookupRegional, stringAttr, tagMap, type LiveInventory, type Regional } from './inventory.js';
import type { LiveObject, LiveTypeSpec } from './types.js';


// ---------------------------------------------------------------- network ACLs

const PROTOCOL_NUMBERS: Record<string, string> = { all: '-1', tcp: '6', udp: '17', icmp: '1', icmpv6: '58' };

function protocolNumber(protocol: unknown): string {
  const text = String(protocol ?? '-1').toLowerCase();
  return PROTOCOL_NUMBERS[text] ?? text;
}

interface AclRule {
  ruleNumber: number;
  action: string;
  protocol: string;
  fromPort: number;
  toPort: number;
  icmpType: number;
  icmpCode: number;
  source: string;
}

/** The rule as one line; ports only where the protocol has them (TCP, UDP), ICMP type/code where it has those. */
function ruleText(r: AclRule): string {
  const detail = r.protocol === '6' || r.protocol === '17' ? ` ${r.fromPort === r.toPort ? r.fromPort : `${r.fromPort}-${r.toPort}`}` : r.protocol === '1' || r.protocol === '58' ? ` type ${r.icmpType} code ${r.icmpCode}` : '';
  return `${r.ruleNumber} ${r.action} ${r.protocol}${detail} ${r.source}`;
}

/** A rule line's identity within its direction: the rule number (its first token). */
const ruleNumberOf = (member: string) => member.split(' ')[0]!;

function liveRules(acl: NetworkAcl, egress: boolean): string[] {
  return (acl.Entries ?? [])
    .filter((e) => (e.Egress === true) === egress && (e.RuleNumber ?? 0) < 32767)
    .map((e: NetworkAclEntry) =>
      ruleText({
        ruleNumber: e.RuleNumber ?? 0,
        action: e.RuleAction ?? '',
        protocol: protocolNumber(e.Protocol),
        fromPort: e.PortRange?.From ?? 0,
        toPort: e.PortRange?.To ?? 0,
        icmpType: e.IcmpTypeCode?.Type ?? 0,
        icmpCode: e.IcmpTypeCode?.Code ?? 0,
        source: e.Ipv6CidrBlock || e.CidrBlock || '',
      }),
    );
}

/** `aws_network_acl.ingress` blocks or an `aws_network_acl_rule`, as a rule line. */
function stateRule(block: Record<string, unknown>, numberKey: 'rule_no' | 'rule_number', actionKey: 'action' | 'rule_action'): string {
  const text = (key: string) => (typeof block[key] === 'string' ? (block[key] as string) : '');
  return ruleText({
    ruleNumber: Number(block[numberKey] ?? 0),
    action: text(actionKey),
    protocol: protocolNumber(block.protocol),
    fromPort: Number(block.from_port ?? 0),
    toPort: Number(block.to_port ?? 0),
    icmpType: Number(block.icmp_type ?? 0),
    icmpCode: Number(block.icmp_code ?? 0),
    source: text('ipv6_cidr_block') || text('cidr_block'),
  });
}

function stateRules(direction: 'ingress' | 'egress') {
  return (attributes: Record<string, unknown>): string[] => {
    const blocks = Array.isArray(attributes[direction]) ? (attributes[direction] as unknown[]) : [];
    return blocks.filter((b): b is Record<string, unknown> => b !== null && typeof b === 'object').map((b) => stateRule(b, 'rule_no', 'action'));
  };
}

const aclClaimKey = (id: string | undefined) => (id ? `network-acl:${id}` : undefined);

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : [];
}

function toAclObject(type: string, { region, value: a }: Regional<NetworkAcl>, live: LiveInventory): LiveObject {
  const id = a.NetworkAclId!;
  const subnets = (a.Associations ?? []).map((x) => x.SubnetId).filter((s): s is string => !!s);
  return {
    type,
    importId: id,
    resourceId: ec2Arn(live, region, 'network-acl', id),
    region,
    name: tagMap(a.Tags).Name ?? id,
    attributes: { vpc_id: a.VpcId, subnet_ids: subnets, ingress: liveRules(a, false), egress: liveRules(a, true), tags: tagMap(a.Tags) },
    stub: type === 'aws_default_network_acl' ? { default_network_acl_id: id } : { vpc_id: a.VpcId ?? '' },
  };
}

function aclSpec(type: 'aws_network_acl' | 'aws_default_network_acl'): LiveTypeSpec {
  const idKey = type === 'aws_network_acl' ? 'id' : 'default_network_acl_id';
  return {
    type,
    importIdFormat: 'network ACL id',
    compared: [
      ...(type === 'aws_network_acl' ? [{ path: 'vpc_id', kind: 'value' as const }] : []),
      { path: 'subnet_ids', kind: 'set', normalize: (a) => strings(a.subnet_ids) },
      { path: 'ingress', kind: 'set', normalize: stateRules('ingress'), memberKey: ruleNumberOf },
      { path: 'egress', kind: 'set', normalize: stateRules('egress'), memberKey: ruleNumberOf },
      { path: 'tags', kind: 'tags' },
    ],
    // Rules declared as aws_network_acl_rule belong to the ACL too; they are compared on their own resources.
    claimKey: (attributes) => aclClaimKey(stringAttr(attributes, idKey) ?? stringAttr(attributes, 'id')),
    resourceIdOf: (attributes) => stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'id') ?? '',
    lookup(attributes, live) {
      const found = lookupRegional(live.networkAcls, stringAttr(attributes, idKey) ?? stringAttr(attributes, 'id'), live, stringAttr(attributes, 'arn'));
      return 'item' in found ? { found: toAclObject(type, found.item, live) } : found;
    },
    // A VPC's default ACL is made by AWS with the VPC: managed or not, it is never "unmanaged".
    ...(type === 'aws_network_acl'
      ? { enumerate: (live: LiveInventory) => [...live.networkAcls.items.values()].filter((a) => a.value.IsDefault !== true).map((a) => toAclObject(type, a, live)) }
      : {}),
  };
}

/** `aws_network_acl_rule`: one entry, found by ACL, direction and rule number. */
const aclRule: LiveTypeSpec = {
  type: 'aws_network_acl_rule',
  importIdFormat: 'NETWORK_ACL_ID:RULE_NUMBER:PROTOCOL:EGRESS (acl-0123:100:tcp:false)',
  compared: [{ path: 'rule', kind: 'value', normalize: (a) => stateRule(a, 'rule_number', 'rule_action') }],
  resourceIdOf: (attributes) => stringAttr(attributes, 'id') ?? '',
  claims(attributes) {
    const owner = aclClaimKey(stringAttr(attributes, 'network_acl_id'));
    return owner ? [{ owner, path: attributes.egress === true ? 'egress' : 'ingress', members: [String(Number(attributes.rule_number ?? 0))] }] : [];
  },
  lookup(attributes, live) {
    const aclId = stringAttr(attributes, 'network_acl_id');
    const found = lookupRegional(live.networkAcls, aclId, live);
    if (!('item' in found)) return found;
    const egress = attributes.egress === true;
    const number = String(Number(attributes.rule_number ?? 0));
    const rule = liveRules(found.item.value, egress).find((r) => ruleNumberOf(r) === number);
    if (!rule) return { gone: true };
    const importId = `${aclId}:${number}:${String(attributes.protocol ?? '-1')}:${egress}`;
    return {
      found: { type: 'aws_network_acl_rule', importId, resourceId: stringAttr(attributes, 'id') ?? importId, region: found.item.region, name: importId, attributes: { rule }, stub: {} },
    };
  },
};

// ---------------------------------------------------------------- flow logs

const orEmpty = (name: string) => (a: Record<string, unknown>) => (typeof a[name] === 'string' ? a[name] : '');
const resourceOf = (f: FlowLog, prefix: string) => (f.ResourceId?.startsWith(prefix) ? f.ResourceId : '');

const FLOW_LOG_FIELDS: Record<string, { live: (f: FlowLog) => unknown; state?: (a: Record<string, unknown>) => unknown; optional?: boolean }> = {
  traffic_type: { live: (f) => f.TrafficType },
  log_destination_type: { live: (f) => f.LogDestinationType ?? 'cloud-watch-logs', state: (a) => a.log_destination_type ?? 'cloud-watch-logs' },
  log_destination: { live: (f) => f.LogDestination, optional: true },
  iam_role_arn: { live: (f) => f.DeliverLogsPermissionArn ?? '', state: orEmpty('iam_role_arn') },
  vpc_id: { live: (f) => resourceOf(f, 'vpc-'), state: orEmpty('vpc_id') },
  subnet_id: { live: (f) => resourceOf(f, 'subnet-'), state: orEmpty('subnet_id') },
  eni_id: { live: (f) => resourceOf(f, 'eni-'), state: orEmpty('eni_id') },
  max_aggregation_interval: { live: (f) => f.MaxAggregationInterval ?? 600, state: (a) => a.max_aggregation_interval ?? 600 },
  log_format: { live: (f) => f.LogFormat, optional: true },
};

function toFlowLogObject({ region, value: f }: Regional<FlowLog>, live: LiveInventory): LiveObject {
  const id = f.FlowLogId!;
  return {
    type: 'aws_flow_log',
    importId: id,
    resourceId: ec2Arn(live, region, 'vpc-flow-log', id),
    region,
    name: tagMap(f.Tags).Name ?? id,
    attributes: { ...Object.fromEntries(Object.entries(FLOW_LOG_FIELDS).map(([path, field]) => [path, field.live(f)])), tags: tagMap(f.Tags) },
    stub: {
      traffic_type: f.TrafficType ?? 'ALL',
      ...(f.ResourceId?.startsWith('vpc-') ? { vpc_id: f.ResourceId } : f.ResourceId?.startsWith('subnet-') ? { subnet_id: f.ResourceId } : { eni_id: f.ResourceId ?? '' }),
      log_destination_type: f.LogDestinationType ?? 'cloud-watch-logs',
      ...(f.LogDestination ? { log_destination: f.LogDestination } : f.LogGroupName ? { log_group_name: f.LogGroupName } : {}),
      ...(f.DeliverLogsPermissionArn ? { iam_role_arn: f.DeliverLogsPermissionArn } : {}),
    },
  };
}

const flowLog: LiveTypeSpec = {
  type: 'aws_flow_log',
  importIdFormat: 'flow log id',
  compared: [
    ...Object.entries(FLOW_LOG_FIELDS).map(([path, f]) => ({ path, kind: 'value' as const, ...(f.state ? { normalize: f.state } : {}), ...(f.optional ? { optional: true } : {}) })),
    { path: 'tags', kind: 'tags' as const },
  ],
  resourceIdOf: (attributes) => stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'id') ?? '',
  lookup(attributes, live) {
    const found = lookupRegional(live.flowLogs, stringAttr(attributes, 'id'), live, stringAttr(attributes, 'arn'));
    return 'item' in found ? { found: toFlowLogObject(found.item, live) } : found;
  },
  enumerate: (live) => [...live.flowLogs.items.values()].map((f) => toFlowLogObject(f, live)),
};

// ---------------------------------------------------------------- EBS volumes

const VOLUME_FIELDS: Record<string, { live: (v: Volume) => unknown; state?: (a: Record<string, unknown>) => unknown; optional?: boolean }> = {
  availability_zone: { live: (v) => v.AvailabilityZone },
  size: { live: (v) => v.Size },
  type: { live: (v) => v.VolumeType },
  iops: { live: (v) => v.Iops, optional: true },
  throughput: { live: (v) => v.Throughput, optional: true },
  encrypted: { live: (v) => v.Encrypted === true },
  kms_key_id: { live: (v) => v.KmsKeyId ?? '', state: orEmpty('kms_key_id') },
  snapshot_id: { live: (v) => v.SnapshotId ?? '', state: orEmpty('snapshot_id') },
  multi_attach_enabled: { live: (v) => v.MultiAttachEnabled === true, state: (a) => a.multi_attach_enabled === true },
};

function toVolumeObject({ region, value: v }: Regional<Volume>, live: LiveInventory): LiveObject {
  const id = v.VolumeId!;
  return {
    type: 'aws_ebs_volume',
    importId: id,
    resourceId: ec2Arn(live, region, 'volume', id),
    region,
    name: tagMap(v.Tags).Name ?? id,
    attributes: { ...Object.fromEntries(Object.entries(VOLUME_FIELDS).map(([path, field]) => [path, field.live(v)])), tags: tagMap(v.Tags) },
    stub: { availability_zone: v.AvailabilityZone ?? '', size: v.Size ?? 0 },
  };
}

const ebsVolume: LiveTypeSpec = {
  type: 'aws_ebs_volume',
  importIdFormat: 'volume id',
  compared: [
    ...Object.entries(VOLUME_FIELDS).map(([path, f]) => ({ path, kind: 'value' as const, ...(f.state ? { normalize: f.state } : {}), ...(f.optional ? { optional: true } : {}) })),
    { path: 'tags', kind: 'tags' as const },
  ],
  resourceIdOf: (attributes) => stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'id') ?? '',
  lookup(attributes, live) {
    const found = lookupRegional(live.volumes, stringAttr(attributes, 'id'), live, stringAttr(attributes, 'arn'));
    return 'item' in found ? { found: toVolumeObject(found.item, live) } : found;
  },
  // A volume made with its instance (a block device that goes when the instance does) is the
  // instance's `root_block_device`/`ebs_block_device`, not an aws_ebs_volume: never "unmanaged".
  enumerate: (live) => [...live.volumes.items.values()].filter((v) => !(v.value.Attachments ?? []).some((a) => a.DeleteOnTermination)).map((v) => toVolumeObject(v, live)),
};

// ---------------------------------------------------------------- EBS encryption by default

function encryptionObject(region: string, enabled: boolean): LiveObject {
  return { type: 'aws_ebs_encryption_by_default', importId: 'default', resourceId: `ebs-encryption-by-default:${region}`, region, name: `EBS encryption by default (${region})`, attributes: { enabled }, stub: { enabled } };
}

/** One per region: the provider's id is the region. Unmanaged only when turned on (off is how every account starts). */
const ebsEncryptionByDefault: LiveTypeSpec = {
  type: 'aws_ebs_encryption_by_default',
  importIdFormat: '"default" (run in the region it manages)',
  compared: [{ path: 'enabled', kind: 'value', normalize: (a) => a.enabled !== false }],
  resourceIdOf: (attributes) => `ebs-encryption-by-default:${stringAttr(attributes, 'region') ?? stringAttr(attributes, 'id') ?? ''}`,
  lookup(attributes, live) {
    const region = stringAttr(attributes, 'region') ?? stringAttr(attributes, 'id');
    if (!region || !live.regions.includes(region)) return { unknown: region ? `region ${region} was not read` : 'the state instance names no region' };
    const setting = live.ebsEncryptionByDefault.get(region);
    if (!setting) return { unknown: `EC2 was not read in ${region}` };
    if (setting.error) return { unknown: `GetEbsEncryptionByDefault failed in ${region}: ${setting.error.code}` };
    return { found: encryptionObject(region, setting.value) };
  },
  enumerate: (live) => [...live.ebsEncryptionByDefault.entries()].filter(([, s]) => s.value === true).map(([region]) => encryptionObject(region, true)),
};

// ---------------------------------------------------------------- EFS file systems

const EFS_FIELDS: Record<string, { live: (f: FileSystemDescription) => unknown; state?: (a: Record<string, unknown>) => unknown }> = {
  encrypted: { live: (f) => f.Encrypted === true, state: (a) => a.encrypted === true },
  kms_key_id: { live: (f) => f.KmsKeyId ?? '', state: orEmpty('kms_key_id') },
  performance_mode: { live: (f) => f.PerformanceMode },
  throughput_mode: { live: (f) => f.ThroughputMode },
  creation_token: { live: (f) => f.CreationToken },
};

function toFileSystemObject({ region, value: f }: Regional<FileSystemDescription>): LiveObject {
  const id = f.FileSystemId!;
  return {
    type: 'aws_efs_file_system',
    importId: id,
    resourceId: f.FileSystemArn ?? id,
    region,
    name: f.Name ?? id,
    attributes: { ...Object.fromEntries(Object.entries(EFS_FIELDS).map(([path, field]) => [path, field.live(f)])), tags: tagMap(f.Tags) },
    stub: { creation_token: f.CreationToken ?? id, encrypted: f.Encrypted === true },
  };
}

const efsFileSystem: LiveTypeSpec = {
  type: 'aws_efs_file_system',
  importIdFormat: 'file system id',
  compared: [
    ...Object.entries(EFS_FIELDS).map(([path, f]) => ({ path, kind: 'value' as const, ...(f.state ? { normalize: f.state } : {}) })),
    { path: 'tags', kind: 'tags' as const },
  ],
  resourceIdOf: (attributes) => stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'id') ?? '',
  lookup(attributes, live) {
    const found = lookupRegional(live.efsFileSystems, stringAttr(attributes, 'id'), live, stringAttr(attributes, 'arn'));
    return 'item' in found ? { found: toFileSystemObject(found.item) } : found;
  },
  enumerate: (live) => [...live.efsFileSystems.items.values()].map(toFileSystemObject),
};

export const EC2_STORAGE_TYPES: readonly LiveTypeSpec[] = [aclSpec('aws_network_acl'), aclSpec('aws_default_network_acl'), aclRule, flowLog, ebsVolume, ebsEncryptionByDefault, efsFileSystem];
