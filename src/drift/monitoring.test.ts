/**
 * Drift for CloudWatch Logs groups and metric filters, metric alarms, SNS topics, topic policies
 * and subscriptions, over the wire against the sandbox with states shaped as `terraform apply`
 * writes them: in sync (defaults the provider fills in), changed per attribute, missing, and
 * unmanaged with its import block.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox, TEST_CREDENTIALS } from '../test-support/sandbox.js';
import { AwsSession } from '../aws/session.js';
import { loadTerraformInputs, runDrift } from './run.js';
import type { DriftReport } from './model.js';

const ACCOUNT_ID = '111122223333';
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT_ID}:alerts`;
const SUB = `${TOPIC}:0d9c8b7a-6f5e-4d3c-9b2a-1a0f9e8d7c6b`;
const filter = (name: string, pattern: string) => ({ filterName: name, filterPattern: pattern, metricTransformations: [{ metricName: name, metricNamespace: 'CIS', metricValue: '1' }] });
const alarm = (name: string, threshold = 1, actions = [TOPIC]) => ({ AlarmName: name, MetricName: name, Namespace: 'CIS', Statistic: 'Sum' as const, Period: 300, EvaluationPeriods: 1, Threshold: threshold, ComparisonOperator: 'GreaterThanOrEqualToThreshold' as const, AlarmActions: actions });
const policy = (extra: object[] = []) => ({ Version: '2012-10-17', Statement: [{ Sid: 'Owner', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: 'sns:Publish', Resource: TOPIC }, ...extra] });

const ACCOUNT = {
  AccountId: ACCOUNT_ID,
  Regions: {
    'us-east-1': {
      Logs: {
        LogGroups: [
          { logGroupName: 'cloudtrail', creationTime: '2026-01-01T00:00:00Z', retentionInDays: 365, MetricFilters: [filter('root', '{ $.userIdentity.type = "Root" }'), filter('vpc', '{ $.eventName = CreateVpc }')] },
          // Retention shortened in the console.
          { logGroupName: 'app', creationTime: '2026-01-01T00:00:00Z', retentionInDays: 7 },
          { logGroupName: 'handmade', creationTime: '2026-01-01T00:00:00Z' },
        ],
      },
      CloudWatch: { Alarms: [alarm('root'), alarm('vpc', 5)] },
      SNS: {
        Topics: [
          { Name: 'alerts', DisplayName: 'Alerts', Policy: policy([{ Sid: 'Anyone', Effect: 'Allow', Principal: '*', Action: 'sns:Subscribe', Resource: TOPIC }]), Subscriptions: [{ Protocol: 'email' as const, Endpoint: 'sec@example.com', Id: '0d9c8b7a-6f5e-4d3c-9b2a-1a0f9e8d7c6b' }, { Protocol: 'email' as const, Endpoint: 'pending@example.com', Confirmed: false }] },
        ],
      },
    },
  },
};

const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';
const resource = (type: string, name: string, attributes: Record<string, unknown>) => ({ mode: 'managed', type, name, provider: PROVIDER, instances: [{ schema_version: 0, attributes }] });
const groupState = (name: string, retention: number) => ({ id: name, name, arn: `arn:aws:logs:us-east-1:${ACCOUNT_ID}:log-group:${name}`, retention_in_days: retention, kms_key_id: '', log_group_class: 'STANDARD', skip_destroy: false, tags: {}, tags_all: {} });
const filterState = (name: string, pattern: string) => ({ id: name, name, log_group_name: 'cloudtrail', pattern, metric_transformation: [{ name, namespace: 'CIS', value: '1', default_value: '', dimensions: {}, unit: 'None' }] });
const alarmState = (name: string, threshold = 1) => ({
  id: name, alarm_name: name, arn: `arn:aws:cloudwatch:us-east-1:${ACCOUNT_ID}:alarm:${name}`, metric_name: name, namespace: 'CIS', statistic: 'Sum', period: 300, evaluation_periods: 1, threshold,
  comparison_operator: 'GreaterThanOrEqualToThreshold', treat_missing_data: 'missing', actions_enabled: true, alarm_actions: [TOPIC], ok_actions: [], insufficient_data_actions: [], dimensions: {}, tags: {}, tags_all: {},
});
const STATE = {
  version: 4,
  terraform_version: '1.9.8',
  serial: 2,
  lineage: 'monitoring-test',
  outputs: {},
  resources: [
    resource('aws_cloudwatch_log_group', 'cloudtrail', groupState('cloudtrail', 365)),
    resource('aws_cloudwatch_log_group', 'app', groupState('app', 30)),
    resource('aws_cloudwatch_log_group', 'deleted', groupState('deleted', 0)),
    resource('aws_cloudwatch_log_metric_filter', 'root', filterState('root', '{ $.userIdentity.type = "Root" }')),
    // The pattern was edited in the console since.
    resource('aws_cloudwatch_log_metric_filter', 'vpc', filterState('vpc', '{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) }')),
    resource('aws_cloudwatch_metric_alarm', 'root', alarmState('root')),
    resource('aws_cloudwatch_metric_alarm', 'vpc', alarmState('vpc')),
    resource('aws_sns_topic', 'alerts', { id: TOPIC, arn: TOPIC, name: 'alerts', display_name: 'Alerts', kms_master_key_id: '', policy: JSON.stringify(policy()), tags: {}, tags_all: {} }),
    resource('aws_sns_topic_policy', 'alerts', { id: TOPIC, arn: TOPIC, owner: ACCOUNT_ID, policy: JSON.stringify(policy()) }),
    resource('aws_sns_topic_subscription', 'sec', { id: SUB, arn: SUB, topic_arn: TOPIC, protocol: 'email', endpoint: 'sec@example.com', confirmation_was_authenticated: false, pending_confirmation: false }),
  ],
};

describe('drift of log groups, metric filters, alarms and SNS', () => {
  const env = useSandbox(ACCOUNT);
  let report: DriftReport;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drift-monitoring-'));
    writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify(STATE));
    const inputs = await loadTerraformInputs({ statePaths: [path.join(dir, 'terraform.tfstate')], env: {} });
    const session = new AwsSession({ endpointUrl: env.endpoint, credentials: TEST_CREDENTIALS, region: 'us-east-1', retry: { maxAttempts: 1 } });
    report = await runDrift(inputs, session, { regions: ['us-east-1'] });
  });
  const entry = (address: string) => report.entries.find((e) => e.terraformAddress === address && e.kind !== 'unmanaged');
  const unmanaged = (type: string) => report.entries.filter((e) => e.kind === 'unmanaged' && e.resourceType === type).map((e) => e.importId);

  it('compares every instance, reading everything it needs', () => {
    expect(report.unsupportedTypes).toEqual([]);
    expect(report.summary.comparedPercent).toBe(100);
    expect(report.errors).toEqual([]);
    expect(report.unchecked).toEqual([]);
  });

  it('log group: in sync, retention changed, missing, and one made by hand unmanaged', () => {
    expect(entry('aws_cloudwatch_log_group.cloudtrail')).toBeUndefined();
    expect(entry('aws_cloudwatch_log_group.app')?.diffs).toEqual([expect.objectContaining({ path: 'retention_in_days', state: 30, live: 7 })]);
    expect(entry('aws_cloudwatch_log_group.deleted')?.kind).toBe('missing');
    expect(unmanaged('aws_cloudwatch_log_group')).toEqual(['handmade']);
  });

  it('metric filter and alarm: a pattern and a threshold changed in the console are reported; the others are in sync', () => {
    expect(entry('aws_cloudwatch_log_metric_filter.root')).toBeUndefined();
    expect(entry('aws_cloudwatch_log_metric_filter.vpc')?.diffs?.map((d) => d.path)).toEqual(['pattern']);
    expect(entry('aws_cloudwatch_metric_alarm.root')).toBeUndefined();
    expect(entry('aws_cloudwatch_metric_alarm.vpc')?.diffs).toEqual([expect.objectContaining({ path: 'threshold', state: 1, live: 5 })]);
    expect(unmanaged('aws_cloudwatch_log_metric_filter')).toEqual([]);
    expect(unmanaged('aws_cloudwatch_metric_alarm')).toEqual([]);
  });

  it('SNS: the topic in sync, its policy with the statement added in the console, the confirmed subscription in sync; a pending one is never unmanaged', () => {
    expect(entry('aws_sns_topic.alerts')).toBeUndefined();
    const p = entry('aws_sns_topic_policy.alerts');
    expect(p?.diffs?.map((d) => d.path)).toEqual(['policy']);
    expect(JSON.stringify(p?.diffs)).toContain('Anyone');
    expect(entry('aws_sns_topic_subscription.sec')).toBeUndefined();
    expect(unmanaged('aws_sns_topic_subscription')).toEqual([]);
    expect(unmanaged('aws_sns_topic')).toEqual([]);
  });
});
