/**
 * S3 over REST-XML: bucket configuration reads, ListBuckets, ListObjectsV2, GetObject and
 * HeadObject, addressed path style (/bucket/key) or virtual-host style (bucket.localhost).
 */
import { createHash } from 'node:crypto';
import type { SandboxAccount, SandboxBucket } from '../account/model.js';
import { escapeXml, flat, list, xmlDocument, type XmlValue } from '../protocol/xml.js';
import { AwsError, type AwsErrorSpec, type SandboxRequest, type SandboxResponse, type ServiceContext, type ServiceModule } from '../types.js';
import { bucketPolicyIsPublic } from '../../policy/index.js';
import { listObjectsV2, objectSize, objectBytes, objectETag, parseRange, findObject } from './s3-objects.js';
import { s3Address, s3Operation, unknownS3Operation, type S3Address } from './s3-routes.js';
import { sdkOperations } from './sdk-operations.js';

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

const BUCKET_READS = [
  'GetBucketLocation',
  'GetBucketPolicy',
  'GetBucketPolicyStatus',
  'GetBucketAcl',
  'GetPublicAccessBlock',
  'GetBucketOwnershipControls',
  'GetBucketEncryption',
  'GetBucketVersioning',
  'GetBucketLogging',
  'GetBucketTagging',
  'ListObjectsV2',
] as const;
const OBJECT_READS = ['GetObject', 'HeadObject'] as const;

/** IAM action names that differ from the operation name (for AccessDenied messages). */
const IAM_ACTIONS: Record<string, string> = {
  ListBuckets: 'ListAllMyBuckets',
  ListObjectsV2: 'ListBucket',
  ListObjects: 'ListBucket',
  HeadObject: 'GetObject',
  HeadBucket: 'ListBucket',
  GetPublicAccessBlock: 'GetBucketPublicAccessBlock',
  PutPublicAccessBlock: 'PutBucketPublicAccessBlock',
  DeletePublicAccessBlock: 'PutBucketPublicAccessBlock',
  GetBucketEncryption: 'GetEncryptionConfiguration',
  PutBucketEncryption: 'PutEncryptionConfiguration',
  DeleteBucketEncryption: 'PutEncryptionConfiguration',
  DeleteObjects: 'DeleteObject',
  CopyObject: 'PutObject',
  CreateMultipartUpload: 'PutObject',
  UploadPart: 'PutObject',
  CompleteMultipartUpload: 'PutObject',
};

// ---------------------------------------------------------------- account lookups

const bucketIndexes = new WeakMap<SandboxAccount, Map<string, SandboxBucket>>();

function findBucket(account: SandboxAccount, name: string): SandboxBucket | undefined {
  let index = bucketIndexes.get(account);
  if (!index) {
    index = new Map((account.S3?.Buckets ?? []).map((b) => [b.Name, b]));
    bucketIndexes.set(account, index);
  }
  return index.get(name);
}

/** The account's canonical user id: 64 hex characters, stable per account. */
export function canonicalUserId(accountId: string): string {
  return createHash('sha256').update(`canonical-user:${accountId}`).digest('hex');
}

const noSuchBucket = (bucket: string): AwsErrorSpec => ({
  code: 'NoSuchBucket',
  message: 'The specified bucket does not exist',
  status: 404,
  extra: { BucketName: bucket },
});

const invalidArgument = (name: string, value: string, message: string): AwsErrorSpec => ({
  code: 'InvalidArgument',
  message,
  status: 400,
  extra: { ArgumentName: name, ArgumentValue: value },
});

function requireBucket(ctx: ServiceContext, address: S3Address): SandboxBucket {
  const bucket = findBucket(ctx.account, address.bucket!);
  if (!bucket) throw new AwsError(noSuchBucket(address.bucket!));
  return bucket;
}

function notConfigured(code: string, message: string, bucket: string): never {
  throw new AwsError({ code, message, status: 404, extra: { BucketName: bucket } });
}

// ---------------------------------------------------------------- responses

function xmlResponse(root: string, value: XmlValue, req: SandboxRequest): SandboxResponse {
  return { status: 200, headers: { 'content-type': 'application/xml', 'x-amz-id-2': hostId(req) }, body: xmlDocument(root, value, { xmlns: XMLNS }) };
}

/** S3's extended request id (x-amz-id-2, HostId): opaque, so derived from the request id. */
export const hostId = (req: SandboxRequest) => createHash('sha256').update(req.requestId).digest('base64');

function intParam(query: URLSearchParams, name: string, min: number, max: number, fallback: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  if (!/^-?\d+$/.test(raw)) throw new AwsError(invalidArgument(name, raw, `Provided ${name} not an integer or within integer range`));
  const value = Number(raw);
  if (value < min || value > max) throw new AwsError(invalidArgument(name, raw, `Argument ${name} must be an integer between ${min} and ${max}`));
  return value;
}

