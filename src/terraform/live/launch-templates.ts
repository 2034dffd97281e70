/**
 * EC2 launch templates, compared as the provider refreshes them: the template's latest version
 * (DescribeLaunchTemplateVersions $Latest) and the template's tags and default version. Compared:
 * what a security review reads, namely the image, instance type, key, instance profile, security
 * groups, the metadata service (tokens, endpoint, hop limit), block device encryption, and the
 * user data by keyed digest (never shown: it can hold secrets, like a Lambda environment).
 * Not compared: what AWS assigns (ARN, latest version number) and the rest of the launch data
 * (network interfaces, placement, market options). Import id: the template id.
 */
import type { LaunchTemplateVersion } from '@aws-sdk/client-ec2';
import type { Ec2LaunchTemplate, Ec2LaunchTemplateVersion } from '../../inventory/snapshot.js';
import { ec2Arn, firstBlock, lookupRegional, stringAttr, tagMap, type LiveInventory, type Regional, type RegionalIndex } from './inventory.js';
import { memo } from './memo.js';
import type { LiveObject, LiveTypeSpec } from './types.js';

/** Launch templates by id, across the regions read. */
const templates = memo((live): RegionalIndex<Ec2LaunchTemplate> => {
  const items = new Map<string, Regional<Ec2LaunchTemplate>>();
  const errors: string[] = [];
  for (const [region, ec2] of Object.entries(live.snapshot.ec2 ?? {})) {
    if (ec2.launchTemplates.error) errors.push(`${region}: ${ec2.launchTemplates.error.code}`);
    for (const t of ec2.launchTemplates.value ?? []) if (t.template.LaunchTemplateId) items.set(t.template.LaunchTemplateId, { region, value: t });
  }
  return { items, errors, operation: 'DescribeLaunchTemplates' };
});

/** The version DescribeLaunchTemplateVersions answered for $Latest: what the provider refreshes. */
function latestVersion(t: Ec2LaunchTemplate): Ec2LaunchTemplateVersion | undefined {
  return t.versions.value?.find((v) => v.version.VersionNumber === t.template.LatestVersionNumber);
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : []);
/** Unset is the provider's "" in state and absent live: the account's default applies. */
const tri = (value: unknown) => (value === true || value === 'true' ? 'true' : value === false || value === 'false' ? 'false' : 'default');
const hopLimit = (value: unknown) => (typeof value === 'number' && value > 0 ? value : 1);

/** A block device as one line: `/dev/xvda encrypted true kms arn:…`, the fields a review reads. */
const deviceLine = (device: string, encrypted: string, kms: string) => `${device} encrypted ${encrypted}${kms ? ` kms ${kms}` : ''}`;

function liveAttributes(version: LaunchTemplateVersion, userData: Record<string, string>): Record<string, unknown> {
  const d = version.LaunchTemplateData ?? {};
  const m = d.MetadataOptions;
  return {
    image_id: d.ImageId ?? '',
    instance_type: d.InstanceType ?? '',
    key_name: d.KeyName ?? '',
    iam_instance_profile: { arn: d.IamInstanceProfile?.Arn ?? '', name: d.IamInstanceProfile?.Name ?? '' },
    vpc_security_group_ids: strings(d.SecurityGroupIds),
    'metadata_options.0.http_tokens': m?.HttpTokens ?? 'optional',
    'metadata_options.0.http_endpoint': m?.HttpEndpoint ?? 'enabled',
    'metadata_options.0.http_put_response_hop_limit': hopLimit(m?.HttpPutResponseHopLimit),
    block_device_mappings: (d.BlockDeviceMappings ?? []).filter((b) => b.Ebs).map((b) => deviceLine(b.DeviceName ?? '', tri(b.Ebs?.Encrypted), b.Ebs?.KmsKeyId ?? '')),
    user_data: userData,
  };
}

function toTemplateObject({ region, value: t }: Regional<Ec2LaunchTemplate>, live: LiveInventory): LiveObject {
  const id = t.template.LaunchTemplateId!;
  const latest = latestVersion(t);
  return {
    type: 'aws_launch_template',
    importId: id,
    resourceId: ec2Arn(live, region, 'launch-template', id),
    region,
    name: t.template.LaunchTemplateName ?? id,
    // Without the version's read (failed), only the template's own attributes are known.
    attributes: { ...(latest ? liveAttributes(latest.version, latest.userData) : {}), default_version: t.template.DefaultVersionNumber, tags: tagMap(t.template.Tags) },
    stub: { name: t.template.LaunchTemplateName ?? id },
  };
}

const launchTemplate: LiveTypeSpec = {
  type: 'aws_launch_template',
  importIdFormat: 'launch template id',
  compared: [
    { path: 'image_id', kind: 'value', normalize: (a) => text(a.image_id) },
    { path: 'instance_type', kind: 'value', normalize: (a) => text(a.instance_type) },
    { path: 'key_name', kind: 'value', normalize: (a) => text(a.key_name) },
    {
      path: 'iam_instance_profile',
      kind: 'value',
      normalize: (a) => {
        const block = firstBlock(a.iam_instance_profile);
        return { arn: text(block.arn), name: text(block.name) };
      },
    },
    { path: 'vpc_security_group_ids', kind: 'set', normalize: (a) => strings(a.vpc_security_group_ids) },
    { path: 'metadata_options.0.http_tokens', kind: 'value', normalize: (a) => text(firstBlock(a.metadata_options).http_tokens) || 'optional' },
    { path: 'metadata_options.0.http_endpoint', kind: 'value', normalize: (a) => text(firstBlock(a.metadata_options).http_endpoint) || 'enabled' },
    { path: 'metadata_options.0.http_put_response_hop_limit', kind: 'value', normalize: (a) => hopLimit(firstBlock(a.metadata_options).http_put_response_hop_limit) },
    {
      path: 'block_device_mappings',
      kind: 'set',
      normalize: (a) =>
        (Array.isArray(a.block_device_mappings) ? (a.block_device_mappings as unknown[]) : []).flatMap((member) => {
          // A line already (a state written from the live side, as the drift benchmark writes one).
          if (typeof member === 'string') return [member];
          const b = firstBlock(member);
          const ebs = firstBlock(b.ebs);
          return Object.keys(ebs).length ? [deviceLine(text(b.device_name), tri(ebs.encrypted), text(ebs.kms_key_id))] : [];
        }),
    },
    // Concealed where the state is read: `{user_data: marker}` with its digest, `{}` when none.
    { path: 'user_data', kind: 'secret', normalize: (a) => (a.user_data !== null && typeof a.user_data === 'object' ? a.user_data : {}) },
    { path: 'default_version', kind: 'value', optional: true },
    { path: 'tags', kind: 'tags' },
  ],
  resourceIdOf: (attributes) => stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'id') ?? '',
  lookup(attributes, live) {
    const found = lookupRegional(templates(live), stringAttr(attributes, 'id'), live, stringAttr(attributes, 'arn'));
    if (!('item' in found)) return found;
    const versions = found.item.value.versions;
    // Listed but unreadable: could not check, and never also unmanaged.
    if (versions.error) return { unknown: `DescribeLaunchTemplateVersions failed: ${versions.error.code}`, listed: toTemplateObject(found.item, live) };
    return { found: toTemplateObject(found.item, live) };
  },
  enumerate: (live) => [...templates(live).items.values()].map((t) => toTemplateObject(t, live)),
};

export const LAUNCH_TEMPLATE_TYPES: readonly LiveTypeSpec[] = [launchTemplate];
