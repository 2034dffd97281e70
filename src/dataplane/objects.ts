/**
 * Listing and reading S3 objects of the allowed buckets: the scope decides what may be
 * touched (and refuses the state bucket), the guarded client is the second layer, listing
 * pages by S3's own continuation token, and reading fetches one byte range, never more than
 * the cap, whatever the server sends.
 */
import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { InfraAuditError } from '../errors.js';
import { awsErrorName, awsErrorToInfraAuditError } from '../aws/errors.js';
import type { ServerSession } from '../server/session.js';
import type { DataPlaneScope } from './scope.js';
import { hexPreview, sniff } from './sniff.js';

export const DEFAULT_READ_BYTES = 16 * 1024;
/** Fits the server's text result cap with room for the fence and the header. */
export const MAX_READ_BYTES = 48 * 1024;

// ---------------------------------------------------------------- cursors

/** The S3 continuation token, bound to the query that produced it (as src/server/pagination.ts binds offsets). */
export function encodeListCursor(key: string, token: string): string {
  return Buffer.from(JSON.stringify({ k: key, t: token })).toString('base64url');
}

export function decodeListCursor(cursor: string | undefined, key: string): string | undefined {
  if (!cursor) return undefined;
  let parsed: { k?: unknown; t?: unknown } | undefined;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { k?: unknown; t?: unknown };
  } catch {
    parsed = undefined;
  }
  if (!parsed || typeof parsed.t !== 'string' || !parsed.t) {
    throw new InfraAuditError('INVALID_INPUT', 'cursor is not a cursor this server issued', { hint: 'omit cursor to start from the first page, or pass nextCursor from the previous result unchanged' });
  }
  if (parsed.k !== key) {
    throw new InfraAuditError('INVALID_INPUT', 'cursor belongs to a different query (other tool or other filters)', { hint: 'repeat the same arguments as the call that returned this cursor, or omit cursor to start over' });
  }
  return parsed.t;
}

// ---------------------------------------------------------------- listing

export interface ListedObject {
  key: string;
  size: number;
  lastModified?: string;
  storageClass?: string;
}

export interface ObjectListing {
  bucket: string;
  prefix: string;
  objects: ListedObject[];
  /** Common prefixes ("folders") when listing one level. */
  folders: string[];
  nextCursor?: string;
}

export async function listObjects(
  session: ServerSession,
  scope: DataPlaneScope,
  args: { bucket: string; prefix?: string; recursive?: boolean; limit: number; cursor?: string },
  queryKey: string,
): Promise<ObjectListing> {
  const prefix = scope.listingPrefix(args.bucket, args.prefix ?? '', session.protectedBuckets);
  const token = decodeListCursor(args.cursor, queryKey);
  try {
    const res = await session.client('s3').send(
      new ListObjectsV2Command({
        Bucket: args.bucket,
        Prefix: prefix || undefined,
        Delimiter: args.recursive ? undefined : '/',
        MaxKeys: args.limit,
        ContinuationToken: token,
      }),
    );
    return {
      bucket: args.bucket,
      prefix,
      objects: (res.Contents ?? []).map((o) => ({
        key: o.Key ?? '',
        size: o.Size ?? 0,
        ...(o.LastModified ? { lastModified: o.LastModified.toISOString() } : {}),
        ...(o.StorageClass ? { storageClass: o.StorageClass } : {}),
      })),
      folders: (res.CommonPrefixes ?? []).map((p) => p.Prefix ?? '').filter(Boolean),
      ...(res.IsTruncated && res.NextContinuationToken ? { nextCursor: encodeListCursor(queryKey, res.NextContinuationToken) } : {}),
    };
  } catch (err) {
    throw objectError(err, args.bucket, undefined, 's3:ListObjectsV2');
  }
}

// ---------------------------------------------------------------- reading

export interface ObjectRead {
  bucket: string;
  key: string;
  size: number;
  contentType?: string;
  lastModified?: string;
  etag?: string;
  /** The bytes this result covers, inclusive; absent for an empty object. */
  range?: { start: number; end: number };
  /** More bytes follow: read again from nextOffset. */
  truncated: boolean;
  nextOffset?: number;
  kind: 'text' | 'binary';
  text?: string;
  binaryReason?: string;
  hexPreview?: string;
  sha256OfRange?: string;
}

