/**
 * RDS over the Query protocol (xmlns 2014-10-31): DescribeDBInstances, DescribeDBSubnetGroups, DescribeDBSnapshots,
 * DescribeDBSnapshotAttributes, DescribeDBClusters, DescribeDBClusterSnapshots, DescribeDBClusterSnapshotAttributes,
 * ListTagsForResource (by ARN: DB instances, snapshots, clusters, cluster snapshots, subnet groups). RDS lists name their items (<DBInstances><DBInstance>,
 * <TagList><Tag>, <VpcSecurityGroups><VpcSecurityGroupMembership>, ...), as the SDK's schemas read them.
 *
 * RDS identifiers are stored in lowercase and matched without regard to case. A region the
 * account file does not list answers InvalidClientTokenId, as a Query service does for an
 * opt-in region the account has not enabled.
 */
import { createHash } from 'node:crypto';
import type { SandboxDBCluster, SandboxDBClusterSnapshot, SandboxDBInstance, SandboxDBSnapshot, SandboxRegion } from '../account/model.js';
import { invalidAction, missingAction, queryAction, queryError, queryParams, queryResponse } from '../protocol/query.js';
import { list, type XmlValue } from '../protocol/xml.js';
import { AwsError, type AwsErrorSpec, type ServiceContext, type ServiceModule } from '../types.js';
import { decodePageToken, encodePageToken, pageBinding, pageOf, regionResources } from './regional.js';
import { sdkOperations } from './sdk-operations.js';

const XMLNS = 'http://rds.amazonaws.com/doc/2014-10-31/';

type Rds = NonNullable<SandboxRegion['RDS']>;
type Tag = { Key: string; Value: string };

const invalidParameterValue = (message: string): AwsErrorSpec => ({ code: 'InvalidParameterValue', message, status: 400 });
const invalidClientTokenId = (): AwsErrorSpec => ({ code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.', status: 403 });

const sameIdentifier = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function dbiResourceId(db: SandboxDBInstance): string {
  return 'db-' + createHash('sha256').update(db.DBInstanceArn ?? db.DBInstanceIdentifier).digest('hex').slice(0, 26).toUpperCase();
}

const tagList = (tags: readonly Tag[] | undefined) => list('Tag', (tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value })));

function renderDBInstance(db: SandboxDBInstance): XmlValue {
  const subnetGroup = db.DBSubnetGroup;
  return {
    DBInstanceIdentifier: db.DBInstanceIdentifier,
    DBInstanceClass: db.DBInstanceClass,
    Engine: db.Engine,
    EngineVersion: db.EngineVersion,
    DBInstanceStatus: db.DBInstanceStatus ?? 'available',
    DBClusterIdentifier: db.DBClusterIdentifier,
    MasterUsername: db.MasterUsername,
    DBName: db.DBName,
    Endpoint: db.Endpoint ? { Address: db.Endpoint.Address, Port: db.Endpoint.Port, HostedZoneId: db.Endpoint.HostedZoneId } : undefined,
    AllocatedStorage: db.AllocatedStorage,
    InstanceCreateTime: new Date(db.InstanceCreateTime),
    BackupRetentionPeriod: db.BackupRetentionPeriod,
    VpcSecurityGroups: list(
      'VpcSecurityGroupMembership',
      (db.VpcSecurityGroups ?? []).map((g) => ({ VpcSecurityGroupId: g.VpcSecurityGroupId, Status: g.Status ?? 'active' })),
    ),
    DBSubnetGroup: subnetGroup
      ? {
          DBSubnetGroupName: subnetGroup.DBSubnetGroupName,
          VpcId: subnetGroup.VpcId,
          SubnetGroupStatus: 'Complete',
          Subnets: list(
            'Subnet',
            (subnetGroup.Subnets ?? []).map((s) => ({
              SubnetIdentifier: s.SubnetIdentifier,
              SubnetAvailabilityZone: s.SubnetAvailabilityZone ? { Name: s.SubnetAvailabilityZone.Name } : undefined,
              SubnetStatus: s.SubnetStatus ?? 'Active',
            })),
          ),
        }
      : undefined,
    MultiAZ: db.MultiAZ ?? false,
    AutoMinorVersionUpgrade: db.AutoMinorVersionUpgrade ?? true,
    PubliclyAccessible: db.PubliclyAccessible,
    StorageEncrypted: db.StorageEncrypted,
    KmsKeyId: db.KmsKeyId,
    DbiResourceId: dbiResourceId(db),
    DBInstanceArn: db.DBInstanceArn,
    IAMDatabaseAuthenticationEnabled: db.IAMDatabaseAuthenticationEnabled ?? false,
    DeletionProtection: db.DeletionProtection,
    TagList: tagList(db.TagList),
  };
}

