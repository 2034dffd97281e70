/** STS over the Query protocol: GetCallerIdentity. The reference shape for Query modules. */
import { invalidAction, missingAction, queryAction, queryError, queryParams, queryResponse } from '../protocol/query.js';
import { AwsError, type ServiceModule } from '../types.js';
import { sdkOperations } from './sdk-operations.js';

const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export const stsModule: ServiceModule = {
  name: 'sts',
  protocol: 'Query (XML)',
  readOperations: new Set(['GetCallerIdentity']),
  matches: (req) => req.signingService === 'sts',
  identify(req) {
    const action = queryAction(queryParams(req));
    if (!action) throw new AwsError(missingAction());
    return { operation: action, resources: [] };
  },
  serve(req, operation, ctx) {
    const identity = ctx.account.CallerIdentity!;
    return queryResponse(operation, { Arn: identity.Arn, UserId: identity.UserId, Account: ctx.account.AccountId }, XMLNS, req.requestId);
  },
  renderError: (req, error) => queryError(error, XMLNS, req.requestId),
  accessDenied: (operation, _resource, ctx) => ({
    code: 'AccessDenied',
    message: `User: ${ctx.account.CallerIdentity!.Arn} is not authorized to perform: sts:${operation}`,
    status: 403,
  }),
  throttled: () => ({ code: 'Throttling', message: 'Rate exceeded', status: 400 }),
  isKnownOperation: async (operation) => (await sdkOperations('@aws-sdk/client-sts')).has(operation),
  unknownOperation: invalidAction,
};
