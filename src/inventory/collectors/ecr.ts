/** ECR, per region: the private registry's repositories, each with its repository policy and tags. */
import { GetRepositoryPolicyCommand, ListTagsForResourceCommand, paginateDescribeRepositories } from '@aws-sdk/client-ecr';
import { collectPages } from '../../aws/paginate.js';
import { read, type CollectorContext, type CollectorReads } from '../context.js';
import type { EcrInventory, EcrRepository } from '../snapshot.js';
import { mapBounded } from '../bounded.js';

export const ECR_READS = {
  'ecr:DescribeRepositories': [],
  'ecr:GetRepositoryPolicy': ['ecr:DescribeRepositories'],
  'ecr:ListTagsForResource': ['ecr:DescribeRepositories'],
} satisfies CollectorReads;

export async function collectEcr(ctx: CollectorContext, region: string): Promise<EcrInventory> {
  const client = ctx.session.client('ecr', region);
  const label = (operation: string, resource?: string) => ({ service: 'ecr' as const, region, operation, resource });
  const listed = await read(ctx, label('DescribeRepositories'), () => collectPages(paginateDescribeRepositories({ client, pageSize: 1000 }, {}), (p) => p.repositories));
  if (listed.error) {
    ctx.progress?.({ service: 'ecr', region, done: true });
    return { repositories: listed };
  }
  const repositories = await mapBounded(listed.value, ctx.session.concurrency, async (repository): Promise<EcrRepository> => {
    const name = repository.repositoryName ?? '';
    const arn = repository.repositoryArn ?? `arn:${ctx.partition}:ecr:${region}:${ctx.accountId}:repository/${name}`;
    const [policy, tags] = await Promise.all([
      // RepositoryPolicyNotFoundException is ECR's way of saying the repository has no policy.
      read(ctx, label('GetRepositoryPolicy', arn), async () => (await client.send(new GetRepositoryPolicyCommand({ repositoryName: name, registryId: repository.registryId }))).policyText ?? null, ['RepositoryPolicyNotFoundException']),
      read(ctx, label('ListTagsForResource', arn), async () => (await client.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags ?? []),
    ]);
    return { name, arn, repository, policy, tags };
  }, ctx.session.work('ecr'));
  ctx.progress?.({ service: 'ecr', region, done: true });
  return { repositories: { value: repositories } };
}