/** A snapshot carries what it copied from its instance when that instance still exists. */
function renderDBSnapshot(snap: SandboxDBSnapshot, source: SandboxDBInstance | undefined): XmlValue {
  return {
    DBSnapshotIdentifier: snap.DBSnapshotIdentifier,
    DBInstanceIdentifier: snap.DBInstanceIdentifier,
    SnapshotCreateTime: new Date(snap.SnapshotCreateTime),
    Engine: snap.Engine ?? source?.Engine,
    EngineVersion: source?.EngineVersion,
    AllocatedStorage: source?.AllocatedStorage,
    Port: source?.Endpoint?.Port,
    VpcId: source?.DBSubnetGroup?.VpcId,
    MasterUsername: source?.MasterUsername,
    InstanceCreateTime: source ? new Date(source.InstanceCreateTime) : undefined,
    Status: snap.Status ?? 'available',
    SnapshotType: snap.SnapshotType ?? 'manual',
    Encrypted: snap.Encrypted,
    KmsKeyId: snap.KmsKeyId,
    DBSnapshotArn: snap.DBSnapshotArn,
    DbiResourceId: source ? dbiResourceId(source) : undefined,
    TagList: tagList(snap.TagList),
  };
}

/** `Filters.Filter.N.Name` and `Filters.Filter.N.Values.Value.M` (the SDK names RDS list items). */
function parseFilters(params: URLSearchParams, known: readonly string[]): Array<{ name: string; values: string[] }> {
  const byIndex = new Map<number, { name?: string; values: Array<[number, string]> }>();
  const pattern = /^Filters\.(?:Filter|member)\.(\d+)\.(?:(Name)|Values\.(?:Value|member)\.(\d+))$/;
  for (const [key, value] of params) {
    const m = pattern.exec(key);
    if (!m) continue;
    const entry = byIndex.get(Number(m[1])) ?? { values: [] };
    if (m[2]) entry.name = value;
    else entry.values.push([Number(m[3]), value]);
    byIndex.set(Number(m[1]), entry);
  }
  return [...byIndex.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, f]) => {
      const name = f.name ?? '';
      if (!known.includes(name)) throw new AwsError(invalidParameterValue(`Unrecognized filter name: ${name}`));
      return { name, values: f.values.sort(([a], [b]) => a - b).map(([, v]) => v) };
    });
}

/** RDS pages: MaxRecords 20..100 (default 100) and an opaque Marker. */
function paged<T>(operation: string, params: URLSearchParams, items: readonly T[]): { page: T[]; marker?: string } {
  const raw = params.get('MaxRecords');
  const size = raw === null ? 100 : Number(raw);
  if (!Number.isInteger(size) || size < 20 || size > 100)
    throw new AwsError(invalidParameterValue(`Invalid value ${raw} for MaxRecords. Must be between 20 and 100`));
  const binding = pageBinding(operation, params, ['Marker', 'MaxRecords']);
  const marker = params.get('Marker');
  let offset = 0;
  if (marker !== null && marker !== '') {
    const decoded = decodePageToken(marker, binding);
    if (decoded === undefined) throw new AwsError(invalidParameterValue(`Invalid marker: ${marker}`));
    offset = decoded;
  }
  const { page, next } = pageOf(items, offset, size);
  return next === undefined ? { page } : { page, marker: encodePageToken(next, binding) };
}

const matchesAny = (values: readonly string[], candidates: ReadonlyArray<string | undefined>) =>
  values.some((v) => candidates.some((c) => c !== undefined && sameIdentifier(v, c)));

