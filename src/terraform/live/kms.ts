/**
 * KMS keys and aliases. Compared: what a person sets on a key and KMS keeps as set (description,
 * usage, whether it is enabled, rotation, the key policy as a policy, tags) and where an alias
 * points. Not compared: the key's ARN and id, which KMS assigns, and deletion_window_in_days,
 * which acts only when the key is deleted. AWS managed keys and their `alias/aws/…` aliases are
 * AWS's: never "unmanaged". A key pending deletion is gone, as the provider reads it.
 */
import type { AliasListEntry } from '@aws-sdk/client-kms';
import type { KmsKey } from '../../inventory/snapshot.js';
import { lookupRegional, readValue, stringAttr, unreadParts, type LiveInventory, type Regional } from './inventory.js';
import type { LiveObject, LiveTypeSpec } from './types.js';

const isPendingDeletion = (k: KmsKey) => k.metadata.value?.KeyState === 'PendingDeletion' || k.metadata.value?.KeyState === 'PendingReplicaDeletion';

function kmsTags(key: KmsKey): Record<string, string> | undefined {
  const tags = readValue(key.tags);
  return tags ? Object.fromEntries(tags.filter((t) => t.TagKey !== undefined).map((t) => [t.TagKey!, t.TagValue ?? ''])) : undefined;
}

function aliasOf(key: KmsKey, live: LiveInventory): string | undefined {
  for (const { value } of live.kmsAliases.items.values()) if (value.TargetKeyId === key.keyId) return value.AliasName;
  return undefined;
}

function toKeyObject({ region, value: key }: Regional<KmsKey>, live: LiveInventory): LiveObject {
  const m = readValue(key.metadata);
  const rotation = readValue(key.rotation);
  return {
    type: 'aws_kms_key',
    importId: key.keyId,
    resourceId: key.arn,
    region,
    name: aliasOf(key, live) ?? key.keyId,
    attributes: {
      description: m ? (m.Description ?? '') : undefined,
      key_usage: m?.KeyUsage,
      customer_master_key_spec: m ? (m.KeySpec ?? m.CustomerMasterKeySpec) : undefined,
      is_enabled: m ? m.KeyState === 'Enabled' : undefined,
      // null: rotation does not apply to this key (asymmetric, HMAC, imported), which the provider reads as false.
      enable_key_rotation: key.rotation.error ? undefined : (rotation?.enabled ?? false),
      policy: readValue(key.policy),
      tags: kmsTags(key),
    },
    ...unreadParts(
      [key.metadata, 'DescribeKey', ['description', 'key_usage', 'customer_master_key_spec', 'is_enabled']],
      [key.rotation, 'GetKeyRotationStatus', ['enable_key_rotation']],
      [key.policy, 'GetKeyPolicy', ['policy']],
      [key.tags, 'ListResourceTags', ['tags']],
    ),
    stub: { description: m?.Description ?? '' },
  };
}

const kmsKey: LiveTypeSpec = {
  type: 'aws_kms_key',
  importIdFormat: 'key id',
  compared: [
    { path: 'description', kind: 'value', normalize: (a) => a.description ?? '' },
    { path: 'key_usage', kind: 'value', normalize: (a) => a.key_usage ?? 'ENCRYPT_DECRYPT' },
    { path: 'customer_master_key_spec', kind: 'value', normalize: (a) => a.customer_master_key_spec ?? 'SYMMETRIC_DEFAULT' },
    { path: 'is_enabled', kind: 'value', normalize: (a) => a.is_enabled ?? true },
    { path: 'enable_key_rotation', kind: 'value', normalize: (a) => a.enable_key_rotation ?? false },
    { path: 'policy', kind: 'policy' },
    { path: 'tags', kind: 'tags' },
  ],
  resourceIdOf: (attributes) => stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'key_id') ?? stringAttr(attributes, 'id') ?? '',
  lookup(attributes, live) {
    const found = lookupRegional(live.kmsKeys, stringAttr(attributes, 'key_id') ?? stringAttr(attributes, 'id'), live, stringAttr(attributes, 'arn'));
    if (!('item' in found)) return found;
    return isPendingDeletion(found.item.value) ? { gone: true } : { found: toKeyObject(found.item, live) };
  },
  enumerate: (live) =>
    [...live.kmsKeys.items.values()].filter((k) => k.value.metadata.value?.KeyManager === 'CUSTOMER' && !isPendingDeletion(k.value)).map((k) => toKeyObject(k, live)),
};

function toAliasObject({ region, value: a }: Regional<AliasListEntry>): LiveObject {
  const name = a.AliasName!;
  return {
    type: 'aws_kms_alias',
    importId: name,
    resourceId: a.AliasArn ?? name,
    region,
    name,
    attributes: { target_key_id: a.TargetKeyId },
    stub: { name, target_key_id: a.TargetKeyId ?? '' },
  };
}

const kmsAlias: LiveTypeSpec = {
  type: 'aws_kms_alias',
  importIdFormat: 'alias name (alias/…)',
  compared: [
    {
      path: 'target_key_id',
      kind: 'value',
      // The configuration may name the key by ARN; KMS answers with its id.
      normalize: (a) => (typeof a.target_key_id === 'string' ? a.target_key_id.split('/').pop() : a.target_key_id),
    },
  ],
  resourceIdOf: (attributes) => stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'name') ?? '',
  lookup(attributes, live) {
    const arn = stringAttr(attributes, 'arn');
    const name = stringAttr(attributes, 'name') ?? stringAttr(attributes, 'id');
    // Without an ARN, the name in any region read (a state written by hand or an old provider).
    const id = arn ?? [...live.kmsAliases.items.keys()].find((k) => k.endsWith(`:${name}`));
    const found = lookupRegional(live.kmsAliases, id ?? name, live, arn);
    return 'item' in found ? { found: toAliasObject(found.item) } : found;
  },
  enumerate: (live) => [...live.kmsAliases.items.values()].filter((a) => !a.value.AliasName?.startsWith('alias/aws/')).map(toAliasObject),
};

export const KMS_TYPES: readonly LiveTypeSpec[] = [kmsKey, kmsAlias];
