/**
 * S3: the bucket itself and the split resources of AWS provider v4+. On `aws_s3_bucket` only
 * the tags are compared: its `policy`, `acl`, `versioning`, `logging` and encryption attributes
 * are read-only mirrors in provider v4+ (the split resources own them), so comparing both would
 * report one change twice.
 */
import type { Read, S3Bucket } from '../../inventory/snapshot.js';
import { readValue, stringAttr, tagMap, type LiveInventory } from './inventory.js';
import type { ComparedAttribute, LiveLookup, LiveObject, LiveTypeSpec } from './types.js';

const TAGS: ComparedAttribute = { path: 'tags', kind: 'tags' };

function bucketName(attributes: Record<string, unknown>): string | undefined {
  return stringAttr(attributes, 'bucket') ?? stringAttr(attributes, 'id')?.split(',')[0];
}

function bucketArn(live: LiveInventory, name: string): string {
  return `arn:${live.partition}:s3:::${name}`;
}

function findBucket(attributes: Record<string, unknown>, live: LiveInventory): { bucket: S3Bucket } | Exclude<LiveLookup, { found: LiveObject }> {
  const name = bucketName(attributes);
  if (!name) return { unknown: 'the state instance names no bucket' };
  if ('error' in live.buckets) return { unknown: live.buckets.error };
  const bucket = live.buckets.items.get(name);
  return bucket ? { bucket } : { gone: true };
}

function liveObject(type: string, bucket: S3Bucket, live: LiveInventory, attributes: Record<string, unknown>, stub: Record<string, unknown> = {}): LiveObject {
  return {
    type,
    importId: bucket.name,
    resourceId: bucketArn(live, bucket.name),
    region: readValue(bucket.region),
    name: bucket.name,
    attributes,
    stub: { bucket: bucket.name, ...stub },
  };
}

/**
 * A split resource: present while its part of the bucket is configured. `toAttributes` maps the
 * part's API shape to Terraform's; a part whose read failed makes the lookup `unknown`.
 */
function bucketPart<T>(
  type: string,
  compared: ComparedAttribute[],
  part: (bucket: S3Bucket) => Read<T | null>,
  toAttributes: (value: T) => Record<string, unknown>,
): LiveTypeSpec {
  return {
    type,
    compared,
    importIdFormat: 'bucket name',
    resourceIdOf: (attributes, live) => bucketArn(live, bucketName(attributes) ?? ''),
    lookup(attributes, live) {
      const found = findBucket(attributes, live);
      if (!('bucket' in found)) return found;
      const read = part(found.bucket);
      if (read.error) return { unknown: `${read.error.code}: ${read.error.message}` };
      if (read.value === null) return { gone: true };
      return { found: liveObject(type, found.bucket, live, toAttributes(read.value)) };
    },
  };
}

const bucket: LiveTypeSpec = {
  type: 'aws_s3_bucket',
  importIdFormat: 'bucket name',
  compared: [TAGS],
  resourceIdOf: (attributes, live) => stringAttr(attributes, 'arn') ?? bucketArn(live, bucketName(attributes) ?? ''),
  lookup(attributes, live) {
    const found = findBucket(attributes, live);
    if (!('bucket' in found)) return found;
    return { found: toBucketObject(found.bucket, live) };
  },
  enumerate(live) {
    return 'error' in live.buckets ? [] : [...live.buckets.items.values()].map((b) => toBucketObject(b, live));
  },
};

function toBucketObject(b: S3Bucket, live: LiveInventory): LiveObject {
  const tags = readValue(b.tags);
  return liveObject('aws_s3_bucket', b, live, { tags: tags ? tagMap(tags) : undefined });
}

const policy = bucketPart('aws_s3_bucket_policy', [{ path: 'policy', kind: 'policy' }], (b) => b.policy, (text) => ({ policy: text }));

const publicAccessBlock = bucketPart(
  'aws_s3_bucket_public_access_block',
  ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'].map((path) => ({ path, kind: 'value' as const })),
  (b) => b.publicAccessBlock,
  (c) => ({
    block_public_acls: c.BlockPublicAcls ?? false,
    block_public_policy: c.BlockPublicPolicy ?? false,
    ignore_public_acls: c.IgnorePublicAcls ?? false,
    restrict_public_buckets: c.RestrictPublicBuckets ?? false,
  }),
);

