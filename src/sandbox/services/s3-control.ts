/**
 * S3 Control over REST-XML: the account-level Block Public Access configuration.
 *
 * S3 Control signs as service "s3", so it is told apart from S3 by its versioned path
 * prefix together with the account it addresses (the x-amz-account-id header, or the
 * `<account-id>.` host prefix the SDK adds).
 */
import { xmlDocument } from '../protocol/xml.js';
import { AwsError, type AwsErrorSpec, type SandboxRequest, type ServiceModule } from '../types.js';
import { hostId, restXmlError } from './s3.js';
import { sdkOperations } from './sdk-operations.js';

const XMLNS = 'http://awss3control.amazonaws.com/doc/2018-08-20/';
const PREFIX = '/v20180820/';

/**
 * Every S3 Control operation's HTTP binding, as in the service model (checked against the
 * installed SDK by s3-control.test.ts). Most are writes or features the sandbox does not
 * model; naming them lets the core refuse writes as AccessDenied rather than as unknown.
 */
const ROUTES: ReadonlyArray<readonly [string, string]> = [
  ['DELETE /v20180820/accessgrantsinstance', 'DeleteAccessGrantsInstance'],
  ['DELETE /v20180820/accessgrantsinstance/grant/{AccessGrantId}', 'DeleteAccessGrant'],
  ['DELETE /v20180820/accessgrantsinstance/identitycenter', 'DissociateAccessGrantsIdentityCenter'],
  ['DELETE /v20180820/accessgrantsinstance/location/{AccessGrantsLocationId}', 'DeleteAccessGrantsLocation'],
  ['DELETE /v20180820/accessgrantsinstance/resourcepolicy', 'DeleteAccessGrantsInstanceResourcePolicy'],
  ['DELETE /v20180820/accesspoint/{Name}', 'DeleteAccessPoint'],
  ['DELETE /v20180820/accesspoint/{Name}/policy', 'DeleteAccessPointPolicy'],
  ['DELETE /v20180820/accesspoint/{Name}/scope', 'DeleteAccessPointScope'],
  ['DELETE /v20180820/accesspointforobjectlambda/{Name}', 'DeleteAccessPointForObjectLambda'],
  ['DELETE /v20180820/accesspointforobjectlambda/{Name}/policy', 'DeleteAccessPointPolicyForObjectLambda'],
  ['DELETE /v20180820/bucket/{Bucket}', 'DeleteBucket'],
  ['DELETE /v20180820/bucket/{Bucket}/lifecycleconfiguration', 'DeleteBucketLifecycleConfiguration'],
  ['DELETE /v20180820/bucket/{Bucket}/policy', 'DeleteBucketPolicy'],
  ['DELETE /v20180820/bucket/{Bucket}/replication', 'DeleteBucketReplication'],
  ['DELETE /v20180820/bucket/{Bucket}/tagging', 'DeleteBucketTagging'],
  ['DELETE /v20180820/configuration/publicAccessBlock', 'DeletePublicAccessBlock'],
  ['DELETE /v20180820/jobs/{JobId}/tagging', 'DeleteJobTagging'],
  ['DELETE /v20180820/storagelens/{ConfigId}', 'DeleteStorageLensConfiguration'],
  ['DELETE /v20180820/storagelens/{ConfigId}/tagging', 'DeleteStorageLensConfigurationTagging'],
  ['DELETE /v20180820/storagelensgroup/{Name}', 'DeleteStorageLensGroup'],
  ['DELETE /v20180820/tags/{ResourceArn+}', 'UntagResource'],
  ['GET /v20180820/accessgrantsinstance', 'GetAccessGrantsInstance'],
  ['GET /v20180820/accessgrantsinstance/caller/grants', 'ListCallerAccessGrants'],
  ['GET /v20180820/accessgrantsinstance/dataaccess', 'GetDataAccess'],
  ['GET /v20180820/accessgrantsinstance/grant/{AccessGrantId}', 'GetAccessGrant'],
  ['GET /v20180820/accessgrantsinstance/grants', 'ListAccessGrants'],
  ['GET /v20180820/accessgrantsinstance/location/{AccessGrantsLocationId}', 'GetAccessGrantsLocation'],
  ['GET /v20180820/accessgrantsinstance/locations', 'ListAccessGrantsLocations'],
  ['GET /v20180820/accessgrantsinstance/prefix', 'GetAccessGrantsInstanceForPrefix'],
  ['GET /v20180820/accessgrantsinstance/resourcepolicy', 'GetAccessGrantsInstanceResourcePolicy'],
  ['GET /v20180820/accessgrantsinstances', 'ListAccessGrantsInstances'],
  ['GET /v20180820/accesspoint', 'ListAccessPoints'],
  ['GET /v20180820/accesspoint/{Name}', 'GetAccessPoint'],
  ['GET /v20180820/accesspoint/{Name}/policy', 'GetAccessPointPolicy'],
  ['GET /v20180820/accesspoint/{Name}/policyStatus', 'GetAccessPointPolicyStatus'],
  ['GET /v20180820/accesspoint/{Name}/scope', 'GetAccessPointScope'],
  ['GET /v20180820/accesspointfordirectory', 'ListAccessPointsForDirectoryBuckets'],
  ['GET /v20180820/accesspointforobjectlambda', 'ListAccessPointsForObjectLambda'],
  ['GET /v20180820/accesspointforobjectlambda/{Name}', 'GetAccessPointForObjectLambda'],
  ['GET /v20180820/accesspointforobjectlambda/{Name}/configuration', 'GetAccessPointConfigurationForObjectLambda'],
  ['GET /v20180820/accesspointforobjectlambda/{Name}/policy', 'GetAccessPointPolicyForObjectLambda'],
  ['GET /v20180820/accesspointforobjectlambda/{Name}/policyStatus', 'GetAccessPointPolicyStatusForObjectLambda'],
  ['GET /v20180820/async-requests/mrap/{RequestTokenARN+}', 'DescribeMultiRegionAccessPointOperation'],
  ['GET /v20180820/bucket', 'ListRegionalBuckets'],
  ['GET /v20180820/bucket/{Bucket}', 'GetBucket'],
  ['GET /v20180820/bucket/{Bucket}/lifecycleconfiguration', 'GetBucketLifecycleConfiguration'],
  ['GET /v20180820/bucket/{Bucket}/policy', 'GetBucketPolicy'],
  ['GET /v20180820/bucket/{Bucket}/replication', 'GetBucketReplication'],
  ['GET /v20180820/bucket/{Bucket}/tagging', 'GetBucketTagging'],
  ['GET /v20180820/bucket/{Bucket}/versioning', 'GetBucketVersioning'],
  ['GET /v20180820/configuration/publicAccessBlock', 'GetPublicAccessBlock'],
  ['GET /v20180820/jobs', 'ListJobs'],
  ['GET /v20180820/jobs/{JobId}', 'DescribeJob'],
  ['GET /v20180820/jobs/{JobId}/tagging', 'GetJobTagging'],
  ['GET /v20180820/mrap/instances', 'ListMultiRegionAccessPoints'],
  ['GET /v20180820/mrap/instances/{Mrap+}/routes', 'GetMultiRegionAccessPointRoutes'],
  ['GET /v20180820/mrap/instances/{Name+}', 'GetMultiRegionAccessPoint'],
  ['GET /v20180820/mrap/instances/{Name+}/policy', 'GetMultiRegionAccessPointPolicy'],
  ['GET /v20180820/mrap/instances/{Name+}/policystatus', 'GetMultiRegionAccessPointPolicyStatus'],
  ['GET /v20180820/storagelens', 'ListStorageLensConfigurations'],
  ['GET /v20180820/storagelens/{ConfigId}', 'GetStorageLensConfiguration'],
  ['GET /v20180820/storagelens/{ConfigId}/tagging', 'GetStorageLensConfigurationTagging'],
  ['GET /v20180820/storagelensgroup', 'ListStorageLensGroups'],
  ['GET /v20180820/storagelensgroup/{Name}', 'GetStorageLensGroup'],
  ['GET /v20180820/tags/{ResourceArn+}', 'ListTagsForResource'],
  ['PATCH /v20180820/mrap/instances/{Mrap+}/routes', 'SubmitMultiRegionAccessPointRoutes'],
  ['POST /v20180820/accessgrantsinstance', 'CreateAccessGrantsInstance'],
  ['POST /v20180820/accessgrantsinstance/grant', 'CreateAccessGrant'],
  ['POST /v20180820/accessgrantsinstance/identitycenter', 'AssociateAccessGrantsIdentityCenter'],
  ['POST /v20180820/accessgrantsinstance/location', 'CreateAccessGrantsLocation'],
  ['POST /v20180820/async-requests/mrap/create', 'CreateMultiRegionAccessPoint'],
  ['POST /v20180820/async-requests/mrap/delete', 'DeleteMultiRegionAccessPoint'],
  ['POST /v20180820/async-requests/mrap/put-policy', 'PutMultiRegionAccessPointPolicy'],
  ['POST /v20180820/jobs', 'CreateJob'],
  ['POST /v20180820/jobs/{JobId}/priority', 'UpdateJobPriority'],
  ['POST /v20180820/jobs/{JobId}/status', 'UpdateJobStatus'],
  ['POST /v20180820/storagelensgroup', 'CreateStorageLensGroup'],
  ['POST /v20180820/tags/{ResourceArn+}', 'TagResource'],
  ['PUT /v20180820/accessgrantsinstance/location/{AccessGrantsLocationId}', 'UpdateAccessGrantsLocation'],
  ['PUT /v20180820/accessgrantsinstance/resourcepolicy', 'PutAccessGrantsInstanceResourcePolicy'],
  ['PUT /v20180820/accesspoint/{Name}', 'CreateAccessPoint'],
  ['PUT /v20180820/accesspoint/{Name}/policy', 'PutAccessPointPolicy'],
  ['PUT /v20180820/accesspoint/{Name}/scope', 'PutAccessPointScope'],
  ['PUT /v20180820/accesspointforobjectlambda/{Name}', 'CreateAccessPointForObjectLambda'],
  ['PUT /v20180820/accesspointforobjectlambda/{Name}/configuration', 'PutAccessPointConfigurationForObjectLambda'],
  ['PUT /v20180820/accesspointforobjectlambda/{Name}/policy', 'PutAccessPointPolicyForObjectLambda'],
  ['PUT /v20180820/bucket/{Bucket}', 'CreateBucket'],
  ['PUT /v20180820/bucket/{Bucket}/lifecycleconfiguration', 'PutBucketLifecycleConfiguration'],
  ['PUT /v20180820/bucket/{Bucket}/policy', 'PutBucketPolicy'],
  ['PUT /v20180820/bucket/{Bucket}/replication', 'PutBucketReplication'],
  ['PUT /v20180820/bucket/{Bucket}/tagging', 'PutBucketTagging'],
  ['PUT /v20180820/bucket/{Bucket}/versioning', 'PutBucketVersioning'],
  ['PUT /v20180820/configuration/publicAccessBlock', 'PutPublicAccessBlock'],
  ['PUT /v20180820/jobs/{JobId}/tagging', 'PutJobTagging'],
  ['PUT /v20180820/storagelens/{ConfigId}', 'PutStorageLensConfiguration'],
  ['PUT /v20180820/storagelens/{ConfigId}/tagging', 'PutStorageLensConfigurationTagging'],
  ['PUT /v20180820/storagelensgroup/{Name}', 'UpdateStorageLensGroup'],
];

