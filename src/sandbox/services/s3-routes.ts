/**
 * S3 request routing: which bucket and key a request addresses (path style or virtual-host
 * style), and which S3 operation it is, from the method and the subresource in the query.
 *
 * The table names every operation of the S3 API, writes included, because a sandbox that
 * misnames a write as a read would serve it. `s3-routes.test.ts` checks it against the
 * HTTP bindings of the installed `@aws-sdk/client-s3`.
 */
import { AwsError, type AwsErrorSpec, type SandboxRequest } from '../types.js';

export interface S3Address {
  bucket?: string;
  key?: string;
  /** True when the bucket came from the Host header. */
  virtualHost: boolean;
}

// Hosts that carry no bucket themselves: s3.localhost, s3.eu-west-1.localhost, s3.amazonaws.com, ...
const BARE_S3_HOST = /^s3(?:[.-][a-z0-9-]+)*\.(?:localhost|amazonaws\.com)$/;
const VHOST_PATTERNS = [
  /^(.+)\.s3(?:[.-][a-z0-9-]+)*\.(?:localhost|amazonaws\.com)$/,
  /^(.+)\.localhost$/,
  // bucket.127.0.0.1, and the wildcard-DNS names that resolve to an embedded IP.
  /^(.+)\.(?:\d{1,3}\.){3}\d{1,3}(?:\.nip\.io|\.sslip\.io)?$/,
];

/** The bucket a Host header names, or undefined when the request is path style. */
export function bucketFromHost(host: string): string | undefined {
  const h = host.toLowerCase();
  if (h.startsWith('[') || /^(?:\d{1,3}\.){3}\d{1,3}$/.test(h) || BARE_S3_HOST.test(h)) return undefined;
  for (const pattern of VHOST_PATTERNS) {
    const m = pattern.exec(h);
    if (m) return m[1];
  }
  return undefined;
}

function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new AwsError({ code: 'InvalidURI', message: "Couldn't parse the specified URI.", status: 400 });
  }
}

export function s3Address(req: SandboxRequest): S3Address {
  const hostBucket = bucketFromHost(req.host);
  if (hostBucket !== undefined) {
    const rest = req.path.slice(1);
    return { bucket: hostBucket, key: rest ? decodePathPart(rest) : undefined, virtualHost: true };
  }
  const path = req.path.slice(1);
  if (!path) return { virtualHost: false };
  const slash = path.indexOf('/');
  if (slash < 0) return { bucket: decodePathPart(path), virtualHost: false };
  const key = path.slice(slash + 1);
  return { bucket: decodePathPart(path.slice(0, slash)), key: key ? decodePathPart(key) : undefined, virtualHost: false };
}

/** A subresource's operation, or a choice among operations sharing it. */
type Route = string | ((req: SandboxRequest) => string);

/** Configuration families share a subresource: one with an `id` is a get, without one a list. */
const getOrList =
  (get: string, list: string): Route =>
  (req) => {
    const xId = req.query.get('x-id');
    if (xId === get || xId === list) return xId;
    return req.query.has('id') ? get : list;
  };

