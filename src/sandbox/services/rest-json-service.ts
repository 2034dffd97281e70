/**
 * A small restJson1 service (Access Analyzer, Account, Security Hub, GuardDuty): routes read from
 * the SDK client's own operation schemas (so every write is recognised by name and refused by the
 * core), the read operations this sandbox serves, and the service's AccessDenied and throttling
 * shapes. A region the account file does not list answers UnrecognizedClientException.
 */
import { matchRestRoute, restJsonError, restJsonResponse, sdkRestRoutes } from '../protocol/rest-json.js';
import { AwsError, type AwsErrorSpec, type SandboxRequest, type ServiceContext, type ServiceModule } from '../types.js';
import { decodePageToken, encodePageToken, pageOf, regionResources } from './regional.js';

export type Json = Record<string, unknown>;

export interface RestOperationContext {
  req: SandboxRequest;
  labels: Record<string, string>;
  /** The JSON body (POST operations), {} when none. */
  body: Json;
  ctx: ServiceContext;
}

export interface RestJsonServiceSpec {
  /** The sandbox's name for the service (stats, logs). */
  name: string;
  /** The SigV4 signing name the SDK uses. */
  signingName: string;
  /** The IAM action prefix (access-analyzer, account, securityhub, guardduty). */
  actionPrefix: string;
  clientPackage: string;
  /** Global services (Account) are served whatever region the request is signed for. */
  global?: boolean;
  serve: Record<string, (op: RestOperationContext) => Json>;
  /** The ARNs a request names, for AccessDenied by resource. */
  resources?: (op: { labels: Record<string, string>; req: SandboxRequest; ctx: ServiceContext }) => string[];
}

const notEnabled = (): AwsErrorSpec => ({ code: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.', status: 403 });

/** One page of `items` under a nextToken bound to the operation, or a ValidationException. */
export function restPage<T>(req: SandboxRequest, operation: string, items: readonly T[], maxParam: string, maxDefault: number, maxLimit: number, tokenParam = 'nextToken'): { page: T[]; nextToken?: string } {
  const raw = req.query.get(maxParam);
  const size = raw === null ? maxDefault : Number(raw);
  if (!Number.isInteger(size) || size < 1 || size > maxLimit) throw new AwsError({ code: 'ValidationException', message: `${maxParam} must be between 1 and ${maxLimit}`, status: 400 });
  const token = req.query.get(tokenParam);
  const binding = `${operation}?${[...req.query].filter(([k]) => k !== tokenParam && k !== maxParam).sort().map(([k, v]) => `${k}=${v}`).join('&')}`;
  const offset = token === null ? 0 : decodePageToken(token, binding);
  if (offset === undefined) throw new AwsError({ code: 'ValidationException', message: 'The nextToken is not valid.', status: 400 });
  const { page, next } = pageOf(items, offset, size);
  return next === undefined ? { page } : { page, nextToken: encodePageToken(next, binding) };
}

export function restJsonService(spec: RestJsonServiceSpec): ServiceModule {
  const route = (req: SandboxRequest) => {
    const match = matchRestRoute(sdkRestRoutes(spec.clientPackage), req);
    if (!match) throw new AwsError({ code: 'UnknownOperationException', message: `No ${spec.name} operation is served at ${req.method} ${req.path}.`, status: 404 });
    return match;
  };
  const enabled = (ctx: ServiceContext) => spec.global === true || regionResources(ctx) !== undefined;
  return {
    name: spec.name,
    protocol: 'REST-JSON',
    readOperations: new Set(Object.keys(spec.serve)),
    matches: (req) => req.signingService === spec.signingName,
    identify(req, ctx) {
      const { operation, labels } = route(req);
      return { operation, resources: spec.resources?.({ labels, req, ctx }) ?? [] };
    },
    serve(req, operation, ctx) {
      if (!enabled(ctx)) throw new AwsError(notEnabled());
      let body: Json = {};
      if (req.body.length > 0) {
        try {
          body = JSON.parse(req.body.toString('utf8')) as Json;
        } catch {
          throw new AwsError({ code: 'SerializationException', message: 'The request body is not valid JSON.', status: 400 });
        }
      }
      return restJsonResponse(spec.serve[operation]!({ req, labels: route(req).labels, body, ctx }), req.requestId);
    },
    renderError: (req, error) => restJsonError(error.code === 'InternalError' ? { ...error, code: 'InternalServerException' } : error, req.requestId, { message: error.message }),
    accessDenied: (operation, resource, ctx) =>
      enabled(ctx)
        ? {
            code: 'AccessDeniedException',
            message:
              `User: ${ctx.account.CallerIdentity!.Arn} is not authorized to perform: ${spec.actionPrefix}:${operation}` +
              `${resource ? ` on resource: ${resource}` : ''} because no identity-based policy allows the ${spec.actionPrefix}:${operation} action`,
            status: 403,
          }
        : notEnabled(),
    throttled: () => ({ code: 'TooManyRequestsException', message: 'Rate exceeded', status: 429 }),
    isKnownOperation: async (operation) => sdkRestRoutes(spec.clientPackage).some((r) => r.operation === operation),
    unknownOperation: (operation) => ({ code: 'UnknownOperationException', message: `The operation ${operation} is not known to ${spec.name}.`, status: 404 }),
  };
}
