/**
 * SNS over the Query protocol (xmlns 2010-03-31), as the current SDK speaks it: ListTopics,
 * GetTopicAttributes, ListSubscriptionsByTopic and ListTagsForResource over `Regions.<r>.SNS.Topics`.
 * Attributes come as a map (<entry><key/><value/></entry>); an unconfirmed subscription is listed
 * with the SubscriptionArn `PendingConfirmation`, as SNS lists it. Errors are SNS's own: NotFound
 * (404) for an unknown topic (ResourceNotFound, 404, from the tagging operation), InvalidParameter
 * for a malformed ARN or token, AuthorizationError (403) for a denied call.
 */
import type { SandboxTopic } from '../account/model.js';
import { invalidAction, missingAction, queryAction, queryError, queryParams, queryResponse } from '../protocol/query.js';
import { list, type XmlValue } from '../protocol/xml.js';
import { AwsError, type AwsErrorSpec, type ServiceContext, type ServiceModule } from '../types.js';
import { decodePageToken, encodePageToken, pageBinding, pageOf, regionResources } from './regional.js';
import { sdkOperations } from './sdk-operations.js';

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';
const PAGE = 100;

const invalidParameter = (message: string): AwsErrorSpec => ({ code: 'InvalidParameter', message: `Invalid parameter: ${message}`, status: 400 });
const invalidClientTokenId = (): AwsErrorSpec => ({ code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.', status: 403 });

export function topicArn(account: string, region: string, name: string): string {
  return `arn:aws:sns:${region}:${account}:${name}`;
}

/** The policy SNS gives a topic made without one: the owner account may do everything. */
function defaultPolicy(arn: string, account: string): object {
  return {
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission', 'SNS:DeleteTopic', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
        Resource: arn,
        Condition: { StringEquals: { 'AWS:SourceOwner': account } },
      },
    ],
  };
}

function page<T>(operation: string, params: URLSearchParams, items: readonly T[]): { page: T[]; next?: string } {
  const binding = pageBinding(operation, params, ['NextToken', 'Action', 'Version']);
  const token = params.get('NextToken');
  let offset = 0;
  if (token) {
    const decoded = decodePageToken(token, binding);
    if (decoded === undefined) throw new AwsError(invalidParameter('NextToken'));
    offset = decoded;
  }
  const { page: items_, next } = pageOf(items, offset, PAGE);
  return next === undefined ? { page: items_ } : { page: items_, next: encodePageToken(next, binding) };
}

const topicNotFound: AwsErrorSpec = { code: 'NotFound', message: 'Topic does not exist', status: 404 };

/** The topic a parameter names by ARN; `notFound` is the operation's own error for an unknown one. */
function findTopic(params: URLSearchParams, ctx: ServiceContext, topics: readonly SandboxTopic[], param = 'TopicArn', notFound = topicNotFound): { topic: SandboxTopic; arn: string } {
  const arn = params.get(param);
  if (!arn) throw new AwsError(invalidParameter(param));
  const parts = arn.split(':');
  if (parts.length !== 6 || parts[0] !== 'arn' || parts[2] !== 'sns') throw new AwsError(invalidParameter(param));
  const topic = parts[3] === ctx.region && parts[4] === ctx.account.AccountId ? topics.find((t) => t.Name === parts[5]) : undefined;
  if (!topic) throw new AwsError(notFound);
  return { topic, arn };
}

const subscriptionArn = (arn: string, topic: SandboxTopic, index: number) => {
  const sub = topic.Subscriptions![index]!;
  return sub.Confirmed === false ? 'PendingConfirmation' : `${arn}:${sub.Id ?? `0000${index}-5e1c-4f7a-9b2d-${String(index).padStart(12, '0')}`}`;
};

type Serve = (params: URLSearchParams, topics: readonly SandboxTopic[], ctx: ServiceContext) => XmlValue;