function describeDBInstances(params: URLSearchParams, rds: Rds): XmlValue {
  const all = rds.DBInstances ?? [];
  const id = params.get('DBInstanceIdentifier');
  let selected = all;
  if (id !== null) {
    selected = all.filter((db) => sameIdentifier(db.DBInstanceIdentifier, id) || db.DBInstanceArn === id);
    if (selected.length === 0) throw new AwsError({ code: 'DBInstanceNotFound', message: `DBInstance ${id} not found.`, status: 404 });
  }
  const filters = parseFilters(params, ['db-instance-id', 'dbi-resource-id', 'engine', 'db-cluster-id', 'domain']);
  const offered: Record<string, (db: SandboxDBInstance) => Array<string | undefined>> = {
    'db-instance-id': (db) => [db.DBInstanceIdentifier, db.DBInstanceArn],
    'dbi-resource-id': (db) => [dbiResourceId(db)],
    engine: (db) => [db.Engine],
    'db-cluster-id': (db) => [db.DBClusterIdentifier],
    domain: () => [],
  };
  const matched = selected.filter((db) => filters.every((f) => matchesAny(f.values, offered[f.name]!(db))));
  const { page, marker } = paged('DescribeDBInstances', params, matched);
  return { DBInstances: list('DBInstance', page.map(renderDBInstance)), Marker: marker };
}

function describeDBSnapshots(params: URLSearchParams, rds: Rds): XmlValue {
  const all = rds.DBSnapshots ?? [];
  const instanceOf = (snap: SandboxDBSnapshot) => (rds.DBInstances ?? []).find((db) => sameIdentifier(db.DBInstanceIdentifier, snap.DBInstanceIdentifier));
  const snapshotId = params.get('DBSnapshotIdentifier');
  const instanceId = params.get('DBInstanceIdentifier');
  const snapshotType = params.get('SnapshotType');
  let selected = all;
  if (snapshotId !== null) {
    selected = selected.filter((s) => sameIdentifier(s.DBSnapshotIdentifier, snapshotId) || s.DBSnapshotArn === snapshotId);
    if (selected.length === 0) throw new AwsError(snapshotNotFound(snapshotId));
  }
  if (instanceId !== null) selected = selected.filter((s) => sameIdentifier(s.DBInstanceIdentifier, instanceId) || instanceOf(s)?.DBInstanceArn === instanceId);
  // Without SnapshotType AWS lists this account's automated and manual snapshots; "shared"
  // and "public" list other accounts' snapshots, which a one-account sandbox does not have.
  if (snapshotType !== null) selected = selected.filter((s) => (s.SnapshotType ?? 'manual') === snapshotType);

  const filters = parseFilters(params, ['db-instance-id', 'db-snapshot-id', 'dbi-resource-id', 'snapshot-type', 'engine']);
  const offered: Record<string, (s: SandboxDBSnapshot) => Array<string | undefined>> = {
    'db-instance-id': (s) => [s.DBInstanceIdentifier, instanceOf(s)?.DBInstanceArn],
    'db-snapshot-id': (s) => [s.DBSnapshotIdentifier, s.DBSnapshotArn],
    'dbi-resource-id': (s) => {
      const db = instanceOf(s);
      return [db ? dbiResourceId(db) : undefined];
    },
    'snapshot-type': (s) => [s.SnapshotType ?? 'manual'],
    engine: (s) => [s.Engine ?? instanceOf(s)?.Engine],
  };
  const matched = selected.filter((s) => filters.every((f) => matchesAny(f.values, offered[f.name]!(s))));
  const { page, marker } = paged('DescribeDBSnapshots', params, matched);
  return { DBSnapshots: list('DBSnapshot', page.map((s) => renderDBSnapshot(s, instanceOf(s)))), Marker: marker };
}

function snapshotNotFound(id: string): AwsErrorSpec {
  return { code: 'DBSnapshotNotFound', message: `DBSnapshot ${id} not found.`, status: 404 };
}

function describeDBSnapshotAttributes(params: URLSearchParams, rds: Rds): XmlValue {
  const id = params.get('DBSnapshotIdentifier');
  if (!id) throw new AwsError({ code: 'MissingParameter', message: 'The request must contain the parameter DBSnapshotIdentifier', status: 400 });
  const snap = (rds.DBSnapshots ?? []).find((s) => sameIdentifier(s.DBSnapshotIdentifier, id) || s.DBSnapshotArn === id);
  if (!snap) throw new AwsError(snapshotNotFound(id));
  // A snapshot shared with nobody still reports the restore attribute, with no values.
  const attributes = snap.Attributes?.length ? snap.Attributes : [{ AttributeName: 'restore', AttributeValues: [] }];
  return {
    DBSnapshotAttributesResult: {
      DBSnapshotIdentifier: snap.DBSnapshotIdentifier,
      DBSnapshotAttributes: list(
        'DBSnapshotAttribute',
        attributes.map((a) => ({ AttributeName: a.AttributeName, AttributeValues: list('AttributeValue', a.AttributeValues) })),
      ),
    },
  };
}

