/** SQS, per region: every queue, its attributes with its resource policy (GetQueueAttributes "All"), and its tags. */
import { GetQueueAttributesCommand, ListQueueTagsCommand, paginateListQueues } from '@aws-sdk/client-sqs';
import { collectPages } from '../../aws/paginate.js';
import { read, type CollectorContext, type CollectorReads } from '../context.js';
import type { SqsInventory, SqsQueue } from '../snapshot.js';
import { mapBounded } from '../bounded.js';

export const SQS_READS = {
  'sqs:ListQueues': [],
  'sqs:GetQueueAttributes': ['sqs:ListQueues'],
  'sqs:ListQueueTags': ['sqs:ListQueues'],
} satisfies CollectorReads;

/** A queue URL is https://sqs.<region>.amazonaws.com/<account>/<name>: the ARN follows from it. */
export function queueOfUrl(url: string, region: string, partition: string, fallbackAccount: string): Pick<SqsQueue, 'name' | 'url' | 'arn'> {
  const segments = url.replace(/^[a-z]+:\/\/[^/]+/i, '').split('/').filter(Boolean);
  const name = segments.at(-1) ?? url;
  const account = segments.length >= 2 && /^\d{12}$/.test(segments.at(-2)!) ? segments.at(-2)! : fallbackAccount;
  return { name, url, arn: `arn:${partition}:sqs:${region}:${account}:${name}` };
}

export async function collectSqs(ctx: CollectorContext, region: string): Promise<SqsInventory> {
  const client = ctx.session.client('sqs', region);
  const label = (operation: string, resource?: string) => ({ service: 'sqs' as const, region, operation, resource });
  // Without MaxResults SQS returns at most 1000 queues and no token: ask for pages so none is left out.
  const listed = await read(ctx, label('ListQueues'), () => collectPages(paginateListQueues({ client, pageSize: 1000 }, {}), (p) => p.QueueUrls));
  if (listed.error) {
    ctx.progress?.({ service: 'sqs', region, done: true });
    return { queues: listed };
  }
  const queues = await mapBounded(listed.value, ctx.session.concurrency, async (url): Promise<SqsQueue> => {
    const queue = queueOfUrl(url, region, ctx.partition, ctx.accountId);
    const [all, tags] = await Promise.all([
      read(ctx, label('GetQueueAttributes', queue.arn), async () => (await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes ?? {}),
      read(ctx, label('ListQueueTags', queue.arn), async () => (await client.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags ?? {}),
    ]);
    if (all.error) return { ...queue, policy: all, attributes: all, tags };
    const { Policy, ...attributes } = all.value;
    return { ...queue, policy: { value: Policy ?? null }, attributes: { value: attributes }, tags };
  }, ctx.session.work('sqs'));
  ctx.progress?.({ service: 'sqs', region, done: true });
  return { queues: { value: queues } };
}
