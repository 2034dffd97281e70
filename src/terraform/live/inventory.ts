/**
 * The live inventory indexed the ways Terraform ids point into it: buckets and IAM principals
 * by name, policies by ARN, security groups by id, DB instances by region and identifier.
 * A list that could not be read is kept as its error, so a lookup in it says `unknown` rather
 * than reporting everything in it as missing.
 */
import type { Address, FlowLog, Instance, InternetGateway, NatGateway, NetworkAcl, RouteTable, SecurityGroup, Subnet, Volume, Vpc } from '@aws-sdk/client-ec2';
import type { FileSystemDescription } from '@aws-sdk/client-efs';
import type { DBCluster, DBInstance } from '@aws-sdk/client-rds';
import type { AliasListEntry } from '@aws-sdk/client-kms';
import type { MetricFilter } from '@aws-sdk/client-cloudwatch-logs';
import type { Ec2Inventory, IamGroup, IamInstanceProfile, IamManagedPolicy, IamRole, IamUser, CloudTrailInventory, CloudTrailTrail, CloudWatchInventory, InventorySnapshot, KmsInventory, KmsKey, LogsInventory, Read, SnsInventory, SnsSubscription, SnsTopic, RdsInventory, RdsSnapshot, RdsSubnetGroup, S3Bucket, EfsInventory, EcrInventory, EcrRepository, SecretsManagerInventory, SecretsManagerSecret, TaggedAlarm, TaggedLogGroup } from '../../inventory/snapshot.js';

export type Indexed<T> = { items: ReadonlyMap<string, T> } | { error: string };

export interface Regional<T> {
  region: string;
  value: T;
}

/**
 * Regional objects by id, across the regions read. `errors` names the regions whose list failed:
 * an id found nowhere is gone for sure only when no region's list failed.
 */
export interface RegionalIndex<T> {
  items: ReadonlyMap<string, Regional<T>>;
  errors: string[];
  /** What was listed, for the reason a lookup is unknown (`DescribeVpcs`). */
  operation: string;
}

export class LiveInventory {
  readonly accountId: string;
  readonly partition: string;
  readonly buckets: Indexed<S3Bucket>;
  readonly roles: Indexed<IamRole>;
  readonly users: Indexed<IamUser>;
  readonly groups: Indexed<IamGroup>;
  /** Customer-managed and attached AWS-managed policies, by ARN. */
  readonly policies: Indexed<IamManagedPolicy>;
  /** By group id, across the regions read; `errors` names regions whose list failed. */
  readonly securityGroups: ReadonlyMap<string, Regional<SecurityGroup>>;
  readonly securityGroupErrors: string[];
  /** By `region/identifier`. */
  readonly dbInstances: ReadonlyMap<string, Regional<DBInstance>>;
  readonly dbInstanceErrors: string[];
  readonly vpcs: RegionalIndex<Vpc>;
  readonly subnets: RegionalIndex<Subnet>;
  readonly routeTables: RegionalIndex<RouteTable>;
  readonly instances: RegionalIndex<Instance>;
  readonly internetGateways: RegionalIndex<InternetGateway>;
  readonly natGateways: RegionalIndex<NatGateway>;
  /** Elastic IPs by allocation id. */
  readonly addresses: RegionalIndex<Address>;
  /** By name (lowercase, as RDS keeps them). */
  readonly dbSubnetGroups: RegionalIndex<RdsSubnetGroup>;
  readonly instanceProfiles: Indexed<IamInstanceProfile>;
  /** Manual DB snapshots, by identifier. */
  readonly dbSnapshots: RegionalIndex<RdsSnapshot>;
  /** DB clusters, by identifier (lowercase, as RDS keeps them). */
  readonly dbClusters: RegionalIndex<DBCluster>;
  /** EFS file systems, by id. */
  readonly efsFileSystems: RegionalIndex<FileSystemDescription>;
  /** Network ACLs, flow logs and EBS volumes, by id. */
  readonly networkAcls: RegionalIndex<NetworkAcl>;
  readonly flowLogs: RegionalIndex<FlowLog>;
  readonly volumes: RegionalIndex<Volume>;
  /** GetEbsEncryptionByDefault per region read; a failed read is its error code. */
  readonly ebsEncryptionByDefault: ReadonlyMap<string, Read<boolean>>;
  /** KMS keys by key id (AWS managed ones included: an alias may point at one). */
  readonly kmsKeys: RegionalIndex<KmsKey>;
  /** KMS aliases by alias ARN: an alias name is unique only within a region. */
  readonly kmsAliases: RegionalIndex<AliasListEntry>;
  /** CloudWatch Logs groups by name, metric filters by `log group:filter name`. */
  readonly logGroups: RegionalIndex<TaggedLogGroup>;
  readonly metricFilters: RegionalIndex<MetricFilter>;
  /** Metric alarms by name. */
  readonly alarms: RegionalIndex<TaggedAlarm>;
  /** SNS topics by ARN; subscriptions (confirmed ones: a pending one has no ARN) by subscription ARN. */
  readonly topics: RegionalIndex<SnsTopic>;
  /** CloudTrail trails by ARN, each once: the entry read in its home region (with its status). */
  readonly trails: RegionalIndex<CloudTrailTrail>;
  readonly subscriptions: RegionalIndex<SnsSubscription & { topicArn: string }>;
  /** ECR repositories and Secrets Manager secrets (metadata only), by ARN. */
  readonly ecrRepositories: RegionalIndex<EcrRepository>;
  readonly secrets: RegionalIndex<SecretsManagerSecret>;
  readonly regions: readonly string[];

