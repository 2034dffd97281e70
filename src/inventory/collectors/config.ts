/** AWS Config, per region: the configuration recorder, its status, and the delivery channel. */
import { DescribeConfigurationRecordersCommand, DescribeConfigurationRecorderStatusCommand, DescribeDeliveryChannelsCommand } from '@aws-sdk/client-config-service';
import { read, type CollectorContext, type CollectorReads } from '../context.js';
import type { ConfigInventory } from '../snapshot.js';

export const CONFIG_READS = {
  'config:DescribeConfigurationRecorders': [],
  'config:DescribeConfigurationRecorderStatus': [],
  'config:DescribeDeliveryChannels': [],
} satisfies CollectorReads;

export async function collectConfig(ctx: CollectorContext, region: string): Promise<ConfigInventory> {
  const client = ctx.session.client('config', region);
  const label = (operation: string) => ({ service: 'config' as const, region, operation });
  const [recorders, recorderStatus, deliveryChannels] = await Promise.all([
    read(ctx, label('DescribeConfigurationRecorders'), async () => (await client.send(new DescribeConfigurationRecordersCommand({}))).ConfigurationRecorders ?? []),
    read(ctx, label('DescribeConfigurationRecorderStatus'), async () => (await client.send(new DescribeConfigurationRecorderStatusCommand({}))).ConfigurationRecordersStatus ?? []),
    read(ctx, label('DescribeDeliveryChannels'), async () => (await client.send(new DescribeDeliveryChannelsCommand({}))).DeliveryChannels ?? []),
  ]);
  ctx.progress?.({ service: 'config', region, done: true });
  return { recorders, recorderStatus, deliveryChannels };
}
