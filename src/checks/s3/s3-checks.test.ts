import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from '../../test-support/sandbox.js';
import { auditSandbox } from '../../test-support/audit.js';
import { effectiveBpaSetting } from './buckets.js';

const ACCOUNT = '111122223333';
const ALL_USERS = { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' };
const AUTH_USERS = { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers' };
const OWNER = { Grantee: { Type: 'CanonicalUser', ID: 'owner' }, Permission: 'FULL_CONTROL' };
const BPA_ON = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
const created = '2025-01-01T00:00:00Z';

const policy = (bucket: string, ...statements: object[]) => ({ Version: '2012-10-17', Statement: statements });
const publicGet = (bucket: string, condition?: object) => ({ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*`, ...(condition ? { Condition: condition } : {}) });
const denyPlainHttp = (bucket: string) => ({ Sid: 'TLS', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } });

const buckets = [
  { Name: 'acl-public-read', CreationDate: created, Acl: { Grants: [OWNER, { Grantee: ALL_USERS, Permission: 'READ' }] } },
  { Name: 'acl-public-bucket-bpa', CreationDate: created, Acl: { Grants: [OWNER, { Grantee: ALL_USERS, Permission: 'READ' }] }, PublicAccessBlock: BPA_ON },
  { Name: 'acl-authenticated-write', CreationDate: created, Acl: { Grants: [OWNER, { Grantee: AUTH_USERS, Permission: 'WRITE' }] } },
  { Name: 'acl-owner-only', CreationDate: created, Acl: { Grants: [OWNER] } },
  { Name: 'policy-public', CreationDate: created, Policy: policy('policy-public', publicGet('policy-public')) },
  { Name: 'policy-vpce', CreationDate: created, Policy: policy('policy-vpce', publicGet('policy-vpce', { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } })) },
  { Name: 'policy-public-restricted', CreationDate: created, Policy: policy('policy-public-restricted', publicGet('policy-public-restricted')), PublicAccessBlock: { ...BPA_ON, IgnorePublicAcls: false, BlockPublicAcls: false } },
  {
    Name: 'fully-configured',
    CreationDate: created,
    Policy: policy('fully-configured', denyPlainHttp('fully-configured')),
    PublicAccessBlock: BPA_ON,
    OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] },
    Versioning: { Status: 'Enabled' },
    LoggingEnabled: { TargetBucket: 'acl-owner-only', TargetPrefix: 'logs/' },
  },
  { Name: 'versioning-suspended', CreationDate: created, Versioning: { Status: 'Suspended' }, OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] } },
  { Name: 'tls-only-for-one-principal', CreationDate: created, Policy: policy('x', { ...denyPlainHttp('tls-only-for-one-principal'), Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/app` } }) },
  { Name: 'denied-policy', CreationDate: created, Policy: policy('denied-policy', publicGet('denied-policy')), Versioning: { Status: 'Enabled' } },
];

describe('S3 checks, no account-level Block Public Access', () => {
  const env = useSandbox({ AccountId: ACCOUNT, Regions: { 'us-east-1': {} }, S3: { Buckets: buckets } }, { deny: ['GetBucketPolicy:arn:aws:s3:::denied-policy'] });
  let audit: Awaited<ReturnType<typeof auditSandbox>>;
  beforeAll(async () => {
    audit = await auditSandbox(env.endpoint, { regions: ['us-east-1'], checks: ['s3_bucket_public_read', 's3_bucket_public_write', 's3_bucket_public_access_block', 's3_account_public_access_block', 's3_bucket_secure_transport', 's3_bucket_default_encryption', 's3_bucket_versioning', 's3_bucket_access_logging', 's3_bucket_acls_disabled'] });
  });

  it('finds public read through an AllUsers ACL grant, and not once bucket BPA ignores public ACLs', () => {
    expect(audit.verdict('s3_bucket_public_read', 'acl-public-read').status).toBe('fail');
    expect(audit.verdict('s3_bucket_public_read', 'acl-public-read').message).toContain('AllUsers READ');
    const neutralised = audit.verdict('s3_bucket_public_read', 'acl-public-bucket-bpa');
    expect(neutralised.status).toBe('pass');
    expect(neutralised.message).toContain('IgnorePublicAcls (bucket level)');
  });

  it('finds public read through a policy for "*", not when aws:SourceVpce narrows it, nor when RestrictPublicBuckets is on', () => {
    expect(audit.verdict('s3_bucket_public_read', 'policy-public').status).toBe('fail');
    const vpce = audit.verdict('s3_bucket_public_read', 'policy-vpce');
    expect(vpce.status).toBe('pass');
    expect(vpce.message).toMatch(/narrowed .*aws:SourceVpce/);
    expect(audit.verdict('s3_bucket_public_read', 'policy-public-restricted').status).toBe('pass');
    expect(audit.verdict('s3_bucket_public_read', 'acl-owner-only').status).toBe('pass');
  });

  it('finds public write through an AuthenticatedUsers grant, and not on read-only or owner-only ACLs', () => {
    expect(audit.verdict('s3_bucket_public_write', 'acl-authenticated-write').status).toBe('fail');
    expect(audit.verdict('s3_bucket_public_write', 'acl-authenticated-write').message).toContain('AuthenticatedUsers WRITE');
    expect(audit.verdict('s3_bucket_public_write', 'acl-public-read').status).toBe('pass');
    expect(audit.verdict('s3_bucket_public_write', 'policy-public').status).toBe('pass');
  });

  it('reports an AccessDenied on GetBucketPolicy as error, never pass, and keeps the bucket\'s other verdicts', () => {
    for (const check of ['s3_bucket_public_read', 's3_bucket_public_write', 's3_bucket_secure_transport']) {
      const f = audit.verdict(check, 'denied-policy');
      expect(f.status, check).toBe('error');
      expect(f.message, check).toContain('AccessDenied');
    }
    expect(audit.verdict('s3_bucket_versioning', 'denied-policy').status).toBe('pass');
    expect(audit.errors).toEqual([expect.objectContaining({ service: 's3', operation: 'GetBucketPolicy', resource: 'arn:aws:s3:::denied-policy', code: 'AccessDenied' })]);
  });

  it('judges Block Public Access per bucket and for the account', () => {
    expect(audit.verdict('s3_account_public_access_block', ACCOUNT).status).toBe('fail');
    expect(audit.verdict('s3_bucket_public_access_block', 'fully-configured').status).toBe('pass');
    const partial = audit.verdict('s3_bucket_public_access_block', 'policy-public-restricted');
    expect(partial.status).toBe('fail');
    expect(partial.evidence?.settingsOff).toEqual(['BlockPublicAcls', 'IgnorePublicAcls']);
  });

  it('requires a Deny on plain HTTP for everyone, on the bucket and its objects', () => {
    expect(audit.verdict('s3_bucket_secure_transport', 'fully-configured').status).toBe('pass');
    expect(audit.verdict('s3_bucket_secure_transport', 'acl-owner-only').status).toBe('fail');
    expect(audit.verdict('s3_bucket_secure_transport', 'tls-only-for-one-principal').status).toBe('fail');
  });

  it('checks encryption, versioning, logging and ACL ownership', () => {
    expect(audit.statuses('s3_bucket_default_encryption')['fully-configured']).toBe('pass');
    expect(audit.statuses('s3_bucket_default_encryption')['acl-owner-only']).toBe('fail');
    expect(audit.verdict('s3_bucket_versioning', 'versioning-suspended').message).toContain('suspended');
    expect(audit.verdict('s3_bucket_versioning', 'versioning-suspended').status).toBe('fail');
    expect(audit.verdict('s3_bucket_access_logging', 'fully-configured').status).toBe('pass');
    expect(audit.verdict('s3_bucket_access_logging', 'acl-owner-only').status).toBe('fail');
    expect(audit.verdict('s3_bucket_acls_disabled', 'fully-configured').status).toBe('pass');
    expect(audit.verdict('s3_bucket_acls_disabled', 'versioning-suspended').status).toBe('fail');
  });
});

