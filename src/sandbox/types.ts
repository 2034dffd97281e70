/**
 * The contract between the sandbox's HTTP core and its service modules.
 * The core parses the request, resolves the service, applies faults and counts; a service
 * module names the operation, serves it, and renders errors in its own wire shape.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { SandboxAccount } from './account/model.js';

export interface SandboxRequest {
  method: string;
  /** Path without the query string, percent-decoded per segment by the service if needed. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Host header without the port. */
  host: string;
  /** The SigV4 signing service (s3, sts, iam, ec2, rds, monitoring) or the one inferred. */
  signingService: string;
  /** The region from the SigV4 scope, or the account's default region. */
  region: string;
  requestId: string;
}

export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** An AWS-style error, rendered by the service module in its protocol's shape. */
export interface AwsErrorSpec {
  code: string;
  message: string;
  status: number;
  /** Query-protocol error type. */
  type?: 'Sender' | 'Receiver';
  /** Extra elements (e.g. S3's BucketName). */
  extra?: Record<string, string>;
}

export interface Identified {
  /** The AWS operation name, e.g. GetBucketPolicy, ListRoles, DescribeInstances. */
  operation: string;
  /** ARNs of the resources the call touches, matched against --deny. */
  resources: string[];
}

export interface ServiceContext {
  account: SandboxAccount;
  /** The region of this request (validated against the account's regions by the module when regional). */
  region: string;
  /** The base URL the sandbox serves on, e.g. http://127.0.0.1:4566. */
  endpoint: string;
}

export class AwsError extends Error {
  constructor(readonly spec: AwsErrorSpec) {
    super(`${spec.code}: ${spec.message}`);
  }
}

export interface ServiceModule {
  /** Stats key, e.g. "s3", "s3-control", "iam". */
  readonly name: string;
  /** The wire protocol, as the current AWS SDK speaks it for this service. */
  readonly protocol: string;
  /** Does this module own the request? (The core asks modules in order.) */
  matches(req: SandboxRequest): boolean;
  /** Name the operation and its resources. Throws AwsError for a malformed request. */
  identify(req: SandboxRequest, ctx: ServiceContext): Identified;
  /** The operations this module serves. Everything else is refused as a mutation or unknown. */
  readonly readOperations: ReadonlySet<string>;
  /** Serve a read operation. Throws AwsError for AWS errors (NoSuchBucket, NoSuchEntity, ...). */
  serve(req: SandboxRequest, operation: string, ctx: ServiceContext): SandboxResponse | Promise<SandboxResponse>;
  /** Render an error in the service's wire shape. */
  renderError(req: SandboxRequest, error: AwsErrorSpec): SandboxResponse;
  /** The error a caller without permission gets for `operation` (AccessDenied, UnauthorizedOperation, ...). */
  accessDenied(operation: string, resource: string | undefined, ctx: ServiceContext): AwsErrorSpec;
  /** The throttling error of this service (ThrottlingException, SlowDown, RequestLimitExceeded, ...). */
  throttled(): AwsErrorSpec;
  /** Is this a real operation of the service (one the sandbox refuses rather than does not know)? */
  isKnownOperation(operation: string): Promise<boolean>;
  /** The error for an operation the service does not have (InvalidAction, UnknownOperationException, ...). */
  unknownOperation(operation: string): AwsErrorSpec;
}
