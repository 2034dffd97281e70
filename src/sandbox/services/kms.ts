/**
 * KMS as the current SDK speaks it: awsJson1_1, X-Amz-Target `TrentService.<Op>`.
 * Serves ListKeys, DescribeKey, GetKeyRotationStatus, GetKeyPolicy, ListAliases and
 * ListResourceTags over `Regions.<r>.KMS.Keys`, with KMS's own errors: NotFoundException for an
 * unknown key or alias, UnsupportedOperationException for rotation of an asymmetric or HMAC
 * key, KMSInvalidStateException for a key pending deletion, InvalidMarkerException for a
 * marker of another query.
 */
import type { SandboxKmsKey } from '../account/model.js';
import { AwsError, type ServiceContext } from '../types.js';
import { jsonPage, jsonService, limitParam, stringParam, type Json, type JsonOperationContext } from './json-service.js';

export function kmsKeyArn(account: string, region: string, keyId: string): string {
  return `arn:aws:kms:${region}:${account}:key/${keyId}`;
}

const epoch = (iso: string | undefined) => (iso ? Date.parse(iso) / 1000 : undefined);
const spec = (key: SandboxKmsKey) => key.KeySpec ?? 'SYMMETRIC_DEFAULT';
const usage = (key: SandboxKmsKey) => key.KeyUsage ?? 'ENCRYPT_DECRYPT';
const state = (key: SandboxKmsKey) => key.KeyState ?? 'Enabled';

const invalidMarker = { code: 'InvalidMarkerException', message: 'The marker that specifies where pagination should next begin is not valid.', status: 400 };

function keysOf(op: JsonOperationContext): SandboxKmsKey[] {
  return op.region.KMS?.Keys ?? [];
}

/** The key a KeyId parameter names: a key id or key ARN, and where `aliases` allows it an alias name or alias ARN. */
function findKey(body: Json, op: JsonOperationContext, aliases: boolean): SandboxKmsKey {
  const { ctx } = op;
  const given = stringParam(body, 'KeyId');
  if (!given) throw new AwsError({ code: 'ValidationException', message: "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null", status: 400 });
  const account = ctx.account.AccountId;
  const aliasName = given.startsWith('alias/') ? given : given.startsWith('arn:') && given.split(':')[5]?.startsWith('alias/') ? given.split(':').slice(5).join(':') : undefined;
  if (aliasName) {
    const key = aliases ? keysOf(op).find((k) => k.Aliases?.includes(aliasName)) : undefined;
    if (!key) throw new AwsError({ code: 'NotFoundException', message: `Alias arn:aws:kms:${ctx.region}:${account}:${aliasName} is not found.`, status: 400 });
    return key;
  }
  const keyId = given.startsWith('arn:') ? (given.split(':')[3] === ctx.region && given.split(':')[4] === account ? given.split('/').slice(1).join('/') : undefined) : given;
  const key = keyId ? keysOf(op).find((k) => k.KeyId === keyId) : undefined;
  if (!key) throw new AwsError({ code: 'NotFoundException', message: `Key '${given.startsWith('arn:') ? given : kmsKeyArn(account, ctx.region, given)}' does not exist`, status: 400 });
  return key;
}

function keyMetadata(key: SandboxKmsKey, ctx: ServiceContext): Json {
  const keySpec = spec(key);
  const keyUsage = usage(key);
  return {
    AWSAccountId: ctx.account.AccountId,
    KeyId: key.KeyId,
    Arn: kmsKeyArn(ctx.account.AccountId, ctx.region, key.KeyId),
    CreationDate: epoch(key.CreationDate),
    Enabled: state(key) === 'Enabled',
    Description: key.Description ?? '',
    KeyUsage: keyUsage,
    KeyState: state(key),
    DeletionDate: epoch(key.DeletionDate),
    Origin: key.Origin ?? 'AWS_KMS',
    KeyManager: key.KeyManager ?? 'CUSTOMER',
    CustomerMasterKeySpec: keySpec,
    KeySpec: keySpec,
    ...(keyUsage === 'ENCRYPT_DECRYPT' ? { EncryptionAlgorithms: keySpec === 'SYMMETRIC_DEFAULT' ? ['SYMMETRIC_DEFAULT'] : ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] } : {}),
    ...(keyUsage === 'SIGN_VERIFY' ? { SigningAlgorithms: keySpec.startsWith('RSA') ? ['RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PSS_SHA_256'] : ['ECDSA_SHA_256'] } : {}),
    ...(keyUsage === 'GENERATE_VERIFY_MAC' ? { MacAlgorithms: ['HMAC_SHA_256'] } : {}),
    MultiRegion: key.MultiRegion ?? key.KeyId.startsWith('mrk-'),
  };
}

