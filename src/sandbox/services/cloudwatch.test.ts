import { describe, expect, it } from 'vitest';
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  paginateGetMetricData,
} from '@aws-sdk/client-cloudwatch';
import { fetchStats, opCount, useSandbox, rejection } from '../../test-support/sandbox.js';


const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/**
 * Metric times are relative to the test run (CloudWatch keeps minute data for 15 days only),
 * so the account is built inline around `base`, a whole hour one day ago.
 */
const base = Math.floor(Date.now() / HOUR) * HOUR - DAY;
const at = (ms: number) => new Date(ms).toISOString();
const WEB = [{ Name: 'InstanceId', Value: 'i-0a0000000000000a1' }];
const PROD_DB = [{ Name: 'DBInstanceIdentifier', Value: 'prod-db' }];

const account = {
  AccountId: '111122223333',
  Regions: {
    'us-east-1': {
      CloudWatch: {
        Metrics: [
          // 2.5 % every minute from base+30min on.
          { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: WEB, Unit: 'Percent', Constant: { Value: 2.5, Since: at(base + 30 * MINUTE) } },
          {
            Namespace: 'AWS/RDS',
            MetricName: 'DatabaseConnections',
            Dimensions: PROD_DB,
            Unit: 'Count',
            Datapoints: [
              { Timestamp: at(base + 5 * MINUTE), Value: 4 },
              { Timestamp: at(base + 10 * MINUTE), Value: 10 },
              { Timestamp: at(base + 70 * MINUTE), Value: 1 },
            ],
          },
          // 1000 bytes every minute for the last 40 days: old enough to test retention.
          {
            Namespace: 'AWS/EC2',
            MetricName: 'NetworkIn',
            Dimensions: WEB,
            Unit: 'Bytes',
            Constant: { Value: 1000, Since: at(base - 40 * DAY) },
          },
        ],
      },
    },
    'eu-west-1': {
      CloudWatch: {
        Metrics: [
          { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: 'i-0b0000000000000a1' }], Constant: { Value: 90, Since: at(base - 2 * HOUR) } },
        ],
      },
    },
  },
};

const ALL_STATISTICS = ['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount'] as const;

