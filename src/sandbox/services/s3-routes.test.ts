import { describe, expect, it } from 'vitest';
import * as s3Sdk from '@aws-sdk/client-s3';
import type { SandboxRequest } from '../types.js';
import { bucketFromHost, s3Address, s3Operation, UNKNOWN_SUBRESOURCE, UNSUPPORTED_METHOD } from './s3-routes.js';

function request(method: string, target: string, options: { host?: string; headers?: Record<string, string> } = {}): SandboxRequest {
  const url = new URL(target, 'http://sandbox.invalid');
  return {
    method,
    path: url.pathname,
    query: url.searchParams,
    headers: options.headers ?? {},
    body: Buffer.alloc(0),
    host: options.host ?? '127.0.0.1',
    signingService: 's3',
    region: 'us-east-1',
    requestId: 'test',
  };
}

const operationOf = (req: SandboxRequest) => s3Operation(req, s3Address(req));

/**
 * What a real client sends besides the binding's literal query: the parameters and headers
 * that tell operations sharing a path and subresource apart.
 */
const DISTINGUISHING: Record<string, { query?: string; headers?: Record<string, string> }> = {
  UploadPart: { query: 'partNumber=1&uploadId=u1' },
  UploadPartCopy: { query: 'partNumber=1&uploadId=u1', headers: { 'x-amz-copy-source': 'src/key' } },
  CopyObject: { headers: { 'x-amz-copy-source': 'src/key' } },
  ListParts: { query: 'uploadId=u1' },
  AbortMultipartUpload: { query: 'uploadId=u1' },
  CompleteMultipartUpload: { query: 'uploadId=u1' },
};

describe('S3 routing', () => {
  it('names every operation of the installed SDK from the request the SDK would send', () => {
    let checked = 0;
    for (const [exported, value] of Object.entries(s3Sdk)) {
      if (!exported.endsWith('$') || !Array.isArray(value) || value[0] !== 9) continue;
      const operation = String(value[2]);
      const http = Object.values((value[3] ?? {}) as Record<string, unknown>).find(Array.isArray) as [string, string] | undefined;
      // WriteGetObjectResponse goes to an Object Lambda host, not to a bucket.
      if (!http || operation === 'WriteGetObjectResponse') continue;
      const [method, template] = http;
      const [pathTemplate, literalQuery = ''] = template.split('?') as [string, string?];
      const serviceLevel = operation === 'ListBuckets' || operation === 'ListDirectoryBuckets';
      const path = serviceLevel ? '/' : pathTemplate.replace('/{Key+}', '/some/key.txt').replace(/^\/$/, '').replace(/^/, '/bucket-one');
      const extra = DISTINGUISHING[operation];
      const query = [literalQuery, extra?.query].filter(Boolean).join('&');
      const req = request(method, `${serviceLevel ? '/' : path}${query ? `?${query}` : ''}`, { headers: extra?.headers });
      expect(`${method} ${template} → ${operationOf(req)}`).toBe(`${method} ${template} → ${operation}`);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('does not need the SDK-only x-id to name the plain object operations', () => {
    expect(operationOf(request('GET', '/b1b/key'))).toBe('GetObject');
    expect(operationOf(request('PUT', '/b1b/key'))).toBe('PutObject');
    expect(operationOf(request('DELETE', '/b1b/key'))).toBe('DeleteObject');
    expect(operationOf(request('GET', '/b1b'))).toBe('ListObjects');
  });

  it('never lets x-id turn a write into a read', () => {
    expect(operationOf(request('PUT', '/b1b/key?x-id=GetObject'))).toBe('PutObject');
    expect(operationOf(request('PUT', '/b1b?policy&x-id=GetBucketPolicy'))).toBe('PutBucketPolicy');
  });

  it('treats an unknown valueless parameter as an unknown subresource, and ignores one with a value', () => {
    expect(operationOf(request('GET', '/b1b?crownJewels'))).toBe(UNKNOWN_SUBRESOURCE);
    expect(operationOf(request('GET', '/b1b/key?crownJewels'))).toBe(UNKNOWN_SUBRESOURCE);
    expect(operationOf(request('GET', '/b1b/key?cacheBuster=123'))).toBe('GetObject');
    expect(operationOf(request('GET', '/b1b?list-type=2&prefix=&delimiter=%2F'))).toBe('ListObjectsV2');
  });

  it('answers methods S3 does not have, and writes to the service root, as unsupported', () => {
    expect(operationOf(request('PATCH', '/b1b/key'))).toBe(UNSUPPORTED_METHOD);
    expect(operationOf(request('OPTIONS', '/b1b'))).toBe(UNSUPPORTED_METHOD);
    expect(operationOf(request('PUT', '/'))).toBe(UNSUPPORTED_METHOD);
    expect(operationOf(request('POST', '/b1b/key'))).toBe(UNSUPPORTED_METHOD);
  });

  it('addresses path style and virtual-host style alike', () => {
    expect(s3Address(request('GET', '/my-bucket/a/b%20c.txt'))).toEqual({ bucket: 'my-bucket', key: 'a/b c.txt', virtualHost: false });
    expect(s3Address(request('GET', '/a/b%20c.txt', { host: 'my-bucket.localhost' }))).toEqual({ bucket: 'my-bucket', key: 'a/b c.txt', virtualHost: true });
    expect(s3Address(request('GET', '/', { host: 'my-bucket.localhost' }))).toEqual({ bucket: 'my-bucket', key: undefined, virtualHost: true });
    expect(s3Address(request('GET', '/my-bucket/'))).toEqual({ bucket: 'my-bucket', key: undefined, virtualHost: false });
    expect(s3Address(request('GET', '/'))).toEqual({ virtualHost: false });
  });

  it.each([
    ['my-bucket.localhost', 'my-bucket'],
    ['my.dotted.bucket.localhost', 'my.dotted.bucket'],
    ['my-bucket.s3.localhost', 'my-bucket'],
    ['my-bucket.s3.eu-west-1.localhost', 'my-bucket'],
    ['my-bucket.s3.eu-west-1.amazonaws.com', 'my-bucket'],
    ['my-bucket.s3.amazonaws.com', 'my-bucket'],
    ['my-bucket.127.0.0.1', 'my-bucket'],
    ['my-bucket.127.0.0.1.nip.io', 'my-bucket'],
    ['localhost', undefined],
    ['s3.localhost', undefined],
    ['s3.eu-west-1.localhost', undefined],
    ['s3.amazonaws.com', undefined],
    ['127.0.0.1', undefined],
    ['[::1]', undefined],
    ['sandbox.internal', undefined],
  ])('reads Host %s as bucket %s', (host, bucket) => {
    expect(bucketFromHost(host)).toBe(bucket);
  });
});
