/**
 * Secrets Manager, per region: each secret's metadata (ListSecrets) and resource policy
 * (GetResourcePolicy). Never a value: GetSecretValue is not in the allowlist and the guard refuses
 * it by name; the version-to-stage map ListSecrets adds is dropped as well.
 */
import { GetResourcePolicyCommand, paginateListSecrets } from '@aws-sdk/client-secrets-manager';
import { collectPages } from '../../aws/paginate.js';
import { read, type CollectorContext, type CollectorReads } from '../context.js';
import type { SecretMetadata, SecretsManagerInventory, SecretsManagerSecret } from '../snapshot.js';
import { mapBounded } from '../bounded.js';

export const SECRETS_MANAGER_READS = {
  'secretsmanager:ListSecrets': [],
  'secretsmanager:GetResourcePolicy': ['secretsmanager:ListSecrets'],
} satisfies CollectorReads;

export async function collectSecretsManager(ctx: CollectorContext, region: string): Promise<SecretsManagerInventory> {
  const client = ctx.session.client('secretsmanager', region);
  const label = (operation: string, resource?: string) => ({ service: 'secretsmanager' as const, region, operation, resource });
  const listed = await read(ctx, label('ListSecrets'), () =>
    collectPages(paginateListSecrets({ client, pageSize: 100 }, {}), (p) => p.SecretList?.map(({ SecretVersionsToStages: _versions, ...metadata }): SecretMetadata => metadata)),
  );
  if (listed.error) {
    ctx.progress?.({ service: 'secretsmanager', region, done: true });
    return { secrets: listed };
  }
  const secrets = await mapBounded(listed.value, ctx.session.concurrency, async (secret): Promise<SecretsManagerSecret> => {
    const name = secret.Name ?? '';
    const arn = secret.ARN ?? name;
    const policy = await read(ctx, label('GetResourcePolicy', arn), async () => (await client.send(new GetResourcePolicyCommand({ SecretId: arn }))).ResourcePolicy ?? null);
    return { name, arn, secret, policy };
  }, ctx.session.work('secretsmanager'));
  ctx.progress?.({ service: 'secretsmanager', region, done: true });
  return { secrets: { value: secrets } };
}
