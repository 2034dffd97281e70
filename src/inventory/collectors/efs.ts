/** EFS, per region: the file systems. */
import { paginateDescribeFileSystems } from '@aws-sdk/client-efs';
import { collectPages } from '../../aws/paginate.js';
import { read, type CollectorContext, type CollectorReads } from '../context.js';
import type { EfsInventory } from '../snapshot.js';

export const EFS_READS = {
  'efs:DescribeFileSystems': [],
} satisfies CollectorReads;

export async function collectEfs(ctx: CollectorContext, region: string): Promise<EfsInventory> {
  const client = ctx.session.client('efs', region);
  const fileSystems = await read(ctx, { service: 'efs', region, operation: 'DescribeFileSystems' }, () =>
    collectPages(paginateDescribeFileSystems({ client }, {}), (p) => p.FileSystems),
  );
  ctx.progress?.({ service: 'efs', region, done: true });
  return { fileSystems };
}
