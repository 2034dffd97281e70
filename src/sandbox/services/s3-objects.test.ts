import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import {
  S3Client,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  paginateListObjectsV2,
  type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3';
import { useSandbox, fetchStats, opCount, rejection } from '../../test-support/sandbox.js';

const CHARLIE_KEYS = [
  'logs/0001.log',
  'logs/0002.log',
  'logs/0003.log',
  'logs/0004.log',
  'logs/0005.log',
  'raw/a.bin',
  'raw/big.dat',
  'readme.txt',
  'reports/2025/dec.csv',
  'reports/2026/feb.csv',
  'reports/2026/jan.csv',
  'z-last.txt',
];
const ODD_KEY = 'docs/report 2026 (final)+ü.txt';

const md5 = (data: Uint8Array | string) => createHash('md5').update(data).digest('hex');


describe('sandbox S3: ListObjectsV2', () => {
  const env = useSandbox('s3-account.json');
  const s3 = () => new S3Client(env.config('s3'));

  it('pages with paginateListObjectsV2, one request per page, keys in order', async () => {
    const before = opCount(await fetchStats(env.endpoint), 's3', 'ListObjectsV2');
    const pages: ListObjectsV2CommandOutput[] = [];
    for await (const page of paginateListObjectsV2({ client: s3(), pageSize: 5 }, { Bucket: 'charlie-data' })) pages.push(page);
    expect(pages.map((p) => p.KeyCount)).toEqual([5, 5, 2]);
    expect(pages.map((p) => p.IsTruncated)).toEqual([true, true, false]);
    expect(pages.flatMap((p) => (p.Contents ?? []).map((c) => c.Key))).toEqual(CHARLIE_KEYS);
    expect(pages[1]!.ContinuationToken).toBe(pages[0]!.NextContinuationToken);
    expect(opCount(await fetchStats(env.endpoint), 's3', 'ListObjectsV2') - before).toBe(3);
  });

  it('groups keys under CommonPrefixes with a delimiter', async () => {
    const out = await s3().send(new ListObjectsV2Command({ Bucket: 'charlie-data', Delimiter: '/' }));
    expect(out.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['logs/', 'raw/', 'reports/']);
    expect(out.Contents?.map((c) => c.Key)).toEqual(['readme.txt', 'z-last.txt']);
    expect(out.KeyCount).toBe(5);
    const nested = await s3().send(new ListObjectsV2Command({ Bucket: 'charlie-data', Prefix: 'reports/', Delimiter: '/' }));
    expect(nested.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['reports/2025/', 'reports/2026/']);
    expect(nested.Contents).toBeUndefined();
    expect(nested.Prefix).toBe('reports/');
  });

  it('pages across common prefixes without listing a prefix twice', async () => {
    const items: string[] = [];
    for await (const page of paginateListObjectsV2({ client: s3(), pageSize: 2 }, { Bucket: 'charlie-data', Delimiter: '/' })) {
      items.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix!), ...(page.Contents ?? []).map((c) => c.Key!));
    }
    expect(items.sort()).toEqual(['logs/', 'raw/', 'readme.txt', 'reports/', 'z-last.txt']);
  });

  it('starts after StartAfter and filters by Prefix', async () => {
    const after = await s3().send(new ListObjectsV2Command({ Bucket: 'charlie-data', StartAfter: 'readme.txt' }));
    expect(after.Contents?.map((c) => c.Key)).toEqual(CHARLIE_KEYS.slice(CHARLIE_KEYS.indexOf('readme.txt') + 1));
    expect(after.StartAfter).toBe('readme.txt');
    const prefixed = await s3().send(new ListObjectsV2Command({ Bucket: 'charlie-data', Prefix: 'raw/' }));
    expect(prefixed.Contents?.map((c) => c.Key)).toEqual(['raw/a.bin', 'raw/big.dat']);
  });

  it('describes each object: ETag, size, storage class, last-modified', async () => {
    const out = await s3().send(new ListObjectsV2Command({ Bucket: 'charlie-data', Prefix: 'r' }));
    const byKey = new Map(out.Contents?.map((c) => [c.Key, c]));
    expect(byKey.get('readme.txt')).toMatchObject({ Size: 20, ETag: `"${md5('0123456789abcdefghij')}"`, StorageClass: 'STANDARD' });
    expect(byKey.get('raw/a.bin')).toMatchObject({ Size: 6, StorageClass: 'STANDARD_IA' });
    expect(byKey.get('raw/big.dat')?.Size).toBe(1_000_000);
    expect(byKey.get('raw/big.dat')?.ETag).toMatch(/^"[0-9a-f]{32}-1"$/);
    // An object without LastModified was written when its bucket was created.
    expect(byKey.get('readme.txt')?.LastModified?.toISOString()).toBe('2024-05-03T12:00:00.000Z');
    expect(byKey.get('readme.txt')?.Owner).toBeUndefined();
    const withOwner = await s3().send(new ListObjectsV2Command({ Bucket: 'charlie-data', Prefix: 'readme', FetchOwner: true }));
    expect(withOwner.Contents?.[0]?.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
  });

  it('percent-encodes keys when asked with EncodingType url, and not otherwise', async () => {
    const plain = await s3().send(new ListObjectsV2Command({ Bucket: 'bravo-public-site', Prefix: 'docs/' }));
    expect(plain.Contents?.map((c) => c.Key)).toEqual([ODD_KEY]);
    const encoded = await s3().send(new ListObjectsV2Command({ Bucket: 'bravo-public-site', Prefix: 'docs/', EncodingType: 'url' }));
    expect(encoded.Contents?.map((c) => decodeURIComponent(c.Key!))).toEqual([ODD_KEY]);
    expect(encoded.Contents?.[0]?.Key).not.toBe(ODD_KEY);
  });

  it('rejects a continuation token it did not issue and a negative MaxKeys', async () => {
    const token = await rejection(s3().send(new ListObjectsV2Command({ Bucket: 'charlie-data', ContinuationToken: 'garbage' })));
    expect(token.name).toBe('InvalidArgument');
    const maxKeys = await rejection(s3().send(new ListObjectsV2Command({ Bucket: 'charlie-data', MaxKeys: -1 })));
    expect(maxKeys.name).toBe('InvalidArgument');
    expect(maxKeys.$metadata.httpStatusCode).toBe(400);
  });
});

