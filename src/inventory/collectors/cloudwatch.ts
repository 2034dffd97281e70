/**
 * CloudWatch, per region: each DB instance's DatabaseConnections (daily Maximum) and
 * CPUUtilization (daily Average) over the idle window. GetMetricData takes up to 500
 * queries a call, so an account with 1,000 databases costs 4 calls, not 2,000.
 */
import { ListTagsForResourceCommand, paginateDescribeAlarms, paginateGetMetricData, type MetricDataQuery, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import type { DBInstance } from '@aws-sdk/client-rds';
import { collectPages } from '../../aws/paginate.js';
import { mapBounded } from '../bounded.js';
import { notCollected, read, type CollectorContext, type CollectorReads } from '../context.js';
import type { CloudWatchInventory, DbActivity, Read, TaggedAlarm } from '../snapshot.js';
import { tagMap } from '../tags.js';

export const MAX_QUERIES_PER_CALL = 500;
const DAY_SECONDS = 86_400;

function queriesFor(dbInstanceIdentifier: string, index: number): MetricDataQuery[] {
  const metric = (MetricName: string, Stat: string, suffix: string): MetricDataQuery => ({
    Id: `db${index}_${suffix}`,
    MetricStat: {
      Metric: { Namespace: 'AWS/RDS', MetricName, Dimensions: [{ Name: 'DBInstanceIdentifier', Value: dbInstanceIdentifier }] },
      Period: DAY_SECONDS,
      Stat,
    },
    ReturnData: true,
  });
  return [metric('DatabaseConnections', 'Maximum', 'connections'), metric('CPUUtilization', 'Average', 'cpu')];
}

function resultError(result: MetricDataResult | undefined): { code: string; message: string } | undefined {
  if (!result) return { code: 'MissingResult', message: 'GetMetricData returned no result for this query' };
  if (result.StatusCode === 'Forbidden' || result.StatusCode === 'InternalError') {
    return { code: result.StatusCode, message: result.Messages?.map((m) => m.Value).join('; ') || `GetMetricData status ${result.StatusCode}` };
  }
  return undefined;
}

/** The metrics are asked about the DB instances RDS lists; an alarm's tags (drift), about the alarms listed. */
export const CLOUDWATCH_READS = {
  'cloudwatch:GetMetricData': ['rds:DescribeDBInstances'],
  'cloudwatch:DescribeAlarms': [],
  'cloudwatch:ListTagsForResource': ['cloudwatch:DescribeAlarms'],
} satisfies CollectorReads;

export async function collectCloudWatch(ctx: CollectorContext, region: string, dbInstances: readonly DBInstance[]): Promise<CloudWatchInventory> {
  const end = ctx.now;
  const start = new Date(end.getTime() - ctx.idleDays * DAY_SECONDS * 1000);
  const window = { start, end, days: ctx.idleDays };
  const client = ctx.session.client('cloudwatch', region);
  const ids = dbInstances.map((db) => db.DBInstanceIdentifier).filter((id): id is string => !!id);
  const queries = ids.flatMap((id, i) => queriesFor(id, i));
  const batches: MetricDataQuery[][] = [];
  for (let i = 0; i < queries.length; i += MAX_QUERIES_PER_CALL) batches.push(queries.slice(i, i + MAX_QUERIES_PER_CALL));

  const alarmsRead = (async (): Promise<Read<TaggedAlarm[]>> => {
    const listed = await read(ctx, { service: 'cloudwatch', region, operation: 'DescribeAlarms' }, () =>
      collectPages(paginateDescribeAlarms({ client, pageSize: 100 }, { AlarmTypes: ['MetricAlarm'] }), (p) => p.MetricAlarms),
    );
    if (listed.error) return listed;
    // DescribeAlarms returns no tags: one ListTagsForResource per alarm, when asked for (drift).
    if (!ctx.needs.has('cloudwatch:ListTagsForResource')) return { value: listed.value.map((alarm) => ({ ...alarm, tags: notCollected('cloudwatch:ListTagsForResource') })) };
    const alarms = await mapBounded(listed.value, ctx.session.concurrency, async (alarm): Promise<TaggedAlarm> => {
      const arn = alarm.AlarmArn ?? `arn:${ctx.partition}:cloudwatch:${region}:${ctx.accountId}:alarm:${alarm.AlarmName}`;
      const tags = await read(ctx, { service: 'cloudwatch', region, operation: 'ListTagsForResource', resource: arn }, async () =>
        tagMap((await client.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags),
      );
      return { ...alarm, tags };
    }, ctx.session.work('cloudwatch'));
    return { value: alarms };
  })();
  const fetched = await read(ctx, { service: 'cloudwatch', region, operation: 'GetMetricData' }, async () => {
    const pages = await Promise.all(
      batches.map((MetricDataQueries) =>
        collectPages(paginateGetMetricData({ client }, { MetricDataQueries, StartTime: start, EndTime: end }), (p) => p.MetricDataResults),
      ),
    );
    // A long series can span pages: the same query id then appears once per page.
    const byId = new Map<string, MetricDataResult>();
    for (const result of pages.flat()) {
      if (!result.Id) continue;
      const seen = byId.get(result.Id);
      if (seen) seen.Values = [...(seen.Values ?? []), ...(result.Values ?? [])];
      else byId.set(result.Id, { ...result, Values: [...(result.Values ?? [])] });
    }
    return byId;
  });
  const alarms = await alarmsRead;
  ctx.progress?.({ service: 'cloudwatch', region, done: true });
  if (fetched.error) return { window, dbActivity: fetched, alarms };

  const activity: Record<string, Read<DbActivity>> = {};
  ids.forEach((id, i) => {
    const connections = fetched.value.get(`db${i}_connections`);
    const cpu = fetched.value.get(`db${i}_cpu`);
    const error = resultError(connections) ?? resultError(cpu);
    if (error) {
      ctx.errors.push({ accountId: ctx.accountId, service: 'cloudwatch', region, operation: 'GetMetricData', resource: id, ...error });
      activity[id] = { error };
      return;
    }
    const connectionValues = connections!.Values ?? [];
    const cpuValues = cpu!.Values ?? [];
    activity[id] = {
      value: {
        connectionsMax: connectionValues.length ? Math.max(...connectionValues) : null,
        connectionsDatapoints: connectionValues.length,
        cpuAverage: cpuValues.length ? cpuValues.reduce((a, b) => a + b, 0) / cpuValues.length : null,
      },
    };
  });
  return { window, dbActivity: { value: activity }, alarms };
}
