/**
 * CIS AWS Foundations 4.1-4.15, one helper for the fifteen checks: each control passes when a
 * chain holds end to end, for at least one trail:
 *
 *   a multi-region CloudTrail trail that is logging and delivers to a CloudWatch Logs group
 *   → a metric filter on that group whose pattern holds every term of the CIS pattern
 *   → a CloudWatch alarm on the filter's metric (same name and namespace, same region)
 *   → an SNS topic among the alarm's actions with at least one confirmed subscription.
 *
 * Pattern matching is by term, as Prowler's regexes match: the pattern is cut at `||` and `&&`
 * after whitespace, parentheses and quotes are dropped, and each CIS term (`$.eventName=CreateVpc`)
 * must be one of the pieces: a pattern missing one term, or naming `CreateVpcPeeringConnection`
 * where the term is `CreateVpc`, does not match. A read that failed on the way makes the verdict
 * `error` unless another trail's chain passes.
 */
import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { MetricFilter } from '@aws-sdk/client-cloudwatch-logs';
import type { AwsRead } from '../../aws/read-operations.js';
import type { CheckMetadata, Finding } from '../../findings/model.js';
import type { CloudTrailTrail, InventorySnapshot, ReadError } from '../../inventory/snapshot.js';
import { accountSubject, finding, notCollected } from '../finding.js';
import type { Check } from '../types.js';

export interface CisMonitoringControl {
  /** CIS v3.0.0 control id (4.1 ... 4.15). */
  cis: string;
  /** What the filter watches, for titles: "unauthorized API calls". */
  watches: string;
  /** The CIS pattern's terms, as written in the benchmark: each must be in the filter's pattern. */
  terms: readonly string[];
  /** The CIS pattern, for the remediation. */
  pattern: string;
  risk: string;
}

/** The reads every 4.x check judges. */
export const CIS_MONITORING_READS: readonly AwsRead[] = [
  'cloudtrail:DescribeTrails',
  'cloudtrail:GetTrailStatus',
  'logs:DescribeMetricFilters',
  'cloudwatch:DescribeAlarms',
  'sns:ListSubscriptionsByTopic',
];

