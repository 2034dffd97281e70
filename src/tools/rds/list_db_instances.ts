import { z } from 'zod';
import type { DBInstance } from '@aws-sdk/client-rds';
import { defineTool, READ_ONLY_LIVE } from '../../server/tool.js';
import { inventoryOperations } from '../../server/inventory-cache.js';
import type { AwsRead } from '../../aws/read-operations.js';
import type { CloudWatchInventory } from '../../inventory/snapshot.js';
import { ItemErrorSchema, cursorVersion, iso, itemError, listingArgs, listingFailed, moreText, pageOf, regionsArg, type ItemError } from '../listing.js';

const ConnectionsSchema = z.object({
  windowDays: z.number().int(),
  max: z.number().nullable().describe('Highest daily maximum of DatabaseConnections in the window; null: no datapoints'),
  datapoints: z.number().int(),
  cpuAverage: z.number().nullable(),
});
const DbSchema = z.object({
  id: z.string(),
  arn: z.string(),
  region: z.string(),
  engine: z.string(),
  engineVersion: z.string().optional(),
  instanceClass: z.string().optional(),
  status: z.string().optional(),
  publiclyAccessible: z.boolean(),
  storageEncrypted: z.boolean(),
  kmsKeyId: z.string().optional(),
  backupRetentionDays: z.number().int(),
  deletionProtection: z.boolean(),
  multiAz: z.boolean(),
  endpoint: z.object({ address: z.string(), port: z.number().int().optional() }).nullable(),
  securityGroups: z.array(z.string()),
  created: z.string().nullable(),
  connections: ConnectionsSchema.nullable().describe('From CloudWatch over the idle window; null: could not be read (see errors)'),
  errors: z.array(ItemErrorSchema),
});
type Db = z.infer<typeof DbSchema>;

function describeDb(db: DBInstance, region: string, cloudwatch: CloudWatchInventory | undefined): Db {
  const errors: ItemError[] = [];
  const id = db.DBInstanceIdentifier ?? '?';
  let connections: Db['connections'] = null;
  const activity = cloudwatch?.dbActivity;
  if (!cloudwatch || !activity) errors.push({ read: 'cloudwatch:GetMetricData', code: 'NotCollected', message: 'CloudWatch was not read for this region' });
  else if (activity.error) errors.push(itemError('cloudwatch:GetMetricData', activity.error));
  else {
    const one = activity.value[id];
    if (!one) errors.push({ read: 'cloudwatch:GetMetricData', code: 'MissingResult', message: 'no metric result for this instance' });
    else if (one.error) errors.push(itemError('cloudwatch:GetMetricData', one.error));
    else connections = { windowDays: cloudwatch.window.days, max: one.value.connectionsMax, datapoints: one.value.connectionsDatapoints, cpuAverage: one.value.cpuAverage };
  }
  return {
    id,
    arn: db.DBInstanceArn ?? id,
    region,
    engine: db.Engine ?? '?',
    ...(db.EngineVersion ? { engineVersion: db.EngineVersion } : {}),
    ...(db.DBInstanceClass ? { instanceClass: db.DBInstanceClass } : {}),
    ...(db.DBInstanceStatus ? { status: db.DBInstanceStatus } : {}),
    publiclyAccessible: db.PubliclyAccessible === true,
    storageEncrypted: db.StorageEncrypted === true,
    ...(db.KmsKeyId ? { kmsKeyId: db.KmsKeyId } : {}),
    backupRetentionDays: db.BackupRetentionPeriod ?? 0,
    deletionProtection: db.DeletionProtection === true,
    multiAz: db.MultiAZ === true,
    endpoint: db.Endpoint?.Address ? { address: db.Endpoint.Address, ...(db.Endpoint.Port ? { port: db.Endpoint.Port } : {}) } : null,
    securityGroups: (db.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId ?? '?'),
    created: iso(db.InstanceCreateTime),
    connections,
    errors,
  };
}