function describeDBSubnetGroups(params: URLSearchParams, rds: Rds, ctx: ServiceContext): XmlValue {
  const all = rds.DBSubnetGroups ?? [];
  const name = params.get('DBSubnetGroupName');
  let selected = all;
  if (name !== null) {
    selected = all.filter((g) => sameIdentifier(g.DBSubnetGroupName, name));
    if (selected.length === 0) throw new AwsError({ code: 'DBSubnetGroupNotFoundFault', message: `DB subnet group '${name}' not found.`, status: 404 });
  }
  const subnetsOf = regionResources(ctx)?.EC2?.Subnets ?? [];
  const { page, marker } = paged('DescribeDBSubnetGroups', params, selected);
  return {
    DBSubnetGroups: list(
      'DBSubnetGroup',
      page.map((g) => ({
        DBSubnetGroupName: g.DBSubnetGroupName,
        DBSubnetGroupDescription: g.DBSubnetGroupDescription,
        VpcId: g.VpcId,
        SubnetGroupStatus: 'Complete',
        Subnets: list(
          'Subnet',
          g.SubnetIds.map((id) => ({
            SubnetIdentifier: id,
            SubnetAvailabilityZone: { Name: subnetsOf.find((s) => s.SubnetId === id)?.AvailabilityZone },
            SubnetStatus: 'Active',
          })),
        ),
        DBSubnetGroupArn: g.DBSubnetGroupArn ?? `arn:aws:rds:${ctx.region}:${ctx.account.AccountId}:subgrp:${g.DBSubnetGroupName}`,
        SupportedNetworkTypes: list('member', ['IPV4']),
      })),
    ),
    Marker: marker,
  };
}

// ---------------------------------------------------------------- clusters

function clusterResourceId(cluster: SandboxDBCluster): string {
  return 'cluster-' + createHash('sha256').update(cluster.DBClusterArn ?? cluster.DBClusterIdentifier).digest('hex').slice(0, 26).toUpperCase();
}

function renderDBCluster(cluster: SandboxDBCluster): XmlValue {
  return {
    DBClusterIdentifier: cluster.DBClusterIdentifier,
    DBClusterArn: cluster.DBClusterArn,
    DbClusterResourceId: clusterResourceId(cluster),
    Engine: cluster.Engine,
    EngineVersion: cluster.EngineVersion,
    Status: cluster.Status ?? 'available',
    DatabaseName: cluster.DatabaseName,
    MasterUsername: cluster.MasterUsername,
    Port: cluster.Port,
    ClusterCreateTime: new Date(cluster.ClusterCreateTime),
    StorageEncrypted: cluster.StorageEncrypted,
    KmsKeyId: cluster.KmsKeyId,
    BackupRetentionPeriod: cluster.BackupRetentionPeriod,
    DeletionProtection: cluster.DeletionProtection,
    MultiAZ: cluster.MultiAZ ?? false,
    PubliclyAccessible: cluster.PubliclyAccessible,
    AutoMinorVersionUpgrade: cluster.AutoMinorVersionUpgrade,
    IAMDatabaseAuthenticationEnabled: cluster.IAMDatabaseAuthenticationEnabled ?? false,
    DBSubnetGroup: cluster.DBSubnetGroup,
    VpcSecurityGroups: list(
      'VpcSecurityGroupMembership',
      (cluster.VpcSecurityGroups ?? []).map((g) => ({ VpcSecurityGroupId: g.VpcSecurityGroupId, Status: g.Status ?? 'active' })),
    ),
    DBClusterMembers: list(
      'DBClusterMember',
      (cluster.DBClusterMembers ?? []).map((m) => ({ DBInstanceIdentifier: m.DBInstanceIdentifier, IsClusterWriter: m.IsClusterWriter })),
    ),
    TagList: tagList(cluster.TagList),
  };
}

