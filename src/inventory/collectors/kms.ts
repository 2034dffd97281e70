/**
 * KMS, per region: every key (DescribeKey), its key policy, its rotation where rotation is the
 * customer's to choose, its tags, and the region's aliases. Never a key's material: KMS has no
 * read that returns it, and Decrypt/GenerateDataKey are not in the allowlist.
 */
import { DescribeKeyCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand, paginateListAliases, paginateListKeys, paginateListResourceTags, type KeyMetadata } from '@aws-sdk/client-kms';
import { collectPages } from '../../aws/paginate.js';
import { read, type CollectorContext, type CollectorReads } from '../context.js';
import type { KmsInventory, KmsKey, KmsRotation, KmsTag, Read } from '../snapshot.js';
import { mapBounded } from '../bounded.js';

export const KMS_READS = {
  'kms:ListKeys': [],
  'kms:ListAliases': [],
  'kms:DescribeKey': ['kms:ListKeys'],
  // Whether rotation applies depends on the key's manager, spec, origin and state.
  'kms:GetKeyRotationStatus': ['kms:DescribeKey'],
  'kms:GetKeyPolicy': ['kms:ListKeys'],
  'kms:ListResourceTags': ['kms:DescribeKey'],
} satisfies CollectorReads;

/** Rotation is the customer's choice only on customer managed, symmetric keys whose material KMS made. */
export function rotationApplies(key: KeyMetadata): boolean {
  return (
    key.KeyManager === 'CUSTOMER' &&
    (key.KeySpec ?? key.CustomerMasterKeySpec) === 'SYMMETRIC_DEFAULT' &&
    (key.Origin === 'AWS_KMS' || key.Origin === 'AWS_CLOUDHSM') &&
    (key.KeyState === 'Enabled' || key.KeyState === 'Disabled')
  );
}

export async function collectKms(ctx: CollectorContext, region: string): Promise<KmsInventory> {
  const client = ctx.session.client('kms', region);
  const label = (operation: string, resource?: string) => ({ service: 'kms' as const, region, operation, resource });
  const [listed, aliases] = await Promise.all([
    read(ctx, label('ListKeys'), () => collectPages(paginateListKeys({ client, pageSize: 1000 }, {}), (p) => p.Keys)),
    read(ctx, label('ListAliases'), async () => (await collectPages(paginateListAliases({ client, pageSize: 100 }, {}), (p) => p.Aliases)).filter((a) => a.TargetKeyId)),
  ]);
  if (listed.error) {
    ctx.progress?.({ service: 'kms', region, done: true });
    return { keys: listed, aliases };
  }
  const keys = await mapBounded(listed.value, ctx.session.concurrency, async (entry): Promise<KmsKey> => {
    const keyId = entry.KeyId ?? '';
    const arn = entry.KeyArn ?? `arn:${ctx.partition}:kms:${region}:${ctx.accountId}:key/${keyId}`;
    const [metadata, policy] = await Promise.all([
      read(ctx, label('DescribeKey', arn), async (): Promise<KeyMetadata> => (await client.send(new DescribeKeyCommand({ KeyId: arn }))).KeyMetadata ?? { KeyId: keyId }),
      read(ctx, label('GetKeyPolicy', arn), async () => (await client.send(new GetKeyPolicyCommand({ KeyId: arn, PolicyName: 'default' }))).Policy ?? ''),
    ]);
    const [rotation, tags] = await Promise.all([
      afterMetadata<KmsRotation>(metadata, (m) =>
        rotationApplies(m)
          ? read(ctx, label('GetKeyRotationStatus', arn), async () => {
              const out = await client.send(new GetKeyRotationStatusCommand({ KeyId: arn }));
              return { enabled: out.KeyRotationEnabled === true, ...(out.RotationPeriodInDays ? { periodDays: out.RotationPeriodInDays } : {}) };
            })
          : Promise.resolve({ value: null }),
      ),
      afterMetadata<KmsTag[]>(metadata, (m) =>
        m.KeyManager === 'CUSTOMER' ? read(ctx, label('ListResourceTags', arn), () => collectPages(paginateListResourceTags({ client, pageSize: 50 }, { KeyId: arn }), (p) => p.Tags)) : Promise.resolve({ value: [] }),
      ),
    ]);
    return { keyId, arn, metadata, rotation, policy, tags };
  }, ctx.session.work('kms'));
  ctx.progress?.({ service: 'kms', region, done: true });
  return { keys: { value: keys }, aliases };
}

/** A read that depends on DescribeKey: its error when DescribeKey failed (already recorded once). */
async function afterMetadata<T>(metadata: Read<KeyMetadata>, then: (m: KeyMetadata) => Promise<Read<T>>): Promise<Read<T>> {
  return metadata.error ? { error: metadata.error } : then(metadata.value);
}
