/**
 * Tags of log groups, metric alarms, SNS topics and CloudTrail trails, and an SNS topic's own
 * `policy`, through `infra-audit drift` against the sandbox with a state and its configuration
 * (provider default_tags included): in sync with tags, a tag changed in the console reported per
 * key, a default tag (in `tags_all`, not in `tags`) never reported, a statement added to a topic
 * policy that no aws_sns_topic_policy manages reported on the topic. A trail's tags are read in its
 * home region, 20 trails a call; a denied tag read is in unreadable.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fetchStats, opCount, useSandbox } from '../test-support/sandbox.js';
import { driftCli, stateOf, stateResource, type DriftCliRun } from '../test-support/drift.js';

const ACCOUNT_ID = '111122223333';
const topicArn = (name: string) => `arn:aws:sns:us-east-1:${ACCOUNT_ID}:${name}`;
const trailArn = (name: string, region = 'us-east-1') => `arn:aws:cloudtrail:${region}:${ACCOUNT_ID}:trail/${name}`;
const publishFrom = (topic: string, sid: string, principal: object) => ({ Sid: sid, Effect: 'Allow', Principal: principal, Action: 'sns:Publish', Resource: topicArn(topic) });
const policyOf = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
const OWNER = { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` };
const VENDOR = { AWS: 'arn:aws:iam::444455556666:root' };
const alarm = (name: string, Tags: Record<string, string>) => ({ AlarmName: name, MetricName: name, Namespace: 'App', Statistic: 'Sum' as const, Period: 300, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' as const, Tags });
const trail = (name: string, multiRegion: boolean, Tags: Record<string, string>) => ({
  Name: name, S3BucketName: 'trail-logs', IsMultiRegionTrail: multiRegion, LogFileValidationEnabled: true, IsLogging: true, Tags: Object.entries(Tags).map(([Key, Value]) => ({ Key, Value })),
});
/** env comes from the provider's default_tags: live has it, the state has it in tags_all only. */
const DEFAULT = { env: 'prod' };

const ACCOUNT = {
  AccountId: ACCOUNT_ID,
  Regions: {
    'us-east-1': {
      Logs: {
        LogGroups: [
          { logGroupName: 'app', creationTime: '2026-01-01T00:00:00Z', retentionInDays: 30, Tags: { team: 'web', ...DEFAULT } },
          // The team tag changed in the console.
          { logGroupName: 'audit', creationTime: '2026-01-01T00:00:00Z', retentionInDays: 30, Tags: { team: 'security-ops', ...DEFAULT } },
        ],
      },
      CloudWatch: {
        Alarms: [
          alarm('cpu', { team: 'web', ...DEFAULT }),
          // A tag added in the console.
          alarm('errors', { team: 'web', owner: 'oncall', ...DEFAULT }),
        ],
      },
      SNS: {
        Topics: [
          { Name: 'alerts', Policy: policyOf(publishFrom('alerts', 'Owner', OWNER)), Tags: { team: 'security', ...DEFAULT } },
          // A tag removed and a vendor allowed to publish, in the console; no aws_sns_topic_policy manages it.
          { Name: 'orders', Policy: policyOf(publishFrom('orders', 'Owner', OWNER), publishFrom('orders', 'Vendor', VENDOR)), Tags: { ...DEFAULT } },
        ],
      },
      CloudTrail: { Trails: [trail('main', true, { team: 'security', ...DEFAULT }), trail('local', false, { team: 'security', ...DEFAULT })] },
    },
    'eu-west-1': {
      // Multi-region, so us-east-1 lists it too (a shadow trail); its tags are listed in eu-west-1 only.
      CloudTrail: { Trails: [trail('eu-main', true, { team: 'data', ...DEFAULT })] },
    },
  },
};

const tagged = (tags: Record<string, string>) => ({ tags, tags_all: { ...tags, ...DEFAULT } });
const groupState = (name: string, tags: Record<string, string>) => ({
  id: name, name, arn: `arn:aws:logs:us-east-1:${ACCOUNT_ID}:log-group:${name}`, retention_in_days: 30, kms_key_id: '', log_group_class: 'STANDARD', skip_destroy: false, ...tagged(tags),
});
const alarmState = (name: string, tags: Record<string, string>) => ({
  id: name, alarm_name: name, arn: `arn:aws:cloudwatch:us-east-1:${ACCOUNT_ID}:alarm:${name}`, metric_name: name, namespace: 'App', statistic: 'Sum', period: 300, evaluation_periods: 1, threshold: 1,
  comparison_operator: 'GreaterThanOrEqualToThreshold', treat_missing_data: 'missing', actions_enabled: true, alarm_actions: [], ok_actions: [], insufficient_data_actions: [], dimensions: {}, ...tagged(tags),
});
const topicState = (name: string, tags: Record<string, string>) => ({
  id: topicArn(name), arn: topicArn(name), name, display_name: '', kms_master_key_id: '', owner: ACCOUNT_ID, policy: JSON.stringify(policyOf(publishFrom(name, 'Owner', OWNER))), ...tagged(tags),
});
const trailState = (name: string, multiRegion: boolean, tags: Record<string, string>, region = 'us-east-1') => ({
  id: trailArn(name, region), arn: trailArn(name, region), name, home_region: region, s3_bucket_name: 'trail-logs', s3_key_prefix: '', is_multi_region_trail: multiRegion, include_global_service_events: true,
  enable_log_file_validation: true, enable_logging: true, kms_key_id: '', cloud_watch_logs_group_arn: '', cloud_watch_logs_role_arn: '', is_organization_trail: false, sns_topic_name: '', event_selector: [], ...tagged(tags),
});

