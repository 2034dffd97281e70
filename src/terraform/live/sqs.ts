/**
 * SQS queues and queue policies. Compared on `aws_sqs_queue`: what a person sets and SQS keeps
 * (timeouts, sizes, FIFO settings, encryption, redrive policies, tags) and its `policy`, which
 * the provider refreshes into the queue (`terraform plan -refresh-only` shows a policy added in
 * the console as `+ policy` there). When the state has an `aws_sqs_queue_policy` for the queue,
 * the policy is compared on that resource instead, never twice (as the S3 bucket's split
 * resources). Import ids as the provider documents them: the queue URL, for both.
 */
import type { SqsQueue } from '../../inventory/snapshot.js';
import { lookupRegional, readValue, stringAttr, unreadParts, type LiveInventory, type Regional, type RegionalIndex } from './inventory.js';
import { memo } from './memo.js';
import type { ComparedAttribute, LiveObject, LiveTypeSpec } from './types.js';

const queueClaimKey = (url: string | undefined) => (url ? `sqs-queue:${url}` : undefined);

/** Queues by ARN; `byUrl` maps each queue URL to its ARN. */
const queues = memo((live): RegionalIndex<SqsQueue> & { byUrl: Map<string, string> } => {
  const items = new Map<string, Regional<SqsQueue>>();
  const byUrl = new Map<string, string>();
  const errors: string[] = live.snapshot.sqs ? [] : ['ListQueues was not collected'];
  for (const [region, part] of Object.entries(live.snapshot.sqs ?? {})) {
    if (part.queues.error) errors.push(`${region}: ${part.queues.error.code}`);
    for (const queue of part.queues.value ?? []) {
      items.set(queue.arn, { region, value: queue });
      byUrl.set(queue.url, queue.arn);
    }
  }
  return { items, errors, operation: 'ListQueues', byUrl };
});

/**
 * The ARN a queue URL names: https://sqs.<region>.amazonaws.com/<account>/<name> (the legacy
 * https://queue.amazonaws.com/… is us-east-1's), or the URL as the listing gave it.
 */
function arnOfUrl(url: string | undefined, live: LiveInventory): string | undefined {
  if (!url) return undefined;
  const listed = queues(live).byUrl.get(url);
  if (listed) return listed;
  const m = /^https?:\/\/(?:sqs\.([a-z0-9-]+)|queue)\.amazonaws\.com(?:\.cn)?\/(\d{12})\/([^/]+)$/.exec(url);
  return m ? `arn:${live.partition}:sqs:${m[1] ?? 'us-east-1'}:${m[2]}:${m[3]}` : undefined;
}

const number = (fallback: number) => (value: unknown) => {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : fallback;
};

/** A JSON policy-like attribute (redrive_policy) as an object: key order, whitespace and "5" vs 5 aside. */
function jsonObject(value: unknown): unknown {
  if (typeof value !== 'string' || value.trim() === '') return null;
  try {
    const parsed = JSON.parse(value) as Record<string, unknown>;
    if (parsed && typeof parsed === 'object' && 'maxReceiveCount' in parsed) parsed.maxReceiveCount = Number(parsed.maxReceiveCount);
    return parsed;
  } catch {
    return value;
  }
}

/** An attribute SQS answers as a string, with the provider's default when SQS leaves it out. */
const attribute = (path: string, api: string, parse: (value: unknown) => unknown) => ({
  compared: { path, kind: 'value' as const, normalize: (a: Record<string, unknown>) => parse(a[path]) },
  live: (attributes: Record<string, string>) => parse(attributes[api]),
});

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const flag = (value: unknown) => value === true || value === 'true';

const ATTRIBUTES = [
  attribute('visibility_timeout_seconds', 'VisibilityTimeout', number(30)),
  attribute('message_retention_seconds', 'MessageRetentionPeriod', number(345600)),
  attribute('max_message_size', 'MaximumMessageSize', number(262144)),
  attribute('delay_seconds', 'DelaySeconds', number(0)),
  attribute('receive_wait_time_seconds', 'ReceiveMessageWaitTimeSeconds', number(0)),
  attribute('fifo_queue', 'FifoQueue', flag),
  attribute('content_based_deduplication', 'ContentBasedDeduplication', flag),
  attribute('kms_master_key_id', 'KmsMasterKeyId', text),
  attribute('redrive_policy', 'RedrivePolicy', jsonObject),
  attribute('redrive_allow_policy', 'RedriveAllowPolicy', jsonObject),
];

/** Compared only when the state has them: FIFO-only settings, and SQS-managed SSE (computed by older providers). */
const OPTIONAL = [
  attribute('deduplication_scope', 'DeduplicationScope', text),
  attribute('fifo_throughput_limit', 'FifoThroughputLimit', text),
  attribute('sqs_managed_sse_enabled', 'SqsManagedSseEnabled', flag),
];

