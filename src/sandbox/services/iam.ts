/**
 * IAM over the Query protocol. IAM is global: any region in the SigV4 scope is accepted.
 * Every read operation below is served from the account file's `IAM` section; every other
 * real IAM operation is refused with AccessDenied by the core.
 */
import { invalidAction, missingAction, queryAction, queryError, queryParams, queryResponse } from '../protocol/query.js';
import { AwsError, type ServiceContext, type ServiceModule } from '../types.js';
import { accountHandlers } from './iam-account.js';
import { credentialReportHandlers } from './iam-credential-report.js';
import { findGroup, groupHandlers } from './iam-groups.js';
import { findServerCertificate, securityHandlers } from './iam-security.js';
import { policyHandlers } from './iam-policies.js';
import { accessKeyOwner, findInstanceProfile, findRole, findUser, principalHandlers } from './iam-principals.js';
import { simulateHandlers } from './iam-simulate.js';
import { oidcHandlers } from './iam-oidc.js';
import { accessDeniedSpec, IAM_XMLNS, optionalParam, type IamHandler } from './iam-wire.js';
import { sdkOperations } from './sdk-operations.js';

const handlers: Record<string, IamHandler> = {
  ...principalHandlers,
  ...groupHandlers,
  ...securityHandlers,
  ...policyHandlers,
  ...accountHandlers,
  ...credentialReportHandlers,
  ...simulateHandlers,
  ...oidcHandlers,
};

/**
 * The ARNs a request names, most specific principal first (the core reports the first one in
 * AccessDenied, as AWS names the role in "iam:AttachRolePolicy on resource: role/x").
 */
function requestResources(params: URLSearchParams, ctx: ServiceContext): string[] {
  const accountArn = `arn:aws:iam::${ctx.account.AccountId}:`;
  const path = optionalParam(params, 'Path') ?? '/';
  const resources: string[] = [];
  const roleName = optionalParam(params, 'RoleName');
  if (roleName !== undefined) resources.push(findRole(ctx, roleName)?.Arn ?? `${accountArn}role${path}${roleName}`);
  const userName = optionalParam(params, 'UserName');
  if (userName !== undefined) resources.push(findUser(ctx, userName)?.Arn ?? `${accountArn}user${path}${userName}`);
  const groupName = optionalParam(params, 'GroupName');
  if (groupName !== undefined) resources.push(findGroup(ctx, groupName)?.Arn ?? `${accountArn}group${path}${groupName}`);
  const instanceProfileName = optionalParam(params, 'InstanceProfileName');
  if (instanceProfileName !== undefined) {
    const profile = findInstanceProfile(ctx, instanceProfileName);
    resources.push(profile?.Arn ?? `${accountArn}instance-profile${profile?.Path ?? path}${profile?.InstanceProfileName ?? instanceProfileName}`);
  }
  const certificateName = optionalParam(params, 'ServerCertificateName');
  if (certificateName !== undefined) resources.push(findServerCertificate(ctx, certificateName)?.Arn ?? `${accountArn}server-certificate${path}${certificateName}`);
  const accessKeyId = optionalParam(params, 'AccessKeyId');
  const keyOwner = accessKeyId === undefined ? undefined : accessKeyOwner(ctx, accessKeyId);
  if (keyOwner) resources.push(keyOwner.user.Arn!);
  for (const name of ['PolicyArn', 'PolicySourceArn', 'OpenIDConnectProviderArn']) {
    const arn = optionalParam(params, name);
    if (arn !== undefined) resources.push(arn);
  }
  // CreatePolicy names a managed policy; elsewhere PolicyName is an inline policy of the principal above.
  const policyName = optionalParam(params, 'PolicyName');
  if (policyName !== undefined && resources.length === 0) resources.push(`${accountArn}policy${path}${policyName}`);
  return resources;
}

export const iamModule: ServiceModule = {
  name: 'iam',
  protocol: 'Query (XML)',
  readOperations: new Set(Object.keys(handlers)),
  matches: (req) => req.signingService === 'iam',
  identify(req, ctx) {
    const params = queryParams(req);
    const action = queryAction(params);
    if (!action) throw new AwsError(missingAction());
    return { operation: action, resources: requestResources(params, ctx) };
  },
  serve(req, operation, ctx) {
    const handler = handlers[operation]!;
    return queryResponse(operation, handler(queryParams(req), ctx), IAM_XMLNS, req.requestId);
  },
  renderError: (req, error) => queryError(error, IAM_XMLNS, req.requestId),
  accessDenied: (operation, resource, ctx) => accessDeniedSpec(ctx.account.CallerIdentity!.Arn, operation, resource),
  throttled: () => ({ code: 'Throttling', message: 'Rate exceeded', status: 400 }),
  isKnownOperation: async (operation) => (await sdkOperations('@aws-sdk/client-iam')).has(operation),
  unknownOperation: invalidAction,
};
