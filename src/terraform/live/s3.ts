/**
 * S3: the bucket itself and the split resources of AWS provider v4+. On `aws_s3_bucket`, the
 * `policy`, `grant`, `versioning`, `logging` and `server_side_encryption_configuration`
 * attributes are what the provider refreshes from the bucket (`terraform plan -refresh-only`
 * shows a policy added in the console as `+ policy` there). They are compared on the bucket
 * unless the state has the split resource that owns them (`aws_s3_bucket_policy`, ...): then the
 * split resource is compared instead, so one change is never reported twice.
 */
import type { Read, S3Bucket } from '../../inventory/snapshot.js';
import { firstBlock, readValue, stringAttr, tagMap, unreadParts, type LiveInventory } from './inventory.js';
import type { ComparedAttribute, LiveLookup, LiveObject, LiveTypeSpec } from './types.js';

const TAGS: ComparedAttribute = { path: 'tags', kind: 'tags' };

const bucketClaimKey = (name: string | undefined) => (name ? `s3-bucket:${name}` : undefined);

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
  /** The `aws_s3_bucket` attribute this resource owns, if the bucket mirrors it. */
  owns?: string,
): LiveTypeSpec {
  return {
    type,
    compared,
    importIdFormat: 'bucket name',
    ...(owns ? { claims: (attributes: Record<string, unknown>) => { const owner = bucketClaimKey(bucketName(attributes)); return owner ? [{ owner, path: owns }] : []; } } : {}),
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

/** The bucket's mirrors of its parts, as provider v5 refreshes them into `aws_s3_bucket`. */
const BUCKET_MIRRORS: ComparedAttribute[] = [
  { path: 'policy', kind: 'policy', optional: true },
  {
    path: 'grant',
    kind: 'set',
    optional: true,
    normalize: (a) =>
      blocks(a.grant).flatMap((g) => (Array.isArray(g.permissions) ? g.permissions : []).map((permission) => grantAtom(g.type, g.id || g.uri, permission))),
  },
  {
    path: 'versioning',
    kind: 'value',
    optional: true,
    normalize: (a) => {
      const v = firstBlock(a.versioning);
      return { enabled: v.enabled === true, mfa_delete: v.mfa_delete === true };
    },
  },
  {
    path: 'logging',
    kind: 'value',
    optional: true,
    normalize: (a) => {
      const l = Array.isArray(a.logging) && a.logging.length ? firstBlock(a.logging) : undefined;
      return l ? { target_bucket: l.target_bucket ?? null, target_prefix: l.target_prefix ?? '' } : null;
    },
  },
  {
    path: 'server_side_encryption_configuration',
    kind: 'set',
    optional: true,
    normalize: (a) =>
      blocks(firstBlock(a.server_side_encryption_configuration).rule).map((rule) => {
        const byDefault = firstBlock(rule.apply_server_side_encryption_by_default);
        return encryptionAtom(byDefault.sse_algorithm, byDefault.kms_master_key_id, rule.bucket_key_enabled);
      }),
  },
];

const bucket: LiveTypeSpec = {
  type: 'aws_s3_bucket',
  importIdFormat: 'bucket name',
  compared: [TAGS, ...BUCKET_MIRRORS],
  claimKey: (attributes) => bucketClaimKey(bucketName(attributes)),
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
  const policyText = readValue(b.policy);
  const acl = readValue(b.acl);
  const versioning = readValue(b.versioning);
  const logging = readValue(b.logging);
  const encryption = readValue(b.encryption);
  // A part whose read failed stays undefined: not compared, never guessed (and named in `unread`).
  const object = liveObject('aws_s3_bucket', b, live, {
    tags: tags ? tagMap(tags) : undefined,
    policy: policyText,
    grant: acl?.grants.map((g) => grantAtom(g.Grantee?.Type, g.Grantee?.ID || g.Grantee?.URI || g.Grantee?.EmailAddress, g.Permission)),
    versioning: versioning && { enabled: versioning.status === 'Enabled', mfa_delete: versioning.mfaDelete === 'Enabled' },
    logging: logging === undefined ? undefined : logging && { target_bucket: logging.TargetBucket ?? null, target_prefix: logging.TargetPrefix ?? '' },
    server_side_encryption_configuration:
      encryption === undefined
        ? undefined
        : (encryption?.Rules ?? []).map((r) => encryptionAtom(r.ApplyServerSideEncryptionByDefault?.SSEAlgorithm, r.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID, r.BucketKeyEnabled)),
  });
  return {
    ...object,
    ...unreadParts(
      [b.tags, 'GetBucketTagging', ['tags']],
      [b.policy, 'GetBucketPolicy', ['policy']],
      [b.acl, 'GetBucketAcl', ['grant']],
      [b.versioning, 'GetBucketVersioning', ['versioning']],
      [b.logging, 'GetBucketLogging', ['logging']],
      [b.encryption, 'GetBucketEncryption', ['server_side_encryption_configuration']],
    ),
  };
}

const policy = bucketPart('aws_s3_bucket_policy', [{ path: 'policy', kind: 'policy' }], (b) => b.policy, (text) => ({ policy: text }), 'policy');

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
  'grant',
);

const versioning = bucketPart(
  'aws_s3_bucket_versioning',
  [
    { path: 'versioning_configuration.0.status', kind: 'value', normalize: (a) => firstBlock(a.versioning_configuration).status },
    { path: 'versioning_configuration.0.mfa_delete', kind: 'value', normalize: (a) => firstBlock(a.versioning_configuration).mfa_delete || 'Disabled' },
  ],
  (b) => b.versioning,
  (v) => ({ 'versioning_configuration.0.status': v.status ?? 'Disabled', 'versioning_configuration.0.mfa_delete': v.mfaDelete || 'Disabled' }),
  'versioning',
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
  'server_side_encryption_configuration',
);

const logging = bucketPart(
  'aws_s3_bucket_logging',
  [
    { path: 'target_bucket', kind: 'value' },
    { path: 'target_prefix', kind: 'value', normalize: (a) => a.target_prefix ?? '' },
  ],
  (b) => b.logging,
  (l) => ({ target_bucket: l.TargetBucket, target_prefix: l.TargetPrefix ?? '' }),
  'logging',
);

const ownershipControls = bucketPart(
  'aws_s3_bucket_ownership_controls',
  [{ path: 'rule.0.object_ownership', kind: 'value', normalize: (a) => firstBlock(a.rule).object_ownership }],
  (b) => b.ownershipControls,
  (c) => ({ 'rule.0.object_ownership': c.Rules?.[0]?.ObjectOwnership }),
);

export const S3_TYPES: readonly LiveTypeSpec[] = [bucket, policy, publicAccessBlock, acl, versioning, encryption, logging, ownershipControls];
