/**
 * Lambda over restJson1, as the current SDK client speaks it: the operation from the method and
 * path (routes read from @aws-sdk/client-lambda itself), errors named in `x-amzn-errortype` with
 * `{"Type", "Message"}` bodies. Serves ListFunctions (MaxItems 1..50, Marker), GetPolicy,
 * ListFunctionUrlConfigs and ListTags over `Regions.<r>.Lambda.Functions`.
 *
 * GetFunction and GetFunctionConfiguration are not served: they return environment variables
 * (and a code link), so the product refuses them; the sandbox treats them like any call the
 * read-only audit role is not allowed to make. A region the account file does not list answers
 * UnrecognizedClientException, as Lambda does for a region never enabled.
 */
import { createHash } from 'node:crypto';
import type { SandboxLambdaFunction } from '../account/model.js';
import { matchRestRoute, restJsonError, restJsonResponse, sdkRestRoutes } from '../protocol/rest-json.js';
import { AwsError, type AwsErrorSpec, type SandboxRequest, type ServiceContext, type ServiceModule } from '../types.js';
import { decodePageToken, encodePageToken, pageOf, regionResources } from './regional.js';

const CLIENT = '@aws-sdk/client-lambda';

type Json = Record<string, unknown>;
type Labels = Record<string, string>;