describe('S3 checks under account-level Block Public Access', () => {
  const env = useSandbox({
    AccountId: ACCOUNT,
    Regions: { 'us-east-1': {} },
    S3: { AccountPublicAccessBlock: BPA_ON, Buckets: buckets.filter((b) => ['acl-public-read', 'policy-public', 'acl-owner-only'].includes(b.Name)) },
  });

  it('neutralises public ACLs and policies, and covers buckets without their own BPA', async () => {
    const audit = await auditSandbox(env.endpoint, { regions: ['us-east-1'], checks: ['s3_bucket_public_read', 's3_account_public_access_block', 's3_bucket_public_access_block'] });
    expect(audit.verdict('s3_bucket_public_read', 'acl-public-read').status).toBe('pass');
    expect(audit.verdict('s3_bucket_public_read', 'acl-public-read').message).toContain('IgnorePublicAcls (account level)');
    expect(audit.verdict('s3_bucket_public_read', 'policy-public').status).toBe('pass');
    expect(audit.verdict('s3_bucket_public_read', 'policy-public').message).toContain('RestrictPublicBuckets (account level)');
    expect(audit.verdict('s3_account_public_access_block', ACCOUNT).status).toBe('pass');
    expect(audit.statuses('s3_bucket_public_access_block')).toEqual({ 'acl-public-read': 'pass', 'policy-public': 'pass', 'acl-owner-only': 'pass' });
  });
});

describe('S3 checks when only IgnorePublicAcls is on for the account', () => {
  const env = useSandbox({
    AccountId: ACCOUNT,
    Regions: { 'us-east-1': {} },
    S3: { AccountPublicAccessBlock: { BlockPublicAcls: false, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false }, Buckets: buckets.filter((b) => ['acl-public-read', 'policy-public'].includes(b.Name)) },
  });

  it('neutralises the ACL grant but not the policy grant', async () => {
    const audit = await auditSandbox(env.endpoint, { regions: ['us-east-1'], checks: ['s3_bucket_public_read'] });
    expect(audit.statuses('s3_bucket_public_read')).toEqual({ 'acl-public-read': 'pass', 'policy-public': 'fail' });
  });
});

describe('Block Public Access as it applies to a bucket', () => {
  // The sandbox cannot deny s3control:GetPublicAccessBlock (its requests name no resource), so the
  // three-valued combination is exercised directly.
  const denied = { error: { code: 'AccessDenied', message: 'denied' } };
  const on = { value: BPA_ON };
  const none = { value: null };

  it('is on when either level turns it on, even if the other could not be read', () => {
    expect(effectiveBpaSetting('IgnorePublicAcls', denied, on)).toMatchObject({ on: true, by: ['bucket'] });
    expect(effectiveBpaSetting('IgnorePublicAcls', on, denied)).toMatchObject({ on: true, by: ['account'] });
  });

  it('is unknown, not off, when it is off where readable and the other level could not be read', () => {
    expect(effectiveBpaSetting('RestrictPublicBuckets', denied, none).on).toBeUndefined();
    expect(effectiveBpaSetting('RestrictPublicBuckets', none, none).on).toBe(false);
  });
});