function listBuckets(req: SandboxRequest, ctx: ServiceContext): SandboxResponse {
  const maxBuckets = intParam(req.query, 'max-buckets', 1, 10_000, 10_000);
  const prefix = req.query.get('prefix') ?? '';
  const region = req.query.get('bucket-region');
  let after = '';
  const token = req.query.get('continuation-token');
  if (token !== null) {
    after = Buffer.from(token, 'base64url').toString('utf8');
    if (!after || Buffer.from(after, 'utf8').toString('base64url') !== token)
      throw new AwsError(invalidArgument('continuation-token', token, 'The continuation token provided is incorrect'));
  }
  const matching = [...(ctx.account.S3?.Buckets ?? [])]
    .filter((b) => b.Name.startsWith(prefix) && (!region || b.Region === region) && b.Name > after)
    .sort((a, b) => (a.Name < b.Name ? -1 : 1));
  const page = matching.slice(0, maxBuckets);
  const truncated = matching.length > page.length;
  return xmlResponse(
    'ListAllMyBucketsResult',
    {
      Buckets: list(
        'Bucket',
        page.map((b) => ({ Name: b.Name, CreationDate: b.CreationDate, BucketRegion: b.Region })),
      ),
      Owner: { ID: canonicalUserId(ctx.account.AccountId) },
      ContinuationToken: truncated ? Buffer.from(page[page.length - 1]!.Name, 'utf8').toString('base64url') : undefined,
      Prefix: req.query.has('prefix') ? prefix : undefined,
    },
    req,
  );
}

function grantXml(grant: { Grantee: { Type: string; ID?: string; DisplayName?: string; URI?: string; EmailAddress?: string }; Permission: string }): string {
  const g = grant.Grantee;
  const fields = { ID: g.ID, DisplayName: g.DisplayName, EmailAddress: g.EmailAddress, URI: g.URI };
  const inner = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<${k}>${escapeXml(v!)}</${k}>`)
    .join('');
  // Grantee's type is an XML attribute, which the element writer does not produce.
  return `<Grant><Grantee xmlns:xsi="${XSI}" xsi:type="${escapeXml(g.Type)}">${inner}</Grantee><Permission>${escapeXml(grant.Permission)}</Permission></Grant>`;
}

function bucketAcl(req: SandboxRequest, ctx: ServiceContext, bucket: SandboxBucket): SandboxResponse {
  const owner = bucket.Acl?.Owner ?? { ID: canonicalUserId(ctx.account.AccountId) };
  const grants = bucket.Acl?.Grants ?? [{ Grantee: { Type: 'CanonicalUser' as const, ...owner }, Permission: 'FULL_CONTROL' as const }];
  const ownerXml = `<Owner><ID>${escapeXml(owner.ID)}</ID>${owner.DisplayName ? `<DisplayName>${escapeXml(owner.DisplayName)}</DisplayName>` : ''}</Owner>`;
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<AccessControlPolicy xmlns="${XMLNS}">${ownerXml}<AccessControlList>${grants.map(grantXml).join('')}</AccessControlList></AccessControlPolicy>`;
  return { status: 200, headers: { 'content-type': 'application/xml', 'x-amz-id-2': hostId(req) }, body };
}

const policyText = (policy: NonNullable<SandboxBucket['Policy']>) => (typeof policy === 'string' ? policy : JSON.stringify(policy));

