import { describe, expect, it } from 'vitest';
import {
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyRotationCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  paginateListKeys,
} from '@aws-sdk/client-kms';
import { fetchStats, opCount, rejection, useSandbox } from '../../test-support/sandbox.js';

const ACCOUNT = '111122223333';
const SYMMETRIC = '1234abcd-12ab-34cd-56ef-1234567890ab';
const SIGNING = '0987dcba-09fe-87dc-65ba-ab0987654321';
const AWS_S3 = '11111111-2222-3333-4444-555555555555';
const DOOMED = '22222222-3333-4444-5555-666666666666';
const POLICY = { Version: '2012-10-17', Statement: [{ Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] };
const arn = (id: string, region = 'us-east-1') => `arn:aws:kms:${region}:${ACCOUNT}:key/${id}`;
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const account = {
  AccountId: ACCOUNT,
  Regions: {
    'us-east-1': {
      KMS: {
        Keys: [
          { KeyId: SYMMETRIC, Description: 'app data', CreationDate: '2026-01-01T00:00:00Z', KeyRotationEnabled: true, RotationPeriodInDays: 180, Policy: POLICY, Aliases: ['alias/app-data', 'alias/app'], Tags: { team: 'platform' } },
          { KeyId: SIGNING, KeyUsage: 'SIGN_VERIFY', KeySpec: 'ECC_NIST_P256', CreationDate: '2026-01-01T00:00:00Z', Aliases: ['alias/signing'] },
          { KeyId: AWS_S3, KeyManager: 'AWS', Description: 'Default key that protects my S3 objects when no other key is defined', CreationDate: '2025-01-01T00:00:00Z', Aliases: ['alias/aws/s3'] },
          { KeyId: DOOMED, KeyState: 'PendingDeletion', DeletionDate: '2026-02-01T00:00:00Z', CreationDate: '2025-06-01T00:00:00Z' },
        ],
      },
    },
    'eu-west-1': { KMS: { Keys: Array.from({ length: 25 }, (_, i) => ({ KeyId: uuid(i), CreationDate: '2026-01-01T00:00:00Z' })) } },
  },
};

describe('sandbox KMS (JSON 1.1, TrentService)', () => {
  const env = useSandbox(account, { deny: [`GetKeyPolicy:${SYMMETRIC}`, `GetKeyRotationStatus:${arn(SYMMETRIC)}`] });
  const listingDenied = useSandbox(account, { deny: ['ListKeys:*'] });
  const kms = (region = 'us-east-1', e = env) => new KMSClient(e.config('kms', { region }));

  it('lists every key of the region with its ARN, AWS managed ones too', async () => {
    const out = await kms().send(new ListKeysCommand({}));
    expect(out.Keys).toEqual([SYMMETRIC, SIGNING, AWS_S3, DOOMED].map((KeyId) => ({ KeyId, KeyArn: arn(KeyId) })));
    expect(out.Truncated).toBe(false);
    expect(out.NextMarker).toBeUndefined();
  });

  it('pages 25 keys with Limit 10 in 3 calls through the SDK paginator, and refuses a marker of another query', async () => {
    env.sandbox.resetStats();
    const sizes: number[] = [];
    for await (const page of paginateListKeys({ client: kms('eu-west-1'), pageSize: 10 }, {})) sizes.push(page.Keys?.length ?? 0);
    expect(sizes).toEqual([10, 10, 5]);
    expect(opCount(await fetchStats(env.endpoint), 'kms', 'ListKeys')).toBe(3);
    const first = await kms('eu-west-1').send(new ListKeysCommand({ Limit: 10 }));
    const replayed = await rejection(kms('eu-west-1').send(new ListAliasesCommand({ Limit: 10, Marker: first.NextMarker })));
    expect(replayed.name).toBe('InvalidMarkerException');
  });

  it('describes a key by id, ARN, alias name or alias ARN', async () => {
    for (const KeyId of [SYMMETRIC, arn(SYMMETRIC), 'alias/app-data', `arn:aws:kms:us-east-1:${ACCOUNT}:alias/app`]) {
      const { KeyMetadata } = await kms().send(new DescribeKeyCommand({ KeyId }));
      expect(KeyMetadata).toMatchObject({ KeyId: SYMMETRIC, Arn: arn(SYMMETRIC), KeyManager: 'CUSTOMER', KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', KeyState: 'Enabled', Enabled: true, Origin: 'AWS_KMS', Description: 'app data' });
      expect(KeyMetadata?.CreationDate).toEqual(new Date('2026-01-01T00:00:00Z'));
    }
    const signing = await kms().send(new DescribeKeyCommand({ KeyId: SIGNING }));
    expect(signing.KeyMetadata).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['ECDSA_SHA_256'] });
    const doomed = await kms().send(new DescribeKeyCommand({ KeyId: DOOMED }));
    expect(doomed.KeyMetadata).toMatchObject({ KeyState: 'PendingDeletion', Enabled: false, DeletionDate: new Date('2026-02-01T00:00:00Z') });
  });

  it('answers an unknown key or alias with NotFoundException, and a key of another region as unknown', async () => {
    const missing = await rejection(kms().send(new DescribeKeyCommand({ KeyId: uuid(99) })));
    expect(missing.name).toBe('NotFoundException');
    expect(missing.message).toBe(`Key '${arn(uuid(99))}' does not exist`);
    expect(missing.$metadata.httpStatusCode).toBe(400);
    const alias = await rejection(kms().send(new DescribeKeyCommand({ KeyId: 'alias/nope' })));
    expect(alias.name).toBe('NotFoundException');
    const elsewhere = await rejection(kms('eu-west-1').send(new DescribeKeyCommand({ KeyId: arn(SYMMETRIC) })));
    expect(elsewhere.name).toBe('NotFoundException');
  });

  it('reports rotation of customer keys, always on for AWS managed keys, and refuses it for asymmetric and doomed keys', async () => {
    const aws = await kms().send(new GetKeyRotationStatusCommand({ KeyId: AWS_S3 }));
    expect(aws).toMatchObject({ KeyRotationEnabled: true, KeyId: arn(AWS_S3) });
    const signing = await rejection(kms().send(new GetKeyRotationStatusCommand({ KeyId: SIGNING })));
    expect(signing.name).toBe('UnsupportedOperationException');
    const doomed = await rejection(kms().send(new GetKeyRotationStatusCommand({ KeyId: arn(DOOMED) })));
    expect(doomed.name).toBe('KMSInvalidStateException');
    const plain = await kms('eu-west-1').send(new GetKeyRotationStatusCommand({ KeyId: uuid(0) }));
    expect(plain.KeyRotationEnabled).toBe(false);
  });

  it('returns the key policy as JSON text, and the default policy for a key made without one', async () => {
    const def = await kms().send(new GetKeyPolicyCommand({ KeyId: SIGNING, PolicyName: 'default' }));
    expect(def.PolicyName).toBe('default');
    expect(JSON.parse(def.Policy!).Statement[0]).toMatchObject({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*' });
    const other = await rejection(kms().send(new GetKeyPolicyCommand({ KeyId: SIGNING, PolicyName: 'custom' })));
    expect(other.name).toBe('NotFoundException');
  });

  it('lists aliases with their target key, for the region or one key, and tags by key', async () => {
    const all = await kms().send(new ListAliasesCommand({}));
    expect(all.Aliases?.map((a) => [a.AliasName, a.TargetKeyId])).toEqual([
      ['alias/app', SYMMETRIC],
      ['alias/app-data', SYMMETRIC],
      ['alias/aws/s3', AWS_S3],
      ['alias/signing', SIGNING],
    ]);
    expect(all.Aliases?.[0]?.AliasArn).toBe(`arn:aws:kms:us-east-1:${ACCOUNT}:alias/app`);
    const one = await kms().send(new ListAliasesCommand({ KeyId: SIGNING }));
    expect(one.Aliases?.map((a) => a.AliasName)).toEqual(['alias/signing']);
    const tags = await kms().send(new ListResourceTagsCommand({ KeyId: arn(SYMMETRIC) }));
    expect(tags.Tags).toEqual([{ TagKey: 'team', TagValue: 'platform' }]);
  });

  it('denies by key id or key ARN with AccessDeniedException, and leaves other keys readable', async () => {
    const policy = await rejection(kms().send(new GetKeyPolicyCommand({ KeyId: arn(SYMMETRIC), PolicyName: 'default' })));
    expect(policy.name).toBe('AccessDeniedException');
    expect(policy.message).toContain(`kms:GetKeyPolicy on resource: ${arn(SYMMETRIC)}`);
    const rotation = await rejection(kms().send(new GetKeyRotationStatusCommand({ KeyId: SYMMETRIC })));
    expect(rotation.name).toBe('AccessDeniedException');
    const list = await rejection(kms('us-east-1', listingDenied).send(new ListKeysCommand({})));
    expect(list.name).toBe('AccessDeniedException');
    const other = await kms().send(new GetKeyPolicyCommand({ KeyId: SIGNING, PolicyName: 'default' }));
    expect(other.Policy).toContain('kms:*');
  });

  it('refuses writes as AccessDenied and counts them; a region not enabled is UnrecognizedClientException', async () => {
    env.sandbox.resetStats();
    const create = await rejection(kms().send(new CreateKeyCommand({})));
    expect(create.name).toBe('AccessDeniedException');
    const disable = await rejection(kms().send(new DisableKeyRotationCommand({ KeyId: SYMMETRIC })));
    expect(disable.name).toBe('AccessDeniedException');
    expect((await fetchStats(env.endpoint)).faults.refusedWrites).toBe(2);
    const off = await rejection(kms('ap-south-1').send(new ListKeysCommand({})));
    expect(off.name).toBe('UnrecognizedClientException');
  });
});
