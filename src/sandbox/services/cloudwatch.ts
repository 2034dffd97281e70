/**
 * CloudWatch as the current SDK client speaks it: awsJson1_0 with awsQueryCompatible
 * (X-Amz-Target GraniteServiceVersion20100801.<Op>, JSON bodies, timestamps as epoch seconds,
 * errors as {"__type","message"} plus `x-amzn-query-error: <QueryCode>;Sender`).
 * Serves GetMetricStatistics, GetMetricData and ListMetrics over `Regions.<r>.CloudWatch.Metrics`,
 * and DescribeAlarms and ListTagsForResource (an alarm's `Tags`) over `Regions.<r>.CloudWatch.Alarms`.
 *
 * A region the account file does not list answers InvalidClientTokenId, as CloudWatch does
 * for an opt-in region the account has not enabled.
 */
import type { SandboxMetric, SandboxMetricAlarm, SandboxRegion } from '../account/model.js';
import { jsonBody, jsonError, jsonResponse, jsonTargetOperation } from '../protocol/json.js';
import { AwsError, type AwsErrorSpec, type ServiceContext, type ServiceModule } from '../types.js';
import { alignedStart, periodStatistics, sameDimensions, STATISTICS, type PeriodStatistics, type Statistic } from './cloudwatch-metrics.js';
import { decodePageToken, encodePageToken, pageOf, regionResources } from './regional.js';
import { sdkOperations } from './sdk-operations.js';

const SERVICE_TARGET = 'GraniteServiceVersion20100801';

/** Query error code -> the JSON error shape (__type) CloudWatch sends with it. */
const JSON_ERROR_TYPES: Readonly<Record<string, string>> = {
  InvalidParameterValue: 'InvalidParameterValueException',
  InvalidParameterCombination: 'InvalidParameterCombinationException',
  MissingParameter: 'MissingRequiredParameterException',
  InvalidNextToken: 'InvalidNextToken',
  AccessDenied: 'AccessDeniedException',
  Throttling: 'ThrottlingException',
  InvalidClientTokenId: 'UnrecognizedClientException',
  InternalServiceError: 'InternalServiceFault',
  ResourceNotFoundException: 'ResourceNotFoundException',
};

type Json = Record<string, unknown>;
type Dimension = { Name: string; Value: string };

const invalidValue = (message: string): AwsErrorSpec => ({ code: 'InvalidParameterValue', message, status: 400 });
const missing = (name: string): AwsErrorSpec => ({ code: 'MissingParameter', message: `The parameter ${name} is required.`, status: 400 });

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined || value === null || value === '') throw new AwsError(missing(name));
  return value;
}

function text(body: Json, name: string): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new AwsError(invalidValue(`The parameter ${name} must be a string.`));
  return v;
}

/** A timestamp as the SDK sends it (epoch seconds), or an ISO-8601 string from other clients; ms. */
function timestamp(body: Json, name: string): number {
  const v = required(body[name], name);
  const ms = typeof v === 'number' ? v * 1000 : typeof v === 'string' ? Date.parse(v) : NaN;
  if (!Number.isFinite(ms)) throw new AwsError(invalidValue(`The parameter ${name} must be a timestamp.`));
  return ms;
}

function dimensions(value: unknown, name: string): Dimension[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((d) => d && typeof d.Name === 'string' && typeof d.Value === 'string'))
    throw new AwsError(invalidValue(`The parameter ${name} must be a list of {Name, Value}.`));
  return value as Dimension[];
}

/** Period: 1, 5, 10, 30 or a multiple of 60 seconds. */
function period(value: unknown, name: string): number {
  const p = required(value, name);
  if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || (p % 60 !== 0 && ![1, 5, 10, 30].includes(p)))
    throw new AwsError(invalidValue(`The parameter ${name} must be 1, 5, 10, 30 or a multiple of 60.`));
  return p;
}

function timeWindow(body: Json, nowMs: number, periodSeconds: number) {
  const startMs = timestamp(body, 'StartTime');
  const endMs = timestamp(body, 'EndTime');
  if (startMs >= endMs) throw new AwsError(invalidValue('The parameter StartTime must be less than the parameter EndTime.'));
  return { startMs, endMs, periodSeconds, nowMs };
}

