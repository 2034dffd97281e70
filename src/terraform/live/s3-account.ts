/**
 * The account's S3 Block Public Access (aws_s3_account_public_access_block): the four settings,
 * which override every bucket's own. One per account; imported by the account id. Absent
 * (GetPublicAccessBlock answers NoSuchPublicAccessBlockConfiguration): gone, or nothing to import.
 */
import type { PublicAccessBlockConfiguration } from '@aws-sdk/client-s3-control';
import { stringAttr, type LiveInventory } from './inventory.js';
import type { LiveObject, LiveTypeSpec } from './types.js';

const SETTINGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'] as const;

function toAccountBlockObject(c: PublicAccessBlockConfiguration, live: LiveInventory): LiveObject {
  const attributes = {
    block_public_acls: c.BlockPublicAcls ?? false,
    block_public_policy: c.BlockPublicPolicy ?? false,
    ignore_public_acls: c.IgnorePublicAcls ?? false,
    restrict_public_buckets: c.RestrictPublicBuckets ?? false,
  };
  return {
    type: 'aws_s3_account_public_access_block',
    importId: live.accountId,
    resourceId: `arn:${live.partition}:s3:::account/${live.accountId}/public-access-block`,
    name: `S3 Block Public Access (account ${live.accountId})`,
    attributes,
    stub: { ...attributes },
  };
}

const accountPublicAccessBlock: LiveTypeSpec = {
  type: 'aws_s3_account_public_access_block',
  importIdFormat: 'AWS account id',
  // The provider's defaults: every setting false.
  compared: SETTINGS.map((path) => ({ path, kind: 'value' as const, normalize: (a: Record<string, unknown>) => a[path] === true })),
  resourceIdOf: (attributes, live) => `arn:${live.partition}:s3:::account/${stringAttr(attributes, 'account_id') ?? live.accountId}/public-access-block`,
  lookup(attributes, live) {
    const account = stringAttr(attributes, 'account_id') ?? stringAttr(attributes, 'id');
    if (account && account !== live.accountId) return { unknown: `the setting is account ${account}'s; the credentials are account ${live.accountId}'s` };
    const read = live.snapshot.s3control?.publicAccessBlock;
    if (!read) return { unknown: 'S3 Control GetPublicAccessBlock was not collected' };
    if (read.error) return { unknown: `${read.error.code}: ${read.error.message}` };
    return read.value === null ? { gone: true } : { found: toAccountBlockObject(read.value, live) };
  },
  enumerate(live) {
    const value = live.snapshot.s3control?.publicAccessBlock.value;
    return value ? [toAccountBlockObject(value, live)] : [];
  },
};

export const S3_ACCOUNT_TYPES: readonly LiveTypeSpec[] = [accountPublicAccessBlock];
