/**
 * EC2 key pairs. Compared: the name, key type, fingerprint (a key deleted and made again under the
 * same name has another fingerprint) and tags. Not compared: `public_key`, which the state holds
 * but AWS never returns (DescribeKeyPairs is not asked for it), so an imported key pair's stub
 * has no `public_key` either: the provider documents that it must be supplied by hand.
 * Import id: the key name (unique within a region).
 */
import type { KeyPairInfo } from '@aws-sdk/client-ec2';
import { ec2Arn, stringAttr, tagMap, type LiveInventory, type Regional, type RegionalIndex } from './inventory.js';
import { memo } from './memo.js';
import type { LiveLookup, LiveObject, LiveTypeSpec } from './types.js';

/** Key pairs by `region/name`: a name is unique only within its region. */
const keyPairs = memo((live): RegionalIndex<KeyPairInfo> => {
  const items = new Map<string, Regional<KeyPairInfo>>();
  const errors: string[] = [];
  for (const [region, ec2] of Object.entries(live.snapshot.ec2 ?? {})) {
    if (ec2.keyPairs.error) errors.push(`${region}: ${ec2.keyPairs.error.code}`);
    for (const k of ec2.keyPairs.value ?? []) if (k.KeyName) items.set(`${region}/${k.KeyName}`, { region, value: k });
  }
  return { items, errors, operation: 'DescribeKeyPairs' };
});

function toKeyPairObject({ region, value: k }: Regional<KeyPairInfo>, live: LiveInventory): LiveObject {
  const name = k.KeyName!;
  return {
    type: 'aws_key_pair',
    importId: name,
    resourceId: ec2Arn(live, region, 'key-pair', name),
    region,
    name,
    attributes: { key_name: name, key_type: k.KeyType ?? 'rsa', fingerprint: k.KeyFingerprint, tags: tagMap(k.Tags) },
    stub: { key_name: name },
    stubNotes: KEY_PAIR_STUB_NOTES,
  };
}

/** The provider requires public_key, and the inventory never reads key material. */
export const KEY_PAIR_STUB_NOTES = [
  'public_key is required, and this stub cannot fill it in: no key material is read from the account.',
  'Set public_key to this pair\'s public key before terraform plan: `ssh-keygen -y -f <private key file>` prints it,',
  'as does `aws ec2 describe-key-pairs --key-names <name> --include-public-key`.',
];

/**
 * The key pair a state instance names: its region from the ARN (or provider v6's `region`), else
 * the one region read that has the name.
 */
function findKeyPair(attributes: Record<string, unknown>, live: LiveInventory): LiveLookup {
  const name = stringAttr(attributes, 'key_name') ?? stringAttr(attributes, 'id');
  if (!name) return { unknown: 'the state instance names no key' };
  const index = keyPairs(live);
  const region = stringAttr(attributes, 'arn')?.split(':')[3] || stringAttr(attributes, 'region');
  if (region && !live.regions.includes(region)) return { unknown: `region ${region} was not read` };
  const matches = (region ? [region] : live.regions).map((r) => index.items.get(`${r}/${name}`)).filter((k): k is Regional<KeyPairInfo> => k !== undefined);
  if (matches.length === 1) return { found: toKeyPairObject(matches[0]!, live) };
  if (matches.length > 1) return { unknown: `key pair ${name} exists in ${matches.map((m) => m.region).join(', ')}; the state instance names no region` };
  return index.errors.length ? { unknown: `${index.operation} failed in ${index.errors.join(', ')}` } : { gone: true };
}

const keyPair: LiveTypeSpec = {
  type: 'aws_key_pair',
  importIdFormat: 'key name',
  compared: [
    { path: 'key_name', kind: 'value' },
    { path: 'key_type', kind: 'value', normalize: (a) => a.key_type ?? 'rsa' },
    { path: 'fingerprint', kind: 'value' },
    { path: 'tags', kind: 'tags' },
  ],
  resourceIdOf: (attributes) => stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'key_name') ?? stringAttr(attributes, 'id') ?? '',
  lookup: findKeyPair,
  enumerate: (live) => [...keyPairs(live).items.values()].map((k) => toKeyPairObject(k, live)),
};

export const KEY_PAIR_TYPES: readonly LiveTypeSpec[] = [keyPair];
