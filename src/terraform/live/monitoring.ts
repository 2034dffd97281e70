/**
 * CloudWatch Logs groups and metric filters, CloudWatch metric alarms, SNS topics, topic
 * policies and subscriptions. Compared: what a person sets and AWS keeps as set, and the tags of
 * log groups, alarms and topics (each read by its service's own tagging call: the listings return
 * none). An SNS topic's `policy` is compared on `aws_sns_topic`, where the provider refreshes it
 * (`terraform plan -refresh-only` shows a statement added in the console there), unless the state
 * has an `aws_sns_topic_policy` for the topic: then on that resource only, never twice (as SQS).
 */
import type { MetricFilter } from '@aws-sdk/client-cloudwatch-logs';
import type { SnsSubscription, SnsTopic, TaggedAlarm, TaggedLogGroup } from '../../inventory/snapshot.js';
import { lookupRegional, readValue, stringAttr, unreadParts, type LiveInventory, type Regional, type RegionalIndex } from './inventory.js';
import type { ComparedAttribute, LiveLookup, LiveObject, LiveTypeSpec } from './types.js';

const orDefault = (name: string, fallback: unknown) => (a: Record<string, unknown>) => a[name] ?? fallback;
const firstBlock = (a: Record<string, unknown>, name: string): Record<string, unknown> => {
  const v = a[name];
  return (Array.isArray(v) ? v[0] : v) as Record<string, unknown> | undefined ?? {};
};

/** A type found by one id in one regional index, compared attribute by attribute. */
export function indexedType<T>(o: {
  type: string;
  importIdFormat: string;
  index: (live: LiveInventory) => RegionalIndex<T>;
  /** The index key from a state instance's attributes. */
  keyOf: (attributes: Record<string, unknown>) => string | undefined;
  importId: (item: T) => string;
  resourceId: (item: T, region: string, live: LiveInventory) => string;
  name: (item: T) => string;
  compared: ReadonlyArray<ComparedAttribute & { live: (item: T) => unknown }>;
  stub: (item: T) => Record<string, unknown>;
  enumerable?: (item: T) => boolean;
  /** The compared attributes whose read failed (see LiveObject.unread). */
  unread?: (item: T) => { unread?: Record<string, string> };
}): LiveTypeSpec {
  const toObject = ({ region, value }: Regional<T>, live: LiveInventory): LiveObject => ({
    type: o.type,
    importId: o.importId(value),
    resourceId: o.resourceId(value, region, live),
    region,
    name: o.name(value),
    attributes: Object.fromEntries(o.compared.map((c) => [c.path, c.live(value)])),
    stub: o.stub(value),
    ...o.unread?.(value),
  });
  return {
    type: o.type,
    importIdFormat: o.importIdFormat,
    compared: o.compared.map(({ live: _live, ...c }) => c),
    resourceIdOf: (attributes) => stringAttr(attributes, 'arn') ?? o.keyOf(attributes) ?? '',
    lookup(attributes, live): LiveLookup {
      const found = lookupRegional(o.index(live), o.keyOf(attributes), live, stringAttr(attributes, 'arn'));
      return 'item' in found ? { found: toObject(found.item, live) } : found;
    },
    ...(o.enumerable ? { enumerate: (live: LiveInventory) => [...o.index(live).items.values()].filter((i) => o.enumerable!(i.value)).map((i) => toObject(i, live)) } : {}),
  };
}

const logGroupArn = (live: LiveInventory, region: string, name: string) => `arn:${live.partition}:logs:${region}:${live.accountId}:log-group:${name}`;

