/** S3 Control: the account-level Block Public Access, which overrides every bucket's own. */
import { GetPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { read, type CollectorContext, type CollectorReads } from '../context.js';
import type { S3ControlInventory } from '../snapshot.js';

export const S3CONTROL_READS = { 's3control:GetPublicAccessBlock': [] } satisfies CollectorReads;

export async function collectS3Control(ctx: CollectorContext): Promise<S3ControlInventory> {
  const region = ctx.session.defaultRegion;
  const publicAccessBlock = await read(
    ctx,
    { service: 's3control', region, operation: 'GetPublicAccessBlock', resource: ctx.accountId },
    async () =>
      (await ctx.session.client('s3control', region).send(new GetPublicAccessBlockCommand({ AccountId: ctx.accountId }))).PublicAccessBlockConfiguration ??
      null,
    ['NoSuchPublicAccessBlockConfiguration'],
  );
  return { publicAccessBlock };
}