const notEnabled = (): AwsErrorSpec => ({ code: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.', status: 403 });
const invalidParameter = (message: string): AwsErrorSpec => ({ code: 'InvalidParameterValueException', message, status: 400 });
const notFound = (message: string): AwsErrorSpec => ({ code: 'ResourceNotFoundException', message, status: 404 });

export const functionArn = (region: string, accountId: string, name: string) => `arn:aws:lambda:${region}:${accountId}:function:${name}`;

/** Lambda's timestamp format: 2024-01-31T12:00:00.000+0000. */
const lambdaTime = (iso: string) => new Date(iso).toISOString().replace('Z', '+0000');

const FUNCTION_NAME = /^(?:arn:aws[a-z-]*:lambda:([a-z0-9-]+):)?(?:(\d{12}):function:)?([A-Za-z0-9_-]{1,64})(?::(\$LATEST|[A-Za-z0-9_-]+))?$/;

/** A FunctionName label: a name, a partial ARN (account:function:name) or a full ARN, with an optional qualifier. */
function parseFunctionName(label: string): { region?: string; account?: string; name: string } | undefined {
  const m = FUNCTION_NAME.exec(label);
  return m ? { region: m[1], account: m[2], name: m[3]! } : undefined;
}

function findFunction(label: string, ctx: ServiceContext): SandboxLambdaFunction {
  const parsed = parseFunctionName(label);
  if (!parsed) throw new AwsError(invalidParameter(`1 validation error detected: Value '${label}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern`));
  const { region, account, name } = parsed;
  const fn =
    (region === undefined || region === ctx.region) && (account === undefined || account === ctx.account.AccountId)
      ? (regionResources(ctx)?.Lambda?.Functions ?? []).find((f) => f.FunctionName === name)
      : undefined;
  if (!fn) throw new AwsError(notFound(`Function not found: ${functionArn(ctx.region, account ?? ctx.account.AccountId, name)}`));
  return fn;
}

function maxItems(req: SandboxRequest, max: number): number {
  const raw = req.query.get('MaxItems');
  if (raw === null) return max;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new AwsError(invalidParameter(`1 validation error detected: Value '${raw}' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to ${max}`));
  return n;
}

function page<T>(req: SandboxRequest, binding: string, items: readonly T[], max: number): { page: T[]; next?: string } {
  const size = maxItems(req, max);
  const marker = req.query.get('Marker');
  let offset = 0;
  if (marker !== null && marker !== '') {
    const decoded = decodePageToken(marker, binding);
    if (decoded === undefined) throw new AwsError(invalidParameter('Invalid marker.'));
    offset = decoded;
  }
  const out = pageOf(items, offset, size);
  return out.next === undefined ? { page: out.page } : { page: out.page, next: encodePageToken(out.next, binding) };
}

function renderFunction(fn: SandboxLambdaFunction, ctx: ServiceContext): Json {
  const arn = functionArn(ctx.region, ctx.account.AccountId, fn.FunctionName);
  const code = createHash('sha256').update(arn).digest('base64');
  return {
    FunctionName: fn.FunctionName,
    FunctionArn: arn,
    Runtime: fn.PackageType === 'Image' ? undefined : (fn.Runtime ?? 'nodejs20.x'),
    Role: fn.Role,
    Handler: fn.PackageType === 'Image' ? undefined : (fn.Handler ?? 'index.handler'),
    CodeSize: 1024,
    Description: fn.Description ?? '',
    Timeout: fn.Timeout ?? 3,
    MemorySize: fn.MemorySize ?? 128,
    LastModified: lambdaTime(fn.LastModified),
    CodeSha256: code,
    Version: '$LATEST',
    // ListFunctions returns the environment in clear, as AWS does: the collector must drop the values.
    Environment: fn.Environment ? { Variables: fn.Environment.Variables } : undefined,
    KMSKeyArn: fn.KMSKeyArn,
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: createHash('sha256').update(`${arn}/rev`).digest('hex').slice(0, 36),
    PackageType: fn.PackageType ?? 'Zip',
    Architectures: fn.Architectures ?? ['x86_64'],
    EphemeralStorage: { Size: 512 },
    VpcConfig: fn.VpcConfig
      ? {
          SubnetIds: fn.VpcConfig.SubnetIds,
          SecurityGroupIds: fn.VpcConfig.SecurityGroupIds,
          VpcId: regionResources(ctx)?.EC2?.Subnets?.find((s) => s.SubnetId === fn.VpcConfig!.SubnetIds[0])?.VpcId ?? '',
          Ipv6AllowedForDualStack: fn.VpcConfig.Ipv6AllowedForDualStack ?? false,
        }
      : undefined,
    Layers: fn.Layers?.map((Arn) => ({ Arn, CodeSize: 2048 })),
  };
}

function listFunctions(req: SandboxRequest, _labels: Labels, ctx: ServiceContext): Json {
  const functions = regionResources(ctx)?.Lambda?.Functions ?? [];
  const { page: items, next } = page(req, `ListFunctions?${req.query.get('FunctionVersion') ?? ''}`, functions, 50);
  return { Functions: items.map((fn) => renderFunction(fn, ctx)), NextMarker: next };
}

function getPolicy(req: SandboxRequest, labels: Labels, ctx: ServiceContext): Json {
  const fn = findFunction(labels.FunctionName!, ctx);
  const qualifier = req.query.get('Qualifier');
  if (qualifier !== null && qualifier !== '$LATEST') throw new AwsError(notFound(`Function not found: ${functionArn(ctx.region, ctx.account.AccountId, fn.FunctionName)}:${qualifier}`));
  if (fn.Policy === undefined) throw new AwsError(notFound('The resource you requested does not exist.'));
  const policy = typeof fn.Policy === 'string' ? fn.Policy : JSON.stringify(fn.Policy);
  return { Policy: policy, RevisionId: createHash('sha256').update(policy).digest('hex').slice(0, 36) };
}

function listFunctionUrlConfigs(req: SandboxRequest, labels: Labels, ctx: ServiceContext): Json {
  const fn = findFunction(labels.FunctionName!, ctx);
  const arn = functionArn(ctx.region, ctx.account.AccountId, fn.FunctionName);
  const urls = fn.FunctionUrl
    ? [
        {
          FunctionUrl: `https://${createHash('sha256').update(arn).digest('hex').slice(0, 32)}.lambda-url.${ctx.region}.on.aws/`,
          FunctionArn: arn,
          AuthType: fn.FunctionUrl.AuthType,
          Cors: fn.FunctionUrl.Cors,
          CreationTime: lambdaTime(fn.LastModified),
          LastModifiedTime: lambdaTime(fn.LastModified),
          InvokeMode: fn.FunctionUrl.InvokeMode ?? 'BUFFERED',
        },
      ]
    : [];
  const { page: items, next } = page(req, `ListFunctionUrlConfigs/${fn.FunctionName}`, urls, 50);
  return { FunctionUrlConfigs: items, NextMarker: next };
}

/** ListTags takes the function's ARN (`Resource`); a name alone is not an ARN. */
function listTags(_req: SandboxRequest, labels: Labels, ctx: ServiceContext): Json {
  const resource = labels.Resource!;
  if (!resource.startsWith('arn:'))
    throw new AwsError(invalidParameter(`1 validation error detected: Value '${resource}' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:lambda:.*`));
  const fn = findFunction(resource, ctx);
  return { Tags: fn.Tags ?? {} };
}

const SERVE: Record<string, (req: SandboxRequest, labels: Labels, ctx: ServiceContext) => Json> = {
  ListFunctions: listFunctions,
  GetPolicy: getPolicy,
  ListFunctionUrlConfigs: listFunctionUrlConfigs,
  ListTags: listTags,
};

function route(req: SandboxRequest) {
  const match = matchRestRoute(sdkRestRoutes(CLIENT), req);
  if (!match) throw new AwsError({ code: 'UnknownOperationException', message: `No Lambda operation is served at ${req.method} ${req.path}.`, status: 404 });
  return match;
}

export const lambdaModule: ServiceModule = {
  name: 'lambda',
  protocol: 'REST-JSON',
  readOperations: new Set(Object.keys(SERVE)),
  matches: (req) => req.signingService === 'lambda',
  identify(req, ctx) {
    const { operation, labels } = route(req);
    const label = labels.FunctionName ?? labels.Resource;
    const parsed = label === undefined ? undefined : parseFunctionName(label);
    const resources = parsed ? [functionArn(parsed.region ?? ctx.region, parsed.account ?? ctx.account.AccountId, parsed.name)] : [];
    return { operation, resources };
  },
  serve(req, operation, ctx) {
    if (!regionResources(ctx)) throw new AwsError(notEnabled());
    return restJsonResponse(SERVE[operation]!(req, route(req).labels, ctx), req.requestId);
  },
  renderError: (req, error) => {
    if (error.code === 'InternalError') return restJsonError({ ...error, code: 'ServiceException' }, req.requestId);
    if (error.code === 'TooManyRequestsException') {
      const res = restJsonError(error, req.requestId, { Reason: 'CallerRateLimitExceeded', retryAfterSeconds: '1' });
      return { ...res, headers: { ...res.headers, 'retry-after': '1' } };
    }
    return restJsonError(error, req.requestId);
  },
  accessDenied: (operation, resource, ctx) =>
    regionResources(ctx)
      ? {
          code: 'AccessDeniedException',
          message:
            `User: ${ctx.account.CallerIdentity!.Arn} is not authorized to perform: lambda:${operation}` +
            `${resource ? ` on resource: ${resource}` : ''} because no identity-based policy allows the lambda:${operation} action`,
          status: 403,
        }
      : notEnabled(),
  throttled: () => ({ code: 'TooManyRequestsException', message: 'Rate exceeded', status: 429 }),
  // identify() names only operations the SDK has; anything else never gets this far.
  isKnownOperation: async (operation) => sdkRestRoutes(CLIENT).some((r) => r.operation === operation),
  unknownOperation: (operation) => ({ code: 'UnknownOperationException', message: `The operation ${operation} is not known to Lambda.`, status: 404 }),
};