interface CompiledRoute {
  method: string;
  pattern: RegExp;
  /** Literal characters in the template: with several matches, the most literal one wins. */
  specificity: number;
  operation: string;
}

export const S3_CONTROL_ROUTES = ROUTES;

const COMPILED: CompiledRoute[] = ROUTES.map(([route, operation]) => {
  const [method, template] = route.split(' ') as [string, string];
  const source = template
    .split(/(\{[A-Za-z]+\+?\})/)
    .map((part) => (part.startsWith('{') ? (part.endsWith('+}') ? '(.+)' : '([^/]+)') : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return { method, pattern: new RegExp(`^${source}/?$`), specificity: template.replace(/\{[^}]+\}/g, '').length, operation };
}).sort((a, b) => b.specificity - a.specificity);

export const UNKNOWN_S3_CONTROL_ROUTE = 'UnknownRoute';

export function s3ControlOperation(method: string, path: string): string {
  return COMPILED.find((r) => r.method === method && r.pattern.test(path))?.operation ?? UNKNOWN_S3_CONTROL_ROUTE;
}

/** IAM action names that differ from the operation name (for AccessDenied messages). */
const IAM_ACTIONS: Record<string, string> = {
  GetPublicAccessBlock: 'GetAccountPublicAccessBlock',
  PutPublicAccessBlock: 'PutAccountPublicAccessBlock',
  DeletePublicAccessBlock: 'PutAccountPublicAccessBlock',
};

function accountIdOf(req: SandboxRequest): string | undefined {
  const header = req.headers['x-amz-account-id'];
  if (typeof header === 'string') return header;
  return /^(\d{12})\./.exec(req.host)?.[1];
}

export const s3ControlModule: ServiceModule = {
  name: 's3-control',
  protocol: 'REST-XML',
  readOperations: new Set(['GetPublicAccessBlock']),
  matches: (req) => req.signingService === 's3' && req.path.startsWith(PREFIX) && accountIdOf(req) !== undefined,
  identify(req) {
    return { operation: s3ControlOperation(req.method, req.path), resources: [] };
  },
  serve(req, operation, ctx) {
    const accountId = accountIdOf(req);
    if (!accountId || !/^\d{12}$/.test(accountId))
      throw new AwsError({ code: 'InvalidRequest', message: 'Account ID must be a 12-digit number', status: 400 });
    // Another account's configuration is not readable with this account's credentials.
    if (accountId !== ctx.account.AccountId) throw new AwsError({ code: 'AccessDenied', message: 'Access Denied', status: 403 });
    if (operation !== 'GetPublicAccessBlock') throw new AwsError(unknownRoute());
    const config = ctx.account.S3?.AccountPublicAccessBlock;
    if (!config)
      throw new AwsError({
        code: 'NoSuchPublicAccessBlockConfiguration',
        message: 'The public access block configuration was not found',
        status: 404,
        extra: { AccountId: accountId },
      });
    return {
      status: 200,
      headers: { 'content-type': 'application/xml', 'x-amz-id-2': hostId(req) },
      body: xmlDocument('PublicAccessBlockConfiguration', { ...config }, { xmlns: XMLNS }),
    };
  },
  renderError: (req, error) => restXmlError(req, error, 'ErrorResponse'),
  accessDenied: (operation, _resource, ctx) => ({
    code: 'AccessDenied',
    message: `User: ${ctx.account.CallerIdentity!.Arn} is not authorized to perform: s3:${IAM_ACTIONS[operation] ?? operation}`,
    status: 403,
  }),
  throttled: () => ({ code: 'SlowDown', message: 'Please reduce your request rate.', status: 503 }),
  isKnownOperation: async (operation) => (await sdkOperations('@aws-sdk/client-s3-control')).has(operation),
  unknownOperation: unknownRoute,
};

function unknownRoute(): AwsErrorSpec {
  return { code: 'NotImplemented', message: 'A header or query you provided requested a function that is not implemented.', status: 501 };
}