function findMetric(metrics: readonly SandboxMetric[], namespace: string, metricName: string, dims: Dimension[]) {
  return metrics.find((m) => m.Namespace === namespace && m.MetricName === metricName && sameDimensions(m, dims));
}

/** A requested Unit that is not the metric's selects no data, as in CloudWatch. */
const unitMatches = (metric: SandboxMetric | undefined, unit: string | undefined) => unit === undefined || (metric?.Unit ?? 'None') === unit;

function getMetricStatistics(body: Json, metrics: readonly SandboxMetric[], nowMs: number) {
  const namespace = required(text(body, 'Namespace'), 'Namespace');
  const metricName = required(text(body, 'MetricName'), 'MetricName');
  const periodSeconds = period(body.Period, 'Period');
  const w = timeWindow(body, nowMs, periodSeconds);
  const statistics = (body.Statistics ?? []) as unknown[];
  if (Array.isArray(body.ExtendedStatistics) && body.ExtendedStatistics.length > 0)
    throw new AwsError(invalidValue('The sandbox does not compute ExtendedStatistics (percentiles); ask for Statistics.'));
  if (!Array.isArray(statistics) || statistics.length === 0)
    throw new AwsError({ code: 'InvalidParameterCombination', message: 'Must specify either Statistics or ExtendedStatistics.', status: 400 });
  const bad = statistics.find((s) => !STATISTICS.includes(s as Statistic));
  if (bad !== undefined) throw new AwsError(invalidValue(`The parameter Statistics contains an invalid value: ${String(bad)}. Valid values are ${STATISTICS.join(', ')}.`));

  const requested = Math.ceil((w.endMs - alignedStart(w.startMs, nowMs)) / (periodSeconds * 1000));
  if (requested > 1440)
    throw new AwsError({
      code: 'InvalidParameterCombination',
      message: `You have requested up to ${requested} datapoints, which exceeds the limit of 1440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
      status: 400,
    });

  const unit = text(body, 'Unit');
  const metric = findMetric(metrics, namespace, metricName, dimensions(body.Dimensions, 'Dimensions'));
  const periods = metric && unitMatches(metric, unit) ? periodStatistics(metric, w) : [];
  return {
    Label: metricName,
    Datapoints: periods.map((p) => {
      const point: Json = { Timestamp: p.start / 1000, Unit: metric?.Unit ?? 'None' };
      for (const s of statistics as Statistic[]) point[s] = p[s];
      return point;
    }),
  };
}

interface QueryResult {
  Id: string;
  Label: string;
  Timestamps: number[];
  Values: number[];
}

function metricDataQuery(query: unknown, index: number, metrics: readonly SandboxMetric[], body: Json, nowMs: number): QueryResult | undefined {
  const q = (query ?? {}) as Json;
  const id = q.Id;
  if (typeof id !== 'string' || !/^[a-z][a-zA-Z0-9_]*$/.test(id))
    throw new AwsError(invalidValue(`The value ${String(id)} for parameter MetricDataQueries.member.${index + 1}.Id is not valid: it must start with a lowercase letter.`));
  if (q.Expression !== undefined)
    throw new AwsError(invalidValue(`The sandbox does not evaluate metric math (MetricDataQueries.member.${index + 1}.Expression); use MetricStat.`));
  const stat = (q.MetricStat ?? undefined) as Json | undefined;
  if (!stat) throw new AwsError(missing(`MetricDataQueries.member.${index + 1}.MetricStat`));
  const metricRef = (stat.Metric ?? {}) as Json;
  const namespace = required(text(metricRef, 'Namespace'), `MetricDataQueries.member.${index + 1}.MetricStat.Metric.Namespace`);
  const metricName = required(text(metricRef, 'MetricName'), `MetricDataQueries.member.${index + 1}.MetricStat.Metric.MetricName`);
  const statistic = stat.Stat;
  if (!STATISTICS.includes(statistic as Statistic))
    throw new AwsError(invalidValue(`The sandbox computes the statistics ${STATISTICS.join(', ')}; got ${String(statistic)}.`));
  const periodSeconds = period(q.Period ?? stat.Period, `MetricDataQueries.member.${index + 1}.MetricStat.Period`);
  if (q.ReturnData === false) return undefined;
  const metric = findMetric(metrics, namespace, metricName, dimensions(metricRef.Dimensions, 'Dimensions'));
  const periods: PeriodStatistics[] = metric && unitMatches(metric, text(stat, 'Unit')) ? periodStatistics(metric, timeWindow(body, nowMs, periodSeconds)) : [];
  const ordered = body.ScanBy === 'TimestampAscending' ? periods : [...periods].reverse();
  return {
    Id: id,
    Label: typeof q.Label === 'string' ? q.Label : metricName,
    Timestamps: ordered.map((p) => p.start / 1000),
    Values: ordered.map((p) => p[statistic as Statistic]),
  };
}

/** The request a GetMetricData/ListMetrics token belongs to: its body without the paging fields. */
function bodyBinding(operation: string, body: Json, pagingKeys: readonly string[]): string {
  return operation + JSON.stringify(Object.entries(body).filter(([k]) => !pagingKeys.includes(k)));
}

function startOffset(body: Json, binding: string): number {
  const token = body.NextToken;
  if (token === undefined || token === null || token === '') return 0;
  const offset = typeof token === 'string' ? decodePageToken(token, binding) : undefined;
  if (offset === undefined) throw new AwsError({ code: 'InvalidNextToken', message: 'The service returned an invalid NextToken.', status: 400 });
  return offset;
}

/** Datapoints across all queries, in query order, at most MaxDatapoints per call. */
function getMetricData(body: Json, metrics: readonly SandboxMetric[], nowMs: number) {
  const queries = body.MetricDataQueries;
  if (!Array.isArray(queries) || queries.length === 0) throw new AwsError(missing('MetricDataQueries'));
  if (queries.length > 500) throw new AwsError(invalidValue('The collection MetricDataQueries must not have a size greater than 500.'));
  const maxDatapoints = body.MaxDatapoints ?? 100_800;
  if (typeof maxDatapoints !== 'number' || !Number.isInteger(maxDatapoints) || maxDatapoints < 1)
    throw new AwsError(invalidValue('The parameter MaxDatapoints must be a positive integer.'));
  timeWindow(body, nowMs, 60); // validates StartTime/EndTime even when every query is hidden
  const results = queries.map((q, i) => metricDataQuery(q, i, metrics, body, nowMs)).filter((r): r is QueryResult => r !== undefined);

  const binding = bodyBinding('GetMetricData', body, ['NextToken', 'MaxDatapoints']);
  let skip = startOffset(body, binding);
  let room = maxDatapoints;
  let consumed = skip;
  const total = results.reduce((n, r) => n + r.Timestamps.length, 0);
  const page = results.map((r) => {
    const from = Math.min(skip, r.Timestamps.length);
    skip -= from;
    const take = Math.min(room, r.Timestamps.length - from);
    room -= take;
    consumed += take;
    return {
      Id: r.Id,
      Label: r.Label,
      Timestamps: r.Timestamps.slice(from, from + take),
      Values: r.Values.slice(from, from + take),
      StatusCode: from + take < r.Timestamps.length ? 'PartialData' : 'Complete',
    };
  });
  return { MetricDataResults: page, NextToken: consumed < total ? encodePageToken(consumed, binding) : undefined, Messages: [] };
}

/** ListMetrics: 500 per page; DimensionFilter values are optional (name only matches any value). */
function listMetrics(body: Json, metrics: readonly SandboxMetric[], nowMs: number) {
  const namespace = text(body, 'Namespace');
  const metricName = text(body, 'MetricName');
  const filters = body.Dimensions ?? [];
  if (!Array.isArray(filters)) throw new AwsError(invalidValue('The parameter Dimensions must be a list.'));
  const recentOnly = body.RecentlyActive === 'PT3H';
  const recent = (m: SandboxMetric) =>
    m.Constant ? Date.parse(m.Constant.Since) <= nowMs : (m.Datapoints ?? []).some((p) => nowMs - Date.parse(p.Timestamp) <= 3 * 3_600_000);
  const matched = metrics.filter(
    (m) =>
      (namespace === undefined || m.Namespace === namespace) &&
      (metricName === undefined || m.MetricName === metricName) &&
      (filters as Array<{ Name?: unknown; Value?: unknown }>).every((f) => m.Dimensions.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value))) &&
      (!recentOnly || recent(m)),
  );
  const binding = bodyBinding('ListMetrics', body, ['NextToken']);
  const { page, next } = pageOf(matched, startOffset(body, binding), 500);
  return {
    Metrics: page.map((m) => ({ Namespace: m.Namespace, MetricName: m.MetricName, Dimensions: m.Dimensions })),
    NextToken: next === undefined ? undefined : encodePageToken(next, binding),
  };
}

/** DescribeAlarms: metric alarms by names or prefix (not both), 1-100 a page (default 50); composite alarms: none. */
function describeAlarms(body: Json, alarms: readonly SandboxMetricAlarm[], ctx: ServiceContext) {
  const names = body.AlarmNames;
  const prefix = text(body, 'AlarmNamePrefix');
  const actionPrefix = text(body, 'ActionPrefix');
  const state = text(body, 'StateValue');
  if (names !== undefined && (!Array.isArray(names) || !names.every((n) => typeof n === 'string'))) throw new AwsError(invalidValue('The parameter AlarmNames must be a list of strings.'));
  if (Array.isArray(names) && names.length > 0 && prefix !== undefined)
    throw new AwsError({ code: 'InvalidParameterCombination', message: 'AlarmNamePrefix and AlarmNames cannot be specified together.', status: 400 });
  const types = Array.isArray(body.AlarmTypes) ? (body.AlarmTypes as unknown[]) : ['MetricAlarm'];
  const max = body.MaxRecords ?? 50;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 100) throw new AwsError(invalidValue('The parameter MaxRecords must be between 1 and 100.'));
  const matched = (types.includes('MetricAlarm') ? alarms : []).filter(
    (a) =>
      (!Array.isArray(names) || names.length === 0 || (names as string[]).includes(a.AlarmName)) &&
      (prefix === undefined || a.AlarmName.startsWith(prefix)) &&
      (actionPrefix === undefined || (a.AlarmActions ?? []).some((x) => x.startsWith(actionPrefix))) &&
      (state === undefined || (a.StateValue ?? 'OK') === state),
  );
  const binding = bodyBinding('DescribeAlarms', body, ['NextToken', 'MaxRecords']);
  const { page, next } = pageOf([...matched].sort((x, y) => x.AlarmName.localeCompare(y.AlarmName)), startOffset(body, binding), max);
  return {
    MetricAlarms: page.map(({ Tags: _tags, ...a }) => ({
      ...a,
      AlarmArn: `arn:aws:cloudwatch:${ctx.region}:${ctx.account.AccountId}:alarm:${a.AlarmName}`,
      ActionsEnabled: a.ActionsEnabled ?? true,
      AlarmActions: a.AlarmActions ?? [],
      OKActions: a.OKActions ?? [],
      InsufficientDataActions: a.InsufficientDataActions ?? [],
      StateValue: a.StateValue ?? 'OK',
      Dimensions: a.Dimensions ?? [],
    })),
    CompositeAlarms: [],
    NextToken: next === undefined ? undefined : encodePageToken(next, binding),
  };
}

/** ListTagsForResource: an alarm's tags by its ARN; an unknown alarm (or one of another region) is ResourceNotFoundException (404). */
function listTagsForResource(body: Json, alarms: readonly SandboxMetricAlarm[], ctx: ServiceContext) {
  const arn = required(text(body, 'ResourceARN'), 'ResourceARN');
  const m = /^arn:aws[a-z-]*:cloudwatch:([a-z0-9-]+):(\d{12}):(alarm|insight-rule|metric-stream):(.+)$/.exec(arn);
  if (!m) throw new AwsError(invalidValue(`The parameter ResourceARN is not a valid ARN: ${arn}`));
  const alarm = m[1] === ctx.region && m[2] === ctx.account.AccountId && m[3] === 'alarm' ? alarms.find((a) => a.AlarmName === m[4]) : undefined;
  if (!alarm) throw new AwsError({ code: 'ResourceNotFoundException', message: 'The named resource does not exist.', status: 404 });
  return { Tags: Object.entries(alarm.Tags ?? {}).map(([Key, Value]) => ({ Key, Value })) };
}

const SERVE: Record<string, (body: Json, region: SandboxRegion, nowMs: number, ctx: ServiceContext) => unknown> = {
  GetMetricStatistics: (body, region, nowMs) => getMetricStatistics(body, region.CloudWatch?.Metrics ?? [], nowMs),
  GetMetricData: (body, region, nowMs) => getMetricData(body, region.CloudWatch?.Metrics ?? [], nowMs),
  ListMetrics: (body, region, nowMs) => listMetrics(body, region.CloudWatch?.Metrics ?? [], nowMs),
  DescribeAlarms: (body, region, _nowMs, ctx) => describeAlarms(body, region.CloudWatch?.Alarms ?? [], ctx),
  ListTagsForResource: (body, region, _nowMs, ctx) => listTagsForResource(body, region.CloudWatch?.Alarms ?? [], ctx),
};

const notEnabled = (): AwsErrorSpec => ({ code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.', status: 403 });

function alarmArns(req: Parameters<ServiceModule['identify']>[0], ctx: ServiceContext): string[] {
  const body = jsonBody(req) ?? {};
  const names = [body.AlarmName, ...(Array.isArray(body.AlarmNames) ? body.AlarmNames : [])].filter((n): n is string => typeof n === 'string');
  const arns = names.map((n) => `arn:aws:cloudwatch:${ctx.region}:${ctx.account.AccountId}:alarm:${n}`);
  return typeof body.ResourceARN === 'string' ? [...arns, body.ResourceARN] : arns;
}

export const cloudwatchModule: ServiceModule = {
  name: 'cloudwatch',
  protocol: 'JSON 1.0 (awsQueryCompatible)',
  readOperations: new Set(Object.keys(SERVE)),
  matches: (req) => req.signingService === 'monitoring',
  identify(req, ctx) {
    const operation = jsonTargetOperation(req, SERVICE_TARGET);
    if (!operation) throw new AwsError({ code: 'UnknownOperationException', message: 'The request does not name a CloudWatch operation in X-Amz-Target.', status: 400 });
    // Writes may be gzip-compressed (PutMetricData); only reads and alarm names are looked into.
    return { operation, resources: req.headers['content-encoding'] ? [] : alarmArns(req, ctx) };
  },
  serve(req, operation, ctx) {
    const region = regionResources(ctx);
    if (!region) throw new AwsError(notEnabled());
    const body = jsonBody(req);
    if (!body) throw new AwsError({ code: 'SerializationException', message: 'The request body is not a JSON object.', status: 400 });
    return jsonResponse(SERVE[operation]!(body, region, Date.now(), ctx), req.requestId);
  },
  renderError(req, error) {
    // The core's generic InternalError is CloudWatch's InternalServiceError.
    const queryCode = error.code === 'InternalError' ? 'InternalServiceError' : error.code;
    const type = JSON_ERROR_TYPES[queryCode];
    if (!type) return jsonError(error, req.requestId, { type: error.code });
    return jsonError(error, req.requestId, { type, queryCode });
  },
  accessDenied: (operation, resource, ctx) =>
    regionResources(ctx)
      ? {
          code: 'AccessDenied',
          message:
            `User: ${ctx.account.CallerIdentity!.Arn} is not authorized to perform: cloudwatch:${operation}` +
            `${resource ? ` on resource: ${resource}` : ''} because no identity-based policy allows the cloudwatch:${operation} action`,
          status: 403,
        }
      : notEnabled(),
  throttled: () => ({ code: 'Throttling', message: 'Rate exceeded', status: 400 }),
  isKnownOperation: async (operation) => (await sdkOperations('@aws-sdk/client-cloudwatch')).has(operation),
  unknownOperation: (operation) => ({ code: 'UnknownOperationException', message: `The operation ${operation} is not known to CloudWatch.`, status: 400 }),
};
