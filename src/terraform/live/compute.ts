/**
 * EC2 instances. Compared: what a person sets and AWS keeps as set (type, image, placement,
 * security groups, instance profile, the metadata service's token requirement, tags). Not
 * compared: what AWS computes (addresses, state, block device ids) and `user_data`, which
 * DescribeInstances does not return.
 */
import type { Instance } from '@aws-sdk/client-ec2';
import { ec2Arn, lookupRegional, stringAttr, tagMap, type LiveInventory, type Regional } from './inventory.js';
import type { LiveObject, LiveTypeSpec } from './types.js';

/** `arn:aws:iam::123:instance-profile/path/name` → `name`, the form the provider keeps. */
function profileName(arn: string | undefined): string {
  return arn ? arn.slice(arn.lastIndexOf('/') + 1) : '';
}

function toInstanceObject({ region, value: i }: Regional<Instance>, live: LiveInventory): LiveObject {
  const id = i.InstanceId!;
  return {
    type: 'aws_instance',
    importId: id,
    resourceId: ec2Arn(live, region, 'instance', id),
    region,
    name: tagMap(i.Tags).Name ?? id,
    attributes: {
      instance_type: i.InstanceType,
      ami: i.ImageId,
      subnet_id: i.SubnetId,
      vpc_security_group_ids: i.SecurityGroups?.map((g) => g.GroupId).filter((g): g is string => !!g),
      iam_instance_profile: i.IamInstanceProfile === undefined ? '' : profileName(i.IamInstanceProfile.Arn),
      key_name: i.KeyName ?? '',
      'metadata_options.0.http_tokens': i.MetadataOptions?.HttpTokens,
      monitoring: i.Monitoring?.State === undefined ? undefined : i.Monitoring.State === 'enabled',
      ebs_optimized: i.EbsOptimized,
      tags: tagMap(i.Tags),
    },
    stub: { ami: i.ImageId ?? '', instance_type: i.InstanceType ?? '' },
  };
}

const instance: LiveTypeSpec = {
  type: 'aws_instance',
  importIdFormat: 'instance id',
  compared: [
    { path: 'instance_type', kind: 'value' },
    { path: 'ami', kind: 'value' },
    { path: 'subnet_id', kind: 'value' },
    { path: 'vpc_security_group_ids', kind: 'set' },
    { path: 'iam_instance_profile', kind: 'value', normalize: (a) => a.iam_instance_profile ?? '' },
    { path: 'key_name', kind: 'value', normalize: (a) => a.key_name ?? '' },
    { path: 'metadata_options.0.http_tokens', kind: 'value', optional: true },
    { path: 'monitoring', kind: 'value', optional: true },
    { path: 'ebs_optimized', kind: 'value', optional: true },
    { path: 'tags', kind: 'tags' },
  ],
  resourceIdOf: (attributes) => stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'id') ?? '',
  lookup(attributes, live) {
    const found = lookupRegional(live.instances, stringAttr(attributes, 'id'), live, stringAttr(attributes, 'arn'));
    return 'item' in found ? { found: toInstanceObject(found.item, live) } : found;
  },
  enumerate: (live) => [...live.instances.items.values()].map((i) => toInstanceObject(i, live)),
};

export const COMPUTE_TYPES: readonly LiveTypeSpec[] = [instance];
