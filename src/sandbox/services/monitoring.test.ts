/** The sandbox's CloudWatch Logs (awsJson1_1), CloudWatch DescribeAlarms (awsJson1_0) and SNS (Query) through the real SDK clients. */
import { describe, expect, it } from 'vitest';
import { CloudWatchLogsClient, DeleteLogGroupCommand, DescribeLogGroupsCommand, DescribeMetricFiltersCommand, ListTagsForResourceCommand as ListLogTags, paginateDescribeMetricFilters } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient, DescribeAlarmsCommand, ListTagsForResourceCommand as ListAlarmTags, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, ListTagsForResourceCommand as ListTopicTags, ListTopicsCommand, PublishCommand, SNSClient, paginateListTopics } from '@aws-sdk/client-sns';
import { fetchStats, opCount, rejection, useSandbox } from '../../test-support/sandbox.js';

const ACCOUNT = '111122223333';
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:security-alerts`;
const filter = (n: number) => ({ filterName: `f-${String(n).padStart(2, '0')}`, filterPattern: `{ $.eventName = "E${n}" }`, metricTransformations: [{ metricName: `M${n}`, metricNamespace: 'CIS', metricValue: '1' }] });

const account = {
  AccountId: ACCOUNT,
  Regions: {
    'us-east-1': {
      Logs: {
        LogGroups: [
          { logGroupName: 'cloudtrail', creationTime: '2026-01-01T00:00:00Z', retentionInDays: 365, kmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/x`, MetricFilters: Array.from({ length: 60 }, (_, i) => filter(i)) },
          { logGroupName: '/aws/lambda/app', creationTime: '2026-01-01T00:00:00Z', Tags: { team: 'app' } },
        ],
      },
      CloudWatch: {
        Alarms: [
          { AlarmName: 'cis-unauthorized', MetricName: 'M1', Namespace: 'CIS', Statistic: 'Sum', Period: 300, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', AlarmActions: [TOPIC] },
          { AlarmName: 'app-errors', MetricName: 'Errors', Namespace: 'AWS/Lambda', StateValue: 'ALARM', Tags: { team: 'app' } },
        ],
      },
      SNS: {
        Topics: [
          { Name: 'security-alerts', DisplayName: 'Security', Tags: { team: 'security' }, Subscriptions: [{ Protocol: 'email', Endpoint: 'sec@example.com' }, { Protocol: 'email', Endpoint: 'new@example.com', Confirmed: false }] },
          { Name: 'open', Policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sns:Subscribe', Resource: `arn:aws:sns:us-east-1:${ACCOUNT}:open` }] } },
          ...Array.from({ length: 150 }, (_, i) => ({ Name: `bulk-${i}` })),
        ],
      },
    },
    'eu-west-1': {},
  },
};

