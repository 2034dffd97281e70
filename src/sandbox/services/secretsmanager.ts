/**
 * Secrets Manager as the current SDK speaks it: awsJson1_1, X-Amz-Target `secretsmanager.<Op>`.
 * Serves ListSecrets and GetResourcePolicy over `Regions.<r>.SecretsManager.Secrets`: metadata
 * and resource policies only. The account file has no field for a secret value, and every
 * operation that returns one (GetSecretValue, BatchGetSecretValue) is refused like a write.
 * Errors are Secrets Manager's own: ResourceNotFoundException for an unknown secret,
 * InvalidRequestException for a secret scheduled for deletion, InvalidNextTokenException for a
 * token of another query.
 */
import { createHash } from 'node:crypto';
import type { SandboxSecret } from '../account/model.js';
import { AwsError, type ServiceContext } from '../types.js';
import { jsonPage, jsonService, stringParam, type Json, type JsonOperationContext } from './json-service.js';
import { regionResources } from './regional.js';

const epoch = (iso: string | undefined) => (iso ? Date.parse(iso) / 1000 : undefined);
const notFound = () => new AwsError({ code: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret.", status: 400 });
const invalidParameter = (message: string) => new AwsError({ code: 'InvalidParameterException', message, status: 400 });

/** The secret a SecretId names: its name, its full ARN, or its ARN without the random suffix. */
function findSecret(secrets: readonly SandboxSecret[], id: string): SandboxSecret | undefined {
  return secrets.find((s) => s.Name === id || s.ARN === id || (id.startsWith('arn:') && s.ARN!.slice(0, -7) === id));
}

function secretsOf(op: JsonOperationContext): SandboxSecret[] {
  return op.region.SecretsManager?.Secrets ?? [];
}

/** ListSecrets' Filters: each key's values are prefixes, any value matching; every filter must match. */
function filterMatches(secret: SandboxSecret, filters: unknown): boolean {
  if (filters === undefined || filters === null) return true;
  if (!Array.isArray(filters)) throw invalidParameter('Filters must be a list.');
  return filters.every((f: { Key?: unknown; Values?: unknown }) => {
    const values = Array.isArray(f.Values) ? f.Values.filter((v): v is string => typeof v === 'string') : [];
    const tags = secret.Tags ?? [];
    const fields: Record<string, string[]> = {
      name: [secret.Name],
      description: [secret.Description ?? ''],
      'tag-key': tags.map((t) => t.Key),
      'tag-value': tags.map((t) => t.Value),
      'owning-service': [secret.OwningService ?? ''],
    };
    fields.all = Object.values(fields).flat();
    const candidates = typeof f.Key === 'string' ? fields[f.Key] : undefined;
    if (!candidates) throw invalidParameter(`Invalid filter key: ${String(f.Key)}.`);
    return values.some((v) => (v.startsWith('!') ? !candidates.some((c) => c.startsWith(v.slice(1))) : candidates.some((c) => c.startsWith(v))));
  });
}

/** A stable version id (a UUID, as AWS makes them) for the secret's current version. */
function versionId(secret: SandboxSecret): string {
  const h = createHash('sha256').update(secret.ARN!).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function listEntry(secret: SandboxSecret): Json {
  return {
    ARN: secret.ARN,
    Name: secret.Name,
    ...(secret.Description !== undefined ? { Description: secret.Description } : {}),
    ...(secret.KmsKeyId ? { KmsKeyId: secret.KmsKeyId } : {}),
    ...(secret.RotationEnabled !== undefined ? { RotationEnabled: secret.RotationEnabled } : {}),
    ...(secret.RotationLambdaARN ? { RotationLambdaARN: secret.RotationLambdaARN } : {}),
    ...(secret.RotationRules ? { RotationRules: secret.RotationRules } : {}),
    LastRotatedDate: epoch(secret.LastRotatedDate),
    LastChangedDate: epoch(secret.LastChangedDate ?? secret.CreatedDate),
    LastAccessedDate: epoch(secret.LastAccessedDate),
    DeletedDate: epoch(secret.DeletedDate),
    ...(secret.Tags ? { Tags: secret.Tags } : {}),
    // Version ids and their stages, as AWS lists them: labels, never values.
    SecretVersionsToStages: { [versionId(secret)]: ['AWSCURRENT'] },
    ...(secret.OwningService ? { OwningService: secret.OwningService } : {}),
    CreatedDate: epoch(secret.CreatedDate),
  };
}

export const secretsManagerModule = jsonService({
  name: 'secretsmanager',
  signingName: 'secretsmanager',
  targets: ['secretsmanager'],
  version: '1.1',
  clientPackage: '@aws-sdk/client-secrets-manager',
  title: 'Secrets Manager',
  internalError: 'InternalServiceError',
  throttling: { code: 'ThrottlingException', message: 'Rate exceeded', status: 400 },
  resources(_operation, body, ctx: ServiceContext) {
    const id = body.SecretId;
    if (typeof id !== 'string' || !id) return [];
    const secret = findSecret(regionResources(ctx)?.SecretsManager?.Secrets ?? [], id);
    return [secret?.ARN ?? (id.startsWith('arn:') ? id : `arn:aws:secretsmanager:${ctx.region}:${ctx.account.AccountId}:secret:${id}`)];
  },
  operations: {
    ListSecrets(body, op) {
      const max = body.MaxResults;
      if (max !== undefined && max !== null && (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 100))
        throw invalidParameter(`1 validation error detected: Value '${String(max)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100`);
      const sort = stringParam(body, 'SortOrder');
      const planned = body.IncludePlannedDeletion === true;
      const secrets = secretsOf(op).filter((s) => (planned || !s.DeletedDate) && filterMatches(s, body.Filters));
      if (sort === 'desc') secrets.reverse();
      const { page, next } = jsonPage('ListSecrets', body, secrets, typeof max === 'number' ? max : 100, {
        token: 'NextToken',
        invalidToken: { code: 'InvalidNextTokenException', message: 'You provided an invalid NextToken value.', status: 400 },
      });
      return { SecretList: page.map(listEntry), ...(next ? { NextToken: next } : {}) };
    },
    GetResourcePolicy(body, op) {
      const id = stringParam(body, 'SecretId');
      if (!id) throw invalidParameter("1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null");
      const secret = findSecret(secretsOf(op), id);
      if (!secret) throw notFound();
      if (secret.DeletedDate)
        throw new AwsError({ code: 'InvalidRequestException', message: "You can't perform this operation on the secret because it was marked for deletion.", status: 400 });
      const policy = secret.Policy;
      return { ARN: secret.ARN, Name: secret.Name, ...(policy !== undefined ? { ResourcePolicy: typeof policy === 'string' ? policy : JSON.stringify(policy) } : {}) };
    },
  },
});
