import { describe, expect, it } from 'vitest';
import {
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  GetRepositoryPolicyCommand,
  ListTagsForResourceCommand,
  PutImageTagMutabilityCommand,
  SetRepositoryPolicyCommand,
  paginateDescribeRepositories,
} from '@aws-sdk/client-ecr';
import { fetchStats, opCount, rejection, useSandbox } from '../../test-support/sandbox.js';

const ACCOUNT = '111122223333';
const POLICY = { Version: '2012-10-17', Statement: [{ Sid: 'Pull', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: ['ecr:BatchGetImage'] }] };
const arn = (name: string, region = 'us-east-1') => `arn:aws:ecr:${region}:${ACCOUNT}:repository/${name}`;

const account = {
  AccountId: ACCOUNT,
  Regions: {
    'us-east-1': {
      ECR: {
        Repositories: [
          {
            repositoryName: 'team/api',
            createdAt: '2026-01-01T00:00:00Z',
            imageTagMutability: 'IMMUTABLE',
            imageScanningConfiguration: { scanOnPush: true },
            encryptionConfiguration: { encryptionType: 'KMS', kmsKey: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab` },
            Policy: POLICY,
            Tags: [{ Key: 'team', Value: 'platform' }],
          },
          { repositoryName: 'worker', createdAt: '2026-02-01T00:00:00Z' },
        ],
      },
    },
    'eu-west-1': { ECR: { Repositories: Array.from({ length: 25 }, (_, i) => ({ repositoryName: `repo-${String(i).padStart(2, '0')}`, createdAt: '2026-01-01T00:00:00Z' })) } },
  },
};

describe('sandbox ECR (JSON 1.1, AmazonEC2ContainerRegistry_V20150921)', () => {
  const env = useSandbox(account, { deny: ['GetRepositoryPolicy:api'] });
  const listingDenied = useSandbox(account, { deny: ['DescribeRepositories:*'] });
  const ecr = (region = 'us-east-1', e = env) => new ECRClient(e.config('ecr', { region }));

  it('describes every repository with its URI, tag mutability, scan on push and encryption, defaults filled as ECR does', async () => {
    const out = await ecr().send(new DescribeRepositoriesCommand({}));
    expect(out.repositories).toHaveLength(2);
    expect(out.repositories?.[0]).toMatchObject({
      repositoryArn: arn('team/api'),
      registryId: ACCOUNT,
      repositoryName: 'team/api',
      repositoryUri: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/team/api`,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: 'KMS' },
    });
    expect(out.repositories?.[0]?.createdAt).toEqual(new Date('2026-01-01T00:00:00Z'));
    expect(out.repositories?.[1]).toMatchObject({ imageTagMutability: 'MUTABLE', imageScanningConfiguration: { scanOnPush: false }, encryptionConfiguration: { encryptionType: 'AES256' } });
    expect(out.nextToken).toBeUndefined();
  });

  it('pages 25 repositories with maxResults 10 in 3 calls through the SDK paginator, and refuses a token of another query', async () => {
    env.sandbox.resetStats();
    const sizes: number[] = [];
    for await (const page of paginateDescribeRepositories({ client: ecr('eu-west-1'), pageSize: 10 }, {})) sizes.push(page.repositories?.length ?? 0);
    expect(sizes).toEqual([10, 10, 5]);
    expect(opCount(await fetchStats(env.endpoint), 'ecr', 'DescribeRepositories')).toBe(3);
    const first = await ecr('eu-west-1').send(new DescribeRepositoriesCommand({ maxResults: 10 }));
    const replayed = await rejection(ecr('eu-west-1').send(new DescribeRepositoriesCommand({ maxResults: 5, nextToken: first.nextToken })));
    expect(replayed.name).toBe('InvalidParameterException');
  });

  it('answers an unknown repository with RepositoryNotFoundException, and one without a policy with RepositoryPolicyNotFoundException', async () => {
    const named = await ecr().send(new DescribeRepositoriesCommand({ repositoryNames: ['worker'] }));
    expect(named.repositories?.map((r) => r.repositoryName)).toEqual(['worker']);
    const missing = await rejection(ecr().send(new DescribeRepositoriesCommand({ repositoryNames: ['nope'] })));
    expect(missing.name).toBe('RepositoryNotFoundException');
    expect(missing.message).toBe(`The repository with name 'nope' does not exist in the registry with id '${ACCOUNT}'`);
    const noPolicy = await rejection(ecr().send(new GetRepositoryPolicyCommand({ repositoryName: 'worker' })));
    expect(noPolicy.name).toBe('RepositoryPolicyNotFoundException');
    expect(noPolicy.$metadata.httpStatusCode).toBe(400);
    const elsewhere = await rejection(ecr('eu-west-1').send(new GetRepositoryPolicyCommand({ repositoryName: 'worker' })));
    expect(elsewhere.name).toBe('RepositoryNotFoundException');
  });

  it('lists the tags of a repository by ARN', async () => {
    const tagged = await ecr().send(new ListTagsForResourceCommand({ resourceArn: arn('team/api') }));
    expect(tagged.tags).toEqual([{ Key: 'team', Value: 'platform' }]);
    const none = await ecr().send(new ListTagsForResourceCommand({ resourceArn: arn('worker') }));
    expect(none.tags).toEqual([]);
  });

  it('denies by repository with AccessDeniedException naming the ARN, and leaves other reads alone', async () => {
    const denied = await rejection(ecr().send(new GetRepositoryPolicyCommand({ repositoryName: 'team/api' })));
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toContain(`ecr:GetRepositoryPolicy on resource: ${arn('team/api')}`);
    const list = await rejection(ecr('us-east-1', listingDenied).send(new DescribeRepositoriesCommand({})));
    expect(list.name).toBe('AccessDeniedException');
    const policy = await ecr('us-east-1', listingDenied).send(new GetRepositoryPolicyCommand({ repositoryName: 'team/api' }));
    expect(JSON.parse(policy.policyText!)).toEqual(POLICY);
    expect(policy.registryId).toBe(ACCOUNT);
  });

  it('refuses writes and the registry credential as AccessDenied and counts them; a region not enabled is UnrecognizedClientException', async () => {
    env.sandbox.resetStats();
    const token = await rejection(ecr().send(new GetAuthorizationTokenCommand({})));
    expect(token.name).toBe('AccessDeniedException');
    const set = await rejection(ecr().send(new SetRepositoryPolicyCommand({ repositoryName: 'worker', policyText: '{}' })));
    expect(set.name).toBe('AccessDeniedException');
    const mutability = await rejection(ecr().send(new PutImageTagMutabilityCommand({ repositoryName: 'worker', imageTagMutability: 'IMMUTABLE' })));
    expect(mutability.name).toBe('AccessDeniedException');
    expect((await fetchStats(env.endpoint)).faults.refusedWrites).toBe(3);
    const off = await rejection(ecr('ap-south-1').send(new DescribeRepositoriesCommand({})));
    expect(off.name).toBe('UnrecognizedClientException');
  });
});