  constructor(readonly snapshot: InventorySnapshot) {
    this.accountId = snapshot.accountId;
    this.partition = snapshot.partition;
    this.regions = snapshot.regions;
    this.buckets = index(snapshot.s3?.buckets, 'S3 ListBuckets', (b) => b.name);
    this.roles = index(snapshot.iam?.roles, 'IAM ListRoles', (r) => r.roleName);
    this.users = index(snapshot.iam?.users, 'IAM ListUsers', (u) => u.userName);
    this.groups = index(snapshot.iam?.groups, 'IAM ListGroups', (g) => g.groupName);
    this.policies = index(snapshot.iam?.policies, 'IAM ListPolicies', (p) => p.arn);
    const groups = new Map<string, Regional<SecurityGroup>>();
    const groupErrors: string[] = [];
    for (const [region, ec2] of Object.entries(snapshot.ec2 ?? {})) {
      if (ec2.securityGroups.error) groupErrors.push(`${region}: ${ec2.securityGroups.error.code}`);
      for (const group of ec2.securityGroups.value ?? []) if (group.GroupId) groups.set(group.GroupId, { region, value: group });
    }
    this.securityGroups = groups;
    this.securityGroupErrors = groupErrors;
    const databases = new Map<string, Regional<DBInstance>>();
    const databaseErrors: string[] = [];
    for (const [region, rds] of Object.entries(snapshot.rds ?? {})) {
      if (rds.dbInstances.error) databaseErrors.push(`${region}: ${rds.dbInstances.error.code}`);
      for (const db of rds.dbInstances.value ?? []) if (db.DBInstanceIdentifier) databases.set(`${region}/${db.DBInstanceIdentifier}`, { region, value: db });
    }
    this.dbInstances = databases;
    this.dbInstanceErrors = databaseErrors;
    this.vpcs = regionalIndex(snapshot.ec2, 'DescribeVpcs', (ec2) => ec2.vpcs, (v) => v.VpcId);
    this.subnets = regionalIndex(snapshot.ec2, 'DescribeSubnets', (ec2) => ec2.subnets, (s) => s.SubnetId);
    this.routeTables = regionalIndex(snapshot.ec2, 'DescribeRouteTables', (ec2) => ec2.routeTables, (t) => t.RouteTableId);
    // A terminated instance lingers in DescribeInstances for about an hour: it is gone.
    this.instances = regionalIndex(snapshot.ec2, 'DescribeInstances', (ec2) => ec2.instances, (i) => (i.State?.Name === 'terminated' ? undefined : i.InstanceId));
    this.internetGateways = regionalIndex(snapshot.ec2, 'DescribeInternetGateways', (ec2) => ec2.internetGateways, (g) => g.InternetGatewayId);
    // A deleted NAT gateway stays listed for about an hour: it is gone.
    this.natGateways = regionalIndex(snapshot.ec2, 'DescribeNatGateways', (ec2) => ec2.natGateways, (n) => (n.State === 'deleted' || n.State === 'deleting' ? undefined : n.NatGatewayId));
    this.addresses = regionalIndex(snapshot.ec2, 'DescribeAddresses', (ec2) => ec2.addresses, (a) => a.AllocationId);
    this.dbSubnetGroups = regionalIndex<RdsInventory, RdsSubnetGroup>(snapshot.rds, 'DescribeDBSubnetGroups', (rds) => rds.dbSubnetGroups, (g) => g.DBSubnetGroupName?.toLowerCase());
    this.instanceProfiles = index(snapshot.iam?.instanceProfiles, 'IAM ListInstanceProfiles', (p) => p.name);
    this.dbSnapshots = regionalIndex<RdsInventory, RdsSnapshot>(snapshot.rds, 'DescribeDBSnapshots', (rds) => rds.dbSnapshots, (s) =>
      s.snapshot.SnapshotType === 'manual' ? s.snapshot.DBSnapshotIdentifier : undefined,
    );
    this.dbClusters = regionalIndex<RdsInventory, DBCluster>(snapshot.rds, 'DescribeDBClusters', (rds) => rds.dbClusters, (c) => c.DBClusterIdentifier?.toLowerCase());
    this.efsFileSystems = regionalIndex<EfsInventory, FileSystemDescription>(snapshot.efs, 'DescribeFileSystems', (efs) => efs.fileSystems, (f) =>
      f.LifeCycleState === 'deleted' || f.LifeCycleState === 'deleting' ? undefined : f.FileSystemId,
    );
    this.networkAcls = regionalIndex(snapshot.ec2, 'DescribeNetworkAcls', (ec2) => ec2.networkAcls, (a) => a.NetworkAclId);
    this.flowLogs = regionalIndex(snapshot.ec2, 'DescribeFlowLogs', (ec2) => ec2.flowLogs, (f) => f.FlowLogId);
    // A deleted volume lingers briefly: it is gone.
    this.volumes = regionalIndex(snapshot.ec2, 'DescribeVolumes', (ec2) => ec2.volumes, (v) => (v.State === 'deleted' || v.State === 'deleting' ? undefined : v.VolumeId));
    this.ebsEncryptionByDefault = new Map(Object.entries(snapshot.ec2 ?? {}).map(([region, ec2]) => [region, ec2.ebsEncryptionByDefault]));
    this.kmsKeys = regionalIndex<KmsInventory, KmsKey>(snapshot.kms, 'ListKeys', (kms) => kms.keys, (k) => k.keyId);
    this.kmsAliases = regionalIndex<KmsInventory, AliasListEntry>(snapshot.kms, 'ListAliases', (kms) => kms.aliases, (a) => a.AliasArn);
    this.logGroups = regionalIndex<LogsInventory, TaggedLogGroup>(snapshot.logs, 'DescribeLogGroups', (logs) => logs.logGroups, (g) => g.logGroupName);
    this.metricFilters = regionalIndex<LogsInventory, MetricFilter>(snapshot.logs, 'DescribeMetricFilters', (logs) => logs.metricFilters, (f) => `${f.logGroupName}:${f.filterName}`);
    this.alarms = regionalIndex<CloudWatchInventory, TaggedAlarm>(snapshot.cloudwatch, 'DescribeAlarms', (cw) => cw.alarms, (a) => a.AlarmName);
    const trails = regionalIndex<CloudTrailInventory, CloudTrailTrail>(snapshot.cloudtrail, 'DescribeTrails', (ct) => ct.trails, (t) => t.arn);
    // A multi-region trail is listed in every region: keep the copy from its home region, which holds its status.
    for (const ct of Object.values(snapshot.cloudtrail ?? {})) for (const t of ct.trails.value ?? []) if (t.status) (trails.items as Map<string, Regional<CloudTrailTrail>>).set(t.arn, { region: t.homeRegion, value: t });
    this.trails = trails;
    this.ecrRepositories = regionalIndex<EcrInventory, EcrRepository>(snapshot.ecr, 'DescribeRepositories', (ecr) => ecr.repositories, (r) => r.arn);
    this.secrets = regionalIndex<SecretsManagerInventory, SecretsManagerSecret>(snapshot.secretsmanager, 'ListSecrets', (sm) => sm.secrets, (s) => s.arn);
    this.topics = regionalIndex<SnsInventory, SnsTopic>(snapshot.sns, 'ListTopics', (sns) => sns.topics, (t) => t.arn);
    this.subscriptions = regionalIndex<SnsInventory, SnsSubscription & { topicArn: string }>(
      snapshot.sns,
      'ListSubscriptionsByTopic',
      (sns): Read<Array<SnsSubscription & { topicArn: string }>> => {
        if (sns.topics.error) return sns.topics;
        const failed = sns.topics.value.find((t) => t.subscriptions.error);
        if (failed?.subscriptions.error) return { error: failed.subscriptions.error };
        return { value: sns.topics.value.flatMap((t) => (t.subscriptions.value ?? []).map((s) => ({ ...s, topicArn: t.arn }))) };
      },
      (s) => (s.subscriptionArn.startsWith('arn:') ? s.subscriptionArn : undefined),
    );
  }