describe('sandbox CloudWatch (awsJson1_0, query-compatible)', () => {
  const env = useSandbox(account);
  const cw = (region = 'us-east-1') => new CloudWatchClient(env.config('cloudwatch', { region }));

  describe('GetMetricStatistics', () => {
    it('counts a constant series only from its Since: 30 minutes in the first hour, 60 in the second, none before', async () => {
      const res = await cw().send(
        new GetMetricStatisticsCommand({
          Namespace: 'AWS/EC2',
          MetricName: 'CPUUtilization',
          Dimensions: WEB,
          StartTime: new Date(base - HOUR),
          EndTime: new Date(base + 2 * HOUR),
          Period: 3600,
          Statistics: [...ALL_STATISTICS],
        }),
      );
      expect(res.Label).toBe('CPUUtilization');
      const points = [...(res.Datapoints ?? [])].sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime());
      expect(points).toEqual([
        { Timestamp: new Date(base), SampleCount: 30, Sum: 75, Average: 2.5, Minimum: 2.5, Maximum: 2.5, Unit: 'Percent' },
        { Timestamp: new Date(base + HOUR), SampleCount: 60, Sum: 150, Average: 2.5, Minimum: 2.5, Maximum: 2.5, Unit: 'Percent' },
      ]);
    });

    it('aggregates explicit datapoints per period, returning only the statistics asked for', async () => {
      const res = await cw().send(
        new GetMetricStatisticsCommand({
          Namespace: 'AWS/RDS',
          MetricName: 'DatabaseConnections',
          Dimensions: PROD_DB,
          StartTime: new Date(base),
          EndTime: new Date(base + 2 * HOUR),
          Period: 3600,
          Statistics: ['Average', 'Maximum', 'SampleCount'],
        }),
      );
      const points = [...(res.Datapoints ?? [])].sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime());
      // First hour: 4 and 10. Second hour: 1.
      expect(points).toEqual([
        { Timestamp: new Date(base), Average: 7, Maximum: 10, SampleCount: 2, Unit: 'Count' },
        { Timestamp: new Date(base + HOUR), Average: 1, Maximum: 1, SampleCount: 1, Unit: 'Count' },
      ]);
    });

    it('answers a metric that does not match exactly (dimension value, name case) with no datapoints', async () => {
      const ask = (metricName: string, dimensions: { Name: string; Value: string }[]) =>
        cw().send(
          new GetMetricStatisticsCommand({
            Namespace: 'AWS/EC2',
            MetricName: metricName,
            Dimensions: dimensions,
            StartTime: new Date(base),
            EndTime: new Date(base + 2 * HOUR),
            Period: 3600,
            Statistics: ['Average'],
          }),
        );
      expect((await ask('CPUUtilization', [{ Name: 'InstanceId', Value: 'i-0a0000000000000a2' }])).Datapoints).toEqual([]);
      expect((await ask('cpuutilization', WEB)).Datapoints).toEqual([]);
      expect((await ask('CPUUtilization', [])).Datapoints).toEqual([]);
      expect((await ask('CPUUtilization', WEB)).Datapoints).toHaveLength(2);
    });

    it('keeps data older than 15 days only at 5-minute periods, as CloudWatch retention does', async () => {
      const ask = (period: number) =>
        cw().send(
          new GetMetricStatisticsCommand({
            Namespace: 'AWS/EC2',
            MetricName: 'NetworkIn',
            Dimensions: WEB,
            StartTime: new Date(base - 20 * DAY),
            EndTime: new Date(base - 20 * DAY + HOUR),
            Period: period,
            Statistics: ['Sum', 'SampleCount'],
          }),
        );
      expect((await ask(60)).Datapoints).toEqual([]);
      const fiveMinutes = await ask(300);
      expect(fiveMinutes.Datapoints).toHaveLength(12);
      expect(fiveMinutes.Datapoints!.every((p) => p.Sum === 5000 && p.SampleCount === 5)).toBe(true);
    });

    it('refuses a bad Period, an inverted window and more than 1440 datapoints by their SDK error names', async () => {
      const ask = (input: { Period: number; StartTime: Date; EndTime: Date }) =>
        rejection(cw().send(new GetMetricStatisticsCommand({ Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Statistics: ['Average'], ...input })));
      const badPeriod = await ask({ Period: 61, StartTime: new Date(base), EndTime: new Date(base + HOUR) });
      expect(badPeriod.name).toBe('InvalidParameterValueException');
      expect(badPeriod.$metadata.httpStatusCode).toBe(400);
      expect((await ask({ Period: 60, StartTime: new Date(base + HOUR), EndTime: new Date(base) })).name).toBe('InvalidParameterValueException');
      expect((await ask({ Period: 60, StartTime: new Date(base - DAY), EndTime: new Date(base + 1 * MINUTE) })).name).toBe(
        'InvalidParameterCombinationException',
      );
      // Exactly 1440 periods is allowed.
      await expect(
        cw().send(
          new GetMetricStatisticsCommand({
            Namespace: 'AWS/EC2',
            MetricName: 'CPUUtilization',
            Statistics: ['Average'],
            Period: 60,
            StartTime: new Date(base - DAY),
            EndTime: new Date(base),
          }),
        ),
      ).resolves.toBeDefined();
    });
  });

  describe('GetMetricData', () => {
    const queries = [
      { Id: 'cpu', MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: WEB }, Period: 3600, Stat: 'Sum' } },
      { Id: 'conns', MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: 'DatabaseConnections', Dimensions: PROD_DB }, Period: 3600, Stat: 'Maximum' } },
    ];

    it('answers each query with Timestamps and Values, newest first by default', async () => {
      const res = await cw().send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: new Date(base - HOUR), EndTime: new Date(base + 2 * HOUR) }));
      expect(res.NextToken).toBeUndefined();
      expect(res.MetricDataResults).toEqual([
        { Id: 'cpu', Label: 'CPUUtilization', Timestamps: [new Date(base + HOUR), new Date(base)], Values: [150, 75], StatusCode: 'Complete' },
        { Id: 'conns', Label: 'DatabaseConnections', Timestamps: [new Date(base + HOUR), new Date(base)], Values: [1, 10], StatusCode: 'Complete' },
      ]);
      const ascending = await cw().send(
        new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: new Date(base - HOUR), EndTime: new Date(base + 2 * HOUR), ScanBy: 'TimestampAscending' }),
      );
      expect(ascending.MetricDataResults?.[0]?.Values).toEqual([75, 150]);
    });

    it('pages with MaxDatapoints/NextToken through the SDK paginator, marking unfinished queries PartialData', async () => {
      env.sandbox.resetStats();
      const fiveMinuteCpu = [{ Id: 'cpu', MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: WEB }, Period: 300, Stat: 'SampleCount' } }];
      const timestamps: number[] = [];
      const statuses: string[] = [];
      for await (const page of paginateGetMetricData(
        { client: cw(), pageSize: 4 },
        { MetricDataQueries: fiveMinuteCpu, StartTime: new Date(base), EndTime: new Date(base + HOUR) },
      )) {
        const result = page.MetricDataResults![0]!;
        timestamps.push(...result.Timestamps!.map((t) => t.getTime()));
        statuses.push(result.StatusCode!);
        expect(result.Values!.every((v) => v === 5)).toBe(true);
      }
      // Since is base+30min: six 5-minute periods of 5 samples each, in pages of 4 and 2.
      expect(statuses).toEqual(['PartialData', 'Complete']);
      expect(timestamps).toEqual([55, 50, 45, 40, 35, 30].map((m) => base + m * MINUTE));
      expect(opCount(await fetchStats(env.endpoint), 'cloudwatch', 'GetMetricData')).toBe(2);
    });

    it('refuses metric math, a bad query id and a foreign NextToken', async () => {
      const window = { StartTime: new Date(base), EndTime: new Date(base + HOUR) };
      const math = await rejection(cw().send(new GetMetricDataCommand({ MetricDataQueries: [{ Id: 'e1', Expression: 'SUM(METRICS())' }], ...window })));
      expect(math.name).toBe('InvalidParameterValueException');
      const badId = await rejection(cw().send(new GetMetricDataCommand({ MetricDataQueries: [{ ...queries[0]!, Id: 'Cpu' }], ...window })));
      expect(badId.name).toBe('InvalidParameterValueException');
      const token = await rejection(cw().send(new GetMetricDataCommand({ MetricDataQueries: queries, NextToken: 'bm90LWEtdG9rZW4', ...window })));
      expect(token.name).toBe('InvalidNextToken');
    });
  });

  it('lists metrics by namespace and dimension, per region', async () => {
    const ec2 = await cw().send(new ListMetricsCommand({ Namespace: 'AWS/EC2' }));
    expect(ec2.Metrics?.map((m) => m.MetricName)).toEqual(['CPUUtilization', 'NetworkIn']);
    const byDimension = await cw().send(new ListMetricsCommand({ Dimensions: [{ Name: 'DBInstanceIdentifier' }] }));
    expect(byDimension.Metrics).toEqual([{ Namespace: 'AWS/RDS', MetricName: 'DatabaseConnections', Dimensions: PROD_DB }]);
    const eu = await cw('eu-west-1').send(new ListMetricsCommand({}));
    expect(eu.Metrics?.map((m) => m.Dimensions?.[0]?.Value)).toEqual(['i-0b0000000000000a1']);
  });

  it('serves each region its own series, and refuses a region the account has not enabled', async () => {
    const eu = await cw('eu-west-1').send(
      new GetMetricStatisticsCommand({
        Namespace: 'AWS/EC2',
        MetricName: 'CPUUtilization',
        Dimensions: [{ Name: 'InstanceId', Value: 'i-0b0000000000000a1' }],
        StartTime: new Date(base),
        EndTime: new Date(base + HOUR),
        Period: 3600,
        Statistics: ['Average'],
      }),
    );
    expect(eu.Datapoints?.map((p) => p.Average)).toEqual([90]);
    const disabled = await rejection(cw('ap-southeast-2').send(new ListMetricsCommand({})));
    expect(disabled.name).toBe('InvalidClientTokenId');
    expect(disabled.$metadata.httpStatusCode).toBe(403);
  });

  it('refuses PutMetricData, PutMetricAlarm and DeleteAlarms with AccessDenied, counted as refused writes', async () => {
    const before = (await fetchStats(env.endpoint)).faults.refusedWrites;
    const put = await rejection(cw().send(new PutMetricDataCommand({ Namespace: 'Custom', MetricData: [{ MetricName: 'x', Value: 1 }] })));
    expect(put.name).toBe('AccessDenied');
    expect(put.$metadata.httpStatusCode).toBe(403);
    const alarm = await rejection(
      cw().send(
        new PutMetricAlarmCommand({
          AlarmName: 'cpu-high',
          Namespace: 'AWS/EC2',
          MetricName: 'CPUUtilization',
          Statistic: 'Average',
          Period: 300,
          EvaluationPeriods: 1,
          Threshold: 90,
          ComparisonOperator: 'GreaterThanThreshold',
        }),
      ),
    );
    expect(alarm.name).toBe('AccessDenied');
    expect(alarm.message).toContain('arn:aws:cloudwatch:us-east-1:111122223333:alarm:cpu-high');
    expect((await rejection(cw().send(new DeleteAlarmsCommand({ AlarmNames: ['cpu-high'] })))).name).toBe('AccessDenied');
    const stats = await fetchStats(env.endpoint);
    expect(stats.faults.refusedWrites).toBe(before + 3);
    expect(opCount(stats, 'cloudwatch', 'PutMetricData')).toBeGreaterThanOrEqual(1);
  });

  const post = (operation: string, body: string) =>
    fetch(env.endpoint + '/', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `GraniteServiceVersion20100801.${operation}`,
        authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=x',
      },
      body,
    });

  it('answers an operation CloudWatch does not have with UnknownOperationException in JSON', async () => {
    const res = await post('ExportAllMetrics', '{}');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { __type: string }).__type).toBe('UnknownOperationException');
  });

  it('answers malformed bodies with 400 JSON errors, never a 500', async () => {
    const notJson = await post('GetMetricData', 'not json');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { __type: string }).__type).toBe('SerializationException');
    const junk = await post('GetMetricData', JSON.stringify({ MetricDataQueries: [null], StartTime: 'yesterday', EndTime: {} }));
    expect(junk.status).toBe(400);
    expect(junk.headers.get('x-amzn-query-error')).toMatch(/^(InvalidParameterValue|MissingParameter);Sender$/);
    const badDimensions = await post('GetMetricStatistics', JSON.stringify({ Namespace: 'AWS/EC2', MetricName: 'x', Dimensions: 'all', Period: 60, StartTime: 1, EndTime: 2, Statistics: ['Sum'] }));
    expect(badDimensions.status).toBe(400);
  });
});

describe('sandbox CloudWatch throttling', () => {
  const env = useSandbox(account, { throttleRate: 1, seed: 3 });
  it('throttles with Throttling (the query-compatible code)', async () => {
    const err = await rejection(new CloudWatchClient(env.config('cloudwatch')).send(new ListMetricsCommand({})));
    expect(err.name).toBe('Throttling');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect((await fetchStats(env.endpoint)).faults.throttled).toBe(1);
  });
});
