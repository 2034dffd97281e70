/**
 * RDS DB instances. Compared: what a person sets and AWS keeps as set. Not compared: computed
 * values (address, endpoint, status, latest_restorable_time, resource_id), settings that only
 * act at change time (apply_immediately, skip_final_snapshot, final_snapshot_identifier), and the
 * password, which no API returns.
 */
import type { DBCluster, DBInstance } from '@aws-sdk/client-rds';
import type { RdsSnapshot, RdsSubnetGroup } from '../../inventory/snapshot.js';
import { lookupRegional, readValue, stringAttr, tagMap, unreadParts, type LiveInventory, type Regional } from './inventory.js';
import type { ComparedAttribute, LiveObject, LiveTypeSpec } from './types.js';

/** Terraform attribute → the DescribeDBInstances value, undefined when the API did not return it. */
const FIELDS: Record<string, (db: DBInstance) => unknown> = {
  instance_class: (db) => db.DBInstanceClass,
  engine: (db) => db.Engine,
  engine_version: (db) => db.EngineVersion,
  allocated_storage: (db) => db.AllocatedStorage,
  max_allocated_storage: (db) => db.MaxAllocatedStorage,
  storage_type: (db) => db.StorageType,
  iops: (db) => db.Iops,
  backup_retention_period: (db) => db.BackupRetentionPeriod,
  backup_window: (db) => db.PreferredBackupWindow,
  maintenance_window: (db) => db.PreferredMaintenanceWindow,
  deletion_protection: (db) => db.DeletionProtection,
  multi_az: (db) => db.MultiAZ,
  publicly_accessible: (db) => db.PubliclyAccessible,
  storage_encrypted: (db) => db.StorageEncrypted,
  kms_key_id: (db) => (db.StorageEncrypted === undefined ? undefined : (db.KmsKeyId ?? '')),
  iam_database_authentication_enabled: (db) => db.IAMDatabaseAuthenticationEnabled,
  auto_minor_version_upgrade: (db) => db.AutoMinorVersionUpgrade,
  copy_tags_to_snapshot: (db) => db.CopyTagsToSnapshot,
  performance_insights_enabled: (db) => db.PerformanceInsightsEnabled,
  monitoring_interval: (db) => db.MonitoringInterval,
  ca_cert_identifier: (db) => db.CACertificateIdentifier,
  username: (db) => db.MasterUsername,
  db_name: (db) => db.DBName,
  port: (db) => db.Endpoint?.Port ?? db.DbInstancePort,
  db_subnet_group_name: (db) => db.DBSubnetGroup?.DBSubnetGroupName,
  parameter_group_name: (db) => db.DBParameterGroups?.[0]?.DBParameterGroupName,
  vpc_security_group_ids: (db) => db.VpcSecurityGroups?.map((g) => g.VpcSecurityGroupId).filter((id): id is string => !!id),
  tags: (db) => (db.TagList ? tagMap(db.TagList) : undefined),
};

const KINDS: Record<string, ComparedAttribute['kind']> = { engine_version: 'version-prefix', vpc_security_group_ids: 'set', tags: 'tags' };

function regionOfArn(arn: string | undefined): string | undefined {
  return arn?.split(':')[3] || undefined;
}

function toDbObject({ region, value: db }: Regional<DBInstance>): LiveObject {
  const identifier = db.DBInstanceIdentifier!;
  return {
    type: 'aws_db_instance',
    importId: identifier,
    resourceId: db.DBInstanceArn ?? identifier,
    region,
    name: identifier,
    attributes: Object.fromEntries(Object.entries(FIELDS).map(([path, field]) => [path, field(db)])),
    stub: { identifier, instance_class: db.DBInstanceClass ?? '', engine: db.Engine ?? '' },
  };
}

const dbInstance: LiveTypeSpec = {
  type: 'aws_db_instance',
  importIdFormat: 'DB instance identifier',
  compared: Object.keys(FIELDS).map((path) => ({ path, kind: KINDS[path] ?? 'value' })),
  resourceIdOf: (attributes) => stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'identifier') ?? '',
  lookup(attributes, live) {
    const identifier = stringAttr(attributes, 'identifier');
    if (!identifier) return { unknown: 'the state instance names no DB identifier' };
    const region = regionOfArn(stringAttr(attributes, 'arn'));
    const candidates = [...live.dbInstances.values()].filter((d) => d.value.DBInstanceIdentifier === identifier && (!region || d.region === region));
    if (candidates[0]) return { found: toDbObject(candidates[0]) };
    if (region && !live.regions.includes(region)) return { unknown: `region ${region} was not read` };
    return live.dbInstanceErrors.length ? { unknown: `DescribeDBInstances failed in ${live.dbInstanceErrors.join(', ')}` } : { gone: true };
  },
  enumerate: (live) => [...live.dbInstances.values()].map(toDbObject),
};

function toSnapshotObject({ region, value: { snapshot: s } }: Regional<RdsSnapshot>): LiveObject {
  const identifier = s.DBSnapshotIdentifier!;
  return {
    type: 'aws_db_snapshot',
    importId: identifier,
    resourceId: s.DBSnapshotArn ?? identifier,
    region,
    name: identifier,
    attributes: { db_instance_identifier: s.DBInstanceIdentifier, encrypted: s.Encrypted, tags: s.TagList ? tagMap(s.TagList) : undefined },
    stub: { db_snapshot_identifier: identifier, db_instance_identifier: s.DBInstanceIdentifier ?? '' },
  };
}

