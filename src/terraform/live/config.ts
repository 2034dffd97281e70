/**
 * AWS Config, per region: the configuration recorder (at most one a region, usually named
 * "default"), its recording status, and the delivery channel. Import ids as the AWS provider
 * documents them: the recorder's name, the recorder's name again for its status, the channel's
 * name. None of the three is taggable. A name is unique only within a region: a state instance
 * names its region (`region`, provider v6) or is looked up in the first region read.
 */
import type { ConfigurationRecorder, ConfigurationRecorderStatus, DeliveryChannel } from '@aws-sdk/client-config-service';
import type { ConfigInventory, Read } from '../../inventory/snapshot.js';
import { lookupRegional, stringAttr, type LiveInventory, type Regional, type RegionalIndex } from './inventory.js';
import { memo } from './memo.js';
import type { LiveLookup, LiveObject, LiveTypeSpec } from './types.js';

/** Config objects by `region/name`: a name (`default`) repeats across regions. */
const byName = <T extends { name?: string }>(list: (part: ConfigInventory) => Read<T[]>, operation: string) =>
  memo((live) => {
    const items = new Map<string, Regional<T>>();
    const errors: string[] = live.snapshot.config ? [] : [`${operation} was not collected`];
    for (const [region, part] of Object.entries(live.snapshot.config ?? {})) {
      const read = list(part);
      if (read.error) errors.push(`${region}: ${read.error.code}`);
      for (const item of read.value ?? []) if (item.name) items.set(`${region}/${item.name}`, { region, value: item });
    }
    return { items, errors, operation };
  });

const recorders = byName<ConfigurationRecorder>((p) => p.recorders, 'DescribeConfigurationRecorders');
const statuses = byName<ConfigurationRecorderStatus>((p) => p.recorderStatus, 'DescribeConfigurationRecorderStatus');
const channels = byName<DeliveryChannel>((p) => p.deliveryChannels, 'DescribeDeliveryChannels');

/** The index key of a state instance: its region (or the first region read) and its name. */
function keyOf(attributes: Record<string, unknown>, live: LiveInventory): string | undefined {
  const name = stringAttr(attributes, 'name') ?? stringAttr(attributes, 'id');
  const region = stringAttr(attributes, 'region') ?? live.regions[0];
  return name && region ? `${region}/${name}` : undefined;
}

function lookupByName<T>(index: RegionalIndex<T>, attributes: Record<string, unknown>, live: LiveInventory, toObject: (item: Regional<T>) => LiveObject): LiveLookup {
  const region = stringAttr(attributes, 'region');
  if (region && !live.regions.includes(region)) return { unknown: `region ${region} was not read` };
  const found = lookupRegional(index, keyOf(attributes, live), live);
  return 'item' in found ? { found: toObject(found.item) } : found;
}

const firstBlock = (value: unknown): Record<string, unknown> => {
  const first = Array.isArray(value) ? value[0] : value;
  return first !== null && typeof first === 'object' && !Array.isArray(first) ? (first as Record<string, unknown>) : {};
};
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/**
 * What the recorder records, as `recording_strategy.0.use_only` says it: AWS fills the strategy in
 * from the other fields when it was not given, and states written by providers before 5.x lack it.
 */
function strategyOf(allSupported: boolean, exclusions: string[], given: unknown): string {
  if (typeof given === 'string' && given !== '') return given;
  if (allSupported) return 'ALL_SUPPORTED_RESOURCE_TYPES';
  return exclusions.length ? 'EXCLUSION_BY_RESOURCE_TYPES' : 'INCLUSION_BY_RESOURCE_TYPES';
}

const blocks = (value: unknown): Array<Record<string, unknown>> =>
  Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)) : [];
/** A recording mode override as one readable set member: `DAILY: AWS::EC2::Instance, AWS::S3::Bucket` (the description is not compared). */
const overrideKey = (frequency: string, resourceTypes: string[]): string => `${frequency}: ${[...resourceTypes].sort().join(', ')}`;

const recordingGroup = (a: Record<string, unknown>) => firstBlock(a.recording_group);
// The provider's defaults for an omitted recording_group: every supported type, no global ones.
const allSupported = (g: Record<string, unknown>) => g.all_supported !== false;

const recorder: LiveTypeSpec = {
  type: 'aws_config_configuration_recorder',
  importIdFormat: 'recorder name (usually "default"; run in the region it records)',
  compared: [
    { path: 'role_arn', kind: 'value', normalize: (a) => a.role_arn ?? '' },
    { path: 'recording_group.0.all_supported', kind: 'value', normalize: (a) => allSupported(recordingGroup(a)) },
    { path: 'recording_group.0.include_global_resource_types', kind: 'value', normalize: (a) => recordingGroup(a).include_global_resource_types === true },
    { path: 'recording_group.0.resource_types', kind: 'set', normalize: (a) => strings(recordingGroup(a).resource_types) },
    {
      path: 'recording_group.0.exclusion_by_resource_types.0.resource_types',
      kind: 'set',
      normalize: (a) => strings(firstBlock(recordingGroup(a).exclusion_by_resource_types).resource_types),
    },
    {
      path: 'recording_group.0.recording_strategy.0.use_only',
      kind: 'value',
      normalize: (a) => {
        const g = recordingGroup(a);
        return strategyOf(allSupported(g), strings(firstBlock(g.exclusion_by_resource_types).resource_types), firstBlock(g.recording_strategy).use_only);
      },
    },
    // An omitted recording_mode is continuous recording with no override, as AWS reports it.
    { path: 'recording_mode.0.recording_frequency', kind: 'value', normalize: (a) => firstBlock(a.recording_mode).recording_frequency || 'CONTINUOUS' },
    {
      path: 'recording_mode.0.recording_mode_override',
      kind: 'set',
      normalize: (a) => blocks(firstBlock(a.recording_mode).recording_mode_override).map((o) => overrideKey(String(o.recording_frequency ?? ''), strings(o.resource_types))),
    },
  ],
  resourceIdOf: (attributes, live) => `config-recorder:${keyOf(attributes, live) ?? ''}`,
  lookup: (attributes, live) => lookupByName(recorders(live), attributes, live, toRecorderObject),
  // A service-linked recorder is the service's (AWSConfigurationRecorderFor…): never unmanaged.
  enumerate: (live) => [...recorders(live).items.values()].filter((r) => !r.value.servicePrincipal).map(toRecorderObject),
};