function objectError(err: unknown, bucket: string, key: string | undefined, call: string): InfraAuditError {
  const name = awsErrorName(err);
  if (name === 'NoSuchBucket') return new InfraAuditError('NOT_FOUND', `bucket "${bucket}" does not exist`, { hint: 'call list_data_sources for the allowed buckets' });
  if (name === 'NoSuchKey' || name === 'NotFound') {
    return new InfraAuditError('NOT_FOUND', `object "${key}" does not exist in bucket "${bucket}"`, { hint: 'call list_files for the keys' });
  }
  if (name === 'PreconditionFailed') return new InfraAuditError('AWS_ERROR', `object "${key}" changed while it was read`, { hint: 'read it again' });
  return awsErrorToInfraAuditError(err, call);
}

/** At most `max` bytes of a body, whatever the server sends; the rest is not downloaded. */
async function readCapped(body: unknown, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  const stream = body as Readable & AsyncIterable<Uint8Array>;
  for await (const chunk of stream) {
    chunks.push(Buffer.from(chunk));
    total += chunk.length;
    if (total >= max) break;
  }
  stream.destroy?.();
  return Buffer.concat(chunks).subarray(0, max);
}

export async function readObject(
  session: ServerSession,
  scope: DataPlaneScope,
  args: { bucket: string; key: string; offset?: number; length?: number },
): Promise<ObjectRead> {
  scope.assertObjectReadable(args.bucket, args.key, session.protectedBuckets);
  const s3 = session.client('s3');
  let head;
  try {
    head = await s3.send(new HeadObjectCommand({ Bucket: args.bucket, Key: args.key }));
  } catch (err) {
    throw objectError(err, args.bucket, args.key, 's3:HeadObject');
  }
  const size = head.ContentLength ?? 0;
  const meta = {
    bucket: args.bucket,
    key: args.key,
    size,
    ...(head.ContentType ? { contentType: head.ContentType } : {}),
    ...(head.LastModified ? { lastModified: head.LastModified.toISOString() } : {}),
    ...(head.ETag ? { etag: head.ETag } : {}),
  };
  const offset = args.offset ?? 0;
  if (size === 0) return { ...meta, truncated: false, kind: 'text', text: '' };
  if (offset >= size) {
    throw new InfraAuditError('INVALID_INPUT', `offset ${offset} is past the end of "${args.key}" (${size} bytes)`, { hint: `use an offset below ${size}` });
  }
  const length = Math.min(args.length ?? DEFAULT_READ_BYTES, MAX_READ_BYTES);
  const end = Math.min(size - 1, offset + length - 1);
  let bytes: Buffer;
  try {
    // IfMatch: the bytes belong to the version HeadObject described.
    const res = await s3.send(new GetObjectCommand({ Bucket: args.bucket, Key: args.key, Range: `bytes=${offset}-${end}`, ...(head.ETag ? { IfMatch: head.ETag } : {}) }));
    // A server that ignores Range sends the whole object from byte 0: skip to the offset.
    const full = res.ContentRange === undefined && offset > 0;
    const raw = await readCapped(res.Body, full ? end + 1 : end - offset + 1);
    bytes = full ? raw.subarray(offset) : raw;
  } catch (err) {
    throw objectError(err, args.bucket, args.key, 's3:GetObject');
  }
  const lastByte = offset + bytes.length - 1;
  const sniffed = sniff(bytes, { contentType: head.ContentType, atStart: offset === 0, atEnd: lastByte >= size - 1 });
  if (sniffed.kind === 'binary') {
    return {
      ...meta,
      range: { start: offset, end: lastByte },
      truncated: lastByte < size - 1,
      ...(lastByte < size - 1 ? { nextOffset: lastByte + 1 } : {}),
      kind: 'binary',
      binaryReason: sniffed.reason,
      hexPreview: hexPreview(bytes),
      sha256OfRange: createHash('sha256').update(bytes).digest('hex'),
    };
  }
  const start = offset + sniffed.skippedStart;
  const stop = lastByte - sniffed.skippedEnd;
  return {
    ...meta,
    range: { start, end: stop },
    truncated: stop < size - 1,
    ...(stop < size - 1 ? { nextOffset: stop + 1 } : {}),
    kind: 'text',
    text: sniffed.text,
  };
}
