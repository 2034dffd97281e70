import { describe, expect, it } from 'vitest';
import { CloudTrailClient, DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand, ListTagsCommand, StartLoggingCommand, DeleteTrailCommand } from '@aws-sdk/client-cloudtrail';
import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  DescribeDeliveryChannelsCommand,
  StopConfigurationRecorderCommand,
} from '@aws-sdk/client-config-service';
import { fetchStats, opCount, rejection, useSandbox } from '../../test-support/sandbox.js';

const ACCOUNT = '111122223333';
const account = {
  AccountId: ACCOUNT,
  Regions: {
    'us-east-1': {
      CloudTrail: {
        Trails: [
          {
            Name: 'org-main',
            S3BucketName: 'trail-logs',
            IsMultiRegionTrail: true,
            LogFileValidationEnabled: true,
            KmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
            CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:cloudtrail:*`,
            IsLogging: true,
            LatestDeliveryTime: '2026-01-01T00:00:00Z',
            Tags: [{ Key: 'team', Value: 'security' }],
          },
          { Name: 'local-stopped', S3BucketName: 'trail-logs', IsMultiRegionTrail: false, LogFileValidationEnabled: false, IsLogging: false, AdvancedEventSelectors: [{ Name: 'mgmt', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }] },
        ],
      },
      Config: {
        ConfigurationRecorders: [{ name: 'default', roleARN: `arn:aws:iam::${ACCOUNT}:role/config`, recordingGroup: { allSupported: true, includeGlobalResourceTypes: true }, Status: { recording: true, lastStatus: 'Success' } }],
        DeliveryChannels: [{ name: 'default', s3BucketName: 'config-bucket' }],
      },
    },
    'eu-west-1': {},
  },
};

describe('sandbox CloudTrail (JSON 1.1)', () => {
  const env = useSandbox(account, { deny: ['GetTrailStatus:arn:aws:cloudtrail:*:*:trail/denied-*'] });
  const ct = (region = 'us-east-1') => new CloudTrailClient(env.config('cloudtrail', { region }));

  it('lists the home region\'s trails and the multi-region ones of other regions, with ARN and home region', async () => {
    const home = await ct().send(new DescribeTrailsCommand({}));
    expect(home.trailList?.map((t) => [t.Name, t.HomeRegion, t.IsMultiRegionTrail])).toEqual([
      ['org-main', 'us-east-1', true],
      ['local-stopped', 'us-east-1', false],
    ]);
    expect(home.trailList![0]).toMatchObject({ TrailARN: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/org-main`, LogFileValidationEnabled: true, HasCustomEventSelectors: false, S3BucketName: 'trail-logs' });
    const eu = await ct('eu-west-1').send(new DescribeTrailsCommand({}));
    expect(eu.trailList?.map((t) => t.Name)).toEqual(['org-main']);
    const euOwn = await ct('eu-west-1').send(new DescribeTrailsCommand({ includeShadowTrails: false }));
    expect(euOwn.trailList).toEqual([]);
  });

  it('answers GetTrailStatus by name in the home region, by ARN only elsewhere (TrailNotFoundException)', async () => {
    const status = await ct().send(new GetTrailStatusCommand({ Name: 'org-main' }));
    expect(status.IsLogging).toBe(true);
    expect(status.LatestDeliveryTime).toBeInstanceOf(Date);
    const arn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/org-main`;
    expect((await ct('eu-west-1').send(new GetTrailStatusCommand({ Name: arn }))).IsLogging).toBe(true);
    const err = await rejection(ct('eu-west-1').send(new GetTrailStatusCommand({ Name: 'org-main' })));
    expect(err.name).toBe('TrailNotFoundException');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toContain(`arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/org-main`);
  });

  it('lists the tags of up to 20 trails a call, in their home region only (CloudTrailARNInvalidException elsewhere), as CloudTrail does', async () => {
    const arn = (name: string, region = 'us-east-1', account = ACCOUNT) => `arn:aws:cloudtrail:${region}:${account}:trail/${name}`;
    const out = await ct().send(new ListTagsCommand({ ResourceIdList: [arn('org-main'), arn('local-stopped')] }));
    expect(out.ResourceTagList).toEqual([
      { ResourceId: arn('org-main'), TagsList: [{ Key: 'team', Value: 'security' }] },
      { ResourceId: arn('local-stopped'), TagsList: [] },
    ]);
    // The shadow of a multi-region trail: listed in eu-west-1, tagged in us-east-1 only.
    const shadow = await rejection(ct('eu-west-1').send(new ListTagsCommand({ ResourceIdList: [arn('org-main')] })));
    expect([shadow.name, shadow.message]).toEqual(['CloudTrailARNInvalidException', 'Region in ARN is wrong, you can only access resources in region eu-west-1.']);
    const foreign = await rejection(ct().send(new ListTagsCommand({ ResourceIdList: [arn('org-main', 'us-east-1', '999988887777')] })));
    expect(foreign.name).toBe('CloudTrailARNInvalidException');
    expect((await rejection(ct().send(new ListTagsCommand({ ResourceIdList: [arn('nope')] })))).name).toBe('ResourceNotFoundException');
    const tooMany = await rejection(ct().send(new ListTagsCommand({ ResourceIdList: Array.from({ length: 21 }, () => arn('org-main')) })));
    expect(tooMany.name).toBe('InvalidParameterException');
  });

  it('returns the default selectors (all management events) or the advanced ones the trail has', async () => {
    const basic = await ct().send(new GetEventSelectorsCommand({ TrailName: 'org-main' }));
    expect(basic.EventSelectors).toEqual([{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }]);
    expect(basic.AdvancedEventSelectors).toBeUndefined();
    const advanced = await ct().send(new GetEventSelectorsCommand({ TrailName: 'local-stopped' }));
    expect(advanced.AdvancedEventSelectors).toEqual([{ Name: 'mgmt', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }]);
    expect(advanced.TrailARN).toBe(`arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/local-stopped`);
  });

  it('refuses writes with AccessDeniedException, denies by ARN glob, and counts each operation', async () => {
    env.sandbox.resetStats();
    const write = await rejection(ct().send(new StartLoggingCommand({ Name: 'local-stopped' })));
    expect(write.name).toBe('AccessDeniedException');
    expect(write.message).toContain('cloudtrail:StartLogging');
    expect((await rejection(ct().send(new DeleteTrailCommand({ Name: 'org-main' })))).name).toBe('AccessDeniedException');
    const denied = await rejection(ct().send(new GetTrailStatusCommand({ Name: 'denied-trail' })));
    expect(denied.name).toBe('AccessDeniedException');
    await ct().send(new DescribeTrailsCommand({}));
    const stats = await fetchStats(env.endpoint);
    expect(opCount(stats, 'cloudtrail', 'DescribeTrails')).toBe(1);
    expect(opCount(stats, 'cloudtrail', 'StartLogging')).toBe(1);
    expect(stats.faults.refusedWrites).toBe(2);
    expect(stats.faults.denied).toBe(1);
  });

  it('answers a region the account has not enabled with UnrecognizedClientException', async () => {
    const err = await rejection(ct('ap-south-1').send(new DescribeTrailsCommand({})));
    expect(err.name).toBe('UnrecognizedClientException');
  });
});

describe('sandbox AWS Config (JSON 1.1)', () => {
  const env = useSandbox(account, { throttleRate: 0 });
  const config = (region = 'us-east-1') => new ConfigServiceClient(env.config('config', { region }));

  it('describes the recorder, its status and the delivery channel', async () => {
    const recorders = await config().send(new DescribeConfigurationRecordersCommand({}));
    // A recorder given no recording mode records continuously, as AWS reports it.
    expect(recorders.ConfigurationRecorders).toEqual([
      { name: 'default', roleARN: `arn:aws:iam::${ACCOUNT}:role/config`, recordingGroup: { allSupported: true, includeGlobalResourceTypes: true }, recordingMode: { recordingFrequency: 'CONTINUOUS', recordingModeOverrides: [] } },
    ]);
    const status = await config().send(new DescribeConfigurationRecorderStatusCommand({}));
    expect(status.ConfigurationRecordersStatus?.map((s) => [s.name, s.recording, s.lastStatus])).toEqual([['default', true, 'Success']]);
    const channels = await config().send(new DescribeDeliveryChannelsCommand({}));
    expect(channels.DeliveryChannels).toEqual([{ name: 'default', s3BucketName: 'config-bucket' }]);
  });

  it('lists nothing in a region without Config, and names an unknown recorder with its own error', async () => {
    expect((await config('eu-west-1').send(new DescribeConfigurationRecordersCommand({}))).ConfigurationRecorders).toEqual([]);
    const err = await rejection(config().send(new DescribeConfigurationRecordersCommand({ ConfigurationRecorderNames: ['other'] })));
    expect(err.name).toBe('NoSuchConfigurationRecorderException');
    const channel = await rejection(config().send(new DescribeDeliveryChannelsCommand({ DeliveryChannelNames: ['other'] })));
    expect(channel.name).toBe('NoSuchDeliveryChannelException');
  });

  it('refuses StopConfigurationRecorder as a write', async () => {
    const err = await rejection(config().send(new StopConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' })));
    expect(err.name).toBe('AccessDeniedException');
    expect(err.message).toContain('config:StopConfigurationRecorder');
  });
});