function toRecorderObject({ region, value: r }: Regional<ConfigurationRecorder>): LiveObject {
  const g = r.recordingGroup ?? {};
  const all = g.allSupported ?? true;
  const exclusions = g.exclusionByResourceTypes?.resourceTypes ?? [];
  const name = r.name!;
  return {
    type: 'aws_config_configuration_recorder',
    importId: name,
    resourceId: r.arn ?? `config-recorder:${region}/${name}`,
    region,
    name,
    attributes: {
      role_arn: r.roleARN ?? '',
      'recording_group.0.all_supported': all,
      'recording_group.0.include_global_resource_types': g.includeGlobalResourceTypes ?? false,
      'recording_group.0.resource_types': g.resourceTypes ?? [],
      'recording_group.0.exclusion_by_resource_types.0.resource_types': exclusions,
      'recording_group.0.recording_strategy.0.use_only': strategyOf(all, exclusions, g.recordingStrategy?.useOnly),
      'recording_mode.0.recording_frequency': r.recordingMode?.recordingFrequency ?? 'CONTINUOUS',
      'recording_mode.0.recording_mode_override': (r.recordingMode?.recordingModeOverrides ?? []).map((o) => overrideKey(o.recordingFrequency ?? '', o.resourceTypes ?? [])),
    },
    stub: { name, role_arn: r.roleARN ?? '' },
  };
}

const recorderStatus: LiveTypeSpec = {
  type: 'aws_config_configuration_recorder_status',
  importIdFormat: 'recorder name (run in the region it records)',
  compared: [{ path: 'is_enabled', kind: 'value' }],
  resourceIdOf: (attributes, live) => `config-recorder:${keyOf(attributes, live) ?? ''}`,
  lookup: (attributes, live) => lookupByName(statuses(live), attributes, live, toStatusObject),
  enumerate: (live) => [...statuses(live).items.values()].map(toStatusObject),
};

function toStatusObject({ region, value: s }: Regional<ConfigurationRecorderStatus>): LiveObject {
  const name = s.name!;
  return {
    type: 'aws_config_configuration_recorder_status',
    importId: name,
    resourceId: `config-recorder:${region}/${name}`,
    region,
    name,
    attributes: { is_enabled: s.recording ?? false },
    stub: { name, is_enabled: s.recording ?? false },
    // Imported with its recorder when that is unmanaged too.
    parent: { type: 'aws_config_configuration_recorder', importId: name, reference: { argument: 'name', attribute: 'name' } },
  };
}

const blank = (name: string) => (a: Record<string, unknown>) => (typeof a[name] === 'string' ? a[name] : '');

const deliveryChannel: LiveTypeSpec = {
  type: 'aws_config_delivery_channel',
  importIdFormat: 'delivery channel name (run in the region it serves)',
  compared: [
    { path: 's3_bucket_name', kind: 'value', normalize: blank('s3_bucket_name') },
    { path: 's3_key_prefix', kind: 'value', normalize: blank('s3_key_prefix') },
    { path: 's3_kms_key_arn', kind: 'value', normalize: blank('s3_kms_key_arn') },
    { path: 'sns_topic_arn', kind: 'value', normalize: blank('sns_topic_arn') },
    {
      path: 'snapshot_delivery_properties.0.delivery_frequency',
      kind: 'value',
      // Unset: AWS delivers no periodic snapshot, and answers without the field.
      normalize: (a) => firstBlock(a.snapshot_delivery_properties).delivery_frequency ?? '',
    },
  ],
  resourceIdOf: (attributes, live) => `config-delivery-channel:${keyOf(attributes, live) ?? ''}`,
  lookup: (attributes, live) => lookupByName(channels(live), attributes, live, toChannelObject),
  enumerate: (live) => [...channels(live).items.values()].map(toChannelObject),
};

function toChannelObject({ region, value: c }: Regional<DeliveryChannel>): LiveObject {
  const name = c.name!;
  return {
    type: 'aws_config_delivery_channel',
    importId: name,
    resourceId: `config-delivery-channel:${region}/${name}`,
    region,
    name,
    attributes: {
      s3_bucket_name: c.s3BucketName ?? '',
      s3_key_prefix: c.s3KeyPrefix ?? '',
      s3_kms_key_arn: c.s3KmsKeyArn ?? '',
      sns_topic_arn: c.snsTopicARN ?? '',
      'snapshot_delivery_properties.0.delivery_frequency': c.configSnapshotDeliveryProperties?.deliveryFrequency ?? '',
    },
    stub: { name, s3_bucket_name: c.s3BucketName ?? '' },
  };
}

export const CONFIG_TYPES: readonly LiveTypeSpec[] = [recorder, recorderStatus, deliveryChannel];
