/**
 * CloudWatch Logs as the current SDK speaks it: awsJson1_1, X-Amz-Target `Logs_20140328.<Op>`.
 * Serves DescribeLogGroups, DescribeMetricFilters and ListTagsForResource (a group's `Tags`) over
 * `Regions.<r>.Logs.LogGroups`, with Logs' own errors: ResourceNotFoundException for an unknown log
 * group, InvalidParameterException for a bad parameter or a token of another query, and
 * ValidationException for a tagging ARN that is not a log group's (DescribeLogGroups' `arn`,
 * which ends in `:*`, is one such: tags take `logGroupArn`). Timestamps are epoch milliseconds, as Logs
 * sends them.
 */
import type { SandboxLogGroup } from '../account/model.js';
import { AwsError } from '../types.js';
import { jsonPage, jsonService, stringParam, type Json, type JsonOperationContext } from './json-service.js';

const ms = (iso: string | undefined) => (iso ? Date.parse(iso) : undefined);
const invalidToken = { code: 'InvalidParameterException', message: 'The specified nextToken is not valid.', status: 400 };

function groupsOf(op: JsonOperationContext): SandboxLogGroup[] {
  return op.region.Logs?.LogGroups ?? [];
}

/** `limit`: 1..50, default 50, as both operations take it. */
function limit(body: Json): number {
  const v = body.limit;
  if (v === undefined || v === null) return 50;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 50)
    throw new AwsError({ code: 'InvalidParameterException', message: `1 validation error detected: Value '${String(v)}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50`, status: 400 });
  return v;
}

export function logGroupArn(account: string, region: string, name: string): string {
  return `arn:aws:logs:${region}:${account}:log-group:${name}`;
}

export const logsModule = jsonService({
  name: 'logs',
  signingName: 'logs',
  targets: ['Logs_20140328'],
  version: '1.1',
  clientPackage: '@aws-sdk/client-cloudwatch-logs',
  title: 'CloudWatch Logs',
  internalError: 'ServiceUnavailableException',
  throttling: { code: 'ThrottlingException', message: 'Rate exceeded', status: 400 },
  resources(operation, body, ctx) {
    if (operation === 'ListTagsForResource') return typeof body.resourceArn === 'string' && body.resourceArn ? [body.resourceArn] : [];
    const name = body.logGroupName;
    return operation === 'DescribeMetricFilters' && typeof name === 'string' && name ? [logGroupArn(ctx.account.AccountId, ctx.region, name)] : [];
  },
  operations: {
    DescribeLogGroups(body, op) {
      const prefix = stringParam(body, 'logGroupNamePrefix');
      const pattern = stringParam(body, 'logGroupNamePattern');
      if (prefix !== undefined && pattern !== undefined)
        throw new AwsError({ code: 'InvalidParameterException', message: 'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.', status: 400 });
      const account = op.ctx.account.AccountId;
      const groups = groupsOf(op)
        .filter((g) => (prefix === undefined || g.logGroupName.startsWith(prefix)) && (pattern === undefined || g.logGroupName.includes(pattern)))
        .sort((a, b) => a.logGroupName.localeCompare(b.logGroupName));
      const { page, next } = jsonPage('DescribeLogGroups', body, groups, limit(body), { token: 'nextToken', invalidToken });
      return {
        logGroups: page.map((g) => ({
          logGroupName: g.logGroupName,
          creationTime: ms(g.creationTime),
          ...(g.retentionInDays ? { retentionInDays: g.retentionInDays } : {}),
          metricFilterCount: g.MetricFilters?.length ?? 0,
          arn: `${logGroupArn(account, op.regionName, g.logGroupName)}:*`,
          logGroupArn: logGroupArn(account, op.regionName, g.logGroupName),
          storedBytes: 0,
          ...(g.kmsKeyId ? { kmsKeyId: g.kmsKeyId } : {}),
          logGroupClass: g.logGroupClass ?? 'STANDARD',
        })),
        ...(next ? { nextToken: next } : {}),
      };
    },
    DescribeMetricFilters(body, op) {
      const groupName = stringParam(body, 'logGroupName');
      const filterPrefix = stringParam(body, 'filterNamePrefix');
      const metricName = stringParam(body, 'metricName');
      const metricNamespace = stringParam(body, 'metricNamespace');
      if ((metricName === undefined) !== (metricNamespace === undefined))
        throw new AwsError({ code: 'InvalidParameterException', message: 'metricName and metricNamespace must be specified together.', status: 400 });
      if (filterPrefix !== undefined && groupName === undefined)
        throw new AwsError({ code: 'InvalidParameterException', message: 'logGroupName is required when filterNamePrefix is given.', status: 400 });
      let groups = groupsOf(op);
      if (groupName !== undefined) {
        groups = groups.filter((g) => g.logGroupName === groupName);
        if (groups.length === 0) throw new AwsError({ code: 'ResourceNotFoundException', message: 'The specified log group does not exist.', status: 400 });
      }
      const filters = groups
        .flatMap((g) => (g.MetricFilters ?? []).map((f) => ({ ...f, logGroupName: g.logGroupName, groupCreated: g.creationTime })))
        .filter(
          (f) =>
            (filterPrefix === undefined || f.filterName.startsWith(filterPrefix)) &&
            (metricName === undefined || f.metricTransformations.some((t) => t.metricName === metricName && t.metricNamespace === metricNamespace)),
        )
        .sort((a, b) => a.logGroupName.localeCompare(b.logGroupName) || a.filterName.localeCompare(b.filterName));
      const { page, next } = jsonPage('DescribeMetricFilters', body, filters, limit(body), { token: 'nextToken', invalidToken });
      return {
        metricFilters: page.map((f) => ({
          filterName: f.filterName,
          filterPattern: f.filterPattern,
          metricTransformations: f.metricTransformations,
          creationTime: ms(f.creationTime ?? f.groupCreated),
          logGroupName: f.logGroupName,
        })),
        ...(next ? { nextToken: next } : {}),
      };
    },
    ListTagsForResource(body, op) {
      const arn = stringParam(body, 'resourceArn');
      if (!arn) throw new AwsError({ code: 'ValidationException', message: "1 validation error detected: Value null at 'resourceArn' failed to satisfy constraint: Member must not be null", status: 400 });
      const m = /^arn:aws[a-z-]*:logs:([a-z0-9-]+):(\d{12}):log-group:([.\-_/#A-Za-z0-9]{1,512})$/.exec(arn);
      if (!m) throw new AwsError({ code: 'ValidationException', message: 'Invalid resourceArn', status: 400 });
      const group = m[1] === op.regionName && m[2] === op.ctx.account.AccountId ? groupsOf(op).find((g) => g.logGroupName === m[3]) : undefined;
      if (!group) throw new AwsError({ code: 'ResourceNotFoundException', message: 'The specified log group does not exist.', status: 400 });
      return { tags: group.Tags ?? {} };
    },
  },
});