function clusterNotFound(id: string): AwsErrorSpec {
  return { code: 'DBClusterNotFoundFault', message: `DBCluster ${id} not found.`, status: 404 };
}

function clusterSnapshotNotFound(id: string): AwsErrorSpec {
  return { code: 'DBClusterSnapshotNotFoundFault', message: `DBClusterSnapshot ${id} not found.`, status: 404 };
}

function describeDBClusters(params: URLSearchParams, rds: Rds): XmlValue {
  const all = rds.DBClusters ?? [];
  const id = params.get('DBClusterIdentifier');
  let selected = all;
  if (id !== null) {
    selected = all.filter((c) => sameIdentifier(c.DBClusterIdentifier, id) || c.DBClusterArn === id);
    if (selected.length === 0) throw new AwsError(clusterNotFound(id));
  }
  const filters = parseFilters(params, ['clone-group-id', 'db-cluster-id', 'db-cluster-resource-id', 'domain', 'engine']);
  const offered: Record<string, (c: SandboxDBCluster) => Array<string | undefined>> = {
    'clone-group-id': () => [],
    'db-cluster-id': (c) => [c.DBClusterIdentifier, c.DBClusterArn],
    'db-cluster-resource-id': (c) => [clusterResourceId(c)],
    domain: () => [],
    engine: (c) => [c.Engine],
  };
  const matched = selected.filter((c) => filters.every((f) => matchesAny(f.values, offered[f.name]!(c))));
  const { page, marker } = paged('DescribeDBClusters', params, matched);
  return { DBClusters: list('DBCluster', page.map(renderDBCluster)), Marker: marker };
}

function renderDBClusterSnapshot(snap: SandboxDBClusterSnapshot, source: SandboxDBCluster | undefined): XmlValue {
  return {
    DBClusterSnapshotIdentifier: snap.DBClusterSnapshotIdentifier,
    DBClusterIdentifier: snap.DBClusterIdentifier,
    DBClusterSnapshotArn: snap.DBClusterSnapshotArn,
    SnapshotCreateTime: new Date(snap.SnapshotCreateTime),
    ClusterCreateTime: source ? new Date(source.ClusterCreateTime) : undefined,
    Engine: snap.Engine ?? source?.Engine,
    EngineVersion: source?.EngineVersion,
    Port: source?.Port,
    MasterUsername: source?.MasterUsername,
    Status: snap.Status ?? 'available',
    SnapshotType: snap.SnapshotType ?? 'manual',
    StorageEncrypted: snap.StorageEncrypted,
    KmsKeyId: snap.KmsKeyId,
    TagList: tagList(snap.TagList),
  };
}

function describeDBClusterSnapshots(params: URLSearchParams, rds: Rds): XmlValue {
  const all = rds.DBClusterSnapshots ?? [];
  const clusterOf = (snap: SandboxDBClusterSnapshot) => (rds.DBClusters ?? []).find((c) => sameIdentifier(c.DBClusterIdentifier, snap.DBClusterIdentifier));
  const snapshotId = params.get('DBClusterSnapshotIdentifier');
  const clusterId = params.get('DBClusterIdentifier');
  const snapshotType = params.get('SnapshotType');
  let selected = all;
  if (snapshotId !== null) {
    selected = selected.filter((s) => sameIdentifier(s.DBClusterSnapshotIdentifier, snapshotId) || s.DBClusterSnapshotArn === snapshotId);
    if (selected.length === 0) throw new AwsError(clusterSnapshotNotFound(snapshotId));
  }
  if (clusterId !== null) selected = selected.filter((s) => sameIdentifier(s.DBClusterIdentifier, clusterId) || clusterOf(s)?.DBClusterArn === clusterId);
  // "shared" and "public" list other accounts' snapshots, which a one-account sandbox does not have.
  if (snapshotType !== null) selected = selected.filter((s) => (s.SnapshotType ?? 'manual') === snapshotType);
  const filters = parseFilters(params, ['db-cluster-id', 'db-cluster-snapshot-id', 'snapshot-type', 'engine']);
  const offered: Record<string, (s: SandboxDBClusterSnapshot) => Array<string | undefined>> = {
    'db-cluster-id': (s) => [s.DBClusterIdentifier, clusterOf(s)?.DBClusterArn],
    'db-cluster-snapshot-id': (s) => [s.DBClusterSnapshotIdentifier, s.DBClusterSnapshotArn],
    'snapshot-type': (s) => [s.SnapshotType ?? 'manual'],
    engine: (s) => [s.Engine ?? clusterOf(s)?.Engine],
  };
  const matched = selected.filter((s) => filters.every((f) => matchesAny(f.values, offered[f.name]!(s))));
  const { page, marker } = paged('DescribeDBClusterSnapshots', params, matched);
  return { DBClusterSnapshots: list('DBClusterSnapshot', page.map((s) => renderDBClusterSnapshot(s, clusterOf(s)))), Marker: marker };
}