  arn(service: string, region: string, resource: string): string {
    return `arn:${this.partition}:${service}:${region}:${service === 's3' ? '' : this.accountId}:${resource}`;
  }
}

export function regionalIndex<P = Ec2Inventory, T = unknown>(
  parts: Record<string, P> | undefined,
  operation: string,
  list: (part: P) => Read<T[]>,
  key: (item: T) => string | undefined,
): RegionalIndex<T> {
  const items = new Map<string, Regional<T>>();
  const errors: string[] = [];
  for (const [region, part] of Object.entries(parts ?? {})) {
    const read = list(part);
    if (read.error) errors.push(`${region}: ${read.error.code}`);
    for (const item of read.value ?? []) {
      const id = key(item);
      if (id) items.set(id, { region, value: item });
    }
  }
  return { items, errors, operation };
}

/**
 * Find `id` in a regional index: the object, `gone`, or `unknown` when the list that would hold it
 * failed or its region (from the state's ARN) was not read.
 */
export function lookupRegional<T>(
  index: RegionalIndex<T>,
  id: string | undefined,
  live: LiveInventory,
  arn?: string,
): { item: Regional<T> } | { gone: true } | { unknown: string } {
  if (!id) return { unknown: 'the state instance names no id' };
  const item = index.items.get(id);
  if (item) return { item };
  const region = arn?.split(':')[3];
  if (region && !live.regions.includes(region)) return { unknown: `region ${region} was not read` };
  return index.errors.length ? { unknown: `${index.operation} failed in ${index.errors.join(', ')}` } : { gone: true };
}