/** A pattern as a set of terms: `{ ($.eventName = "X") || ($.a != b) }` → {`$.eventName=X`, `$.a!=b`}. */
export function patternTerms(pattern: string): Set<string> {
  const flat = pattern.replace(/\s+/g, '').replace(/["'()]/g, '').replace(/^\{/, '').replace(/\}$/, '');
  return new Set(flat.split(/\|\||&&/).filter((t) => t.length > 0));
}

/** The CIS terms a pattern lacks ([] when it matches). */
export function missingTerms(pattern: string, terms: readonly string[]): string[] {
  const have = patternTerms(pattern);
  return terms.filter((t) => [...patternTerms(t)].some((piece) => !have.has(piece)));
}

interface Step {
  trail: string;
  logGroup?: string;
  filter?: string;
  missingTerms?: string[];
  alarm?: string;
  topic?: string;
  reached: 'no log group' | 'no matching filter' | 'no alarm' | 'no subscribed topic' | 'complete';
}

const LOG_GROUP_ARN = /^arn:[^:]+:logs:([^:]+):(\d{12}):log-group:(.+?)(?::\*)?$/;

/** The trails that count: multi-region, logging, delivering to CloudWatch Logs (each trail once). */
function qualifyingTrails(snapshot: InventorySnapshot, errors: Array<{ what: string; error: ReadError }>): CloudTrailTrail[] {
  const byArn = new Map<string, CloudTrailTrail>();
  for (const [region, ct] of Object.entries(snapshot.cloudtrail ?? {})) {
    if (ct.trails.error) {
      errors.push({ what: `the trails in ${region} (cloudtrail:DescribeTrails)`, error: ct.trails.error });
      continue;
    }
    for (const t of ct.trails.value) if (!byArn.has(t.arn) || t.status) byArn.set(t.arn, t);
  }
  return [...byArn.values()].filter((t) => {
    if (t.trail.IsMultiRegionTrail !== true) return false;
    if (t.status?.error) {
      errors.push({ what: `the status of trail ${t.name} (cloudtrail:GetTrailStatus)`, error: t.status.error });
      return false;
    }
    return t.status?.value?.isLogging !== false;
  });
}

function judgeTrail(snapshot: InventorySnapshot, trail: CloudTrailTrail, control: CisMonitoringControl, errors: Array<{ what: string; error: ReadError }>): Step {
  const step: Step = { trail: trail.name, reached: 'no log group' };
  const group = LOG_GROUP_ARN.exec(trail.trail.CloudWatchLogsLogGroupArn ?? '');
  if (!group) return step;
  const [, region, , logGroupName] = group as unknown as [string, string, string, string];
  step.logGroup = `${region}:${logGroupName}`;
  step.reached = 'no matching filter';
  const logs = snapshot.logs?.[region];
  if (!logs || logs.metricFilters.error) {
    errors.push({ what: `the metric filters in ${region} (logs:DescribeMetricFilters)`, error: logs?.metricFilters.error ?? { code: 'NotCollected', message: `region ${region} was not audited` } });
    return step;
  }
  const onGroup = logs.metricFilters.value.filter((f) => f.logGroupName === logGroupName);
  const judged = onGroup.map((f) => ({ filter: f, missing: missingTerms(f.filterPattern ?? '', control.terms) }));
  const matching = judged.filter((j) => j.missing.length === 0).map((j) => j.filter);
  if (matching.length === 0) {
    // The closest filter, for the evidence: the one missing the fewest terms.
    const closest = judged.sort((a, b) => a.missing.length - b.missing.length)[0];
    if (closest && closest.missing.length < control.terms.length) Object.assign(step, { filter: closest.filter.filterName, missingTerms: closest.missing });
    return step;
  }
  step.reached = 'no alarm';
  const cw = snapshot.cloudwatch?.[region];
  if (!cw || cw.alarms.error) {
    errors.push({ what: `the alarms in ${region} (cloudwatch:DescribeAlarms)`, error: cw?.alarms.error ?? { code: 'NotCollected', message: `region ${region} was not audited` } });
    return step;
  }
  for (const filter of matching) {
    const alarms: MetricAlarm[] = cw.alarms.value.filter((a) => onMetricOf(a, filter));
    if (alarms.length === 0) continue;
    step.filter = filter.filterName;
    step.reached = 'no subscribed topic';
    for (const alarm of alarms) {
      const actions: string[] = alarm.AlarmActions ?? [];
      step.alarm ??= alarm.AlarmName;
      if (alarm.ActionsEnabled === false) continue;
      for (const action of actions) {
        const topicRegion = action.split(':')[3] ?? '';
        if (!action.startsWith('arn:') || action.split(':')[2] !== 'sns') continue;
        const sns = snapshot.sns?.[topicRegion];
        if (!sns || sns.topics.error) {
          errors.push({ what: `the SNS topics in ${topicRegion} (sns:ListTopics)`, error: sns?.topics.error ?? { code: 'NotCollected', message: `region ${topicRegion} was not audited` } });
          continue;
        }
        const topic = sns.topics.value.find((t) => t.arn === action);
        if (!topic) continue;
        if (topic.subscriptions.error) {
          errors.push({ what: `the subscriptions of ${topic.name} (sns:ListSubscriptionsByTopic)`, error: topic.subscriptions.error });
          continue;
        }
        if (topic.subscriptions.value.some((s) => s.subscriptionArn !== 'PendingConfirmation' && s.subscriptionArn !== '')) {
          return { ...step, alarm: alarm.AlarmName, topic: topic.arn, reached: 'complete' };
        }
        step.topic ??= topic.arn;
      }
    }
  }
  if (!step.filter) step.filter = matching[0]!.filterName;
  return step;
}

function onMetricOf(alarm: MetricAlarm, filter: MetricFilter): boolean {
  return (filter.metricTransformations ?? []).some((t) => t.metricName === alarm.MetricName && t.metricNamespace === alarm.Namespace);
}

const SENTENCE: Record<Step['reached'], string> = {
  'no log group': 'delivers to no CloudWatch Logs group',
  'no matching filter': 'has no metric filter matching the CIS pattern on its log group',
  'no alarm': 'has a matching metric filter, but no alarm on its metric',
  'no subscribed topic': 'has a matching filter and alarm, but the alarm notifies no SNS topic with a confirmed subscription',
  complete: 'is monitored',
};

export function judgeCisMonitoring(meta: CheckMetadata, control: CisMonitoringControl, snapshot: InventorySnapshot): Finding[] {
  if (!snapshot.cloudtrail) return [notCollected(meta, snapshot, 'cloudtrail')];
  const errors: Array<{ what: string; error: ReadError }> = [];
  const subject = accountSubject(snapshot);
  const trails = qualifyingTrails(snapshot, errors);
  const steps = trails.map((t) => judgeTrail(snapshot, t, control, errors));
  const passed = steps.find((s) => s.reached === 'complete');
  if (passed) {
    return [finding(meta, snapshot, subject, 'pass', `${control.watches} are monitored: trail ${passed.trail}, filter ${passed.filter}, alarm ${passed.alarm}, topic ${passed.topic} with a confirmed subscription.`, { chain: passed })];
  }
  if (errors.length) {
    const first = errors[0]!;
    return [finding(meta, snapshot, subject, 'error', `Could not read ${first.what}: ${first.error.code}: ${first.error.message}`, { error: first.error, errors, chains: steps })];
  }
  if (steps.length === 0) return [finding(meta, snapshot, subject, 'fail', `No multi-region CloudTrail trail that is logging delivers to CloudWatch Logs, so ${control.watches} are not monitored.`, { chains: [] })];
  const best = steps[0]!;
  const detail = best.missingTerms?.length ? ` (closest: filter ${best.filter}, missing ${best.missingTerms.join(', ')})` : best.alarm ? ` (alarm ${best.alarm})` : '';
  return [finding(meta, snapshot, subject, 'fail', `${capitalise(control.watches)} are not monitored: trail ${best.trail} ${SENTENCE[best.reached]}${detail}.`, { chains: steps })];
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * One CIS 4.x check from its control: metadata as data, the shared judgment. `name` names the
 * filter, metric and alarm in the Terraform fix.
 */
/** Each 4.x check's control by check id, as the checks register themselves (for tests and the demo). */
export const CIS_MONITORING_CONTROLS = new Map<string, CisMonitoringControl>();

export function cisMonitoringCheck({ id, name, severity = 'medium', ...control }: CisMonitoringControl & { id: string; name: string; severity?: CheckMetadata['severity'] }): Check {
  const title = name;
  CIS_MONITORING_CONTROLS.set(id, control);
  const metadata: CheckMetadata = {
    id,
    title: `A metric filter and alarm with a subscribed topic watch ${control.watches}`,
    failTitle: `${capitalise(control.watches)} raise no alarm to a subscribed topic`,
    severity,
    service: 'cloudwatch',
    resourceType: 'AWS::::Account',
    risk: control.risk,
    remediation: `On the CloudWatch Logs group of a multi-region trail, add a metric filter with the CIS pattern ${control.pattern}, an alarm on its metric (Sum >= 1 over 5 minutes), and an SNS topic with at least one confirmed subscription as the alarm's action.`,
    remediationTerraform: `resource "aws_cloudwatch_log_metric_filter" "${id.replace(/^cloudwatch_alarm_/, '')}" {
  name           = "${title}"
  log_group_name = aws_cloudwatch_log_group.<cloudtrail>.name
  pattern        = ${JSON.stringify(control.pattern)}
  metric_transformation {
    name      = "${title}"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "${id.replace(/^cloudwatch_alarm_/, '')}" {
  alarm_name          = "${title}"
  metric_name         = aws_cloudwatch_log_metric_filter.${id.replace(/^cloudwatch_alarm_/, '')}.metric_transformation[0].name
  namespace           = "CISBenchmark"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.<security_alerts>.arn]
}`,
    cis: [control.cis],
    terraformTypes: ['aws_cloudwatch_log_metric_filter', 'aws_cloudwatch_metric_alarm', 'aws_sns_topic_subscription'],
    references: ['https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-alarms-for-cloudtrail.html'],
  };
  return { metadata, reads: CIS_MONITORING_READS, run: (snapshot) => judgeCisMonitoring(metadata, control, snapshot) };
}
