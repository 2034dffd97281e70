/**
 * SQS as the current SDK client speaks it: awsJson1_0 with awsQueryCompatible (X-Amz-Target
 * AmazonSQS.<Op>, JSON bodies, errors as {"__type": "com.amazonaws.sqs#…", "message"} plus
 * `x-amzn-query-error: <QueryCode>;Sender`, which the SDK reads to name the error).
 * Serves ListQueues, GetQueueAttributes and ListQueueTags over `Regions.<r>.SQS.Queues`.
 *
 * Queue URLs are AWS's own (https://sqs.<region>.amazonaws.com/<account>/<name>); a client with
 * an explicit endpoint (the sandbox's) keeps sending to that endpoint. A region the account
 * file does not list answers InvalidClientTokenId, as SQS does for a region never enabled.
 */
import type { SandboxQueue } from '../account/model.js';
import { jsonBody, jsonError, jsonResponse, jsonTargetOperation } from '../protocol/json.js';
import { AwsError, type AwsErrorSpec, type SandboxRequest, type ServiceContext, type ServiceModule } from '../types.js';
import { decodePageToken, encodePageToken, pageOf, regionResources } from './regional.js';
import { sdkOperations } from './sdk-operations.js';

const SERVICE_TARGET = 'AmazonSQS';

/** Query error code -> the JSON error shape (__type) SQS sends with it. */
const JSON_ERROR_TYPES: Readonly<Record<string, string>> = {
  'AWS.SimpleQueueService.NonExistentQueue': 'com.amazonaws.sqs#QueueDoesNotExist',
  InvalidAttributeName: 'com.amazonaws.sqs#InvalidAttributeName',
  InvalidAddress: 'com.amazonaws.sqs#InvalidAddress',
  InvalidParameterValue: 'com.amazon.coral.validate#ValidationException',
  AccessDenied: 'com.amazon.coral.service#AccessDeniedException',
  RequestThrottled: 'com.amazonaws.sqs#RequestThrottled',
  InvalidClientTokenId: 'com.amazon.coral.service#UnrecognizedClientException',
  InternalError: 'com.amazon.coral.service#InternalFailure',
  UnknownOperation: 'com.amazon.coral.service#UnknownOperationException',
  SerializationException: 'com.amazon.coral.service#SerializationException',
};

/** The attributes GetQueueAttributes knows (AttributeNames "All" returns those the queue has). */
const ATTRIBUTE_NAMES = new Set([
  'All', 'Policy', 'VisibilityTimeout', 'MaximumMessageSize', 'MessageRetentionPeriod', 'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible', 'CreatedTimestamp', 'LastModifiedTimestamp', 'QueueArn', 'ApproximateNumberOfMessagesDelayed',
  'DelaySeconds', 'ReceiveMessageWaitTimeSeconds', 'RedrivePolicy', 'FifoQueue', 'ContentBasedDeduplication', 'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds', 'DeduplicationScope', 'FifoThroughputLimit', 'RedriveAllowPolicy', 'SqsManagedSseEnabled',
]); // prettier-ignore

type Json = Record<string, unknown>;

const invalidValue = (message: string): AwsErrorSpec => ({ code: 'InvalidParameterValue', message, status: 400 });
const notEnabled = (): AwsErrorSpec => ({ code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.', status: 403 });
const noSuchQueue = (): AwsErrorSpec => ({ code: 'AWS.SimpleQueueService.NonExistentQueue', message: 'The specified queue does not exist.', status: 400 });

export const queueUrl = (region: string, accountId: string, name: string) => `https://sqs.${region}.amazonaws.com/${accountId}/${name}`;
export const queueArn = (region: string, accountId: string, name: string) => `arn:aws:sqs:${region}:${accountId}:${name}`;

/** The queue a QueueUrl names: any host (the SDK may send the sandbox's), path /<account>/<name>. */
function queueOfUrl(url: unknown, ctx: ServiceContext): SandboxQueue {
  if (typeof url !== 'string' || url === '') throw new AwsError(invalidValue('Value for parameter QueueUrl is invalid. Reason: Must specify a queue URL.'));
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    throw new AwsError({ code: 'InvalidAddress', message: `The address ${url} is not valid for this endpoint.`, status: 404 });
  }
  const [, account, name, extra] = path.split('/');
  if (!account || !name || extra !== undefined) throw new AwsError({ code: 'InvalidAddress', message: `The address ${url} is not valid for this endpoint.`, status: 404 });
  const queue = account === ctx.account.AccountId ? (regionResources(ctx)?.SQS?.Queues ?? []).find((q) => q.QueueName === name) : undefined;
  if (!queue) throw new AwsError(noSuchQueue());
  return queue;
}

function listQueues(body: Json, ctx: ServiceContext): Json {
  const prefix = body.QueueNamePrefix;
  if (prefix !== undefined && typeof prefix !== 'string') throw new AwsError(invalidValue('Value for parameter QueueNamePrefix is invalid.'));
  const max = body.MaxResults;
  if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 1000))
    throw new AwsError(invalidValue('Value for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.'));
  const token = body.NextToken;
  if (token !== undefined && max === undefined) throw new AwsError(invalidValue('Value for parameter NextToken is invalid. Reason: MaxResults is required with NextToken.'));
  const names = (regionResources(ctx)?.SQS?.Queues ?? []).map((q) => q.QueueName).filter((n) => !prefix || n.startsWith(prefix));
  const binding = `ListQueues?${prefix ?? ''}`;
  let offset = 0;
  if (typeof token === 'string' && token !== '') {
    const decoded = decodePageToken(token, binding);
    if (decoded === undefined) throw new AwsError(invalidValue('Invalid NextToken value.'));
    offset = decoded;
  }
  // Without MaxResults SQS answers at most 1000 queues and no token.
  const { page, next } = pageOf(names, offset, typeof max === 'number' ? max : 1000);
  const out: Json = {};
  // An empty listing is `{}`: SQS leaves QueueUrls out rather than sending [].
  if (page.length) out.QueueUrls = page.map((n) => queueUrl(ctx.region, ctx.account.AccountId, n));
  if (next !== undefined && typeof max === 'number') out.NextToken = encodePageToken(next, binding);
  return out;
}