/** Manual DB snapshots (automated ones are AWS's and never in a state). */
const dbSnapshot: LiveTypeSpec = {
  type: 'aws_db_snapshot',
  importIdFormat: 'DB snapshot identifier',
  compared: [
    { path: 'db_instance_identifier', kind: 'value' },
    { path: 'encrypted', kind: 'value', optional: true },
    { path: 'tags', kind: 'tags' },
  ],
  resourceIdOf: (attributes) => stringAttr(attributes, 'db_snapshot_arn') ?? stringAttr(attributes, 'db_snapshot_identifier') ?? '',
  lookup(attributes, live) {
    const found = lookupRegional(live.dbSnapshots, stringAttr(attributes, 'db_snapshot_identifier') ?? stringAttr(attributes, 'id'), live, stringAttr(attributes, 'db_snapshot_arn'));
    return 'item' in found ? { found: toSnapshotObject(found.item) } : found;
  },
  enumerate: (live) => [...live.dbSnapshots.items.values()].map(toSnapshotObject),
};

function toSubnetGroupObject({ region, value: g }: Regional<RdsSubnetGroup>): LiveObject {
  const name = g.DBSubnetGroupName!;
  const tags = readValue(g.tags);
  return {
    type: 'aws_db_subnet_group',
    importId: name,
    resourceId: g.DBSubnetGroupArn ?? name,
    region,
    name,
    attributes: {
      description: g.DBSubnetGroupDescription,
      subnet_ids: (g.Subnets ?? []).map((s) => s.SubnetIdentifier).filter((s): s is string => !!s),
      tags: tags ? tagMap(tags) : undefined,
    },
    ...unreadParts([g.tags, 'ListTagsForResource', ['tags']]),
    stub: { name, subnet_ids: (g.Subnets ?? []).map((s) => s.SubnetIdentifier ?? '') },
  };
}

/** DB subnet groups, with their tags (ListTagsForResource: DescribeDBSubnetGroups returns none). */
const dbSubnetGroup: LiveTypeSpec = {
  type: 'aws_db_subnet_group',
  importIdFormat: 'DB subnet group name',
  compared: [
    { path: 'description', kind: 'value' },
    { path: 'subnet_ids', kind: 'set' },
    { path: 'tags', kind: 'tags' },
  ],
  resourceIdOf: (attributes) => stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'name') ?? '',
  lookup(attributes, live) {
    const found = lookupRegional(live.dbSubnetGroups, (stringAttr(attributes, 'name') ?? stringAttr(attributes, 'id'))?.toLowerCase(), live, stringAttr(attributes, 'arn'));
    return 'item' in found ? { found: toSubnetGroupObject(found.item) } : found;
  },
  // "default" is AWS's own group in a default VPC.
  enumerate: (live) => [...live.dbSubnetGroups.items.values()].filter((g) => g.value.DBSubnetGroupName !== 'default').map(toSubnetGroupObject),
};

/** Terraform attribute → the DescribeDBClusters value, undefined when the API did not return it. */
const CLUSTER_FIELDS: Record<string, (c: DBCluster) => unknown> = {
  engine: (c) => c.Engine,
  engine_version: (c) => c.EngineVersion,
  engine_mode: (c) => c.EngineMode,
  database_name: (c) => c.DatabaseName,
  master_username: (c) => c.MasterUsername,
  port: (c) => c.Port,
  storage_encrypted: (c) => c.StorageEncrypted,
  kms_key_id: (c) => (c.StorageEncrypted === undefined ? undefined : (c.KmsKeyId ?? '')),
  backup_retention_period: (c) => c.BackupRetentionPeriod,
  preferred_backup_window: (c) => c.PreferredBackupWindow,
  preferred_maintenance_window: (c) => c.PreferredMaintenanceWindow,
  deletion_protection: (c) => c.DeletionProtection,
  iam_database_authentication_enabled: (c) => c.IAMDatabaseAuthenticationEnabled,
  db_subnet_group_name: (c) => c.DBSubnetGroup,
  vpc_security_group_ids: (c) => c.VpcSecurityGroups?.map((g) => g.VpcSecurityGroupId).filter((id): id is string => !!id),
  copy_tags_to_snapshot: (c) => c.CopyTagsToSnapshot,
  tags: (c) => (c.TagList ? tagMap(c.TagList) : undefined),
};

const CLUSTER_KINDS: Record<string, ComparedAttribute['kind']> = { engine_version: 'version-prefix', vpc_security_group_ids: 'set', tags: 'tags' };

function toClusterObject({ region, value: c }: Regional<DBCluster>): LiveObject {
  const identifier = c.DBClusterIdentifier!;
  return {
    type: 'aws_rds_cluster',
    importId: identifier,
    resourceId: c.DBClusterArn ?? identifier,
    region,
    name: identifier,
    attributes: Object.fromEntries(Object.entries(CLUSTER_FIELDS).map(([path, field]) => [path, field(c)])),
    stub: { cluster_identifier: identifier, engine: c.Engine ?? '' },
  };
}

/** Aurora and Multi-AZ DB clusters. The master password is never returned, so never compared. */
const rdsCluster: LiveTypeSpec = {
  type: 'aws_rds_cluster',
  importIdFormat: 'DB cluster identifier',
  compared: Object.keys(CLUSTER_FIELDS).map((path) => ({ path, kind: CLUSTER_KINDS[path] ?? 'value' })),
  resourceIdOf: (attributes) => stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'cluster_identifier') ?? '',
  lookup(attributes, live) {
    const found = lookupRegional(live.dbClusters, (stringAttr(attributes, 'cluster_identifier') ?? stringAttr(attributes, 'id'))?.toLowerCase(), live, stringAttr(attributes, 'arn'));
    return 'item' in found ? { found: toClusterObject(found.item) } : found;
  },
  enumerate: (live) => [...live.dbClusters.items.values()].map(toClusterObject),
};

export const RDS_TYPES: readonly LiveTypeSpec[] = [dbInstance, dbSnapshot, dbSubnetGroup, rdsCluster];