const SERVE: Record<string, Serve> = {
  ListTopics(params, topics, ctx) {
    const arns = topics.map((t) => topicArn(ctx.account.AccountId, ctx.region, t.Name));
    const { page: listed, next } = page('ListTopics', params, arns);
    return { Topics: list('member', listed.map((TopicArn) => ({ TopicArn }))), NextToken: next };
  },
  GetTopicAttributes(params, topics, ctx) {
    const { topic, arn } = findTopic(params, ctx, topics);
    const subs = topic.Subscriptions ?? [];
    const policy = topic.Policy ?? defaultPolicy(arn, ctx.account.AccountId);
    const attributes: Record<string, string> = {
      TopicArn: arn,
      Owner: ctx.account.AccountId,
      Policy: typeof policy === 'string' ? policy : JSON.stringify(policy),
      DisplayName: topic.DisplayName ?? '',
      SubscriptionsConfirmed: String(subs.filter((s) => s.Confirmed !== false).length),
      SubscriptionsPending: String(subs.filter((s) => s.Confirmed === false).length),
      SubscriptionsDeleted: '0',
      EffectiveDeliveryPolicy: JSON.stringify({ http: { defaultHealthyRetryPolicy: { numRetries: 3, minDelayTarget: 20, maxDelayTarget: 20 } } }),
      ...(topic.KmsMasterKeyId ? { KmsMasterKeyId: topic.KmsMasterKeyId } : {}),
      ...(topic.Name.endsWith('.fifo') ? { FifoTopic: 'true' } : {}),
    };
    return { Attributes: list('entry', Object.entries(attributes).map(([key, value]) => ({ key, value }))) };
  },
  ListSubscriptionsByTopic(params, topics, ctx) {
    const { topic, arn } = findTopic(params, ctx, topics);
    const subs = (topic.Subscriptions ?? []).map((s, i) => ({
      SubscriptionArn: subscriptionArn(arn, topic, i),
      Owner: s.Owner ?? ctx.account.AccountId,
      Protocol: s.Protocol,
      Endpoint: s.Endpoint,
      TopicArn: arn,
    }));
    const { page: listed, next } = page('ListSubscriptionsByTopic', params, subs);
    return { Subscriptions: list('member', listed), NextToken: next };
  },
  ListTagsForResource(params, topics, ctx) {
    const { topic } = findTopic(params, ctx, topics, 'ResourceArn', { code: 'ResourceNotFound', message: 'Resource does not exist', status: 404 });
    return { Tags: list('member', Object.entries(topic.Tags ?? {}).map(([Key, Value]) => ({ Key, Value }))) };
  },
};

export const snsModule: ServiceModule = {
  name: 'sns',
  protocol: 'Query (XML)',
  readOperations: new Set(Object.keys(SERVE)),
  matches: (req) => req.signingService === 'sns',
  identify(req) {
    const params = queryParams(req);
    const action = queryAction(params);
    if (!action) throw new AwsError(missingAction());
    const arn = params.get('TopicArn') ?? params.get('ResourceArn');
    return { operation: action, resources: arn ? [arn] : [] };
  },
  serve(req, operation, ctx) {
    const region = regionResources(ctx);
    if (!region) throw new AwsError(invalidClientTokenId());
    return queryResponse(operation, SERVE[operation]!(queryParams(req), region.SNS?.Topics ?? [], ctx), XMLNS, req.requestId);
  },
  renderError: (req, error) => queryError(error.code === 'InternalError' ? { ...error, code: 'InternalError' } : error, XMLNS, req.requestId),
  accessDenied: (operation, resource, ctx) =>
    regionResources(ctx)
      ? {
          code: 'AuthorizationError',
          message: `User: ${ctx.account.CallerIdentity!.Arn} is not authorized to perform: SNS:${operation} on resource: ${resource ?? '*'} because no identity-based policy allows the SNS:${operation} action`,
          status: 403,
        }
      : invalidClientTokenId(),
  throttled: () => ({ code: 'Throttling', message: 'Rate exceeded', status: 400 }),
  isKnownOperation: async (operation) => (await sdkOperations('@aws-sdk/client-sns')).has(operation),
  unknownOperation: invalidAction,
};