function dbLine(d: Db): string {
  const flags = [
    d.publiclyAccessible ? 'PUBLIC' : 'private',
    d.storageEncrypted ? 'encrypted' : 'UNENCRYPTED',
    d.backupRetentionDays > 0 ? `backups ${d.backupRetentionDays}d` : 'NO BACKUPS',
    d.deletionProtection ? 'deletion-protected' : 'NO deletion protection',
  ];
  const conns = d.connections ? `connections max ${d.connections.max ?? 'no data'} over ${d.connections.windowDays}d${d.connections.cpuAverage !== null ? `, CPU ~${d.connections.cpuAverage.toFixed(1)}%` : ''}` : 'connections unknown';
  return `${d.id} [${d.region}] ${d.engine} ${d.engineVersion ?? ''} ${d.instanceClass ?? ''} ${d.status ?? ''}\t${flags.join(', ')}\t${d.endpoint ? `${d.endpoint.address}:${d.endpoint.port ?? ''}` : 'no endpoint'}\t${conns}`;
}

/** The instances, and their activity over the idle window. */
const READS: AwsRead[] = ['rds:DescribeDBInstances', 'cloudwatch:GetMetricData'];

export const listDbInstances = defineTool({
  name: 'list_db_instances',
  toolset: 'rds',
  title: 'List RDS DB instances for review',
  description:
    'List the RDS DB instances with what a reviewer needs: engine and version, publicly accessible, storage encryption, backup retention, deletion protection, endpoint, security groups, and connections and CPU over the idle window from CloudWatch. ' +
    'Filter by region, engine, public, idle (no connections in the window). Read-only.',
  inputSchema: z.strictObject({
    regions: regionsArg,
    engine: z.string().max(64).optional().describe('Only engines starting with this, e.g. "postgres", "mysql", "aurora"'),
    nameContains: z.string().max(63).optional().describe('Only instances whose identifier contains this'),
    publiclyAccessible: z.boolean().optional(),
    idle: z.boolean().optional().describe('true: only instances with zero connections in the window; false: only those with connections'),
    ...listingArgs,
  }),
  outputSchema: z.object({ dbInstances: z.array(DbSchema), total: z.number().int(), nextCursor: z.string().optional(), regions: z.array(z.string()), inventoryCollectedAt: z.string() }),
  annotations: READ_ONLY_LIVE,
  awsOperations: inventoryOperations(READS),
  async handler(args, ctx) {
    const view = await ctx.session.inventory.get({ reads: READS, regions: args.regions, refresh: args.refresh && !args.cursor, allowStale: !!cursorVersion(args.cursor) });
    const all: Db[] = [];
    for (const [region, rds] of Object.entries(view.snapshot.rds ?? {})) {
      if (rds.dbInstances.error) throw listingFailed(`the DB instances in ${region} (rds:DescribeDBInstances)`, rds.dbInstances.error);
      all.push(...rds.dbInstances.value.map((db) => describeDb(db, region, view.snapshot.cloudwatch?.[region])));
    }
    const name = args.nameContains?.toLowerCase();
    const selected = all
      .filter((d) => (!name || d.id.toLowerCase().includes(name)) && (!args.engine || d.engine.startsWith(args.engine.toLowerCase())))
      .filter((d) => args.publiclyAccessible === undefined || d.publiclyAccessible === args.publiclyAccessible)
      // Unknown activity is kept: it cannot be shown to be busy or idle.
      .filter((d) => args.idle === undefined || d.connections === null || d.connections.max === null || (d.connections.max === 0) === args.idle)
      .sort((a, b) => a.region.localeCompare(b.region) || a.id.localeCompare(b.id));
    const page = pageOf(selected, 'list_db_instances', args, view.collectedAt, args.limit);
    return {
      structured: { dbInstances: page.items, total: page.total, nextCursor: page.nextCursor, regions: view.regions, inventoryCollectedAt: view.collectedAt },
      text: `${page.total} DB instance(s) in ${view.regions.join(', ')} (inventory read ${view.collectedAt}):\n${page.items.map(dbLine).join('\n')}${moreText(page)}`,
    };
  },
});
