/**
 * CloudTrail, per region: the trails the region lists, and for each trail (once, in its home
 * region) whether it is logging and which events it records.
 */
import { DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { read, type CollectorContext, type CollectorReads } from '../context.js';
import type { CloudTrailInventory, CloudTrailTrail } from '../snapshot.js';
import { mapBounded } from '../bounded.js';

export const CLOUDTRAIL_READS = {
  'cloudtrail:DescribeTrails': [],
  'cloudtrail:GetTrailStatus': ['cloudtrail:DescribeTrails'],
  'cloudtrail:GetEventSelectors': ['cloudtrail:DescribeTrails'],
} satisfies CollectorReads;

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
  ctx.progress?.({ service: 'cloudtrail', region, done: true });
  return { trails: { value: trails } };
}