const BUCKET_ROUTES: Record<string, Record<string, Route>> = {
  GET: {
    abac: 'GetBucketAbac',
    accelerate: 'GetBucketAccelerateConfiguration',
    acl: 'GetBucketAcl',
    analytics: getOrList('GetBucketAnalyticsConfiguration', 'ListBucketAnalyticsConfigurations'),
    cors: 'GetBucketCors',
    encryption: 'GetBucketEncryption',
    'intelligent-tiering': getOrList('GetBucketIntelligentTieringConfiguration', 'ListBucketIntelligentTieringConfigurations'),
    inventory: getOrList('GetBucketInventoryConfiguration', 'ListBucketInventoryConfigurations'),
    lifecycle: 'GetBucketLifecycleConfiguration',
    location: 'GetBucketLocation',
    logging: 'GetBucketLogging',
    metadataConfiguration: 'GetBucketMetadataConfiguration',
    metadataTable: 'GetBucketMetadataTableConfiguration',
    metrics: getOrList('GetBucketMetricsConfiguration', 'ListBucketMetricsConfigurations'),
    notification: 'GetBucketNotificationConfiguration',
    'object-lock': 'GetObjectLockConfiguration',
    ownershipControls: 'GetBucketOwnershipControls',
    policy: 'GetBucketPolicy',
    policyStatus: 'GetBucketPolicyStatus',
    publicAccessBlock: 'GetPublicAccessBlock',
    replication: 'GetBucketReplication',
    requestPayment: 'GetBucketRequestPayment',
    session: 'CreateSession',
    tagging: 'GetBucketTagging',
    uploads: 'ListMultipartUploads',
    versioning: 'GetBucketVersioning',
    versions: 'ListObjectVersions',
    website: 'GetBucketWebsite',
  },
  PUT: {
    abac: 'PutBucketAbac',
    accelerate: 'PutBucketAccelerateConfiguration',
    acl: 'PutBucketAcl',
    analytics: 'PutBucketAnalyticsConfiguration',
    cors: 'PutBucketCors',
    encryption: 'PutBucketEncryption',
    'intelligent-tiering': 'PutBucketIntelligentTieringConfiguration',
    inventory: 'PutBucketInventoryConfiguration',
    lifecycle: 'PutBucketLifecycleConfiguration',
    logging: 'PutBucketLogging',
    metadataAnnotationTable: 'UpdateBucketMetadataAnnotationTableConfiguration',
    metadataInventoryTable: 'UpdateBucketMetadataInventoryTableConfiguration',
    metadataJournalTable: 'UpdateBucketMetadataJournalTableConfiguration',
    metrics: 'PutBucketMetricsConfiguration',
    notification: 'PutBucketNotificationConfiguration',
    'object-lock': 'PutObjectLockConfiguration',
    ownershipControls: 'PutBucketOwnershipControls',
    policy: 'PutBucketPolicy',
    publicAccessBlock: 'PutPublicAccessBlock',
    replication: 'PutBucketReplication',
    requestPayment: 'PutBucketRequestPayment',
    tagging: 'PutBucketTagging',
    versioning: 'PutBucketVersioning',
    website: 'PutBucketWebsite',
  },
  DELETE: {
    analytics: 'DeleteBucketAnalyticsConfiguration',
    cors: 'DeleteBucketCors',
    encryption: 'DeleteBucketEncryption',
    'intelligent-tiering': 'DeleteBucketIntelligentTieringConfiguration',
    inventory: 'DeleteBucketInventoryConfiguration',
    lifecycle: 'DeleteBucketLifecycle',
    metadataConfiguration: 'DeleteBucketMetadataConfiguration',
    metadataTable: 'DeleteBucketMetadataTableConfiguration',
    metrics: 'DeleteBucketMetricsConfiguration',
    ownershipControls: 'DeleteBucketOwnershipControls',
    policy: 'DeleteBucketPolicy',
    publicAccessBlock: 'DeletePublicAccessBlock',
    replication: 'DeleteBucketReplication',
    tagging: 'DeleteBucketTagging',
    website: 'DeleteBucketWebsite',
  },
  POST: {
    delete: 'DeleteObjects',
    metadataConfiguration: 'CreateBucketMetadataConfiguration',
    metadataTable: 'CreateBucketMetadataTableConfiguration',
  },
  HEAD: {},
};