/** The policy KMS gives a key made without one: the account (through IAM) may use it. */
function defaultPolicy(account: string): Json {
  return {
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }],
  };
}

function page<T>(operation: string, body: Json, items: readonly T[]): { page: T[]; next?: string } {
  return jsonPage(operation, body, items, limitParam(body, 'Limit', 1000), { token: 'Marker', invalidToken: invalidMarker });
}

const paged = <T>(listed: { page: T[]; next?: string }, key: string) => ({ [key]: listed.page, Truncated: listed.next !== undefined, ...(listed.next ? { NextMarker: listed.next } : {}) });

export const kmsModule = jsonService({
  name: 'kms',
  signingName: 'kms',
  targets: ['TrentService'],
  version: '1.1',
  clientPackage: '@aws-sdk/client-kms',
  title: 'KMS',
  internalError: 'KMSInternalException',
  throttling: { code: 'ThrottlingException', message: 'Rate exceeded', status: 400 },
  resources(operation, body, ctx) {
    const keyId = body.KeyId;
    if (typeof keyId !== 'string' || !keyId || operation === 'ListAliases') return [];
    if (keyId.startsWith('arn:')) return [keyId];
    // An alias names its key only once resolved; --deny patterns name key ARNs.
    const key = keyId.startsWith('alias/') ? (ctx.account.Regions[ctx.region]?.KMS?.Keys ?? []).find((k) => k.Aliases?.includes(keyId)) : undefined;
    return [kmsKeyArn(ctx.account.AccountId, ctx.region, key ? key.KeyId : keyId)];
  },
  operations: {
    ListKeys(body, op) {
      const account = op.ctx.account.AccountId;
      const keys = keysOf(op).map((k) => ({ KeyId: k.KeyId, KeyArn: kmsKeyArn(account, op.regionName, k.KeyId) }));
      return paged(page('ListKeys', body, keys), 'Keys');
    },
    DescribeKey(body, op) {
      return { KeyMetadata: keyMetadata(findKey(body, op, true), op.ctx) };
    },
    GetKeyRotationStatus(body, op) {
      const key = findKey(body, op, false);
      const arn = kmsKeyArn(op.ctx.account.AccountId, op.regionName, key.KeyId);
      if (state(key) === 'PendingDeletion') throw new AwsError({ code: 'KMSInvalidStateException', message: `${arn} is pending deletion.`, status: 400 });
      if (spec(key) !== 'SYMMETRIC_DEFAULT' || key.Origin === 'EXTERNAL' || key.Origin === 'EXTERNAL_KEY_STORE')
        throw new AwsError({ code: 'UnsupportedOperationException', message: `${arn} origin is ${key.Origin ?? 'AWS_KMS'} and key spec is ${spec(key)}, which is not valid for this operation.`, status: 400 });
      // AWS managed keys rotate every year, and cannot be changed.
      const enabled = key.KeyManager === 'AWS' ? true : (key.KeyRotationEnabled ?? false);
      return { KeyId: arn, KeyRotationEnabled: enabled, ...(enabled ? { RotationPeriodInDays: key.RotationPeriodInDays ?? 365 } : {}) };
    },
    GetKeyPolicy(body, op) {
      const key = findKey(body, op, false);
      const name = stringParam(body, 'PolicyName') ?? 'default';
      if (name !== 'default') throw new AwsError({ code: 'NotFoundException', message: `Policy ${name} is not found.`, status: 400 });
      const policy = key.Policy ?? defaultPolicy(op.ctx.account.AccountId);
      return { Policy: typeof policy === 'string' ? policy : JSON.stringify(policy), PolicyName: 'default' };
    },
    ListAliases(body, op) {
      const account = op.ctx.account.AccountId;
      const only = stringParam(body, 'KeyId');
      const target = only ? findKey(body, op, false) : undefined;
      const aliases = keysOf(op)
        .filter((k) => !target || k === target)
        .flatMap((k) =>
          (k.Aliases ?? []).map((AliasName) => ({
            AliasName,
            AliasArn: `arn:aws:kms:${op.regionName}:${account}:${AliasName}`,
            TargetKeyId: k.KeyId,
            CreationDate: epoch(k.CreationDate),
            LastUpdatedDate: epoch(k.CreationDate),
          })),
        )
        .sort((a, b) => a.AliasName.localeCompare(b.AliasName));
      return paged(page('ListAliases', body, aliases), 'Aliases');
    },
    ListResourceTags(body, op) {
      const key = findKey(body, op, false);
      const tags = Object.entries(key.Tags ?? {}).map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
      return paged(page('ListResourceTags', body, tags), 'Tags');
    },
  },
});