function describeDBClusterSnapshotAttributes(params: URLSearchParams, rds: Rds): XmlValue {
  const id = params.get('DBClusterSnapshotIdentifier');
  if (!id) throw new AwsError({ code: 'MissingParameter', message: 'The request must contain the parameter DBClusterSnapshotIdentifier', status: 400 });
  const snap = (rds.DBClusterSnapshots ?? []).find((s) => sameIdentifier(s.DBClusterSnapshotIdentifier, id) || s.DBClusterSnapshotArn === id);
  if (!snap) throw new AwsError(clusterSnapshotNotFound(id));
  const attributes = snap.Attributes?.length ? snap.Attributes : [{ AttributeName: 'restore', AttributeValues: [] }];
  return {
    DBClusterSnapshotAttributesResult: {
      DBClusterSnapshotIdentifier: snap.DBClusterSnapshotIdentifier,
      DBClusterSnapshotAttributes: list(
        'DBClusterSnapshotAttribute',
        attributes.map((a) => ({ AttributeName: a.AttributeName, AttributeValues: list('AttributeValue', a.AttributeValues) })),
      ),
    },
  };
}

// ---------------------------------------------------------------- tags

/** The resource kinds an RDS ARN names (`arn:aws:rds:REGION:ACCOUNT:KIND:ID`), each with its tags or its not-found fault. */
const TAGGED: Record<string, { find: (rds: Rds, id: string) => { TagList?: Tag[] } | undefined; notFound: (id: string) => AwsErrorSpec }> = {
  db: {
    find: (rds, id) => rds.DBInstances?.find((db) => sameIdentifier(db.DBInstanceIdentifier, id)),
    notFound: (id) => ({ code: 'DBInstanceNotFound', message: `DBInstance ${id} not found.`, status: 404 }),
  },
  snapshot: { find: (rds, id) => rds.DBSnapshots?.find((s) => sameIdentifier(s.DBSnapshotIdentifier, id)), notFound: snapshotNotFound },
  cluster: { find: (rds, id) => rds.DBClusters?.find((c) => sameIdentifier(c.DBClusterIdentifier, id)), notFound: clusterNotFound },
  'cluster-snapshot': { find: (rds, id) => rds.DBClusterSnapshots?.find((s) => sameIdentifier(s.DBClusterSnapshotIdentifier, id)), notFound: clusterSnapshotNotFound },
  subgrp: {
    find: (rds, id) => rds.DBSubnetGroups?.find((g) => sameIdentifier(g.DBSubnetGroupName, id)),
    notFound: (id) => ({ code: 'DBSubnetGroupNotFoundFault', message: `DB subnet group '${id}' not found.`, status: 404 }),
  },
};

/** ListTagsForResource takes an ARN of this region and account; a bare name or another service's ARN is refused. */
function listTagsForResource(params: URLSearchParams, rds: Rds, ctx: ServiceContext): XmlValue {
  const name = params.get('ResourceName');
  if (!name) throw new AwsError({ code: 'MissingParameter', message: 'The request must contain the parameter ResourceName', status: 400 });
  const m = /^arn:aws[a-z-]*:rds:([a-z0-9-]+):(\d{12}):([a-z-]+):(.+)$/.exec(name);
  const kind = m ? TAGGED[m[3]!] : undefined;
  if (!m || !kind || m[1] !== ctx.region || m[2] !== ctx.account.AccountId) throw new AwsError(invalidParameterValue(`Invalid resource name: ${name}`));
  const found = kind.find(rds, m[4]!);
  if (!found) throw new AwsError(kind.notFound(m[4]!));
  return { TagList: tagList(found.TagList) };
}

