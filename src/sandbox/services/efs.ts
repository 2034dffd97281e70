/**
 * EFS over restJson1, as the current SDK client speaks it: DescribeFileSystems
 * (GET /2015-02-01/file-systems, MaxItems and Marker/NextMarker paging, CreationTime in epoch
 * seconds), errors as `{"ErrorCode","Message"}` with the name in `x-amzn-errortype`. Routes are
 * read from @aws-sdk/client-efs itself, so writes are refused by their own names.
 */
import type { SandboxRequest } from '../types.js';
import { AwsError, type AwsErrorSpec, type ServiceContext, type ServiceModule } from '../types.js';
import { matchRestRoute, restJsonError, restJsonResponse, sdkRestRoutes } from '../protocol/rest-json.js';
import { decodePageToken, encodePageToken, pageOf, regionResources } from './regional.js';

const CLIENT = '@aws-sdk/client-efs';
type Json = Record<string, unknown>;

const badRequest = (message: string): AwsErrorSpec => ({ code: 'BadRequest', message, status: 400 });
const notEnabled = (): AwsErrorSpec => ({ code: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.', status: 403 });

const fileSystemArn = (ctx: ServiceContext, id: string) => `arn:aws:elasticfilesystem:${ctx.region}:${ctx.account.AccountId}:file-system/${id}`;

function describeFileSystems(req: SandboxRequest, ctx: ServiceContext): Json {
  const all = regionResources(ctx)?.EFS?.FileSystems ?? [];
  const id = req.query.get('FileSystemId');
  const token = req.query.get('CreationToken');
  if (id !== null && token !== null) throw new AwsError(badRequest('You can specify either a FileSystemId or a CreationToken, not both.'));
  let selected = all;
  if (id !== null) {
    selected = all.filter((f) => f.FileSystemId === id || fileSystemArn(ctx, f.FileSystemId) === id);
    if (selected.length === 0) throw new AwsError({ code: 'FileSystemNotFound', message: `File system '${id}' does not exist.`, status: 404 });
  }
  if (token !== null) selected = selected.filter((f) => (f.CreationToken ?? f.FileSystemId) === token);
  const raw = req.query.get('MaxItems');
  const size = raw === null ? 100 : Number(raw);
  if (!Number.isInteger(size) || size < 1) throw new AwsError(badRequest(`Invalid MaxItems: ${raw}`));
  const binding = `DescribeFileSystems?${id ?? ''}&${token ?? ''}&${size}`;
  const marker = req.query.get('Marker');
  let offset = 0;
  if (marker !== null && marker !== '') {
    const decoded = decodePageToken(marker, binding);
    if (decoded === undefined) throw new AwsError(badRequest('Invalid Marker.'));
    offset = decoded;
  }
  const { page, next } = pageOf(selected, offset, size);
  return {
    ...(marker ? { Marker: marker } : {}),
    FileSystems: page.map((f) => ({
      OwnerId: ctx.account.AccountId,
      CreationToken: f.CreationToken ?? f.FileSystemId,
      FileSystemId: f.FileSystemId,
      FileSystemArn: fileSystemArn(ctx, f.FileSystemId),
      CreationTime: Date.parse(f.CreationTime) / 1000,
      LifeCycleState: f.LifeCycleState ?? 'available',
      Name: f.Name,
      NumberOfMountTargets: f.NumberOfMountTargets ?? 0,
      SizeInBytes: { Value: f.SizeInBytes ?? 6144 },
      PerformanceMode: f.PerformanceMode ?? 'generalPurpose',
      Encrypted: f.Encrypted,
      KmsKeyId: f.KmsKeyId,
      ThroughputMode: f.ThroughputMode ?? 'bursting',
      Tags: f.Tags ?? [],
    })),
    ...(next === undefined ? {} : { NextMarker: encodePageToken(next, binding) }),
  };
}

const SERVE: Record<string, (req: SandboxRequest, ctx: ServiceContext) => Json> = { DescribeFileSystems: describeFileSystems };

function route(req: SandboxRequest) {
  const match = matchRestRoute(sdkRestRoutes(CLIENT), req);
  if (!match) throw new AwsError({ code: 'UnknownOperationException', message: `No EFS operation is served at ${req.method} ${req.path}.`, status: 404 });
  return match;
}

export const efsModule: ServiceModule = {
  name: 'efs',
  protocol: 'REST-JSON',
  readOperations: new Set(Object.keys(SERVE)),
  matches: (req) => req.signingService === 'elasticfilesystem',
  identify(req, ctx) {
    const { operation } = route(req);
    const id = req.query.get('FileSystemId');
    return { operation, resources: id ? [id.startsWith('arn:') ? id : fileSystemArn(ctx, id)] : [] };
  },
  serve(req, operation, ctx) {
    if (!regionResources(ctx)) throw new AwsError(notEnabled());
    return restJsonResponse(SERVE[operation]!(req, ctx), req.requestId);
  },
  renderError: (req, error) => restJsonError(error, req.requestId, { ErrorCode: error.code }),
  accessDenied: (operation, resource, ctx) =>
    regionResources(ctx)
      ? {
          code: 'AccessDeniedException',
          message: `User: ${ctx.account.CallerIdentity!.Arn} is not authorized to perform: elasticfilesystem:${operation}${resource ? ` on the specified resource` : ''}`,
          status: 403,
        }
      : notEnabled(),
  throttled: () => ({ code: 'ThrottlingException', message: 'Rate exceeded', status: 429 }),
  isKnownOperation: async (operation) => sdkRestRoutes(CLIENT).some((r) => r.operation === operation),
  unknownOperation: (operation) => ({ code: 'UnknownOperationException', message: `The operation ${operation} is not known to EFS.`, status: 404 }),
};
