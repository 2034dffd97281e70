/** SNS, per region: every topic, its attributes (the policy among them), its subscriptions and its tags. */
import { GetTopicAttributesCommand, ListTagsForResourceCommand, paginateListSubscriptionsByTopic, paginateListTopics } from '@aws-sdk/client-sns';
import { collectPages } from '../../aws/paginate.js';
import { mapBounded } from '../bounded.js';
import { read, type CollectorContext, type CollectorReads } from '../context.js';
import type { SnsInventory, SnsTopic } from '../snapshot.js';
import { tagMap } from '../tags.js';

export const SNS_READS = {
  'sns:ListTopics': [],
  'sns:GetTopicAttributes': ['sns:ListTopics'],
  'sns:ListSubscriptionsByTopic': ['sns:ListTopics'],
  'sns:ListTagsForResource': ['sns:ListTopics'],
} satisfies CollectorReads;

export async function collectSns(ctx: CollectorContext, region: string): Promise<SnsInventory> {
  const client = ctx.session.client('sns', region);
  const label = (operation: string, resource?: string) => ({ service: 'sns' as const, region, operation, resource });
  const listed = await read(ctx, label('ListTopics'), () => collectPages(paginateListTopics({ client }, {}), (p) => p.Topics?.map((t) => t.TopicArn ?? '').filter((a) => a)));
  if (listed.error) {
    ctx.progress?.({ service: 'sns', region, done: true });
    return { topics: listed };
  }
  // As many topics at once as the service's concurrency (inventory/bounded.ts).
  const topics = await mapBounded(listed.value, ctx.session.concurrency, async (arn): Promise<SnsTopic> => {
    const [attributes, subscriptions, tags] = await Promise.all([
      read(ctx, label('GetTopicAttributes', arn), async () => (await client.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes ?? {}),
      read(ctx, label('ListSubscriptionsByTopic', arn), () =>
        collectPages(paginateListSubscriptionsByTopic({ client }, { TopicArn: arn }), (p) =>
          p.Subscriptions?.map((s) => ({ subscriptionArn: s.SubscriptionArn ?? '', protocol: s.Protocol ?? '', endpoint: s.Endpoint ?? '', owner: s.Owner })),
        ),
      ),
      read(ctx, label('ListTagsForResource', arn), async () => tagMap((await client.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags)),
    ]);
    return { arn, name: arn.split(':').pop() ?? arn, attributes, subscriptions, tags };
  });
  ctx.progress?.({ service: 'sns', region, done: true });
  return { topics: { value: topics } };
}