const SERVE: Record<string, (params: URLSearchParams, rds: Rds, ctx: ServiceContext) => XmlValue> = {
  ListTagsForResource: listTagsForResource,
  DescribeDBClusters: describeDBClusters,
  DescribeDBClusterSnapshots: describeDBClusterSnapshots,
  DescribeDBClusterSnapshotAttributes: describeDBClusterSnapshotAttributes,
  DescribeDBSubnetGroups: describeDBSubnetGroups,
  DescribeDBInstances: describeDBInstances,
  DescribeDBSnapshots: describeDBSnapshots,
  DescribeDBSnapshotAttributes: describeDBSnapshotAttributes,
};

/** The ARNs a request names: its DB instance, cluster and snapshot identifiers (or ARNs). */
function requestedResources(params: URLSearchParams, ctx: ServiceContext): string[] {
  const rds = regionResources(ctx)?.RDS;
  const prefix = `arn:aws:rds:${ctx.region}:${ctx.account.AccountId}`;
  const arns: string[] = [];
  const instanceId = params.get('DBInstanceIdentifier');
  if (instanceId)
    arns.push(
      instanceId.startsWith('arn:')
        ? instanceId
        : (rds?.DBInstances?.find((db) => sameIdentifier(db.DBInstanceIdentifier, instanceId))?.DBInstanceArn ?? `${prefix}:db:${instanceId.toLowerCase()}`),
    );
  const snapshotId = params.get('DBSnapshotIdentifier');
  if (snapshotId)
    arns.push(
      snapshotId.startsWith('arn:')
        ? snapshotId
        : (rds?.DBSnapshots?.find((s) => sameIdentifier(s.DBSnapshotIdentifier, snapshotId))?.DBSnapshotArn ?? `${prefix}:snapshot:${snapshotId.toLowerCase()}`),
    );
  const clusterId = params.get('DBClusterIdentifier');
  if (clusterId)
    arns.push(
      clusterId.startsWith('arn:')
        ? clusterId
        : (rds?.DBClusters?.find((c) => sameIdentifier(c.DBClusterIdentifier, clusterId))?.DBClusterArn ?? `${prefix}:cluster:${clusterId.toLowerCase()}`),
    );
  const clusterSnapshotId = params.get('DBClusterSnapshotIdentifier');
  if (clusterSnapshotId)
    arns.push(
      clusterSnapshotId.startsWith('arn:')
        ? clusterSnapshotId
        : (rds?.DBClusterSnapshots?.find((s) => sameIdentifier(s.DBClusterSnapshotIdentifier, clusterSnapshotId))?.DBClusterSnapshotArn ??
            `${prefix}:cluster-snapshot:${clusterSnapshotId.toLowerCase()}`),
    );
  const resourceName = params.get('ResourceName');
  if (resourceName?.startsWith('arn:')) arns.push(resourceName);
  return arns;
}

export const rdsModule: ServiceModule = {
  name: 'rds',
  protocol: 'Query (XML)',
  readOperations: new Set(Object.keys(SERVE)),
  matches: (req) => req.signingService === 'rds',
  identify(req, ctx) {
    const params = queryParams(req);
    const action = queryAction(params);
    if (!action) throw new AwsError(missingAction());
    return { operation: action, resources: requestedResources(params, ctx) };
  },
  serve(req, operation, ctx) {
    const region = regionResources(ctx);
    if (!region) throw new AwsError(invalidClientTokenId());
    return queryResponse(operation, SERVE[operation]!(queryParams(req), region.RDS ?? {}, ctx), XMLNS, req.requestId);
  },
  renderError: (req, error) => queryError(error, XMLNS, req.requestId),
  accessDenied: (operation, resource, ctx) =>
    regionResources(ctx)
      ? {
          code: 'AccessDenied',
          message:
            `User: ${ctx.account.CallerIdentity!.Arn} is not authorized to perform: rds:${operation} on resource: ${resource ?? '*'} ` +
            `because no identity-based policy allows the rds:${operation} action`,
          status: 403,
        }
      : invalidClientTokenId(),
  throttled: () => ({ code: 'Throttling', message: 'Rate exceeded', status: 400 }),
  isKnownOperation: async (operation) => (await sdkOperations('@aws-sdk/client-rds')).has(operation),
  unknownOperation: invalidAction,
};
