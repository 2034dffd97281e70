/**
 * S3 objects: their bytes (a UTF-8 body, a base64 body, or deterministic synthetic bytes of
 * a given size), ETags, byte ranges, and the ListObjectsV2 walk over sorted keys.
 */
import { createHash } from 'node:crypto';
import type { SandboxBucket, SandboxS3Object } from '../account/model.js';
import { AwsError } from '../types.js';

/** Synthetic objects larger than this are served by Range only: the sandbox holds bodies in memory. */
export const MAX_SYNTHETIC_FULL_BODY = 64 * 1024 * 1024;

interface ObjectIndex {
  /** Objects sorted by key in UTF-8 byte order, as S3 lists them. */
  sorted: SandboxS3Object[];
  byKey: Map<string, SandboxS3Object>;
}

const indexes = new WeakMap<SandboxBucket, ObjectIndex>();

const compareKeys = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

function objectIndex(bucket: SandboxBucket): ObjectIndex {
  let index = indexes.get(bucket);
  if (!index) {
    const sorted = [...(bucket.Objects ?? [])].sort((a, b) => compareKeys(a.Key, b.Key));
    index = { sorted, byKey: new Map(sorted.map((o) => [o.Key, o])) };
    indexes.set(bucket, index);
  }
  return index;
}

export function findObject(bucket: SandboxBucket, key: string): SandboxS3Object | undefined {
  return objectIndex(bucket).byKey.get(key);
}

/** The stored bytes of an object that has a body (not a synthetic one). */
function storedBody(object: SandboxS3Object): Buffer | undefined {
  if (object.Body !== undefined) return Buffer.from(object.Body, 'utf8');
  if (object.BodyBase64 !== undefined) return Buffer.from(object.BodyBase64, 'base64');
  return undefined;
}

const bodies = new WeakMap<SandboxS3Object, Buffer | undefined>();

function cachedBody(object: SandboxS3Object): Buffer | undefined {
  if (!bodies.has(object)) bodies.set(object, storedBody(object));
  return bodies.get(object);
}

export function objectSize(object: SandboxS3Object): number {
  return cachedBody(object)?.length ?? object.Size ?? 0;
}

const etags = new WeakMap<SandboxS3Object, string>();

/**
 * The quoted ETag: the MD5 of the body, as S3 gives single-part uploads. A synthetic object
 * gets a multipart-style ETag ("…-1"), which S3 clients already know is not the content MD5.
 */
export function objectETag(object: SandboxS3Object): string {
  let etag = etags.get(object);
  if (!etag) {
    const body = cachedBody(object);
    etag = body
      ? `"${createHash('md5').update(body).digest('hex')}"`
      : `"${createHash('md5').update(`synthetic:${object.Key}:${object.Size ?? 0}`).digest('hex')}-1"`;
    etags.set(object, etag);
  }
  return etag;
}

/**
 * Bytes [start, end] of a synthetic object: a mulberry32 stream keyed by the object key.
 * Its state advances by a constant, so any offset is reachable without generating the prefix.
 */
function syntheticBytes(key: string, start: number, end: number): Buffer {
  const seed = createHash('sha256').update(key).digest().readUInt32BE(0);
  const out = Buffer.alloc(end - start + 1);
  for (let i = start; i <= end; i++) {
    const word = Math.floor(i / 4);
    let t = (seed + Math.imul(word + 1, 0x6d2b79f5)) >>> 0;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    t = (t ^ (t >>> 14)) >>> 0;
    out[i - start] = (t >>> ((i % 4) * 8)) & 0xff;
  }
  return out;
}

/** Bytes [start, end] (inclusive) of the object. */
export function objectBytes(object: SandboxS3Object, start: number, end: number): Buffer {
  const body = cachedBody(object);
  if (body) return body.subarray(start, end + 1);
  if (end - start + 1 > MAX_SYNTHETIC_FULL_BODY)
    throw new AwsError({
      code: 'InvalidRequest',
      message: `The sandbox serves synthetic objects larger than ${MAX_SYNTHETIC_FULL_BODY} bytes by Range only.`,
      status: 400,
    });
  return syntheticBytes(object.Key, start, end);
}

export type RangeResult = { kind: 'full' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

/**
 * An HTTP Range header against an object of `size` bytes (RFC 9110 §14). S3 serves one range;
 * a header it cannot parse, or a multi-range request, gets the whole object.
 */
export function parseRange(header: string | undefined, size: number): RangeResult {
  if (header === undefined) return { kind: 'full' };
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return { kind: 'full' };
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return { kind: 'full' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end };
}

// ---------------------------------------------------------------- ListObjectsV2

export interface ListObjectsV2Params {
  prefix: string;
  delimiter: string;
  maxKeys: number;
  startAfter: string;
  continuationToken?: string;
}

export interface ListObjectsV2Page {
  contents: SandboxS3Object[];
  commonPrefixes: string[];
  isTruncated: boolean;
  nextContinuationToken?: string;
}

/** The token is opaque to clients; it carries the last key (or common prefix) returned. */
function encodeToken(after: string, isPrefix: boolean): string {
  return Buffer.from(JSON.stringify({ a: after, p: isPrefix }), 'utf8').toString('base64url');
}

function decodeToken(token: string): { after: string; isPrefix: boolean } {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && typeof (value as { a: unknown }).a === 'string')
      return { after: (value as { a: string }).a, isPrefix: (value as { p?: unknown }).p === true };
  } catch {
    // fall through to the error S3 gives for a token it did not issue
  }
  throw new AwsError({ code: 'InvalidArgument', message: 'The continuation token provided is incorrect', status: 400, extra: { ArgumentName: 'continuation-token' } });
}

export function listObjectsV2(bucket: SandboxBucket, params: ListObjectsV2Params): ListObjectsV2Page {
  const { prefix, delimiter, maxKeys } = params;
  let after = params.startAfter;
  let skipPrefix: string | undefined;
  if (params.continuationToken !== undefined) {
    const token = decodeToken(params.continuationToken);
    after = token.after;
    if (token.isPrefix) skipPrefix = token.after;
  }
  const contents: SandboxS3Object[] = [];
  const commonPrefixes: string[] = [];
  const page: ListObjectsV2Page = { contents, commonPrefixes, isTruncated: false };
  let last: { value: string; isPrefix: boolean } | undefined;
  for (const object of objectIndex(bucket).sorted) {
    const key = object.Key;
    if (!key.startsWith(prefix) || (after && compareKeys(key, after) <= 0)) continue;
    if (skipPrefix !== undefined && key.startsWith(skipPrefix)) continue;
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    const commonPrefix = cut >= 0 ? key.slice(0, cut + delimiter.length) : undefined;
    if (commonPrefix !== undefined && commonPrefix === last?.value) continue;
    if (contents.length + commonPrefixes.length >= maxKeys) {
      page.isTruncated = maxKeys > 0;
      break;
    }
    if (commonPrefix !== undefined) {
      commonPrefixes.push(commonPrefix);
      last = { value: commonPrefix, isPrefix: true };
    } else {
      contents.push(object);
      last = { value: key, isPrefix: false };
    }
  }
  if (page.isTruncated && last) page.nextContinuationToken = encodeToken(last.value, last.isPrefix);
  return page;
}