function getQueueAttributes(body: Json, ctx: ServiceContext): Json {
  const queue = queueOfUrl(body.QueueUrl, ctx);
  const requested = body.AttributeNames ?? [];
  if (!Array.isArray(requested) || !requested.every((n) => typeof n === 'string')) throw new AwsError(invalidValue('Value for parameter AttributeNames is invalid.'));
  const unknown = requested.find((n) => !ATTRIBUTE_NAMES.has(n as string));
  if (unknown !== undefined) throw new AwsError({ code: 'InvalidAttributeName', message: `Unknown Attribute ${String(unknown)}.`, status: 400 });
  const fifo = queue.QueueName.endsWith('.fifo');
  const all: Record<string, string> = {
    QueueArn: queueArn(ctx.region, ctx.account.AccountId, queue.QueueName),
    VisibilityTimeout: '30',
    MaximumMessageSize: '262144',
    MessageRetentionPeriod: '345600',
    DelaySeconds: '0',
    ReceiveMessageWaitTimeSeconds: '0',
    SqsManagedSseEnabled: queue.Attributes?.KmsMasterKeyId ? 'false' : 'true',
    // SQS reports the data key reuse period only for a queue encrypted with a KMS key.
    ...(queue.Attributes?.KmsMasterKeyId ? { KmsDataKeyReusePeriodSeconds: '300' } : {}),
    ...(fifo ? { FifoQueue: 'true', ContentBasedDeduplication: 'false', DeduplicationScope: 'queue', FifoThroughputLimit: 'perQueue' } : {}),
    ...queue.Attributes,
  };
  if (queue.Policy !== undefined) all.Policy = typeof queue.Policy === 'string' ? queue.Policy : JSON.stringify(queue.Policy);
  const wanted = requested.includes('All') ? Object.keys(all) : (requested as string[]);
  const attributes = Object.fromEntries(wanted.filter((n) => all[n] !== undefined).map((n) => [n, all[n]!]));
  // A queue with none of the asked attributes answers `{}`, not an empty map.
  return Object.keys(attributes).length ? { Attributes: attributes } : {};
}

function listQueueTags(body: Json, ctx: ServiceContext): Json {
  const queue = queueOfUrl(body.QueueUrl, ctx);
  // A queue without tags answers `{}`: SQS leaves Tags out rather than sending {}.
  return queue.Tags && Object.keys(queue.Tags).length ? { Tags: queue.Tags } : {};
}

const SERVE: Record<string, (body: Json, ctx: ServiceContext) => Json> = {
  ListQueues: listQueues,
  GetQueueAttributes: getQueueAttributes,
  ListQueueTags: listQueueTags,
};

/** The queue ARN a request names (its QueueUrl), for --deny. */
function requestedQueue(req: SandboxRequest, ctx: ServiceContext): string[] {
  const url = jsonBody(req)?.QueueUrl;
  if (typeof url !== 'string') return [];
  try {
    const [, account, name] = new URL(url).pathname.split('/');
    return account && name ? [queueArn(ctx.region, account, name)] : [];
  } catch {
    return [];
  }
}

export const sqsModule: ServiceModule = {
  name: 'sqs',
  protocol: 'JSON 1.0 (awsQueryCompatible)',
  readOperations: new Set(Object.keys(SERVE)),
  matches: (req) => req.signingService === 'sqs',
  identify(req, ctx) {
    const operation = jsonTargetOperation(req, SERVICE_TARGET);
    if (!operation) throw new AwsError({ code: 'UnknownOperation', message: 'The request does not name an SQS operation in X-Amz-Target.', status: 400 });
    return { operation, resources: requestedQueue(req, ctx) };
  },
  serve(req, operation, ctx) {
    if (!regionResources(ctx)) throw new AwsError(notEnabled());
    const body = jsonBody(req);
    if (!body) throw new AwsError({ code: 'SerializationException', message: 'The request body is not a JSON object.', status: 400 });
    return jsonResponse(SERVE[operation]!(body, ctx), req.requestId);
  },
  renderError(req, error) {
    const type = JSON_ERROR_TYPES[error.code] ?? JSON_ERROR_TYPES.InternalError!;
    return jsonError(error, req.requestId, { type, queryCode: error.code });
  },
  accessDenied: (operation, resource, ctx) =>
    regionResources(ctx)
      ? {
          code: 'AccessDenied',
          message:
            `User: ${ctx.account.CallerIdentity!.Arn} is not authorized to perform: sqs:${operation.toLowerCase()}` +
            ` on resource: ${resource ?? `arn:aws:sqs:${ctx.region}:${ctx.account.AccountId}:`} because no identity-based policy allows the sqs:${operation} action`,
          status: 403,
        }
      : notEnabled(),
  throttled: () => ({ code: 'RequestThrottled', message: 'Request is throttled.', status: 400 }),
  isKnownOperation: async (operation) => (await sdkOperations('@aws-sdk/client-sqs')).has(operation),
  unknownOperation: (operation) => ({ code: 'UnknownOperation', message: `The operation ${operation} is not known to SQS.`, status: 400 }),
};
