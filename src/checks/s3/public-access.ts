/**
 * Is a bucket publicly readable or writable, after Block Public Access? Two channels grant
 * public access, and each has its own neutraliser:
 * - ACL grants to AllUsers or AuthenticatedUsers (any AWS account), neutralised by
 *   IgnorePublicAcls at the bucket or account level, and by ACLs being disabled;
 * - bucket policy statements for everyone that no condition narrows (the policy engine's
 *   judgement), neutralised by RestrictPublicBuckets at either level.
 * Every part is three-valued: a read that failed makes its part unknown, and an unknown part
 * can only turn "not public" into "cannot tell", never into a pass.
 */
import type { Grant } from '@aws-sdk/client-s3';
import type { CheckMetadata, Finding } from '../../findings/model.js';
import { analyzePublicAccess } from '../../policy/index.js';
import type { InventorySnapshot, ReadError, S3Bucket } from '../../inventory/snapshot.js';
import { finding } from '../finding.js';
import { accountBpa, bucketSubject, effectiveBpaSetting, forEachBucket } from './buckets.js';
import type { AwsRead } from '../../aws/read-operations.js';

/** Both channels (policy, ACL), what neutralises them (Block Public Access at both levels, ACLs disabled). */
export const PUBLIC_ACCESS_READS: readonly AwsRead[] = ['s3:GetBucketPolicy', 's3:GetBucketAcl', 's3:GetPublicAccessBlock', 's3:GetBucketOwnershipControls', 's3control:GetPublicAccessBlock'];

export const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';

export type AccessKind = 'read' | 'write';

const ACL_PERMISSIONS: Record<AccessKind, readonly string[]> = {
  read: ['READ', 'FULL_CONTROL'],
  write: ['WRITE', 'WRITE_ACP', 'FULL_CONTROL'],
};

export interface ChannelVerdict {
  /** True: grants public access; false: does not; undefined: cannot tell (see `unknown`). */
  public: boolean | undefined;
  /** When public: what everyone can do through this channel (read objects, list keys, write). */
  access?: Array<'read' | 'list' | 'write'>;
  /** What the verdict rests on, for the evidence. */
  detail: string;
  unknown?: ReadError;
}

export interface PublicAccessVerdict {
  public: boolean | undefined;
  acl: ChannelVerdict;
  policy: ChannelVerdict;
  evidence: Record<string, unknown>;
}

function publicAclGrants(grants: readonly Grant[], kind: AccessKind) {
  return grants
    .filter((g) => g.Grantee?.Type === 'Group' && (g.Grantee.URI === ALL_USERS || g.Grantee.URI === AUTHENTICATED_USERS))
    .filter((g) => ACL_PERMISSIONS[kind].includes(g.Permission ?? ''))
    .map((g) => ({ grantee: g.Grantee!.URI === ALL_USERS ? 'AllUsers' : 'AuthenticatedUsers', permission: g.Permission }));
}

function aclChannel(bucket: S3Bucket, snapshot: InventorySnapshot, kind: AccessKind): ChannelVerdict & { grants?: unknown[] } {
  if (bucket.ownershipControls.value?.Rules?.[0]?.ObjectOwnership === 'BucketOwnerEnforced') {
    return { public: false, detail: 'ACLs are disabled (BucketOwnerEnforced)' };
  }
  if (bucket.acl.error) return { public: undefined, detail: 'the ACL could not be read', unknown: bucket.acl.error };
  const grants = publicAclGrants(bucket.acl.value.grants, kind);
  if (grants.length === 0) return { public: false, detail: 'no ACL grant to AllUsers or AuthenticatedUsers', grants };
  const ignore = effectiveBpaSetting('IgnorePublicAcls', accountBpa(snapshot), bucket.publicAccessBlock);
  const listed = grants.map((g) => `${g.grantee} ${g.permission}`).join(', ');
  if (ignore.on === true) return { public: false, detail: `ACL grants ${listed}, neutralised by IgnorePublicAcls (${ignore.by.join(' and ')} level)`, grants };
  if (ignore.on === undefined) return { public: undefined, detail: `ACL grants ${listed}; whether IgnorePublicAcls applies is unknown`, unknown: ignore.unknown[0], grants };
  // A bucket ACL's READ lets anyone list the keys; reading an object takes that object's own ACL.
  return { public: true, access: kind === 'read' ? ['list'] : ['write'], detail: `ACL grants ${listed}${kind === 'read' ? ' (anyone can list the keys)' : ''}`, grants };
}

