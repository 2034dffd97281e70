/**
 * A regional service that the current SDK speaks over an AWS JSON protocol (awsJson1_0 or
 * awsJson1_1) with plain JSON errors: CloudTrail, AWS Config, KMS, CloudWatch Logs. Each such
 * service is a table of read operations over `Regions.<r>` plus its own error names; this file
 * is the wire shape they share, so each service file holds only what is its own.
 *
 * A region the account file does not list answers UnrecognizedClientException, as these
 * services do for an opt-in region the account has not enabled.
 */
import type { SandboxRegion } from '../account/model.js';
import { jsonBody, jsonError, jsonResponse, jsonTargetOperation } from '../protocol/json.js';
import { AwsError, type AwsErrorSpec, type SandboxRequest, type ServiceContext, type ServiceModule } from '../types.js';
import { decodePageToken, encodePageToken, pageOf, regionResources } from './regional.js';
import { sdkOperations } from './sdk-operations.js';

export type Json = Record<string, unknown>;

export interface JsonOperationContext {
  region: SandboxRegion;
  ctx: ServiceContext;
  /** The request's region name. */
  regionName: string;
}

export interface JsonServiceSpec {
  /** Stats key and SigV4 signing name, e.g. "cloudtrail", "kms", "logs". */
  name: string;
  signingName: string;
  /** X-Amz-Target prefixes the service accepts (the SDK's short one and AWS's long one). */
  targets: readonly string[];
  version: '1.0' | '1.1';
  clientPackage: string;
  /** The service's name in messages: "CloudTrail", "KMS". */
  title: string;
  operations: Readonly<Record<string, (body: Json, op: JsonOperationContext) => unknown>>;
  /** The resources a call touches (for --deny), from its body. */
  resources?: (operation: string, body: Json, ctx: ServiceContext) => string[];
  /** The service's error name for the core's generic InternalError. */
  internalError: string;
  /** The service's throttling error. */
  throttling: AwsErrorSpec;
}

export const invalidParameter = (type: string, message: string): AwsError => new AwsError({ code: type, message, status: 400 });

/** A string parameter, or undefined; anything else is the service's validation error. */
export function stringParam(body: Json, name: string): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new AwsError({ code: 'ValidationException', message: `1 validation error detected: Value at '${name}' failed to satisfy constraint: Member must be a string`, status: 400 });
  return v;
}

/** A page size parameter: `max` when absent, a validation error outside 1..max. */
export function limitParam(body: Json, name: string, max: number): number {
  const v = body[name];
  if (v === undefined || v === null) return max;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max)
    throw new AwsError({ code: 'ValidationException', message: `1 validation error detected: Value '${String(v)}' at '${name}' failed to satisfy constraint: Member must have value between 1 and ${max}`, status: 400 });
  return v;
}

/**
 * One page of `items`: the offset comes from the token in `tokenField` (bound to the request
 * without its paging fields), and the next token is returned under `nextField`.
 */
export function jsonPage<T>(
  operation: string,
  body: Json,
  items: readonly T[],
  size: number,
  fields: { token: string; next?: string; invalidToken: AwsErrorSpec },
): { page: T[]; next?: string } {
  const binding = operation + JSON.stringify(Object.entries(body).filter(([k]) => k !== fields.token && k !== 'Limit' && k !== 'limit'));
  const token = body[fields.token];
  let offset = 0;
  if (token !== undefined && token !== null && token !== '') {
    const decoded = typeof token === 'string' ? decodePageToken(token, binding) : undefined;
    if (decoded === undefined) throw new AwsError(fields.invalidToken);
    offset = decoded;
  }
  const { page, next } = pageOf(items, offset, size);
  return next === undefined ? { page } : { page, next: encodePageToken(next, binding) };
}

const notEnabled = (): AwsErrorSpec => ({ code: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.', status: 400 });

export function jsonService(spec: JsonServiceSpec): ServiceModule {
  const operationOf = (req: SandboxRequest) => {
    for (const target of spec.targets) {
      const op = jsonTargetOperation(req, target);
      if (op) return op;
    }
    return undefined;
  };
  return {
    name: spec.name,
    protocol: `JSON ${spec.version}`,
    readOperations: new Set(Object.keys(spec.operations)),
    matches: (req) => req.signingService === spec.signingName,
    identify(req, ctx) {
      const operation = operationOf(req);
      if (!operation) throw new AwsError({ code: 'UnknownOperationException', message: `The request does not name a ${spec.title} operation in X-Amz-Target.`, status: 400 });
      return { operation, resources: spec.resources?.(operation, jsonBody(req) ?? {}, ctx) ?? [] };
    },
    serve(req, operation, ctx) {
      const region = regionResources(ctx);
      if (!region) throw new AwsError(notEnabled());
      const body = jsonBody(req);
      if (!body) throw new AwsError({ code: 'SerializationException', message: 'The request body is not a JSON object.', status: 400 });
      return jsonResponse(spec.operations[operation]!(body, { region, ctx, regionName: ctx.region }), req.requestId, spec.version);
    },
    renderError(req, error) {
      const type = error.code === 'InternalError' ? spec.internalError : error.code;
      return jsonError(error, req.requestId, { type, version: spec.version });
    },
    accessDenied: (operation, resource, ctx) =>
      regionResources(ctx)
        ? {
            code: 'AccessDeniedException',
            message:
              `User: ${ctx.account.CallerIdentity!.Arn} is not authorized to perform: ${spec.name}:${operation}` +
              `${resource && resource !== '*' ? ` on resource: ${resource}` : ''} because no identity-based policy allows the ${spec.name}:${operation} action`,
            status: 400,
          }
        : notEnabled(),
    throttled: () => spec.throttling,
    isKnownOperation: async (operation) => (await sdkOperations(spec.clientPackage)).has(operation),
    unknownOperation: (operation) => ({ code: 'UnknownOperationException', message: `The operation ${operation} is not known to ${spec.title}.`, status: 400 }),
  };
}
