/**
 * S3: every bucket, and for each its policy, ACL, Block Public Access, ownership controls,
 * default encryption, versioning, logging and tags, read in parallel under the S3 limit.
 * Per-bucket calls go to the bucket's own region (ListBuckets' BucketRegion, else
 * GetBucketLocation), as S3 answers a wrong-region call with a redirect.
 */
import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  paginateListBuckets,
  type Bucket,
} from '@aws-sdk/client-s3';
import { collectPages } from '../../aws/paginate.js';
import { read, type CollectorContext, type CollectorReads } from '../context.js';
import type { Read, S3Bucket, S3Inventory } from '../snapshot.js';
import { mapBounded } from '../bounded.js';

/** A per-bucket read needs the bucket list, and the bucket's region to send it to. */
const PER_BUCKET = ['s3:ListBuckets', 's3:GetBucketLocation'] as const;

export const S3_READS = {
  's3:ListBuckets': [],
  's3:GetBucketLocation': ['s3:ListBuckets'],
  's3:GetBucketPolicy': PER_BUCKET,
  's3:GetBucketAcl': PER_BUCKET,
  's3:GetPublicAccessBlock': PER_BUCKET,
  's3:GetBucketOwnershipControls': PER_BUCKET,
  's3:GetBucketEncryption': PER_BUCKET,
  's3:GetBucketVersioning': PER_BUCKET,
  's3:GetBucketLogging': PER_BUCKET,
  's3:GetBucketTagging': PER_BUCKET,
} satisfies CollectorReads;

/** GetBucketLocation's LocationConstraint: empty means us-east-1, and "EU" is the legacy name of eu-west-1. */
export function regionFromLocationConstraint(constraint: string | undefined | null): string {
  if (!constraint) return 'us-east-1';
  if (constraint === 'EU') return 'eu-west-1';
  return constraint;
}

export async function collectS3(ctx: CollectorContext): Promise<S3Inventory> {
  const { session } = ctx;
  const region = session.defaultRegion;
  const listed = await read(ctx, { service: 's3', region, operation: 'ListBuckets' }, () =>
    collectPages(paginateListBuckets({ client: session.client('s3', region) }, {}), (page) => page.Buckets),
  );
  if (listed.error) return { buckets: listed };
  const collected = await mapBounded(listed.value.filter((b): b is Bucket & { Name: string } => !!b.Name), ctx.session.concurrency, (b) => collectBucket(ctx, b), ctx.session.work('s3'));
  const buckets = collected.filter((b): b is S3Bucket => b !== undefined);
  ctx.progress?.({ service: 's3', region: 'global', done: true });
  return ctx.bucketRegions ? { buckets: { value: buckets }, bucketsOutsideRegions: collected.length - buckets.length } : { buckets: { value: buckets } };
}

/** A bucket's reads, or undefined for a bucket outside `ctx.bucketRegions` (nothing more is read about it). */
async function collectBucket(ctx: CollectorContext, bucket: Bucket & { Name: string }): Promise<S3Bucket | undefined> {
  const Bucket = bucket.Name;
  const arn = `arn:${ctx.partition}:s3:::${Bucket}`;
  const label = (operation: string, region: string) => ({ service: 's3' as const, region, operation, resource: arn });

  let region: Read<string>;
  if (bucket.BucketRegion) region = { value: bucket.BucketRegion };
  else {
    const home = ctx.session.defaultRegion;
    region = await read(ctx, label('GetBucketLocation', home), async () =>
      regionFromLocationConstraint((await ctx.session.client('s3', home).send(new GetBucketLocationCommand({ Bucket }))).LocationConstraint),
    );
  }
  if (ctx.bucketRegions && region.value !== undefined && !ctx.bucketRegions.has(region.value)) return undefined;
  // Without the location the calls below go to the default region; AWS would redirect them
  // and fail, the sandbox answers them: either way each read records its own outcome.
  const at = region.value ?? ctx.session.defaultRegion;
  const s3 = ctx.session.client('s3', at);

  const [policy, acl, publicAccessBlock, ownershipControls, encryption, versioning, logging, tags] = await Promise.all([
    read(ctx, label('GetBucketPolicy', at), async () => (await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy ?? null, ['NoSuchBucketPolicy']),
    read(ctx, label('GetBucketAcl', at), async () => {
      const out = await s3.send(new GetBucketAclCommand({ Bucket }));
      return { owner: out.Owner, grants: out.Grants ?? [] };
    }),
    read(
      ctx,
      label('GetPublicAccessBlock', at),
      async () => (await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration ?? null,
      ['NoSuchPublicAccessBlockConfiguration'],
    ),
    read(
      ctx,
      label('GetBucketOwnershipControls', at),
      async () => (await s3.send(new GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls ?? null,
      ['OwnershipControlsNotFoundError'],
    ),
    read(
      ctx,
      label('GetBucketEncryption', at),
      async () => (await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration ?? null,
      ['ServerSideEncryptionConfigurationNotFoundError'],
    ),
    read(ctx, label('GetBucketVersioning', at), async () => {
      const out = await s3.send(new GetBucketVersioningCommand({ Bucket }));
      return { status: out.Status, mfaDelete: out.MFADelete };
    }),
    read(ctx, label('GetBucketLogging', at), async () => (await s3.send(new GetBucketLoggingCommand({ Bucket }))).LoggingEnabled ?? null),
    read(ctx, label('GetBucketTagging', at), async () => (await s3.send(new GetBucketTaggingCommand({ Bucket }))).TagSet ?? [], ['NoSuchTagSet']).then(
      (r): Read<NonNullable<typeof r.value>> => (r.error ? r : { value: r.value ?? [] }),
    ),
  ]);
  return { name: Bucket, arn, creationDate: bucket.CreationDate, region, policy, acl, publicAccessBlock, ownershipControls, encryption, versioning, logging, tags };
}