function policyChannel(bucket: S3Bucket, snapshot: InventorySnapshot, kind: AccessKind): ChannelVerdict & { statements?: unknown; narrowed?: unknown } {
  if (bucket.policy.error) return { public: undefined, detail: 'the bucket policy could not be read', unknown: bucket.policy.error };
  if (bucket.policy.value === null) return { public: false, detail: 'no bucket policy' };
  const analysis = analyzePublicAccess(bucket.policy.value);
  if (!analysis.ok) {
    return { public: undefined, detail: 'the bucket policy could not be parsed', unknown: { code: analysis.code, message: `${analysis.path}: ${analysis.message}` } };
  }
  const levels = kind === 'read' ? (['read', 'list'] as const) : (['write', 'writeAcl'] as const);
  const grants = analysis.grants.filter((g) => levels.some((level) => g.publicActions[level].length > 0));
  const narrowed = analysis.narrowed.map((n) => ({ sid: n.sid, statementIndex: n.statementIndex, narrowedBy: n.narrowedBy.map((c) => c.reason) }));
  if (grants.length === 0) {
    const why = narrowed.length ? `the policy's statements for everyone are narrowed (${narrowed.flatMap((n) => n.narrowedBy).join('; ')})` : `the policy grants no public ${kind} access`;
    return { public: false, detail: why, narrowed };
  }
  const statements = grants.map((g) => ({
    sid: g.sid,
    statementIndex: g.statementIndex,
    principal: g.principal,
    actions: levels.flatMap((level) => g.publicActions[level]),
  }));
  const listed = statements.map((s) => `${s.sid ? `"${s.sid}"` : `statement ${s.statementIndex}`} (${s.actions.join(', ')})`).join(', ');
  const restrict = effectiveBpaSetting('RestrictPublicBuckets', accountBpa(snapshot), bucket.publicAccessBlock);
  if (restrict.on === true) return { public: false, detail: `policy grants public ${kind} in ${listed}, neutralised by RestrictPublicBuckets (${restrict.by.join(' and ')} level)`, statements, narrowed };
  if (restrict.on === undefined) return { public: undefined, detail: `policy grants public ${kind} in ${listed}; whether RestrictPublicBuckets applies is unknown`, unknown: restrict.unknown[0], statements, narrowed };
  const access = kind === 'read' ? (['read', 'list'] as const).filter((level) => grants.some((g) => g.publicActions[level].length > 0)) : (['write'] as const);
  return { public: true, access: [...access], detail: `bucket policy grants everyone ${kind} access in ${listed}`, statements, narrowed };
}

export function assessPublicAccess(bucket: S3Bucket, snapshot: InventorySnapshot, kind: AccessKind): PublicAccessVerdict {
  const acl = aclChannel(bucket, snapshot, kind);
  const policy = policyChannel(bucket, snapshot, kind);
  const verdict = acl.public === true || policy.public === true ? true : acl.public === false && policy.public === false ? false : undefined;
  const account = accountBpa(snapshot);
  return {
    public: verdict,
    acl,
    policy,
    evidence: {
      acl: { public: acl.public ?? 'unknown', detail: acl.detail, ...('grants' in acl && acl.grants?.length ? { grants: acl.grants } : {}) },
      policy: {
        public: policy.public ?? 'unknown',
        detail: policy.detail,
        ...('statements' in policy && policy.statements ? { statements: policy.statements } : {}),
        ...('narrowed' in policy && Array.isArray(policy.narrowed) && policy.narrowed.length ? { narrowed: policy.narrowed } : {}),
      },
      bucketPublicAccessBlock: bucket.publicAccessBlock.value ?? (bucket.publicAccessBlock.error ? 'unknown' : null),
      accountPublicAccessBlock: account.value ?? (account.error ? 'unknown' : null),
    },
  };
}

/** The fix for both public read and public write: Block Public Access, and ACLs off. */
export const PUBLIC_ACCESS_REMEDIATION_TERRAFORM = `resource "aws_s3_bucket_public_access_block" "<name>" {
  bucket                  = aws_s3_bucket.<name>.id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}
resource "aws_s3_bucket_ownership_controls" "<name>" {
  bucket = aws_s3_bucket.<name>.id
  rule {
    object_ownership = "BucketOwnerEnforced" # disables ACLs
  }
}
# and remove the statements with Principal "*" from aws_s3_bucket_policy.<name>`;

/** The verdict of s3_bucket_public_read and s3_bucket_public_write, bucket by bucket. */
export function judgePublicAccess(meta: CheckMetadata, snapshot: InventorySnapshot, kind: AccessKind): Iterable<Finding> {
  const adjective = kind === 'read' ? 'readable' : 'writable';
  return forEachBucket(meta, snapshot, (bucket) => {
    const subject = bucketSubject(bucket);
    const verdict = assessPublicAccess(bucket, snapshot, kind);
    if (verdict.public === true) {
      const open = [verdict.acl, verdict.policy].filter((c) => c.public === true);
      const how = open.map((c) => c.detail).join('; ');
      // Say exactly what is public, as find_public_buckets does (readable: objects; listable: keys).
      const access = new Set(open.flatMap((c) => c.access ?? []));
      const what = kind === 'write' ? adjective : access.has('read') ? (access.has('list') ? 'readable and listable' : 'readable') : 'listable';
      return finding(meta, snapshot, subject, 'fail', `Bucket ${bucket.name} is publicly ${what}: ${how}.`, verdict.evidence);
    }
    if (verdict.public === false) return finding(meta, snapshot, subject, 'pass', `Bucket ${bucket.name} is not publicly ${adjective}: ${verdict.acl.detail}; ${verdict.policy.detail}.`, verdict.evidence);
    const error = verdict.acl.unknown ?? verdict.policy.unknown ?? { code: 'Unknown', message: 'public access could not be determined' };
    return finding(meta, snapshot, subject, 'error', `Could not tell whether bucket ${bucket.name} is publicly ${adjective}: ${error.code}: ${error.message}`, { ...verdict.evidence, error });
  });
}