function index<T>(read: Read<T[]> | undefined, what: string, key: (item: T) => string): Indexed<T> {
  if (!read) return { error: `${what} was not collected` };
  if (read.error) return { error: `${what} failed: ${read.error.code}` };
  return { items: new Map(read.value.map((item) => [key(item), item])) };
}

/** A value from a per-resource read: undefined when the read failed (the attribute is then not compared). */
export function readValue<T>(read: Read<T>): T | undefined {
  return read.error ? undefined : read.value;
}

/**
 * The compared attributes whose read failed, for `LiveObject.unread`: each read with the paths it
 * fills and the operation that reads it; `{}` when every read succeeded.
 */
export function unreadParts(...parts: Array<[read: Read<unknown> | undefined, operation: string, paths: readonly string[]]>): { unread?: Record<string, string> } {
  const unread: Record<string, string> = {};
  for (const [read, operation, paths] of parts) if (read?.error) for (const path of paths) unread[path] = `${operation} failed: ${read.error.code}`;
  return Object.keys(unread).length ? { unread } : {};
}

/** `[{Key, Value}]` → `{Key: Value}`. */
export { tagMap } from '../../inventory/tags.js';

/** The ARN of an EC2 resource: `arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0abc`. */
export function ec2Arn(live: Pick<LiveInventory, 'partition' | 'accountId'>, region: string, kind: string, id: string): string {
  return `arn:${live.partition}:ec2:${region}:${live.accountId}:${kind}/${id}`;
}

/** A nested block as the state holds it (a one-element list) or as a configuration gives it (an object); {} when absent. */
export function firstBlock(value: unknown): Record<string, unknown> {
  const first = Array.isArray(value) ? value[0] : value;
  return first !== null && typeof first === 'object' && !Array.isArray(first) ? (first as Record<string, unknown>) : {};
}

export function stringAttr(attributes: Record<string, unknown>, name: string): string | undefined {
  const value = attributes[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
