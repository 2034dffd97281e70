import { describe, expect, it } from 'vitest';
import {
  BatchGetSecretValueCommand,
  GetResourcePolicyCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutResourcePolicyCommand,
  SecretsManagerClient,
  paginateListSecrets,
} from '@aws-sdk/client-secrets-manager';
import { fetchStats, opCount, rejection, useSandbox } from '../../test-support/sandbox.js';
import { loadTestAccount } from '../../test-support/sandbox.js';

const ACCOUNT = '111122223333';
const POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }] };
const DB_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:prod/db-a1B2c3`;

const account = {
  AccountId: ACCOUNT,
  Regions: {
    'us-east-1': {
      SecretsManager: {
        Secrets: [
          {
            Name: 'prod/db',
            ARN: DB_ARN,
            Description: 'database credentials',
            KmsKeyId: 'alias/app',
            RotationEnabled: true,
            RotationLambdaARN: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:rotate`,
            RotationRules: { AutomaticallyAfterDays: 30 },
            CreatedDate: '2026-01-01T00:00:00Z',
            LastRotatedDate: '2026-02-01T00:00:00Z',
            Policy: POLICY,
            Tags: [{ Key: 'team', Value: 'data' }],
          },
          { Name: 'api-key', CreatedDate: '2026-01-02T00:00:00Z' },
          { Name: 'retired', CreatedDate: '2025-01-01T00:00:00Z', DeletedDate: '2026-03-01T00:00:00Z' },
        ],
      },
    },
    'eu-west-1': { SecretsManager: { Secrets: Array.from({ length: 25 }, (_, i) => ({ Name: `s-${i}`, CreatedDate: '2026-01-01T00:00:00Z' })) } },
  },
};

describe('sandbox Secrets Manager (JSON 1.1, secretsmanager)', () => {
  const env = useSandbox(account, { deny: [`GetResourcePolicy:${DB_ARN}`] });
  const listingDenied = useSandbox(account, { deny: ['ListSecrets:*'] });
  const sm = (region = 'us-east-1', e = env) => new SecretsManagerClient(e.config('secretsmanager', { region }));

  it('lists secret metadata (rotation, key, tags, dates), leaves out secrets scheduled for deletion unless asked, and carries no value field', async () => {
    const out = await sm().send(new ListSecretsCommand({}));
    expect(out.SecretList?.map((s) => s.Name)).toEqual(['prod/db', 'api-key']);
    expect(out.SecretList?.[0]).toMatchObject({
      ARN: DB_ARN,
      Description: 'database credentials',
      KmsKeyId: 'alias/app',
      RotationEnabled: true,
      RotationRules: { AutomaticallyAfterDays: 30 },
      Tags: [{ Key: 'team', Value: 'data' }],
    });
    expect(out.SecretList?.[0]?.LastRotatedDate).toEqual(new Date('2026-02-01T00:00:00Z'));
    expect(Object.values(out.SecretList?.[0]?.SecretVersionsToStages ?? {})).toEqual([['AWSCURRENT']]);
    expect(JSON.stringify(out)).not.toMatch(/SecretString|SecretBinary/);
    const planned = await sm().send(new ListSecretsCommand({ IncludePlannedDeletion: true }));
    expect(planned.SecretList?.map((s) => s.Name)).toEqual(['prod/db', 'api-key', 'retired']);
    const filtered = await sm().send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['prod/'] }] }));
    expect(filtered.SecretList?.map((s) => s.Name)).toEqual(['prod/db']);
  });

  it('derives a stable ARN with a six-character suffix when the account file gives none', () => {
    const a = loadTestAccount(account).Regions['us-east-1']!.SecretsManager!.Secrets![1]!.ARN;
    const b = loadTestAccount(account).Regions['us-east-1']!.SecretsManager!.Secrets![1]!.ARN;
    expect(a).toMatch(new RegExp(`^arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:api-key-[A-Za-z0-9]{6}$`));
    expect(a).toBe(b);
  });

  it('pages 25 secrets with MaxResults 10 in 3 calls through the SDK paginator, and refuses a token of another query', async () => {
    env.sandbox.resetStats();
    const sizes: number[] = [];
    for await (const page of paginateListSecrets({ client: sm('eu-west-1'), pageSize: 10 }, {})) sizes.push(page.SecretList?.length ?? 0);
    expect(sizes).toEqual([10, 10, 5]);
    expect(opCount(await fetchStats(env.endpoint), 'secretsmanager', 'ListSecrets')).toBe(3);
    const first = await sm('eu-west-1').send(new ListSecretsCommand({ MaxResults: 10 }));
    const replayed = await rejection(sm('eu-west-1').send(new ListSecretsCommand({ MaxResults: 10, NextToken: first.NextToken, SortOrder: 'desc' })));
    expect(replayed.name).toBe('InvalidNextTokenException');
  });

  it('returns the resource policy by name, full or partial ARN; none is no ResourcePolicy; unknown and deleted secrets are errors', async () => {
    const listed = await sm('us-east-1', listingDenied).send(new GetResourcePolicyCommand({ SecretId: 'prod/db' }));
    expect(listed).toMatchObject({ ARN: DB_ARN, Name: 'prod/db' });
    expect(JSON.parse(listed.ResourcePolicy!)).toEqual(POLICY);
    const partial = await sm('us-east-1', listingDenied).send(new GetResourcePolicyCommand({ SecretId: DB_ARN.slice(0, -7) }));
    expect(partial.Name).toBe('prod/db');
    const none = await sm().send(new GetResourcePolicyCommand({ SecretId: 'api-key' }));
    expect(none.ResourcePolicy).toBeUndefined();
    expect(none.Name).toBe('api-key');
    const missing = await rejection(sm().send(new GetResourcePolicyCommand({ SecretId: 'nope' })));
    expect(missing.name).toBe('ResourceNotFoundException');
    expect(missing.message).toBe("Secrets Manager can't find the specified secret.");
    const deleted = await rejection(sm().send(new GetResourcePolicyCommand({ SecretId: 'retired' })));
    expect(deleted.name).toBe('InvalidRequestException');
  });

  it('denies by secret ARN (a name resolves to it) with AccessDeniedException, and a denied listing likewise', async () => {
    const denied = await rejection(sm().send(new GetResourcePolicyCommand({ SecretId: 'prod/db' })));
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toContain(`secretsmanager:GetResourcePolicy on resource: ${DB_ARN}`);
    const list = await rejection(sm('us-east-1', listingDenied).send(new ListSecretsCommand({})));
    expect(list.name).toBe('AccessDeniedException');
  });

  it('refuses GetSecretValue, BatchGetSecretValue and writes as AccessDenied and counts them; a region not enabled is UnrecognizedClientException', async () => {
    env.sandbox.resetStats();
    for (const command of [new GetSecretValueCommand({ SecretId: 'prod/db' }), new BatchGetSecretValueCommand({ SecretIdList: ['prod/db'] }), new PutResourcePolicyCommand({ SecretId: 'api-key', ResourcePolicy: '{}' })]) {
      const refused = await rejection(sm().send(command as never));
      expect(refused.name).toBe('AccessDeniedException');
    }
    expect((await fetchStats(env.endpoint)).faults.refusedWrites).toBe(3);
    const off = await rejection(sm('ap-south-1').send(new ListSecretsCommand({})));
    expect(off.name).toBe('UnrecognizedClientException');
  });
});