function serveBucket(req: SandboxRequest, operation: string, ctx: ServiceContext, bucket: SandboxBucket): SandboxResponse {
  const name = bucket.Name;
  switch (operation) {
    case 'GetBucketLocation':
      // us-east-1 is the one region S3 reports as an empty LocationConstraint.
      return xmlResponse('LocationConstraint', bucket.Region === 'us-east-1' ? '' : bucket.Region, req);
    case 'GetBucketPolicy':
      if (bucket.Policy === undefined) notConfigured('NoSuchBucketPolicy', 'The bucket policy does not exist', name);
      return { status: 200, headers: { 'content-type': 'application/json', 'x-amz-id-2': hostId(req) }, body: policyText(bucket.Policy) };
    case 'GetBucketPolicyStatus':
      if (bucket.Policy === undefined) notConfigured('NoSuchBucketPolicy', 'The bucket policy does not exist', name);
      return xmlResponse('PolicyStatus', { IsPublic: bucketPolicyIsPublic(bucket.Policy, ctx.account.AccountId) }, req);
    case 'GetBucketAcl':
      return bucketAcl(req, ctx, bucket);
    case 'GetPublicAccessBlock':
      if (!bucket.PublicAccessBlock)
        notConfigured('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', name);
      return xmlResponse('PublicAccessBlockConfiguration', { ...bucket.PublicAccessBlock }, req);
    case 'GetBucketOwnershipControls':
      if (!bucket.OwnershipControls) notConfigured('OwnershipControlsNotFoundError', 'The bucket ownership controls were not found', name);
      return xmlResponse('OwnershipControls', { Rule: flat(bucket.OwnershipControls.Rules.map((r) => ({ ObjectOwnership: r.ObjectOwnership }))) }, req);
    case 'GetBucketEncryption': {
      const sse = bucket.ServerSideEncryptionConfiguration;
      if (!sse)
        notConfigured('ServerSideEncryptionConfigurationNotFoundError', 'The server side encryption configuration was not found', name);
      const rules = sse.Rules.map((r) => ({
        ApplyServerSideEncryptionByDefault: r.ApplyServerSideEncryptionByDefault && { ...r.ApplyServerSideEncryptionByDefault },
        BucketKeyEnabled: r.BucketKeyEnabled,
      }));
      return xmlResponse('ServerSideEncryptionConfiguration', { Rule: flat(rules) }, req);
    }
    case 'GetBucketVersioning':
      return xmlResponse('VersioningConfiguration', { Status: bucket.Versioning?.Status, MfaDelete: bucket.Versioning?.MFADelete }, req);
    case 'GetBucketLogging':
      return xmlResponse('BucketLoggingStatus', { LoggingEnabled: bucket.LoggingEnabled && { ...bucket.LoggingEnabled } }, req);
    case 'GetBucketTagging':
      if (!bucket.Tags?.length) notConfigured('NoSuchTagSet', 'The TagSet does not exist', name);
      return xmlResponse('Tagging', { TagSet: list('Tag', bucket.Tags.map((t) => ({ Key: t.Key, Value: t.Value }))) }, req);
    case 'ListObjectsV2':
      return serveListObjectsV2(req, ctx, bucket);
    default:
      throw new AwsError(unknownS3Operation(operation));
  }
}

function serveListObjectsV2(req: SandboxRequest, ctx: ServiceContext, bucket: SandboxBucket): SandboxResponse {
  const q = req.query;
  const maxKeys = intParam(q, 'max-keys', 0, 2 ** 31 - 1, 1000);
  const encodingType = q.get('encoding-type');
  if (encodingType !== null && encodingType !== 'url')
    throw new AwsError(invalidArgument('encoding-type', encodingType, 'Invalid Encoding Method specified in Request'));
  // With encoding-type=url, S3 percent-encodes the key-like fields so any byte survives XML.
  const enc = (s: string | undefined) => (s === undefined || encodingType !== 'url' ? s : encodeURIComponent(s).replace(/%2F/g, '/'));
  const params = {
    prefix: q.get('prefix') ?? '',
    delimiter: q.get('delimiter') ?? '',
    maxKeys: Math.min(maxKeys, 1000),
    startAfter: q.get('start-after') ?? '',
    continuationToken: q.get('continuation-token') ?? undefined,
  };
  const page = listObjectsV2(bucket, params);
  const owner = q.get('fetch-owner') === 'true' ? { ID: canonicalUserId(ctx.account.AccountId) } : undefined;
  const fallbackDate = bucket.CreationDate;
  return xmlResponse(
    'ListBucketResult',
    {
      Name: bucket.Name,
      Prefix: enc(params.prefix),
      Delimiter: params.delimiter ? enc(params.delimiter) : undefined,
      MaxKeys: maxKeys,
      EncodingType: encodingType ?? undefined,
      KeyCount: page.contents.length + page.commonPrefixes.length,
      IsTruncated: page.isTruncated,
      ContinuationToken: params.continuationToken,
      NextContinuationToken: page.nextContinuationToken,
      StartAfter: q.has('start-after') ? enc(params.startAfter) : undefined,
      Contents: flat(
        page.contents.map((o) => ({
          Key: enc(o.Key),
          LastModified: o.LastModified ?? fallbackDate,
          ETag: objectETag(o),
          Size: objectSize(o),
          Owner: owner,
          StorageClass: o.StorageClass ?? 'STANDARD',
        })),
      ),
      CommonPrefixes: flat(page.commonPrefixes.map((p) => ({ Prefix: enc(p) }))),
    },
    req,
  );
}