const BUCKET_DEFAULT: Record<string, Route> = {
  GET: (req) => (req.query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects'),
  HEAD: 'HeadBucket',
  PUT: 'CreateBucket',
  DELETE: 'DeleteBucket',
  // An HTML form upload (POST Object): IAM authorizes it as s3:PutObject.
  POST: 'PutObject',
};

const OBJECT_ROUTES: Record<string, Record<string, Route>> = {
  GET: {
    acl: 'GetObjectAcl',
    annotation: (req) => (req.query.get('x-id') === 'ListObjectAnnotations' ? 'ListObjectAnnotations' : 'GetObjectAnnotation'),
    attributes: 'GetObjectAttributes',
    'legal-hold': 'GetObjectLegalHold',
    retention: 'GetObjectRetention',
    tagging: 'GetObjectTagging',
    torrent: 'GetObjectTorrent',
    uploadId: 'ListParts',
  },
  PUT: {
    acl: 'PutObjectAcl',
    annotation: 'PutObjectAnnotation',
    encryption: 'UpdateObjectEncryption',
    'legal-hold': 'PutObjectLegalHold',
    renameObject: 'RenameObject',
    retention: 'PutObjectRetention',
    tagging: 'PutObjectTagging',
    uploadId: (req) => (req.headers['x-amz-copy-source'] !== undefined ? 'UploadPartCopy' : 'UploadPart'),
  },
  DELETE: {
    annotation: 'DeleteObjectAnnotation',
    tagging: 'DeleteObjectTagging',
    uploadId: 'AbortMultipartUpload',
  },
  POST: {
    restore: 'RestoreObject',
    select: 'SelectObjectContent',
    uploads: 'CreateMultipartUpload',
    uploadId: 'CompleteMultipartUpload',
  },
  HEAD: {},
};

const OBJECT_DEFAULT: Record<string, Route | undefined> = {
  GET: 'GetObject',
  HEAD: 'HeadObject',
  PUT: (req) => (req.headers['x-amz-copy-source'] !== undefined ? 'CopyObject' : 'PutObject'),
  DELETE: 'DeleteObject',
  POST: undefined,
};

/**
 * Query parameters that are arguments, not subresources. An unknown parameter with a value
 * is ignored, as S3 does (cache busters); an unknown valueless one names a subresource the
 * sandbox does not know, which it must not mistake for the plain read of the same path.
 */
const PARAMETERS = new Set([
  'prefix', 'delimiter', 'max-keys', 'marker', 'continuation-token', 'start-after', 'fetch-owner', 'encoding-type',
  'list-type', 'x-id', 'versionId', 'partNumber', 'max-buckets', 'bucket-region', 'key-marker', 'version-id-marker',
  'upload-id-marker', 'max-uploads', 'max-parts', 'part-number-marker', 'id', 'select-type',
]);

const isParameter = (name: string) =>
  PARAMETERS.has(name) || name.startsWith('response-') || /^x-amz-/i.test(name) || ['AWSAccessKeyId', 'Signature', 'Expires'].includes(name);

/** Operation names the sandbox uses for requests S3 has no operation for. */
export const UNKNOWN_SUBRESOURCE = 'UnknownSubresource';
export const UNSUPPORTED_METHOD = 'UnsupportedMethod';

function resolve(route: Route, req: SandboxRequest): string {
  return typeof route === 'string' ? route : route(req);
}

/** The S3 operation a request is, from its method, address and subresource. */
export function s3Operation(req: SandboxRequest, address: S3Address): string {
  const method = req.method;
  if (!(method in BUCKET_ROUTES)) return UNSUPPORTED_METHOD;
  if (address.bucket === undefined) {
    if (method !== 'GET') return UNSUPPORTED_METHOD;
    return req.query.get('x-id') === 'ListDirectoryBuckets' ? 'ListDirectoryBuckets' : 'ListBuckets';
  }
  const routes = (address.key === undefined ? BUCKET_ROUTES : OBJECT_ROUTES)[method]!;
  for (const [name, value] of req.query) {
    const route = routes[name];
    if (route !== undefined) return resolve(route, req);
    if (value === '' && !isParameter(name)) return UNKNOWN_SUBRESOURCE;
  }
  const fallback = (address.key === undefined ? BUCKET_DEFAULT : OBJECT_DEFAULT)[method];
  return fallback === undefined ? UNSUPPORTED_METHOD : resolve(fallback, req);
}

export function unknownS3Operation(operation: string): AwsErrorSpec {
  if (operation === UNSUPPORTED_METHOD)
    return { code: 'MethodNotAllowed', message: 'The specified method is not allowed against this resource.', status: 405 };
  return { code: 'NotImplemented', message: 'A header or query you provided requested a function that is not implemented.', status: 501 };
}