const STATE = stateOf('monitoring-tags-test', [
  stateResource('aws_cloudwatch_log_group', 'app', groupState('app', { team: 'web' })),
  stateResource('aws_cloudwatch_log_group', 'audit', groupState('audit', { team: 'security' })),
  stateResource('aws_cloudwatch_metric_alarm', 'cpu', alarmState('cpu', { team: 'web' })),
  stateResource('aws_cloudwatch_metric_alarm', 'errors', alarmState('errors', { team: 'web' })),
  stateResource('aws_sns_topic', 'alerts', topicState('alerts', { team: 'security' })),
  stateResource('aws_sns_topic', 'orders', topicState('orders', { team: 'shop' })),
  stateResource('aws_cloudtrail', 'main', trailState('main', true, { team: 'security' })),
  stateResource('aws_cloudtrail', 'local', trailState('local', false, { team: 'platform' })),
  stateResource('aws_cloudtrail', 'eu_main', trailState('eu-main', true, { team: 'data' }, 'eu-west-1')),
]);

const HCL = `
provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = { env = "prod" }
  }
}
resource "aws_cloudwatch_log_group" "app" {
  name = "app"
  retention_in_days = 30
  tags = { team = "web" }
}
resource "aws_cloudwatch_log_group" "audit" {
  name = "audit"
  retention_in_days = 30
  tags = { team = "security" }
}
resource "aws_sns_topic" "orders" {
  name = "orders"
  tags = { team = "shop" }
}
`;

describe('drift of tags on log groups, alarms, SNS topics and trails, and of a topic policy', () => {
  const env = useSandbox(ACCOUNT);
  let run: DriftCliRun;
  let listTags: number;
  beforeAll(async () => {
    env.sandbox.resetStats();
    // us-east-1 only: eu-main is read as the shadow trail us-east-1 lists.
    run = await driftCli(env.endpoint, { state: STATE, hcl: HCL, regions: ['us-east-1'] });
    listTags = opCount(await fetchStats(env.endpoint), 'cloudtrail', 'ListTags');
  });
  const paths = (address: string) => run.entry(address)?.diffs?.map((d) => d.path);

  it('compares every instance, every tag read succeeding', () => {
    expect(run.report.errors).toEqual([]);
    expect(run.report.unchecked).toEqual([]);
    expect(run.report.summary.comparedPercent).toBe(100);
    expect(run.code).toBe(1);
  });

  it('log group: in sync with its tags and the default tag; a changed tag is reported per key, with the declared value', () => {
    expect(run.entry('aws_cloudwatch_log_group.app')).toBeUndefined();
    expect(run.entry('aws_cloudwatch_log_group.audit')?.diffs).toEqual([{ path: 'tags.team', config: 'security', state: 'security', live: 'security-ops' }]);
  });

  it('metric alarm: in sync with its tags; a tag added in the console is reported', () => {
    expect(run.entry('aws_cloudwatch_metric_alarm.cpu')).toBeUndefined();
    expect(run.entry('aws_cloudwatch_metric_alarm.errors')?.diffs).toEqual([expect.objectContaining({ path: 'tags.owner', state: null, live: 'oncall' })]);
  });

  it('SNS topic: in sync with its tags and policy; a removed tag and a statement added to the policy no aws_sns_topic_policy manages are reported on the topic', () => {
    expect(run.entry('aws_sns_topic.alerts')).toBeUndefined();
    const orders = run.entry('aws_sns_topic.orders');
    expect(orders?.diffs?.map((d) => d.path)).toEqual(['policy', 'tags.team']);
    expect(orders?.diffs?.[0]?.statements).toEqual(['+ Vendor']);
    expect(orders?.diffs?.[1]).toEqual({ path: 'tags.team', config: 'shop', state: 'shop', live: null });
  });

  it('trail: in sync with its tags; a changed tag is reported; a shadow trail\'s tags are read in its home region', () => {
    expect(run.entry('aws_cloudtrail.main')).toBeUndefined();
    expect(paths('aws_cloudtrail.local')).toEqual(['tags.team']);
    expect(run.entry('aws_cloudtrail.eu_main')).toBeUndefined();
    // One call per home region: main and local in us-east-1, eu-main in eu-west-1.
    expect(listTags).toBe(2);
  });
});

describe('trail tags, 20 trails a ListTags call', () => {
  const trails = Array.from({ length: 21 }, (_, i) => trail(`t-${String(i).padStart(2, '0')}`, false, { n: String(i), ...DEFAULT }));
  const env = useSandbox({ AccountId: ACCOUNT_ID, Regions: { 'us-east-1': { CloudTrail: { Trails: trails } } } });

  it('reads the tags of 21 trails in 2 calls, each trail compared in sync', async () => {
    env.sandbox.resetStats();
    const state = stateOf('trail-batches', trails.map((t, i) => stateResource('aws_cloudtrail', `t${i}`, trailState(t.Name, false, { n: String(i) }))));
    const run = await driftCli(env.endpoint, { state, regions: ['us-east-1'] });
    expect(opCount(await fetchStats(env.endpoint), 'cloudtrail', 'ListTags')).toBe(2);
    expect(run.report.errors).toEqual([]);
    expect(run.report.summary.inSync).toBe(21);
  });
});
