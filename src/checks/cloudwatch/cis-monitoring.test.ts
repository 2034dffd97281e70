/**
 * CIS 4.1-4.15 through the real CloudTrail, Logs, CloudWatch and SNS clients against the
 * sandbox: the whole chain passing for every control, each link's near miss failing (a pattern
 * missing one term, a look-alike event name, a filter with no alarm, an alarm whose topic has
 * only a pending subscriber, a filter on another log group, a single-region trail), pattern
 * formatting that does not matter, and denied reads giving `error`.
 */
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../registry.js';
import { useSandbox } from '../../test-support/sandbox.js';
import { auditSandbox } from '../../test-support/audit.js';
import { CIS_MONITORING_CONTROLS, missingTerms, patternTerms } from './cis-monitoring.js';

const ACCOUNT = '111122223333';
const IDS = CHECKS.map((c) => c.metadata.id).filter((id) => id.startsWith('cloudwatch_alarm_'));
const control = (id: string) => CIS_MONITORING_CONTROLS.get(`cloudwatch_alarm_${id}`)!;
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:security-alerts`;
const PENDING = `arn:aws:sns:us-east-1:${ACCOUNT}:pending-only`;

const trail = (multi = true) => ({
  Name: 'main',
  S3BucketName: 'trail-logs',
  IsMultiRegionTrail: multi,
  LogFileValidationEnabled: true,
  IsLogging: true,
  CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:cloudtrail:*`,
});
const filterOf = (id: string, pattern = control(id).pattern) => ({ filterName: id, filterPattern: pattern, metricTransformations: [{ metricName: id, metricNamespace: 'CIS', metricValue: '1' }] });
const alarmOf = (id: string, topic = TOPIC) => ({ AlarmName: `cis-${id}`, MetricName: id, Namespace: 'CIS', Statistic: 'Sum' as const, Period: 300, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' as const, AlarmActions: [topic] });
const SHORT = IDS.map((id) => id.replace('cloudwatch_alarm_', ''));

function account(options: { multi?: boolean; filters?: object[]; alarms?: object[]; otherGroupFilters?: object[] } = {}) {
  return {
    AccountId: ACCOUNT,
    Regions: {
      'us-east-1': {
        CloudTrail: { Trails: [trail(options.multi ?? true)] },
        Logs: {
          LogGroups: [
            { logGroupName: 'cloudtrail', creationTime: '2026-01-01T00:00:00Z', MetricFilters: options.filters ?? SHORT.map((id) => filterOf(id)) },
            { logGroupName: 'app', creationTime: '2026-01-01T00:00:00Z', MetricFilters: options.otherGroupFilters ?? [] },
          ],
        },
        CloudWatch: { Alarms: options.alarms ?? SHORT.map((id) => alarmOf(id)) },
        SNS: {
          Topics: [
            { Name: 'security-alerts', Subscriptions: [{ Protocol: 'email' as const, Endpoint: 'sec@example.com' }] },
            { Name: 'pending-only', Subscriptions: [{ Protocol: 'email' as const, Endpoint: 'new@example.com', Confirmed: false }] },
          ],
        },
      },
      'eu-west-1': {},
    },
  };
}

const statuses = (audit: Awaited<ReturnType<typeof auditSandbox>>) => Object.fromEntries(audit.findings.map((f) => [f.checkId.replace('cloudwatch_alarm_', ''), f.status]));

describe('CIS 4.x pattern terms', () => {
  it('ignores whitespace, parentheses and quotes, and never takes a look-alike event name for the term', () => {
    expect([...patternTerms('{ ($.eventName = "CreateVpc") || ($.eventName=DeleteVpc) }')]).toEqual(['$.eventName=CreateVpc', '$.eventName=DeleteVpc']);
    expect(missingTerms('{($.eventName=CreateVpcPeeringConnection)}', ['$.eventName = CreateVpc'])).toEqual(['$.eventName = CreateVpc']);
    expect(missingTerms('{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }', control('root_account_usage').terms)).toEqual([]);
    expect(missingTerms('{ $.userIdentity.type = "Root" }', control('root_account_usage').terms)).toHaveLength(2);
  });
});

describe('CIS 4.1-4.15 monitoring checks', () => {
  const compliant = useSandbox(account());
  const reformatted = SHORT.map((id) => filterOf(id, control(id).pattern.replace(/\s+/g, '').replace(/"/g, '')));
  const nearMisses = useSandbox(
    account({
      filters: SHORT.filter((id) => id !== 'cloudtrail_config_changes').map((id) =>
        id === 'unauthorized_api_calls'
          ? filterOf(id, '{ ($.errorCode = "*UnauthorizedOperation") }')
          : id === 'vpc_changes'
            ? filterOf(id, control(id).pattern.replace('($.eventName = CreateVpc) || ', '($.eventName = CreateVpcEndpoint) || '))
            : filterOf(id),
      ),
      // 4.5's filter sits on another log group; 4.4 has no alarm; 4.3 alarms a topic nobody confirmed.
      otherGroupFilters: [filterOf('cloudtrail_config_changes')],
      alarms: SHORT.filter((id) => id !== 'iam_policy_changes').map((id) => alarmOf(id, id === 'root_account_usage' ? PENDING : TOPIC)),
    }),
  );
  const singleRegion = useSandbox(account({ multi: false }));
  const formatting = useSandbox(account({ filters: reformatted }));
  const filtersDenied = useSandbox(account(), { deny: ['DescribeMetricFilters:*'] });
  const subscriptionsDenied = useSandbox(account(), { deny: ['ListSubscriptionsByTopic:*'] });
  const run = (endpoint: string) => auditSandbox(endpoint, { checks: IDS });

  it('registers one check per control 4.1-4.15, each mapped to its CIS id', () => {
    expect(IDS).toHaveLength(15);
    expect(CHECKS.filter((c) => IDS.includes(c.metadata.id)).map((c) => c.metadata.cis![0])).toEqual(Array.from({ length: 15 }, (_, i) => `4.${i + 1}`));
  });

  it('passes every control when the trail, filter, alarm and confirmed subscription are all there', async () => {
    const audit = await run(compliant.endpoint);
    expect(Object.values(statuses(audit))).toEqual(Array(15).fill('pass'));
    expect(audit.findings[0]!.message).toMatch(/are monitored: trail main, filter \w+, alarm cis-\w+, topic arn:aws:sns:us-east-1:111122223333:security-alerts with a confirmed subscription\.$/);
    expect(audit.findings[0]!.resourceId).toBe(ACCOUNT);
  });

  it('passes a pattern written without spaces or quotes', async () => {
    expect(Object.values(statuses(await run(formatting.endpoint)))).toEqual(Array(15).fill('pass'));
  });

  it('fails each broken link, saying which, and passes the intact controls beside them', async () => {
    const audit = await run(nearMisses.endpoint);
    const s = statuses(audit);
    expect(Object.entries(s).filter(([, v]) => v === 'fail').map(([k]) => k).sort()).toEqual(['cloudtrail_config_changes', 'iam_policy_changes', 'root_account_usage', 'unauthorized_api_calls', 'vpc_changes']);
    const message = (id: string) => audit.verdict(`cloudwatch_alarm_${id}`, ACCOUNT).message;
    expect(message('unauthorized_api_calls')).toBe('Unauthorized API calls are not monitored: trail main has no metric filter matching the CIS pattern on its log group (closest: filter unauthorized_api_calls, missing $.errorCode = "AccessDenied*").');
    expect(message('vpc_changes')).toContain('missing $.eventName = CreateVpc)');
    expect(message('iam_policy_changes')).toBe('IAM policy changes are not monitored: trail main has a matching metric filter, but no alarm on its metric.');
    expect(message('root_account_usage')).toBe('Uses of the root user are not monitored: trail main has a matching filter and alarm, but the alarm notifies no SNS topic with a confirmed subscription (alarm cis-root_account_usage).');
    expect(message('cloudtrail_config_changes')).toMatch(/no metric filter matching the CIS pattern on its log group\.$/);
    expect(audit.verdict('cloudwatch_alarm_unauthorized_api_calls', ACCOUNT).failTitle).toBe('Unauthorized API calls raise no alarm to a subscribed topic');
  });

  it('fails every control when the only trail is single-region', async () => {
    const audit = await run(singleRegion.endpoint);
    expect(Object.values(statuses(audit))).toEqual(Array(15).fill('fail'));
    expect(audit.findings[0]!.message).toMatch(/^No multi-region CloudTrail trail that is logging delivers to CloudWatch Logs/);
  });

  it('says error, never pass or fail, when the filters or the subscriptions could not be read', async () => {
    const noFilters = await run(filtersDenied.endpoint);
    expect(Object.values(statuses(noFilters))).toEqual(Array(15).fill('error'));
    expect(noFilters.findings[0]!.message).toMatch(/^Could not read the metric filters in us-east-1 \(logs:DescribeMetricFilters\): AccessDeniedException: /);
    const noSubscriptions = await run(subscriptionsDenied.endpoint);
    expect(Object.values(statuses(noSubscriptions))).toEqual(Array(15).fill('error'));
    expect(noSubscriptions.findings[0]!.message).toMatch(/^Could not read the subscriptions of security-alerts \(sns:ListSubscriptionsByTopic\): AuthorizationError/);
  });
});
