/**
 * ECR as the current SDK speaks it: awsJson1_1, X-Amz-Target `AmazonEC2ContainerRegistry_V20150921.<Op>`.
 * Serves DescribeRepositories, GetRepositoryPolicy and ListTagsForResource over
 * `Regions.<r>.ECR.Repositories` (the account's private registry in the region), with ECR's own
 * errors: RepositoryNotFoundException, RepositoryPolicyNotFoundException for a repository without a
 * policy, InvalidParameterException for a bad token or a registry of another account.
 * GetAuthorizationToken (a registry credential) and every write are refused.
 */
import type { SandboxEcrRepository } from '../account/model.js';
import { AwsError, type ServiceContext } from '../types.js';
import { jsonPage, jsonService, limitParam, stringParam, type Json, type JsonOperationContext } from './json-service.js';

export const ecrRepositoryArn = (region: string, account: string, name: string) => `arn:aws:ecr:${region}:${account}:repository/${name}`;

const invalidParameter = (message: string) => new AwsError({ code: 'InvalidParameterException', message, status: 400 });
const repositoryNotFound = (name: string, registry: string) =>
  new AwsError({ code: 'RepositoryNotFoundException', message: `The repository with name '${name}' does not exist in the registry with id '${registry}'`, status: 400 });

const repositoriesOf = (op: JsonOperationContext): SandboxEcrRepository[] => op.region.ECR?.Repositories ?? [];

/** The registry a request names: the caller's own (the sandbox serves no other account's registry). */
function registryOf(body: Json, ctx: ServiceContext): string {
  const registry = stringParam(body, 'registryId') ?? ctx.account.AccountId;
  if (registry !== ctx.account.AccountId) throw invalidParameter(`Invalid parameter at 'registryId' failed to satisfy constraint: 'registry ${registry} is not accessible from account ${ctx.account.AccountId}'`);
  return registry;
}

function findRepository(body: Json, op: JsonOperationContext): SandboxEcrRepository {
  const registry = registryOf(body, op.ctx);
  const name = stringParam(body, 'repositoryName');
  if (!name) throw new AwsError({ code: 'ValidationException', message: "1 validation error detected: Value null at 'repositoryName' failed to satisfy constraint: Member must not be null", status: 400 });
  const repo = repositoriesOf(op).find((r) => r.repositoryName === name);
  if (!repo) throw repositoryNotFound(name, registry);
  return repo;
}

function describe(repo: SandboxEcrRepository, op: JsonOperationContext): Json {
  const account = op.ctx.account.AccountId;
  return {
    repositoryArn: ecrRepositoryArn(op.regionName, account, repo.repositoryName),
    registryId: account,
    repositoryName: repo.repositoryName,
    repositoryUri: `${account}.dkr.ecr.${op.regionName}.amazonaws.com/${repo.repositoryName}`,
    createdAt: Date.parse(repo.createdAt) / 1000,
    imageTagMutability: repo.imageTagMutability ?? 'MUTABLE',
    imageScanningConfiguration: { scanOnPush: repo.imageScanningConfiguration?.scanOnPush ?? false },
    encryptionConfiguration: repo.encryptionConfiguration ?? { encryptionType: 'AES256' },
  };
}

export const ecrModule = jsonService({
  name: 'ecr',
  signingName: 'ecr',
  targets: ['AmazonEC2ContainerRegistry_V20150921'],
  version: '1.1',
  clientPackage: '@aws-sdk/client-ecr',
  title: 'ECR',
  internalError: 'ServerException',
  throttling: { code: 'ThrottlingException', message: 'Rate exceeded', status: 400 },
  resources(operation, body, ctx) {
    if (operation === 'ListTagsForResource') return typeof body.resourceArn === 'string' ? [body.resourceArn] : [];
    const name = body.repositoryName;
    return typeof name === 'string' && name ? [ecrRepositoryArn(ctx.region, ctx.account.AccountId, name)] : [];
  },
  operations: {
    DescribeRepositories(body, op) {
      const registry = registryOf(body, op.ctx);
      const names = body.repositoryNames;
      if (names !== undefined && names !== null) {
        if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) throw invalidParameter("Invalid parameter at 'repositoryNames' failed to satisfy constraint: 'Member must be a list of strings'");
        if (body.maxResults !== undefined || body.nextToken !== undefined) throw invalidParameter('Invalid parameter at \'maxResults\' failed to satisfy constraint: \'maxResults and nextToken cannot be used with repositoryNames\'');
        return {
          repositories: (names as string[]).map((name) => {
            const repo = repositoriesOf(op).find((r) => r.repositoryName === name);
            if (!repo) throw repositoryNotFound(name, registry);
            return describe(repo, op);
          }),
        };
      }
      const listed = jsonPage('DescribeRepositories', body, repositoriesOf(op), limitParam(body, 'maxResults', 1000), {
        token: 'nextToken',
        invalidToken: { code: 'InvalidParameterException', message: "Invalid parameter at 'nextToken' failed to satisfy constraint: 'Invalid NextToken'", status: 400 },
      });
      return { repositories: listed.page.map((r) => describe(r, op)), ...(listed.next ? { nextToken: listed.next } : {}) };
    },
    GetRepositoryPolicy(body, op) {
      const repo = findRepository(body, op);
      const registry = op.ctx.account.AccountId;
      if (repo.Policy === undefined)
        throw new AwsError({ code: 'RepositoryPolicyNotFoundException', message: `Repository policy does not exist for the repository with name '${repo.repositoryName}' in the registry with id '${registry}'`, status: 400 });
      return { registryId: registry, repositoryName: repo.repositoryName, policyText: typeof repo.Policy === 'string' ? repo.Policy : JSON.stringify(repo.Policy) };
    },
    ListTagsForResource(body, op) {
      const arn = stringParam(body, 'resourceArn') ?? '';
      const match = /^arn:aws[a-z-]*:ecr:([a-z0-9-]+):(\d{12}):repository\/(.+)$/.exec(arn);
      if (!match) throw invalidParameter(`Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN: ${arn}'`);
      const [, region, account, name] = match as unknown as [string, string, string, string];
      const repo = region === op.regionName ? repositoriesOf(op).find((r) => r.repositoryName === name) : undefined;
      if (!repo || account !== op.ctx.account.AccountId) throw repositoryNotFound(name, account);
      return { tags: (repo.Tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value })) };
    },
  },
});
