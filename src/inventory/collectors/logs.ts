/**
 * CloudWatch Logs, per region: the log groups and every metric filter of the region (one paged
 * DescribeMetricFilters without a log group, not one call per group).
 */
import { paginateDescribeLogGroups, paginateDescribeMetricFilters } from '@aws-sdk/client-cloudwatch-logs';
import { collectPages } from '../../aws/paginate.js';
import { read, type CollectorContext, type CollectorReads } from '../context.js';
import type { LogsInventory } from '../snapshot.js';

export const LOGS_READS = {
  'logs:DescribeLogGroups': [],
  'logs:DescribeMetricFilters': [],
} satisfies CollectorReads;

export async function collectLogs(ctx: CollectorContext, region: string): Promise<LogsInventory> {
  const client = ctx.session.client('logs', region);
  const label = (operation: string) => ({ service: 'logs' as const, region, operation });
  const [logGroups, metricFilters] = await Promise.all([
    read(ctx, label('DescribeLogGroups'), () => collectPages(paginateDescribeLogGroups({ client, pageSize: 50 }, {}), (p) => p.logGroups)),
    read(ctx, label('DescribeMetricFilters'), () => collectPages(paginateDescribeMetricFilters({ client, pageSize: 50 }, {}), (p) => p.metricFilters)),
  ]);
  ctx.progress?.({ service: 'logs', region, done: true });
  return { logGroups, metricFilters };
}
