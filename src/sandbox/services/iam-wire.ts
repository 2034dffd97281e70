/**
 * IAM's side of the Query protocol: its namespace, its errors, its parameters, its
 * Marker/MaxItems pagination and its URL-encoded policy documents.
 */
import type { SandboxAccount } from '../account/model.js';
import { AwsError, type AwsErrorSpec, type ServiceContext } from '../types.js';
import type { XmlValue } from '../protocol/xml.js';

export const IAM_XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';

/** One IAM read operation: the request's parameters in, the `<OpResult>` content out. */
export type IamHandler = (params: URLSearchParams, ctx: ServiceContext) => XmlValue;

export type IamData = NonNullable<SandboxAccount['IAM']>;

export function iamData(ctx: ServiceContext): IamData {
  return ctx.account.IAM ?? {};
}

export const noSuchEntity = (message: string): AwsError => new AwsError({ code: 'NoSuchEntity', message, status: 404 });

export const validationError = (message: string): AwsError => new AwsError({ code: 'ValidationError', message, status: 400 });

export const invalidInput = (message: string): AwsError => new AwsError({ code: 'InvalidInput', message, status: 400 });

/** IAM names the offending member in lowerCamelCase in its validation messages. */
function memberName(param: string): string {
  return param.charAt(0).toLowerCase() + param.slice(1);
}

export function requiredParam(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value === null || value === '') {
    throw validationError(`1 validation error detected: Value null at '${memberName(name)}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

export function optionalParam(params: URLSearchParams, name: string): string | undefined {
  const value = params.get(name);
  return value === null || value === '' ? undefined : value;
}

export function booleanParam(params: URLSearchParams, name: string): boolean {
  const value = params.get(name);
  if (value === null) return false;
  if (value === 'true' || value === 'false') return value === 'true';
  throw validationError(`1 validation error detected: Value '${value}' at '${memberName(name)}' failed to satisfy constraint: Member must be a boolean`);
}

/** PathPrefix filters by path; absent means "/", everything. */
export function pathPrefixFilter(params: URLSearchParams): (path: string | undefined) => boolean {
  const prefix = optionalParam(params, 'PathPrefix') ?? '/';
  return (path) => (path ?? '/').startsWith(prefix);
}

/**
 * RFC 3986 percent-encoding, as IAM returns policy documents: everything but the unreserved
 * characters is encoded (encodeURIComponent leaves !'()* alone, IAM does not).
 */
export function encodePolicyDocument(document: unknown): string {
  const text = typeof document === 'string' ? document : JSON.stringify(document);
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const DEFAULT_MAX_ITEMS = 100;
const LARGEST_MAX_ITEMS = 1000;

export interface Page<T> {
  items: T[];
  IsTruncated: boolean;
  Marker: string | undefined;
}

/**
 * IAM pagination: MaxItems (1..1000, default 100), an opaque Marker, IsTruncated. The data
 * is fixed for the sandbox's lifetime, so an offset is a stable marker; it is wrapped so that
 * clients treat it as the opaque token it is on AWS.
 */
export function paginate<T>(items: readonly T[], params: URLSearchParams): Page<T> {
  const maxItemsText = optionalParam(params, 'MaxItems');
  let maxItems = DEFAULT_MAX_ITEMS;
  if (maxItemsText !== undefined) {
    maxItems = Number(maxItemsText);
    if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > LARGEST_MAX_ITEMS) {
      throw validationError(
        `1 validation error detected: Value '${maxItemsText}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and ${LARGEST_MAX_ITEMS}`,
      );
    }
  }
  const marker = optionalParam(params, 'Marker');
  const start = marker === undefined ? 0 : decodeMarker(marker, items.length);
  const end = Math.min(start + maxItems, items.length);
  const IsTruncated = end < items.length;
  return { items: items.slice(start, end), IsTruncated, Marker: IsTruncated ? encodeMarker(end) : undefined };
}

const MARKER_PREFIX = 'sandbox-iam:';

function encodeMarker(offset: number): string {
  return Buffer.from(`${MARKER_PREFIX}${offset}`, 'utf8').toString('base64');
}

function decodeMarker(marker: string, length: number): number {
  const text = Buffer.from(marker, 'base64').toString('utf8');
  const offset = text.startsWith(MARKER_PREFIX) ? Number(text.slice(MARKER_PREFIX.length)) : NaN;
  if (!Number.isInteger(offset) || offset < 0 || offset > length) throw validationError('Invalid Marker.');
  return offset;
}

/** The `IsTruncated` and `Marker` elements that close every paginated IAM result. */
export function pageTail(page: Page<unknown>): { IsTruncated: boolean; Marker: string | undefined } {
  return { IsTruncated: page.IsTruncated, Marker: page.Marker };
}

export function accessDeniedSpec(callerArn: string, operation: string, resource: string | undefined): AwsErrorSpec {
  return {
    code: 'AccessDenied',
    message:
      `User: ${callerArn} is not authorized to perform: iam:${operation} on resource: ${resource ?? '*'}` +
      ` because no identity-based policy allows the iam:${operation} action`,
    status: 403,
  };
}