/** A grant as one comparable string: grantee type, who, permission (display names are computed). */
function grantAtom(type: unknown, who: unknown, permission: unknown): string {
  return `${String(type ?? '')} ${String(who ?? '')} ${String(permission ?? '')}`;
}

function firstBlock(value: unknown): Record<string, unknown> {
  const first = Array.isArray(value) ? value[0] : value;
  return first !== null && typeof first === 'object' && !Array.isArray(first) ? (first as Record<string, unknown>) : {};
}

function blocks(value: unknown): Array<Record<string, unknown>> {
  return Array.isArray(value) ? value.map(firstBlock) : [];
}

const acl = bucketPart(
  'aws_s3_bucket_acl',
  [
    {
      path: 'access_control_policy.0.grant',
      kind: 'set',
      normalize: (a) =>
        blocks(firstBlock(a.access_control_policy).grant).map((g) => {
          const grantee = firstBlock(g.grantee);
          return grantAtom(grantee.type, grantee.id || grantee.uri || grantee.email_address, g.permission);
        }),
    },
    { path: 'access_control_policy.0.owner.0.id', kind: 'value', normalize: (a) => firstBlock(firstBlock(a.access_control_policy).owner).id },
  ],
  (b) => b.acl,
  (value) => ({
    'access_control_policy.0.grant': value.grants.map((g) => grantAtom(g.Grantee?.Type, g.Grantee?.ID || g.Grantee?.URI || g.Grantee?.EmailAddress, g.Permission)),
    'access_control_policy.0.owner.0.id': value.owner?.ID,
  }),
);

const versioning = bucketPart(
  'aws_s3_bucket_versioning',
  [
    { path: 'versioning_configuration.0.status', kind: 'value', normalize: (a) => firstBlock(a.versioning_configuration).status },
    { path: 'versioning_configuration.0.mfa_delete', kind: 'value', normalize: (a) => firstBlock(a.versioning_configuration).mfa_delete || 'Disabled' },
  ],
  (b) => b.versioning,
  (v) => ({ 'versioning_configuration.0.status': v.status ?? 'Disabled', 'versioning_configuration.0.mfa_delete': v.mfaDelete || 'Disabled' }),
);

function encryptionAtom(algorithm: unknown, kmsKey: unknown, bucketKey: unknown): string {
  return `${String(algorithm ?? '')} ${String(kmsKey || '-')} bucket_key=${bucketKey === true}`;
}

const encryption = bucketPart(
  'aws_s3_bucket_server_side_encryption_configuration',
  [
    {
      path: 'rule',
      kind: 'set',
      normalize: (a) =>
        blocks(a.rule).map((rule) => {
          const byDefault = firstBlock(rule.apply_server_side_encryption_by_default);
          return encryptionAtom(byDefault.sse_algorithm, byDefault.kms_master_key_id, rule.bucket_key_enabled);
        }),
    },
  ],
  (b) => b.encryption,
  (c) => ({
    rule: (c.Rules ?? []).map((r) => encryptionAtom(r.ApplyServerSideEncryptionByDefault?.SSEAlgorithm, r.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID, r.BucketKeyEnabled)),
  }),
);

const logging = bucketPart(
  'aws_s3_bucket_logging',
  [
    { path: 'target_bucket', kind: 'value' },
    { path: 'target_prefix', kind: 'value', normalize: (a) => a.target_prefix ?? '' },
  ],
  (b) => b.logging,
  (l) => ({ target_bucket: l.TargetBucket, target_prefix: l.TargetPrefix ?? '' }),
);

const ownershipControls = bucketPart(
  'aws_s3_bucket_ownership_controls',
  [{ path: 'rule.0.object_ownership', kind: 'value', normalize: (a) => firstBlock(a.rule).object_ownership }],
  (b) => b.ownershipControls,
  (c) => ({ 'rule.0.object_ownership': c.Rules?.[0]?.ObjectOwnership }),
);

export const S3_TYPES: readonly LiveTypeSpec[] = [bucket, policy, publicAccessBlock, acl, versioning, encryption, logging, ownershipControls];