// The data key reuse period matters only with a KMS key: SQS reports it then, the provider keeps 300 otherwise.
const KMS_REUSE = attribute('kms_data_key_reuse_period_seconds', 'KmsDataKeyReusePeriodSeconds', number(300));

const queue: LiveTypeSpec = {
  type: 'aws_sqs_queue',
  importIdFormat: 'queue URL',
  compared: [
    ...ATTRIBUTES.map((a) => a.compared),
    ...OPTIONAL.map((a) => ({ ...a.compared, optional: true })),
    { ...KMS_REUSE.compared, normalize: (a) => (text(a.kms_master_key_id) ? KMS_REUSE.compared.normalize(a) : 300) },
    { path: 'policy', kind: 'policy', optional: true },
    { path: 'tags', kind: 'tags' },
  ] satisfies ComparedAttribute[],
  claimKey: (attributes) => queueClaimKey(stringAttr(attributes, 'url') ?? stringAttr(attributes, 'id')),
  resourceIdOf: (attributes, live) => stringAttr(attributes, 'arn') ?? arnOfUrl(stringAttr(attributes, 'id'), live) ?? stringAttr(attributes, 'id') ?? '',
  lookup(attributes, live) {
    const arn = stringAttr(attributes, 'arn') ?? arnOfUrl(stringAttr(attributes, 'url') ?? stringAttr(attributes, 'id'), live);
    const found = lookupRegional(queues(live), arn, live, arn);
    return 'item' in found ? { found: toQueueObject(found.item) } : found;
  },
  enumerate: (live) => [...queues(live).items.values()].flatMap((q) => [toQueueObject(q), ...policyChild(q)]),
};

function toQueueObject({ region, value: q }: Regional<SqsQueue>): LiveObject {
  const attributes = readValue(q.attributes);
  const tags = readValue(q.tags);
  // A read that failed leaves its attributes undefined: not compared, never guessed.
  const live = (a: { compared: { path: string }; live: (attributes: Record<string, string>) => unknown }) => [a.compared.path, attributes ? a.live(attributes) : undefined];
  return {
    type: 'aws_sqs_queue',
    importId: q.url,
    resourceId: q.arn,
    region,
    name: q.name,
    attributes: {
      ...Object.fromEntries([...ATTRIBUTES, ...OPTIONAL].map(live)),
      kms_data_key_reuse_period_seconds: attributes ? (attributes.KmsMasterKeyId ? KMS_REUSE.live(attributes) : 300) : undefined,
      policy: readValue(q.policy),
      tags,
    },
    ...unreadParts(
      [q.attributes, 'GetQueueAttributes', [...ATTRIBUTES, ...OPTIONAL, KMS_REUSE].map((a) => a.compared.path)],
      [q.policy, 'GetQueueAttributes', ['policy']],
      [q.tags, 'ListQueueTags', ['tags']],
    ),
    stub: { name: q.name },
  };
}

function toPolicyObject({ region, value: q }: Regional<SqsQueue>, policy: string): LiveObject {
  return {
    type: 'aws_sqs_queue_policy',
    importId: q.url,
    resourceId: q.arn,
    region,
    name: q.name,
    attributes: { policy },
    stub: { queue_url: q.url, policy },
    parent: { type: 'aws_sqs_queue', importId: q.url, reference: { argument: 'queue_url', attribute: 'id' } },
  };
}

/**
 * An unmanaged queue's policy, imported with it. Never on its own: a managed queue's policy is
 * its `policy` attribute, compared there.
 */
function policyChild(q: Regional<SqsQueue>): LiveObject[] {
  const policy = readValue(q.value.policy);
  return policy ? [{ ...toPolicyObject(q, policy), onlyWithParent: true }] : [];
}

const queuePolicy: LiveTypeSpec = {
  type: 'aws_sqs_queue_policy',
  importIdFormat: 'queue URL',
  compared: [{ path: 'policy', kind: 'policy' }],
  claims: (attributes) => {
    const owner = queueClaimKey(stringAttr(attributes, 'queue_url') ?? stringAttr(attributes, 'id'));
    return owner ? [{ owner, path: 'policy' }] : [];
  },
  resourceIdOf: (attributes, live) => arnOfUrl(stringAttr(attributes, 'queue_url') ?? stringAttr(attributes, 'id'), live) ?? stringAttr(attributes, 'queue_url') ?? '',
  lookup(attributes, live) {
    const arn = arnOfUrl(stringAttr(attributes, 'queue_url') ?? stringAttr(attributes, 'id'), live);
    const found = lookupRegional(queues(live), arn, live, arn);
    if (!('item' in found)) return found;
    const policy = found.item.value.policy;
    if (policy.error) return { unknown: `${policy.error.code}: ${policy.error.message}` };
    return policy.value ? { found: toPolicyObject(found.item, policy.value) } : { gone: true };
  },
};

export const SQS_TYPES: readonly LiveTypeSpec[] = [queue, queuePolicy];