const logGroup = indexedType<TaggedLogGroup>({
  type: 'aws_cloudwatch_log_group',
  importIdFormat: 'log group name',
  index: (live) => live.logGroups,
  keyOf: (a) => stringAttr(a, 'name') ?? stringAttr(a, 'id'),
  importId: (g) => g.logGroupName!,
  resourceId: (g, region, live) => logGroupArn(live, region, g.logGroupName!),
  name: (g) => g.logGroupName!,
  compared: [
    // 0 in state: never expire, which DescribeLogGroups says by leaving the field out.
    { path: 'retention_in_days', kind: 'value', normalize: orDefault('retention_in_days', 0), live: (g) => g.retentionInDays ?? 0 },
    { path: 'kms_key_id', kind: 'value', normalize: orDefault('kms_key_id', ''), live: (g) => g.kmsKeyId ?? '' },
    { path: 'log_group_class', kind: 'value', normalize: orDefault('log_group_class', 'STANDARD'), live: (g) => g.logGroupClass ?? 'STANDARD', optional: true },
    { path: 'tags', kind: 'tags', live: (g) => readValue(g.tags) },
  ],
  stub: (g) => ({ name: g.logGroupName! }),
  // AWS's own groups (Lambda, RDS, VPC flow logs made by services) are still the account's: enumerate all.
  enumerable: () => true,
  unread: (g) => unreadParts([g.tags, 'ListTagsForResource', ['tags']]),
});

const metricFilter = indexedType<MetricFilter>({
  type: 'aws_cloudwatch_log_metric_filter',
  importIdFormat: 'log group name:filter name',
  index: (live) => live.metricFilters,
  keyOf: (a) => (stringAttr(a, 'log_group_name') && stringAttr(a, 'name') ? `${stringAttr(a, 'log_group_name')}:${stringAttr(a, 'name')}` : undefined),
  importId: (f) => `${f.logGroupName}:${f.filterName}`,
  resourceId: (f, region, live) => `${logGroupArn(live, region, f.logGroupName!)}:metric-filter:${f.filterName}`,
  name: (f) => f.filterName!,
  compared: [
    { path: 'pattern', kind: 'value', live: (f) => f.filterPattern ?? '' },
    { path: 'metric_transformation.0.name', kind: 'value', normalize: (a) => firstBlock(a, 'metric_transformation').name, live: (f) => f.metricTransformations?.[0]?.metricName },
    { path: 'metric_transformation.0.namespace', kind: 'value', normalize: (a) => firstBlock(a, 'metric_transformation').namespace, live: (f) => f.metricTransformations?.[0]?.metricNamespace },
    { path: 'metric_transformation.0.value', kind: 'value', normalize: (a) => firstBlock(a, 'metric_transformation').value, live: (f) => f.metricTransformations?.[0]?.metricValue },
  ],
  stub: (f) => ({
    name: f.filterName!,
    log_group_name: f.logGroupName!,
    pattern: f.filterPattern ?? '',
    metric_transformation: { name: f.metricTransformations?.[0]?.metricName ?? '', namespace: f.metricTransformations?.[0]?.metricNamespace ?? '', value: f.metricTransformations?.[0]?.metricValue ?? '' },
  }),
  enumerable: () => true,
});

const metricAlarm = indexedType<TaggedAlarm>({
  type: 'aws_cloudwatch_metric_alarm',
  importIdFormat: 'alarm name',
  index: (live) => live.alarms,
  keyOf: (a) => stringAttr(a, 'alarm_name') ?? stringAttr(a, 'id'),
  importId: (a) => a.AlarmName!,
  resourceId: (a) => a.AlarmArn ?? a.AlarmName!,
  name: (a) => a.AlarmName!,
  compared: [
    { path: 'metric_name', kind: 'value', live: (a) => a.MetricName ?? '' },
    { path: 'namespace', kind: 'value', live: (a) => a.Namespace ?? '' },
    { path: 'statistic', kind: 'value', normalize: orDefault('statistic', ''), live: (a) => a.Statistic ?? '' },
    { path: 'period', kind: 'value', live: (a) => a.Period },
    { path: 'evaluation_periods', kind: 'value', live: (a) => a.EvaluationPeriods },
    { path: 'threshold', kind: 'value', live: (a) => a.Threshold },
    { path: 'comparison_operator', kind: 'value', live: (a) => a.ComparisonOperator },
    { path: 'treat_missing_data', kind: 'value', normalize: orDefault('treat_missing_data', 'missing'), live: (a) => a.TreatMissingData ?? 'missing' },
    { path: 'actions_enabled', kind: 'value', normalize: orDefault('actions_enabled', true), live: (a) => a.ActionsEnabled ?? true },
    { path: 'alarm_actions', kind: 'set', normalize: orDefault('alarm_actions', []), live: (a) => a.AlarmActions ?? [] },
    { path: 'tags', kind: 'tags', live: (a) => readValue(a.tags) },
  ],
  stub: (a) => ({ alarm_name: a.AlarmName!, comparison_operator: a.ComparisonOperator ?? '', evaluation_periods: a.EvaluationPeriods ?? 1, metric_name: a.MetricName ?? '', namespace: a.Namespace ?? '', period: a.Period ?? 300, statistic: a.Statistic ?? 'Sum', threshold: a.Threshold ?? 0 }),
  enumerable: () => true,
  unread: (a) => unreadParts([a.tags, 'ListTagsForResource', ['tags']]),
});

