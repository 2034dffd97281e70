/**
 * CloudTrail, per region: the trails the region lists, and for each trail (once, in its home
 * region) whether it is logging, which events it records and its tags.
 */
import { DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand, paginateListTags } from '@aws-sdk/client-cloudtrail';
import { collectPages } from '../../aws/paginate.js';
import { read, type CollectorContext, type CollectorReads } from '../context.js';
import type { CloudTrailInventory, CloudTrailTrail, Read } from '../snapshot.js';
import { mapBounded } from '../bounded.js';
import { tagMap } from '../tags.js';

export const CLOUDTRAIL_READS = {
  'cloudtrail:DescribeTrails': [],
  'cloudtrail:GetTrailStatus': ['cloudtrail:DescribeTrails'],
  'cloudtrail:GetEventSelectors': ['cloudtrail:DescribeTrails'],
  'cloudtrail:ListTags': ['cloudtrail:DescribeTrails'],
} satisfies CollectorReads;

/** ListTags takes at most 20 trail ARNs a call. */
export const MAX_TRAILS_PER_LIST_TAGS = 20;

export async function collectCloudTrail(ctx: CollectorContext, region: string): Promise<CloudTrailInventory> {
  const client = ctx.session.client('cloudtrail', region);
  const label = (operation: string, resource?: string) => ({ service: 'cloudtrail' as const, region, operation, resource });
  const listed = await read(ctx, label('DescribeTrails'), async () => (await client.send(new DescribeTrailsCommand({ includeShadowTrails: true }))).trailList ?? []);
  if (listed.error) {
    ctx.progress?.({ service: 'cloudtrail', region, done: true });
    return { trails: listed };
  }
  const trails = await mapBounded(listed.value, ctx.session.concurrency, async (trail): Promise<CloudTrailTrail> => {
    const arn = trail.TrailARN ?? `arn:${ctx.partition}:cloudtrail:${trail.HomeRegion ?? region}:${ctx.accountId}:trail/${trail.Name}`;
    const homeRegion = trail.HomeRegion ?? region;
    const entry: CloudTrailTrail = { arn, name: trail.Name ?? arn, homeRegion, trail };
    // A multi-region trail is listed in every region: read it once, where it lives.
    if (homeRegion !== region && ctx.regions.includes(homeRegion)) return entry;
    // A shadow trail answers to its ARN only.
    const [status, eventSelectors] = await Promise.all([
      read(ctx, label('GetTrailStatus', arn), async () => {
        const out = await client.send(new GetTrailStatusCommand({ Name: arn }));
        return { isLogging: out.IsLogging === true, ...(out.LatestDeliveryTime ? { latestDeliveryTime: out.LatestDeliveryTime } : {}) };
      }),
      read(ctx, label('GetEventSelectors', arn), async () => {
        const out = await client.send(new GetEventSelectorsCommand({ TrailName: arn }));
        return { basic: out.EventSelectors ?? [], advanced: out.AdvancedEventSelectors ?? [] };
      }),
    ]);
    return { ...entry, status, eventSelectors };
  }, ctx.session.work('cloudtrail'));
  const tags = await trailTags(ctx, trails.filter((t) => t.status !== undefined));
  ctx.progress?.({ service: 'cloudtrail', region, done: true });
  return { trails: { value: trails.map((t) => (tags.has(t.arn) ? { ...t, tags: tags.get(t.arn)! } : t)) } };
}

/**
 * The tags of the trails this region reads, 20 ARNs a ListTags call, each call in the trails' home
 * region: CloudTrail lists a trail's tags there only (elsewhere the ARN's region is "wrong"), and
 * only the owner account's (an organization trail of the management account is left out).
 * A failed call is the error of each trail it asked about.
 */
async function trailTags(ctx: CollectorContext, trails: readonly CloudTrailTrail[]): Promise<Map<string, Read<Record<string, string>>>> {
  const byHome = new Map<string, string[]>();
  for (const t of trails) if (t.arn.split(':')[4] === ctx.accountId) byHome.set(t.homeRegion, [...(byHome.get(t.homeRegion) ?? []), t.arn]);
  const batches = [...byHome].flatMap(([home, arns]) => Array.from({ length: Math.ceil(arns.length / MAX_TRAILS_PER_LIST_TAGS) }, (_, i) => ({ home, arns: arns.slice(i * MAX_TRAILS_PER_LIST_TAGS, (i + 1) * MAX_TRAILS_PER_LIST_TAGS) })));
  const out = new Map<string, Read<Record<string, string>>>();
  await mapBounded(batches, ctx.session.concurrency, async ({ home, arns }) => {
    const client = ctx.session.client('cloudtrail', home);
    const listed = await read(ctx, { service: 'cloudtrail', region: home, operation: 'ListTags', resource: arns.join(',') }, () =>
      collectPages(paginateListTags({ client }, { ResourceIdList: arns }), (p) => p.ResourceTagList),
    );
    const byArn = new Map((listed.value ?? []).map((r) => [r.ResourceId, tagMap(r.TagsList)]));
    for (const arn of arns) out.set(arn, listed.error ? listed : { value: byArn.get(arn) ?? {} });
  });
  return out;
}