describe('sandbox S3: GetObject and HeadObject', () => {
  const env = useSandbox('s3-account.json');
  const s3 = () => new S3Client(env.config('s3'));
  const get = async (Bucket: string, Key: string, Range?: string) => {
    const out = await s3().send(new GetObjectCommand({ Bucket, Key, Range }));
    return { out, bytes: Buffer.from(await out.Body!.transformToByteArray()) };
  };

  it('returns a UTF-8 body with its ETag, length, type, date, metadata and encryption', async () => {
    const { out, bytes } = await get('bravo-public-site', 'index.html');
    expect(bytes.toString('utf8')).toBe('<html><body>Hello, sandbox.</body></html>');
    expect(out.ETag).toBe(`"${md5(bytes)}"`);
    expect(out.ContentLength).toBe(bytes.length);
    expect(out.ContentType).toBe('text/html');
    expect(out.LastModified?.toISOString()).toBe('2025-01-15T08:00:00.000Z');
    expect(out.Metadata).toEqual({ 'owner-team': 'web' });
    expect(out.ServerSideEncryption).toBeUndefined();
    const encrypted = await get('charlie-data', 'readme.txt');
    expect(encrypted.out.ServerSideEncryption).toBe('aws:kms');
    expect(encrypted.out.SSEKMSKeyId).toBe('arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(encrypted.out.ContentType).toBe('binary/octet-stream');
  });

  it('returns binary, empty and oddly named objects byte for byte', async () => {
    expect([...(await get('charlie-data', 'raw/a.bin')).bytes]).toEqual([0, 1, 2, 3, 254, 255]);
    const empty = await get('bravo-public-site', 'empty.txt');
    expect([empty.bytes.length, empty.out.ContentLength]).toEqual([0, 0]);
    expect((await get('bravo-public-site', ODD_KEY)).bytes.toString('utf8')).toBe('odd key');
  });

  it('generates the same bytes for a synthetic object every time, consistent across ranges', async () => {
    const full = await get('charlie-data', 'raw/big.dat');
    expect(full.bytes.length).toBe(1_000_000);
    expect(full.out.ContentLength).toBe(1_000_000);
    expect(new Set(full.bytes.subarray(0, 4096)).size).toBeGreaterThan(200);
    const range = await get('charlie-data', 'raw/big.dat', 'bytes=500000-500099');
    expect(range.bytes.equals(full.bytes.subarray(500_000, 500_100))).toBe(true);
    expect(range.out.ContentRange).toBe('bytes 500000-500099/1000000');
    expect((await get('charlie-data', 'raw/big.dat')).bytes.equals(full.bytes)).toBe(true);
  });

  it.each([
    ['bytes=5-9', '56789', 'bytes 5-9/20'],
    ['bytes=15-', 'fghij', 'bytes 15-19/20'],
    ['bytes=-4', 'ghij', 'bytes 16-19/20'],
    ['bytes=18-100', 'ij', 'bytes 18-19/20'],
    ['bytes=19-30', 'j', 'bytes 19-19/20'],
  ])('serves Range %s as 206 %s', async (range, body, contentRange) => {
    const { out, bytes } = await get('charlie-data', 'readme.txt', range);
    expect(bytes.toString('utf8')).toBe(body);
    expect(out.$metadata.httpStatusCode).toBe(206);
    expect(out.ContentRange).toBe(contentRange);
    expect(out.ContentLength).toBe(body.length);
  });

  it('answers a Range past the end with 416 InvalidRange', async () => {
    const err = await rejection(s3().send(new GetObjectCommand({ Bucket: 'charlie-data', Key: 'readme.txt', Range: 'bytes=20-30' })));
    expect(err.name).toBe('InvalidRange');
    expect(err.$metadata.httpStatusCode).toBe(416);
  });

  it('gives NoSuchKey for a missing key, naming it', async () => {
    const err = await rejection(s3().send(new GetObjectCommand({ Bucket: 'charlie-data', Key: 'reports/2027/jan.csv' })));
    expect(err.name).toBe('NoSuchKey');
    expect(err.$metadata.httpStatusCode).toBe(404);
    expect(err.Key).toBe('reports/2027/jan.csv');
  });

  it('answers HeadObject with the object headers and no body', async () => {
    const head = await s3().send(new HeadObjectCommand({ Bucket: 'charlie-data', Key: 'readme.txt' }));
    expect(head.ContentLength).toBe(20);
    expect(head.ETag).toBe(`"${md5('0123456789abcdefghij')}"`);
    expect(head.LastModified?.toISOString()).toBe('2024-05-03T12:00:00.000Z');
  });

  it('answers HeadObject on a missing key with a bare 404, which the SDK names NotFound', async () => {
    const err = await rejection(s3().send(new HeadObjectCommand({ Bucket: 'charlie-data', Key: 'missing.txt' })));
    expect(err.name).toBe('NotFound');
    expect(err.$metadata.httpStatusCode).toBe(404);
  });
});

describe('sandbox S3: virtual-host addressing', () => {
  const env = useSandbox('s3-account.json');

  /** A client that puts the bucket in the Host header, recording the hosts it used. */
  function virtualHostClient(hosts: string[]): S3Client {
    const client = new S3Client({ ...env.config('s3'), forcePathStyle: false, endpoint: `http://localhost:${env.sandbox.port}` });
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { hostname?: string; path?: string };
        hosts.push(`${request.hostname}${request.path}`);
        return next(args);
      },
      { step: 'finalizeRequest' },
    );
    return client;
  }

  it('serves bucket and object operations addressed as bucket.localhost', async () => {
    const hosts: string[] = [];
    const s3 = virtualHostClient(hosts);
    const listing = await s3.send(new ListObjectsV2Command({ Bucket: 'charlie-data', Prefix: 'reports/2026/' }));
    expect(listing.Contents?.map((c) => c.Key)).toEqual(['reports/2026/feb.csv', 'reports/2026/jan.csv']);
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'charlie-data' }))).LocationConstraint).toBe('eu-west-1');
    expect((await s3.send(new GetBucketPolicyCommand({ Bucket: 'bravo-public-site' }))).Policy).toContain('PublicRead');
    const object = await s3.send(new GetObjectCommand({ Bucket: 'bravo-public-site', Key: ODD_KEY }));
    expect(await object.Body!.transformToString()).toBe('odd key');
    expect(hosts[0]).toBe('charlie-data.localhost/');
    expect(hosts[3]).toMatch(/^bravo-public-site\.localhost\/docs\/report/);
  });

  it('gives NoSuchBucket for an unknown bucket in the Host header', async () => {
    const err = await rejection(virtualHostClient([]).send(new ListObjectsV2Command({ Bucket: 'zulu-missing' })));
    expect(err.name).toBe('NoSuchBucket');
  });

  it.each([
    ['charlie-data.s3.localhost', '/readme.txt'],
    ['charlie-data.s3.eu-west-1.localhost', '/readme.txt'],
    ['charlie-data.127.0.0.1', '/readme.txt'],
    ['127.0.0.1', '/charlie-data/readme.txt'],
    ['s3.localhost', '/charlie-data/readme.txt'],
  ])('reads Host %s with path %s as charlie-data/readme.txt', async (host, path) => {
    const { status, body } = await rawGet(env.sandbox.port, host, path);
    expect(status).toBe(200);
    expect(body).toBe('0123456789abcdefghij');
  });

  it('reads an IP host as path style: /readme.txt is a bucket, not a key', async () => {
    const { status, body } = await rawGet(env.sandbox.port, '127.0.0.1', '/readme.txt?list-type=2');
    expect(status).toBe(404);
    expect(body).toContain('<Code>NoSuchBucket</Code>');
  });
});

/** A GET with a chosen Host header, which fetch does not allow. */
function rawGet(port: number, host: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        headers: {
          host,
          authorization: 'AWS4-HMAC-SHA256 Credential=AKIASANDBOXTEST00000/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}