const topicClaimKey = (arn: string | undefined) => (arn ? `sns-topic:${arn}` : undefined);

const topicSpec = indexedType<SnsTopic>({
  type: 'aws_sns_topic',
  importIdFormat: 'topic ARN',
  index: (live) => live.topics,
  keyOf: (a) => stringAttr(a, 'arn') ?? stringAttr(a, 'id'),
  importId: (t) => t.arn,
  resourceId: (t) => t.arn,
  name: (t) => t.name,
  compared: [
    { path: 'display_name', kind: 'value', normalize: orDefault('display_name', ''), live: (t) => (t.attributes.error ? undefined : (t.attributes.value.DisplayName ?? '')) },
    { path: 'kms_master_key_id', kind: 'value', normalize: orDefault('kms_master_key_id', ''), live: (t) => (t.attributes.error ? undefined : (t.attributes.value.KmsMasterKeyId ?? '')) },
    // Compared here only when no aws_sns_topic_policy of the state claims it (and the state has it).
    { path: 'policy', kind: 'policy', optional: true, live: (t) => readValue(t.attributes)?.Policy },
    { path: 'tags', kind: 'tags', live: (t) => readValue(t.tags) },
  ],
  stub: (t) => ({ name: t.name }),
  enumerable: () => true,
  unread: (t) => unreadParts([t.attributes, 'GetTopicAttributes', ['display_name', 'kms_master_key_id', 'policy']], [t.tags, 'ListTagsForResource', ['tags']]),
});

const topic: LiveTypeSpec = { ...topicSpec, claimKey: (attributes) => topicClaimKey(stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'id')) };

/** The topic's policy: one per topic, never enumerated on its own (the topic is); it owns the topic's `policy`. */
const topicPolicySpec = indexedType<SnsTopic>({
  type: 'aws_sns_topic_policy',
  importIdFormat: 'topic ARN',
  index: (live) => live.topics,
  keyOf: (a) => stringAttr(a, 'arn') ?? stringAttr(a, 'id'),
  importId: (t) => t.arn,
  resourceId: (t) => t.arn,
  name: (t) => t.name,
  compared: [{ path: 'policy', kind: 'policy', live: (t) => readValue(t.attributes)?.Policy }],
  stub: (t) => ({ arn: t.arn, policy: readValue(t.attributes)?.Policy ?? '' }),
  unread: (t) => unreadParts([t.attributes, 'GetTopicAttributes', ['policy']]),
});

const topicPolicy: LiveTypeSpec = {
  ...topicPolicySpec,
  claims: (attributes) => {
    const owner = topicClaimKey(stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'id'));
    return owner ? [{ owner, path: 'policy' }] : [];
  },
};

const subscription = indexedType<SnsSubscription & { topicArn: string }>({
  type: 'aws_sns_topic_subscription',
  importIdFormat: 'subscription ARN',
  index: (live) => live.subscriptions,
  keyOf: (a) => stringAttr(a, 'arn') ?? stringAttr(a, 'id'),
  importId: (s) => s.subscriptionArn,
  resourceId: (s) => s.subscriptionArn,
  name: (s) => `${s.topicArn.split(':').pop()} → ${s.protocol}`,
  compared: [
    { path: 'topic_arn', kind: 'value', live: (s) => s.topicArn },
    { path: 'protocol', kind: 'value', live: (s) => s.protocol },
    { path: 'endpoint', kind: 'value', live: (s) => s.endpoint },
  ],
  stub: (s) => ({ topic_arn: s.topicArn, protocol: s.protocol, endpoint: s.endpoint }),
  enumerable: () => true,
});

export const MONITORING_TYPES: readonly LiveTypeSpec[] = [logGroup, metricFilter, metricAlarm, topic, topicPolicy, subscription];