describe('sandbox CloudWatch Logs, alarms and SNS', () => {
  const env = useSandbox(account, { deny: ['DescribeMetricFilters:*', 'GetTopicAttributes:open', 'ListTagsForResource:open'] });
  const plain = useSandbox(account);
  const logs = (e = plain, region = 'us-east-1') => new CloudWatchLogsClient(e.config('logs', { region }));
  const cw = (e = plain) => new CloudWatchClient(e.config('cloudwatch', { region: 'us-east-1' }));
  const sns = (e = plain, region = 'us-east-1') => new SNSClient(e.config('sns', { region }));

  it('Logs: lists log groups with ARNs, retention and filter counts; an empty region has none', async () => {
    const out = await logs().send(new DescribeLogGroupsCommand({}));
    expect(out.logGroups?.map((g) => g.logGroupName)).toEqual(['/aws/lambda/app', 'cloudtrail']);
    expect(out.logGroups?.[1]).toMatchObject({ arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:cloudtrail:*`, retentionInDays: 365, metricFilterCount: 60, creationTime: Date.parse('2026-01-01T00:00:00Z') });
    expect(out.logGroups?.[0]).not.toHaveProperty('retentionInDays');
    expect((await logs(plain, 'eu-west-1').send(new DescribeLogGroupsCommand({}))).logGroups).toEqual([]);
  });

  it('Logs: pages 60 metric filters 50 at a time through the paginator; an unknown log group is ResourceNotFoundException', async () => {
    plain.sandbox.resetStats();
    const sizes: number[] = [];
    for await (const p of paginateDescribeMetricFilters({ client: logs() }, {})) sizes.push(p.metricFilters?.length ?? 0);
    expect(sizes).toEqual([50, 10]);
    expect(opCount(await fetchStats(plain.endpoint), 'logs', 'DescribeMetricFilters')).toBe(2);
    const one = await logs().send(new DescribeMetricFiltersCommand({ logGroupName: 'cloudtrail', filterNamePrefix: 'f-07' }));
    expect(one.metricFilters).toEqual([expect.objectContaining({ filterName: 'f-07', filterPattern: '{ $.eventName = "E7" }', logGroupName: 'cloudtrail', metricTransformations: [{ metricName: 'M7', metricNamespace: 'CIS', metricValue: '1' }] })]);
    const missing = await rejection(logs().send(new DescribeMetricFiltersCommand({ logGroupName: 'nope' })));
    expect(missing.name).toBe('ResourceNotFoundException');
    const badToken = await rejection(logs().send(new DescribeMetricFiltersCommand({ nextToken: 'junk' })));
    expect(badToken.name).toBe('InvalidParameterException');
  });

  it('CloudWatch: describes metric alarms with their actions, by prefix or state; a token of another query is InvalidNextToken', async () => {
    const all = await cw().send(new DescribeAlarmsCommand({}));
    expect(all.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['app-errors', 'cis-unauthorized']);
    expect(all.MetricAlarms?.[1]).toMatchObject({ AlarmArn: `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:cis-unauthorized`, AlarmActions: [TOPIC], MetricName: 'M1', Namespace: 'CIS', ActionsEnabled: true, StateValue: 'OK' });
    expect((await cw().send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'cis-' }))).MetricAlarms).toHaveLength(1);
    expect((await cw().send(new DescribeAlarmsCommand({ StateValue: 'ALARM' }))).MetricAlarms?.map((a) => a.AlarmName)).toEqual(['app-errors']);
    const paged = await cw().send(new DescribeAlarmsCommand({ MaxRecords: 1 }));
    expect(paged.NextToken).toBeDefined();
    const replay = await rejection(cw().send(new DescribeAlarmsCommand({ MaxRecords: 1, AlarmNamePrefix: 'x', NextToken: paged.NextToken })));
    expect(replay.name).toBe('InvalidNextToken');
  });

  it('SNS: pages 152 topics 100 at a time; attributes as a map with the policy as JSON text and the default policy for a topic without one', async () => {
    const sizes: number[] = [];
    for await (const p of paginateListTopics({ client: sns() }, {})) sizes.push(p.Topics?.length ?? 0);
    expect(sizes).toEqual([100, 52]);
    const attrs = await sns().send(new GetTopicAttributesCommand({ TopicArn: TOPIC }));
    expect(attrs.Attributes).toMatchObject({ TopicArn: TOPIC, Owner: ACCOUNT, DisplayName: 'Security', SubscriptionsConfirmed: '1', SubscriptionsPending: '1' });
    expect(JSON.parse(attrs.Attributes!.Policy!).Statement[0].Condition).toEqual({ StringEquals: { 'AWS:SourceOwner': ACCOUNT } });
    const open = await sns().send(new GetTopicAttributesCommand({ TopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:open` }));
    expect(JSON.parse(open.Attributes!.Policy!).Statement[0].Principal).toBe('*');
  });

  it('SNS: lists subscriptions, an unconfirmed one as PendingConfirmation; an unknown topic is NotFound (404)', async () => {
    const subs = await sns().send(new ListSubscriptionsByTopicCommand({ TopicArn: TOPIC }));
    expect(subs.Subscriptions?.map((s) => [s.Protocol, s.Endpoint, s.SubscriptionArn === 'PendingConfirmation'])).toEqual([
      ['email', 'sec@example.com', false],
      ['email', 'new@example.com', true],
    ]);
    expect(subs.Subscriptions?.[0]?.SubscriptionArn).toMatch(new RegExp(`^${TOPIC}:`));
    const missing = await rejection(sns().send(new GetTopicAttributesCommand({ TopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:nope` })));
    expect(missing.name).toBe('NotFoundException');
    expect(missing.$metadata.httpStatusCode).toBe(404);
    const bad = await rejection(sns().send(new GetTopicAttributesCommand({ TopicArn: 'nope' })));
    expect(bad.name).toBe('InvalidParameterException');
  });

  it('lists tags with each service\'s tagging operation, and its own errors for an unknown or malformed ARN', async () => {
    const groupArn = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/app`;
    expect((await logs().send(new ListLogTags({ resourceArn: groupArn }))).tags).toEqual({ team: 'app' });
    expect((await logs().send(new ListLogTags({ resourceArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:cloudtrail` }))).tags).toEqual({});
    // DescribeLogGroups' `arn` ends in ":*": the tagging API refuses it, as AWS does.
    const star = await rejection(logs().send(new ListLogTags({ resourceArn: `${groupArn}:*` })));
    expect([star.name, star.message]).toEqual(['ValidationException', 'Invalid resourceArn']);
    expect((await rejection(logs().send(new ListLogTags({ resourceArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:nope` })))).name).toBe('ResourceNotFoundException');

    const alarmArn = (name: string) => `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:${name}`;
    expect((await cw().send(new ListAlarmTags({ ResourceARN: alarmArn('app-errors') }))).Tags).toEqual([{ Key: 'team', Value: 'app' }]);
    expect((await cw().send(new ListAlarmTags({ ResourceARN: alarmArn('cis-unauthorized') }))).Tags).toEqual([]);
    const noAlarm = await rejection(cw().send(new ListAlarmTags({ ResourceARN: alarmArn('nope') })));
    expect([noAlarm.name, noAlarm.$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', 404]);
    expect((await rejection(cw().send(new ListAlarmTags({ ResourceARN: 'nope' })))).name).toBe('InvalidParameterValueException');

    expect((await sns().send(new ListTopicTags({ ResourceArn: TOPIC }))).Tags).toEqual([{ Key: 'team', Value: 'security' }]);
    expect((await sns().send(new ListTopicTags({ ResourceArn: `arn:aws:sns:us-east-1:${ACCOUNT}:open` }))).Tags).toEqual([]);
    const noTopic = await rejection(sns().send(new ListTopicTags({ ResourceArn: `arn:aws:sns:us-east-1:${ACCOUNT}:nope` })));
    expect([noTopic.name, noTopic.$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', 404]);
    const denied = await rejection(sns(env).send(new ListTopicTags({ ResourceArn: `arn:aws:sns:us-east-1:${ACCOUNT}:open` })));
    expect(denied.name).toBe('AuthorizationErrorException');
  });

  it('denies with each service\'s own error, and refuses writes', async () => {
    const filters = await rejection(logs(env).send(new DescribeMetricFiltersCommand({})));
    expect(filters.name).toBe('AccessDeniedException');
    const topic = await rejection(sns(env).send(new GetTopicAttributesCommand({ TopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:open` })));
    expect(topic.name).toBe('AuthorizationErrorException');
    expect(topic.$metadata.httpStatusCode).toBe(403);
    env.sandbox.resetStats();
    expect((await rejection(sns(env).send(new PublishCommand({ TopicArn: TOPIC, Message: 'x' })))).name).toBe('AuthorizationErrorException');
    expect((await rejection(logs(env).send(new DeleteLogGroupCommand({ logGroupName: 'cloudtrail' })))).name).toBe('AccessDeniedException');
    expect((await rejection(cw(env).send(new PutMetricAlarmCommand({ AlarmName: 'x', MetricName: 'm', Namespace: 'n', EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanThreshold' })))).name).toBe('AccessDenied');
    expect((await fetchStats(env.endpoint)).faults.refusedWrites).toBe(3);
    expect((await rejection(sns(plain, 'ap-south-1').send(new ListTopicsCommand({})))).name).toBe('InvalidClientTokenId');
  });
});
