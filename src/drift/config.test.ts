/**
 * Drift for AWS Config (aws_config_configuration_recorder, _recorder_status, aws_config_delivery_channel)
 * through `infra-audit drift` against the sandbox, with a state and its configuration: in sync
 * (an older provider's state without recording_strategy), changed per attribute, missing, and a
 * recorder turned on by hand in another region unmanaged with its import blocks by name.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from '../test-support/sandbox.js';
import { driftCli, stateOf, stateResource, type DriftCliRun } from '../test-support/drift.js';

const ACCOUNT_ID = '111122223333';
const ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/aws-config`;
const OTHER_ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/config-by-hand`;
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT_ID}:config-events`;

const ACCOUNT = {
  AccountId: ACCOUNT_ID,
  Regions: {
    'us-east-1': {
      Config: {
        // AWS fills recordingStrategy in; the state below (provider 4.x) does not have it.
        // The daily override's types are listed in another order than the state's.
        ConfigurationRecorders: [
          {
            name: 'default',
            roleARN: ROLE,
            recordingGroup: { allSupported: true, includeGlobalResourceTypes: true, resourceTypes: [], recordingStrategy: { useOnly: 'ALL_SUPPORTED_RESOURCE_TYPES' } },
            recordingMode: { recordingFrequency: 'CONTINUOUS', recordingModeOverrides: [{ description: 'cost', resourceTypes: ['AWS::EC2::Volume', 'AWS::EC2::Instance'], recordingFrequency: 'DAILY' }] },
            Status: { recording: true, lastStatus: 'Success' },
          },
        ],
        // The prefix was edited in the console.
        DeliveryChannels: [{ name: 'default', s3BucketName: 'acme-config', s3KeyPrefix: 'edited', snsTopicARN: TOPIC, configSnapshotDeliveryProperties: { deliveryFrequency: 'TwentyFour_Hours' } }],
      },
    },
    'eu-west-1': {
      Config: {
        // Global types turned off, the role swapped, recording made daily with an override, and recording stopped, by hand.
        ConfigurationRecorders: [
          {
            name: 'default',
            roleARN: OTHER_ROLE,
            recordingGroup: { allSupported: true, includeGlobalResourceTypes: false },
            recordingMode: { recordingFrequency: 'DAILY', recordingModeOverrides: [{ resourceTypes: ['AWS::IAM::Role'], recordingFrequency: 'CONTINUOUS' }] },
            Status: { recording: false },
          },
        ],
        DeliveryChannels: [{ name: 'default', s3BucketName: 'acme-config' }],
      },
    },
    // Turned on by hand: nothing in the state.
    'ap-southeast-2': {
      Config: {
        ConfigurationRecorders: [{ name: 'handmade', roleARN: OTHER_ROLE, recordingGroup: { allSupported: false, resourceTypes: ['AWS::S3::Bucket'] }, Status: { recording: true } }],
        DeliveryChannels: [{ name: 'handmade', s3BucketName: 'someone-else' }],
      },
    },
    // Config was turned off here: the state's recorder is gone.
    'us-west-2': {},
  },
};

const recorder = (extra: Record<string, unknown>, group: Record<string, unknown>) => ({
  id: 'default', name: 'default', role_arn: ROLE, recording_mode: [], ...extra,
  recording_group: [{ all_supported: true, include_global_resource_types: true, resource_types: [], exclusion_by_resource_types: [], ...group }],
});
const STATE = stateOf('config-test', [
  // No region attribute (provider 5.x): the first region read.
  stateResource('aws_config_configuration_recorder', 'main', recorder({
    recording_mode: [{ recording_frequency: 'CONTINUOUS', recording_mode_override: [{ description: 'cost', resource_types: ['AWS::EC2::Instance', 'AWS::EC2::Volume'], recording_frequency: 'DAILY' }] }],
  }, {})),
  stateResource('aws_config_configuration_recorder_status', 'main', { id: 'default', name: 'default', is_enabled: true }),
  stateResource('aws_config_delivery_channel', 'main', { id: 'default', name: 'default', s3_bucket_name: 'acme-config', s3_key_prefix: 'config', s3_kms_key_arn: '', sns_topic_arn: TOPIC, snapshot_delivery_properties: [{ delivery_frequency: 'TwentyFour_Hours' }] }),
  // Provider 6.x: the region is an attribute.
  stateResource('aws_config_configuration_recorder', 'eu', recorder({ region: 'eu-west-1' }, { recording_strategy: [{ use_only: 'ALL_SUPPORTED_RESOURCE_TYPES' }] })),
  stateResource('aws_config_configuration_recorder_status', 'eu', { id: 'default', name: 'default', region: 'eu-west-1', is_enabled: true }),
  stateResource('aws_config_delivery_channel', 'eu', { id: 'default', name: 'default', region: 'eu-west-1', s3_bucket_name: 'acme-config', s3_key_prefix: '', sns_topic_arn: '', snapshot_delivery_properties: [] }),
  stateResource('aws_config_configuration_recorder', 'west', recorder({ region: 'us-west-2' }, {})),
]);

const HCL = `
resource "aws_config_configuration_recorder" "main" {
  name     = "default"
  role_arn = "${ROLE}"
  recording_group {
    all_supported                 = true
    include_global_resource_types = true
  }
  recording_mode {
    recording_frequency = "CONTINUOUS"
    recording_mode_override {
      description         = "cost"
      resource_types      = ["AWS::EC2::Instance", "AWS::EC2::Volume"]
      recording_frequency = "DAILY"
    }
  }
}

resource "aws_config_configuration_recorder_status" "main" {
  name       = aws_config_configuration_recorder.main.name
  is_enabled = true
}

resource "aws_config_delivery_channel" "main" {
  name           = "default"
  s3_bucket_name = "acme-config"
  s3_key_prefix  = "config"
  sns_topic_arn  = "${TOPIC}"
  snapshot_delivery_properties {
    delivery_frequency = "TwentyFour_Hours"
  }
}
`;

describe('drift of AWS Config', () => {
  const env = useSandbox(ACCOUNT);
  let run: DriftCliRun;
  beforeAll(async () => {
    run = await driftCli(env.endpoint, { state: STATE, hcl: HCL, regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-west-2'] });
  });

  it('compares every instance, with no failed read, and exits 1 on drift', () => {
    expect(run.code).toBe(1);
    expect(run.report.unsupportedTypes).toEqual([]);
    expect(run.report.unchecked).toEqual([]);
    expect(run.report.errors).toEqual([]);
  });

  it('recorder and status: in sync where AWS filled in the recording strategy the state does not have, and an override\'s types listed in another order', () => {
    expect(run.entry('aws_config_configuration_recorder.main')).toBeUndefined();
    expect(run.entry('aws_config_configuration_recorder_status.main')).toBeUndefined();
  });

  it('recorder: the role and global resource types changed by hand are each named, in the region the state names', () => {
    const eu = run.entry('aws_config_configuration_recorder.eu');
    expect(eu).toMatchObject({ kind: 'changed', region: 'eu-west-1' });
    expect(eu?.diffs).toEqual([
      expect.objectContaining({ path: 'role_arn', state: ROLE, live: OTHER_ROLE }),
      expect.objectContaining({ path: 'recording_group.0.include_global_resource_types', state: true, live: false }),
      // No recording_mode in the state: continuous, no override.
      expect.objectContaining({ path: 'recording_mode.0.recording_frequency', state: 'CONTINUOUS', live: 'DAILY' }),
      expect.objectContaining({ path: 'recording_mode.0.recording_mode_override', state: [], live: ['CONTINUOUS: AWS::IAM::Role'] }),
    ]);
    expect(run.entry('aws_config_configuration_recorder_status.eu')?.diffs).toEqual([expect.objectContaining({ path: 'is_enabled', state: true, live: false })]);
    expect(run.entry('aws_config_delivery_channel.eu')).toBeUndefined();
  });

  it('delivery channel: the prefix edited in the console, with the declared value beside it', () => {
    expect(run.entry('aws_config_delivery_channel.main')?.diffs).toEqual([expect.objectContaining({ path: 's3_key_prefix', config: 'config', state: 'config', live: 'edited' })]);
  });

  it('a recorder whose region no longer has one is missing', () => {
    expect(run.entry('aws_config_configuration_recorder.west')?.kind).toBe('missing');
  });

  it('a recorder turned on by hand is unmanaged, imported by name with its status; its channel too; the managed regions\' "default" never', () => {
    const recorders = run.unmanaged('aws_config_configuration_recorder');
    expect(recorders.map((e) => [e.importId, e.region])).toEqual([['handmade', 'ap-southeast-2']]);
    expect(recorders[0]!.importBlocks).toContain('id = "handmade"');
    expect(recorders[0]!.importBlocks).toContain('resource "aws_config_configuration_recorder_status"');
    expect(run.unmanaged('aws_config_configuration_recorder_status')).toEqual([]);
    const channels = run.unmanaged('aws_config_delivery_channel');
    expect(channels.map((e) => [e.importId, e.region])).toEqual([['handmade', 'ap-southeast-2']]);
    expect(channels[0]!.importBlocks).toMatch(/import \{\n {2}to = aws_config_delivery_channel\.handmade\n {2}id = "handmade"\n\}/);
  });
});
