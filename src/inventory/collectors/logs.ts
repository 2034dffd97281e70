/**
 * CloudWatch Logs, per region: the log groups (each with its tags, which DescribeLogGroups leaves
 * out) and every metric filter of the region (one paged DescribeMetricFilters without a log
 * group, not one call per group).
 */
import { ListTagsForResourceCommand, paginateDescribeLogGroups, paginateDescribeMetricFilters } from '@aws-sdk/client-cloudwatch-logs';
import { collectPages } from '../../aws/paginate.js';
import { mapBounded } from '../bounded.js';
import { notCollected, read, type CollectorContext, type CollectorReads } from '../context.js';
import type { LogsInventory, TaggedLogGroup } from '../snapshot.js';

export const LOGS_READS = {
  'logs:DescribeLogGroups': [],
  'logs:DescribeMetricFilters': [],
  'logs:ListTagsForResource': ['logs:DescribeLogGroups'],
} satisfies CollectorReads;

export async function collectLogs(ctx: CollectorContext, region: string): Promise<LogsInventory> {
  const client = ctx.session.client('logs', region);
  const label = (operation: string, resource?: string) => ({ service: 'logs' as const, region, operation, resource });
  const [listed, metricFilters] = await Promise.all([
    read(ctx, label('DescribeLogGroups'), () => collectPages(paginateDescribeLogGroups({ client, pageSize: 50 }, {}), (p) => p.logGroups)),
    read(ctx, label('DescribeMetricFilters'), () => collectPages(paginateDescribeMetricFilters({ client, pageSize: 50 }, {}), (p) => p.metricFilters)),
  ]);
  if (listed.error) {
    ctx.progress?.({ service: 'logs', region, done: true });
    return { logGroups: listed, metricFilters };
  }
  // One ListTagsForResource per group, when asked for (drift): no fan-out otherwise.
  if (!ctx.needs.has('logs:ListTagsForResource')) {
    ctx.progress?.({ service: 'logs', region, done: true });
    return { logGroups: { value: listed.value.map((group) => ({ ...group, tags: notCollected('logs:ListTagsForResource') })) }, metricFilters };
  }
  const logGroups = await mapBounded(listed.value, ctx.session.concurrency, async (group): Promise<TaggedLogGroup> => {
    // The tagging API takes the group's ARN without the trailing `:*` of `arn` (with it: ValidationException).
    const arn = group.logGroupArn ?? `arn:${ctx.partition}:logs:${region}:${ctx.accountId}:log-group:${group.logGroupName}`;
    const tags = await read(ctx, label('ListTagsForResource', arn), async () => (await client.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags ?? {});
    return { ...group, tags };
  }, ctx.session.work('logs'));
  ctx.progress?.({ service: 'logs', region, done: true });
  return { logGroups: { value: logGroups }, metricFilters };
}
