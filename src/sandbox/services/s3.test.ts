import { describe, expect, it } from 'vitest';
import {
  S3Client,
  DeleteBucketCommand,
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectCommand,
  paginateListBuckets,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { useSandbox, fetchStats, opCount, rejection } from '../../test-support/sandbox.js';

const FIXTURE = 's3-account.json';
const ALL_BUCKETS = ['alpha-logs', 'bravo-public-site', 'charlie-data', 'delta-archive', 'echo-vpce-only'];


describe('sandbox S3: buckets', () => {
  const env = useSandbox(FIXTURE);
  const s3 = () => new S3Client(env.config('s3'));

  it('lists every bucket with its region and the account owner', async () => {
    const out = await s3().send(new ListBucketsCommand({}));
    expect(out.Buckets?.map((b) => b.Name)).toEqual(ALL_BUCKETS);
    expect(out.Buckets?.find((b) => b.Name === 'charlie-data')?.BucketRegion).toBe('eu-west-1');
    expect(out.Buckets?.[0]?.CreationDate?.toISOString()).toBe('2024-03-01T10:00:00.000Z');
    expect(out.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    expect(out.ContinuationToken).toBeUndefined();
  });

  it('pages ListBuckets two at a time, one request per page', async () => {
    const before = opCount(await fetchStats(env.endpoint), 's3', 'ListBuckets');
    const pages: string[][] = [];
    for await (const page of paginateListBuckets({ client: s3(), pageSize: 2 }, {})) pages.push((page.Buckets ?? []).map((b) => b.Name!));
    expect(pages).toEqual([ALL_BUCKETS.slice(0, 2), ALL_BUCKETS.slice(2, 4), ALL_BUCKETS.slice(4)]);
    expect(opCount(await fetchStats(env.endpoint), 's3', 'ListBuckets') - before).toBe(3);
  });

  it('filters ListBuckets by Prefix and BucketRegion', async () => {
    const byPrefix = await s3().send(new ListBucketsCommand({ Prefix: 'charlie' }));
    expect(byPrefix.Buckets?.map((b) => b.Name)).toEqual(['charlie-data']);
    expect(byPrefix.Prefix).toBe('charlie');
    const byRegion = await s3().send(new ListBucketsCommand({ BucketRegion: 'eu-west-1' }));
    expect(byRegion.Buckets?.map((b) => b.Name)).toEqual(['charlie-data', 'delta-archive']);
  });

  it('rejects a ListBuckets continuation token it did not issue', async () => {
    const err = await rejection(s3().send(new ListBucketsCommand({ ContinuationToken: '!!not-a-token!!' })));
    expect(err.name).toBe('InvalidArgument');
    expect(err.$metadata.httpStatusCode).toBe(400);
  });

  it('reports us-east-1 as an empty LocationConstraint and other regions by name', async () => {
    expect((await s3().send(new GetBucketLocationCommand({ Bucket: 'alpha-logs' }))).LocationConstraint).toBeUndefined();
    expect((await s3().send(new GetBucketLocationCommand({ Bucket: 'charlie-data' }))).LocationConstraint).toBe('eu-west-1');
  });

  it('returns the bucket policy as the JSON text AWS stores, object or string in the account file', async () => {
    const bravo = await s3().send(new GetBucketPolicyCommand({ Bucket: 'bravo-public-site' }));
    expect(JSON.parse(bravo.Policy!).Statement[0].Principal).toBe('*');
    const charlie = await s3().send(new GetBucketPolicyCommand({ Bucket: 'charlie-data' }));
    expect(JSON.parse(charlie.Policy!).Statement[0].Principal).toEqual({ AWS: 'arn:aws:iam::111122223333:root' });
  });

  it('calls a policy granting to everyone public, and one pinned to an account or VPC endpoint not', async () => {
    const status = async (Bucket: string) => (await s3().send(new GetBucketPolicyStatusCommand({ Bucket }))).PolicyStatus?.IsPublic;
    expect(await status('bravo-public-site')).toBe(true);
    expect(await status('charlie-data')).toBe(false);
    expect(await status('echo-vpce-only')).toBe(false);
  });

  it('returns the configured ACL, grantee types included', async () => {
    const acl = await s3().send(new GetBucketAclCommand({ Bucket: 'bravo-public-site' }));
    expect(acl.Grants).toEqual([
      { Grantee: { Type: 'CanonicalUser', ID: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' }, Permission: 'FULL_CONTROL' },
      { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' },
    ]);
  });

  it('gives a bucket without an ACL the default: the owner with FULL_CONTROL', async () => {
    const acl = await s3().send(new GetBucketAclCommand({ Bucket: 'alpha-logs' }));
    expect(acl.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    expect(acl.Grants).toEqual([{ Grantee: { Type: 'CanonicalUser', ID: acl.Owner!.ID }, Permission: 'FULL_CONTROL' }]);
  });

  it('returns the configured bucket settings', async () => {
    const client = s3();
    const pab = await client.send(new GetPublicAccessBlockCommand({ Bucket: 'bravo-public-site' }));
    expect(pab.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false });
    const pabOn = await client.send(new GetPublicAccessBlockCommand({ Bucket: 'charlie-data' }));
    expect(pabOn.PublicAccessBlockConfiguration?.RestrictPublicBuckets).toBe(true);
    const ownership = await client.send(new GetBucketOwnershipControlsCommand({ Bucket: 'charlie-data' }));
    expect(ownership.OwnershipControls?.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
    const sse = await client.send(new GetBucketEncryptionCommand({ Bucket: 'charlie-data' }));
    expect(sse.ServerSideEncryptionConfiguration?.Rules).toEqual([
      {
        ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
        BucketKeyEnabled: true,
      },
    ]);
    const versioning = await client.send(new GetBucketVersioningCommand({ Bucket: 'charlie-data' }));
    expect([versioning.Status, versioning.MFADelete]).toEqual(['Enabled', 'Disabled']);
    expect((await client.send(new GetBucketVersioningCommand({ Bucket: 'delta-archive' }))).Status).toBe('Suspended');
    const logging = await client.send(new GetBucketLoggingCommand({ Bucket: 'charlie-data' }));
    expect(logging.LoggingEnabled).toEqual({ TargetBucket: 'alpha-logs', TargetPrefix: 'charlie-data/' });
    const tagging = await client.send(new GetBucketTaggingCommand({ Bucket: 'bravo-public-site' }));
    expect(tagging.TagSet).toEqual([
      { Key: 'team', Value: 'web' },
      { Key: 'data-classification', Value: 'public' },
    ]);
  });

  it('answers never-enabled versioning and disabled logging with empty configurations, not errors', async () => {
    const versioning = await s3().send(new GetBucketVersioningCommand({ Bucket: 'alpha-logs' }));
    expect([versioning.Status, versioning.MFADelete]).toEqual([undefined, undefined]);
    const logging = await s3().send(new GetBucketLoggingCommand({ Bucket: 'alpha-logs' }));
    expect(logging.LoggingEnabled).toBeUndefined();
    expect(logging.$metadata.httpStatusCode).toBe(200);
  });

  it('checks ExpectedBucketOwner: this account is served, another is denied', async () => {
    const own = await s3().send(new GetBucketVersioningCommand({ Bucket: 'charlie-data', ExpectedBucketOwner: '111122223333' }));
    expect(own.Status).toBe('Enabled');
    const err = await rejection(s3().send(new GetBucketVersioningCommand({ Bucket: 'charlie-data', ExpectedBucketOwner: '444455556666' })));
    expect(err.name).toBe('AccessDenied');
    expect(err.$metadata.httpStatusCode).toBe(403);
  });

  it.each([
    ['GetBucketPolicy', () => new GetBucketPolicyCommand({ Bucket: 'alpha-logs' }), 'NoSuchBucketPolicy'],
    ['GetBucketPolicyStatus', () => new GetBucketPolicyStatusCommand({ Bucket: 'alpha-logs' }), 'NoSuchBucketPolicy'],
    ['GetPublicAccessBlock', () => new GetPublicAccessBlockCommand({ Bucket: 'alpha-logs' }), 'NoSuchPublicAccessBlockConfiguration'],
    ['GetBucketOwnershipControls', () => new GetBucketOwnershipControlsCommand({ Bucket: 'alpha-logs' }), 'OwnershipControlsNotFoundError'],
    ['GetBucketEncryption', () => new GetBucketEncryptionCommand({ Bucket: 'alpha-logs' }), 'ServerSideEncryptionConfigurationNotFoundError'],
    ['GetBucketTagging', () => new GetBucketTaggingCommand({ Bucket: 'alpha-logs' }), 'NoSuchTagSet'],
  ] as const)('%s on a bucket without that configuration gives %s (404)', async (_op, command, name) => {
    const err = await rejection(s3().send(command() as never));
    expect(err.name).toBe(name);
    expect(err.$metadata.httpStatusCode).toBe(404);
    expect(err.BucketName).toBe('alpha-logs');
  });

  it.each([
    ['GetBucketPolicy', () => new GetBucketPolicyCommand({ Bucket: 'no-such-bucket' })],
    ['GetBucketAcl', () => new GetBucketAclCommand({ Bucket: 'no-such-bucket' })],
    ['GetBucketVersioning', () => new GetBucketVersioningCommand({ Bucket: 'no-such-bucket' })],
    ['ListObjectsV2', () => new ListObjectsV2Command({ Bucket: 'no-such-bucket' })],
    ['GetObject', () => new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'index.html' })],
  ] as const)('%s on a bucket that does not exist gives NoSuchBucket', async (_op, command) => {
    const err = await rejection(s3().send(command() as never));
    expect(err.name).toBe('NoSuchBucket');
    expect(err.$metadata.httpStatusCode).toBe(404);
  });
});

describe('sandbox S3: refusals and unknown requests', () => {
  const env = useSandbox(FIXTURE, { deny: ['arn:aws:s3:::charlie-data'] });
  const s3 = () => new S3Client(env.config('s3'));

  it.each([
    ['PutBucketPolicy', () => new PutBucketPolicyCommand({ Bucket: 'alpha-logs', Policy: '{"Version":"2012-10-17","Statement":[]}' })],
    ['DeleteBucket', () => new DeleteBucketCommand({ Bucket: 'alpha-logs' })],
    ['PutObject', () => new PutObjectCommand({ Bucket: 'alpha-logs', Key: 'new.txt', Body: 'data' })],
  ] as const)('refuses %s with AccessDenied and counts it as a refused write', async (operation, command) => {
    const before = await fetchStats(env.endpoint);
    const err = await rejection(s3().send(command() as never));
    expect(err.name).toBe('AccessDenied');
    expect(err.$metadata.httpStatusCode).toBe(403);
    expect(err.message).toContain('arn:aws:s3:::alpha-logs');
    const after = await fetchStats(env.endpoint);
    expect(opCount(after, 's3', operation) - opCount(before, 's3', operation)).toBe(1);
    expect(after.faults.refusedWrites - before.faults.refusedWrites).toBe(1);
  });

  it('does not serve the refused write: the bucket is unchanged', async () => {
    await rejection(s3().send(new PutObjectCommand({ Bucket: 'alpha-logs', Key: 'new.txt', Body: 'data' })));
    const listing = await s3().send(new ListObjectsV2Command({ Bucket: 'alpha-logs' }));
    expect(listing.KeyCount).toBe(0);
  });

  it('answers an unknown subresource with NotImplemented, not with the plain read of the path', async () => {
    const before = await fetchStats(env.endpoint);
    const res = await fetch(`${env.endpoint}/alpha-logs?crownJewels`, { headers: signedAs('s3') });
    expect(res.status).toBe(501);
    expect(await res.text()).toContain('<Code>NotImplemented</Code>');
    const after = await fetchStats(env.endpoint);
    expect(after.faults.unknownOperations - before.faults.unknownOperations).toBe(1);
    // Near miss: the same path with a known subresource is served.
    const known = await fetch(`${env.endpoint}/alpha-logs?versioning`, { headers: signedAs('s3') });
    expect(known.status).toBe(200);
  });

  it('answers a method S3 does not have with MethodNotAllowed', async () => {
    const res = await fetch(`${env.endpoint}/alpha-logs/x`, { method: 'PATCH', headers: signedAs('s3') });
    expect(res.status).toBe(405);
    expect(await res.text()).toContain('<Code>MethodNotAllowed</Code>');
  });

  it('answers a malformed percent-encoding with InvalidURI in the S3 error shape', async () => {
    const res = await fetch(`${env.endpoint}/alpha-logs/%E0%A4%A`, { headers: signedAs('s3') });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/^<\?xml[^>]*>\s*<Error><Code>InvalidURI<\/Code>/);
  });

  it('denies the --deny bucket and its bucket operations, and only that bucket', async () => {
    const before = await fetchStats(env.endpoint);
    const err = await rejection(s3().send(new GetBucketPolicyCommand({ Bucket: 'charlie-data' })));
    expect(err.name).toBe('AccessDenied');
    expect(err.message).toContain('s3:GetBucketPolicy on resource: "arn:aws:s3:::charlie-data"');
    const listErr = await rejection(s3().send(new ListObjectsV2Command({ Bucket: 'charlie-data' })));
    expect(listErr.message).toContain('s3:ListBucket ');
    expect((await fetchStats(env.endpoint)).faults.denied - before.faults.denied).toBe(2);
    const other = await s3().send(new GetBucketPolicyCommand({ Bucket: 'bravo-public-site' }));
    expect(other.Policy).toContain('PublicRead');
  });

  it('does not extend a bucket --deny to its objects, as IAM does not', async () => {
    const readme = await s3().send(new GetObjectCommand({ Bucket: 'charlie-data', Key: 'readme.txt' }));
    expect(await readme.Body!.transformToString()).toBe('0123456789abcdefghij');
  });
});

describe('sandbox S3: object --deny', () => {
  const env = useSandbox(FIXTURE, { deny: ['arn:aws:s3:::charlie-data/reports/*'] });
  const s3 = () => new S3Client(env.config('s3'));

  it('denies objects under the denied ARN, and serves the bucket and its other objects', async () => {
    const err = await rejection(s3().send(new GetObjectCommand({ Bucket: 'charlie-data', Key: 'reports/2026/jan.csv' })));
    expect(err.name).toBe('AccessDenied');
    expect(err.message).toContain('"arn:aws:s3:::charlie-data/reports/2026/jan.csv"');
    const readme = await s3().send(new GetObjectCommand({ Bucket: 'charlie-data', Key: 'readme.txt' }));
    expect(await readme.Body!.transformToString()).toBe('0123456789abcdefghij');
    expect((await s3().send(new ListObjectsV2Command({ Bucket: 'charlie-data', Prefix: 'reports/' }))).KeyCount).toBe(3);
  });
});

/** Headers of an S3-signed request, for raw requests the SDK cannot make. */
function signedAs(service: string): Record<string, string> {
  return { authorization: `AWS4-HMAC-SHA256 Credential=AKIASANDBOXTEST00000/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0` };
}

describe('sandbox S3: faults', () => {
  describe('throttleRate 1', () => {
    const env = useSandbox(FIXTURE, { throttleRate: 1 });
    it('answers SlowDown (503) and counts it', async () => {
      const err = await rejection(new S3Client(env.config('s3', { maxAttempts: 1 })).send(new ListBucketsCommand({})));
      expect(err.name).toBe('SlowDown');
      expect(err.$metadata.httpStatusCode).toBe(503);
      expect((await fetchStats(env.endpoint)).faults.throttled).toBeGreaterThanOrEqual(1);
    });
  });

  describe('errorRate 1', () => {
    const env = useSandbox(FIXTURE, { errorRate: 1 });
    it('answers InternalError (500), which the SDK surfaces as a server fault', async () => {
      const err = await rejection(new S3Client(env.config('s3', { maxAttempts: 1 })).send(new GetBucketAclCommand({ Bucket: 'alpha-logs' })));
      expect(err.name).toBe('InternalError');
      expect(err.$metadata.httpStatusCode).toBe(500);
      expect(err.$fault).toBe('server');
    });
  });

  describe('seeded throttling', () => {
    const first = useSandbox(FIXTURE, { throttleRate: 0.5, seed: 20260101 });
    const second = useSandbox(FIXTURE, { throttleRate: 0.5, seed: 20260101 });
    const other = useSandbox(FIXTURE, { throttleRate: 0.5, seed: 7 });

    async function outcomes(env: typeof first): Promise<string> {
      const client = new S3Client(env.config('s3', { maxAttempts: 1 }));
      let sequence = '';
      for (let i = 0; i < 20; i++) {
        const ok = await client.send(new GetBucketLocationCommand({ Bucket: 'charlie-data' })).then(
          () => true,
          (err: { name: string }) => {
            if (err.name !== 'SlowDown') throw err;
            return false;
          },
        );
        sequence += ok ? '.' : 'T';
      }
      return sequence;
    }

    it('replays the same outcomes from the same seed, and different ones from another seed', async () => {
      const a = await outcomes(first);
      const b = await outcomes(second);
      expect(a).toBe(b);
      expect(a).toMatch(/T/);
      expect(a).toMatch(/\./);
      expect(await outcomes(other)).not.toBe(a);
    });
  });
});