function serveObject(req: SandboxRequest, operation: string, bucket: SandboxBucket, key: string): SandboxResponse {
  const object = findObject(bucket, key);
  if (!object) throw new AwsError({ code: 'NoSuchKey', message: 'The specified key does not exist.', status: 404, extra: { Key: key } });
  const size = objectSize(object);
  const headers: Record<string, string> = {
    'content-type': object.ContentType ?? 'binary/octet-stream',
    etag: objectETag(object),
    'last-modified': new Date(object.LastModified ?? bucket.CreationDate).toUTCString(),
    'accept-ranges': 'bytes',
    'x-amz-id-2': hostId(req),
  };
  for (const [name, value] of Object.entries(object.Metadata ?? {})) headers[`x-amz-meta-${name.toLowerCase()}`] = value;
  if (object.StorageClass && object.StorageClass !== 'STANDARD') headers['x-amz-storage-class'] = object.StorageClass;
  const sse = bucket.ServerSideEncryptionConfiguration?.Rules[0]?.ApplyServerSideEncryptionByDefault;
  if (sse) {
    headers['x-amz-server-side-encryption'] = sse.SSEAlgorithm;
    if (sse.KMSMasterKeyID) headers['x-amz-server-side-encryption-aws-kms-key-id'] = sse.KMSMasterKeyID;
  }
  const rangeHeader = req.headers.range;
  const range = parseRange(Array.isArray(rangeHeader) ? rangeHeader[0] : rangeHeader, size);
  if (range.kind === 'unsatisfiable')
    throw new AwsError({
      code: 'InvalidRange',
      message: 'The requested range is not satisfiable',
      status: 416,
      extra: { RangeRequested: String(rangeHeader), ActualObjectSize: String(size) },
    });
  if (operation === 'HeadObject' || range.kind === 'full') {
    headers['content-length'] = String(size);
    return { status: 200, headers, body: operation === 'HeadObject' || size === 0 ? undefined : objectBytes(object, 0, size - 1) };
  }
  headers['content-range'] = `bytes ${range.start}-${range.end}/${size}`;
  return { status: 206, headers, body: objectBytes(object, range.start, range.end) };
}

// ---------------------------------------------------------------- the module

/**
 * An S3-family error: S3 answers a bare <Error>; S3 Control wraps it in <ErrorResponse>
 * with the request ids outside. The SDK's REST-XML deserializer reads both.
 */
export function restXmlError(req: SandboxRequest, error: AwsErrorSpec, envelope: 'Error' | 'ErrorResponse'): SandboxResponse {
  const extra = Object.entries(error.extra ?? {})
    .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
    .join('');
  const inner = `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>${extra}`;
  const ids = `<RequestId>${req.requestId}</RequestId><HostId>${hostId(req)}</HostId>`;
  const body =
    envelope === 'Error'
      ? `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${inner}${ids}</Error>`
      : `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error>${inner}</Error>${ids}</ErrorResponse>`;
  return { status: error.status, headers: { 'content-type': 'application/xml', 'x-amz-id-2': hostId(req) }, body };
}

export const s3Module: ServiceModule = {
  name: 's3',
  protocol: 'REST-XML',
  readOperations: new Set<string>(['ListBuckets', ...BUCKET_READS, ...OBJECT_READS]),
  matches: (req) => req.signingService === 's3',
  identify(req) {
    const address = s3Address(req);
    const operation = s3Operation(req, address);
    if (address.bucket === undefined) return { operation, resources: [] };
    const resource = address.key === undefined ? `arn:aws:s3:::${address.bucket}` : `arn:aws:s3:::${address.bucket}/${address.key}`;
    return { operation, resources: [resource] };
  },
  serve(req, operation, ctx) {
    const expectedOwner = req.headers['x-amz-expected-bucket-owner'];
    if (expectedOwner !== undefined && expectedOwner !== ctx.account.AccountId)
      throw new AwsError({ code: 'AccessDenied', message: 'Access Denied', status: 403 });
    if (operation === 'ListBuckets') return listBuckets(req, ctx);
    const address = s3Address(req);
    const bucket = requireBucket(ctx, address);
    if (address.key !== undefined) return serveObject(req, operation, bucket, address.key);
    return serveBucket(req, operation, ctx, bucket);
  },
  renderError: (req, error) => restXmlError(req, error, 'Error'),
  accessDenied: (operation, resource, ctx) => {
    const action = `s3:${IAM_ACTIONS[operation] ?? operation}`;
    const on = resource ? ` on resource: "${resource}"` : '';
    return {
      code: 'AccessDenied',
      message: `User: ${ctx.account.CallerIdentity!.Arn} is not authorized to perform: ${action}${on} because no identity-based policy allows the ${action} action`,
      status: 403,
    };
  },
  throttled: () => ({ code: 'SlowDown', message: 'Please reduce your request rate.', status: 503 }),
  isKnownOperation: async (operation) => (await sdkOperations('@aws-sdk/client-s3')).has(operation),
  unknownOperation: unknownS3Operation,
};
