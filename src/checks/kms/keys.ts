/** What the KMS checks share: walking every key of every region, and naming a key by its alias. */
import type { KeyMetadata } from '@aws-sdk/client-kms';
import type { CheckMetadata, Finding } from '../../findings/model.js';
import type { InventorySnapshot, KmsInventory, KmsKey } from '../../inventory/snapshot.js';
import { readError, type FindingSubject } from '../finding.js';
import { forEachInRegions } from '../regional.js';

export function keySubject(key: KmsKey, region: string, inventory: KmsInventory): FindingSubject {
  const alias = inventory.aliases.value?.find((a) => a.TargetKeyId === key.keyId)?.AliasName;
  return { region, resourceId: key.arn, resourceName: alias ? alias.replace(/^alias\//, '') : key.keyId };
}

/** A key that is gone or going: KMS refuses to use it, so nothing about it can be exposed or rotated. */
export function isPendingDeletion(key: KeyMetadata): boolean {
  return key.KeyState === 'PendingDeletion' || key.KeyState === 'PendingReplicaDeletion';
}

/**
 * Judge every key the account manages itself (AWS managed keys are AWS's to rotate and to
 * govern): `applies` leaves out the keys a check does not concern; a key whose DescribeKey
 * failed is one `error`, since nobody can tell whether it applies.
 */
export function forEachCustomerKey(
  meta: CheckMetadata,
  snapshot: InventorySnapshot,
  applies: (key: KeyMetadata) => boolean,
  judge: (key: KmsKey, metadata: KeyMetadata, subject: FindingSubject) => Finding,
): Iterable<Finding> {
  return forEachInRegions(meta, snapshot, snapshot.kms, 'kms', (kms) => kms.keys, 'the KMS keys (kms:ListKeys)', (key, region, kms) => {
    const subject = keySubject(key, region, kms);
    if (key.metadata.error) return readError(meta, snapshot, subject, `KMS key ${key.keyId} (kms:DescribeKey)`, key.metadata.error);
    const m = key.metadata.value;
    if (m.KeyManager !== 'CUSTOMER' || !applies(m)) return undefined;
    return judge(key, m, subject);
  });
}
