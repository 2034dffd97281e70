import { describe, expect, it } from 'vitest';
import { s3StateObject } from './s3.js';
import { loadStates, stateSourceKind } from '../load.js';
import { useSandbox, TEST_CREDENTIALS, fetchStats, opCount } from '../../../test-support/sandbox.js';

const STATE = {
  version: 4,
  terraform_version: '1.9.8',
  serial: 3,
  lineage: '5f1c2a8e-0000-4000-8000-000000000001',
  outputs: {},
  resources: [
    {
      mode: 'managed',
      type: 'aws_s3_bucket',
      name: 'logs',
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [{ schema_version: 0, attributes: { id: 'acme-logs', bucket: 'acme-logs' }, sensitive_attributes: [] }],
    },
  ],
};

describe('S3 backend addressing', () => {
  it('reads the key itself for the default workspace', () => {
    expect(s3StateObject('s3://tf-state/prod/terraform.tfstate')).toEqual({ bucket: 'tf-state', key: 'prod/terraform.tfstate' });
    expect(s3StateObject('s3://tf-state/app.tfstate', { workspace: 'default' })).toEqual({ bucket: 'tf-state', key: 'app.tfstate' });
  });

  it('places other workspaces under env:/<workspace>/, or a configured prefix', () => {
    expect(s3StateObject('s3://tf-state/app.tfstate', { workspace: 'staging' })).toEqual({ bucket: 'tf-state', key: 'env:/staging/app.tfstate' });
    expect(s3StateObject('s3://tf-state/app.tfstate', { workspace: 'staging', workspaceKeyPrefix: 'workspaces' })).toEqual({ bucket: 'tf-state', key: 'workspaces/staging/app.tfstate' });
  });

  it('rejects an address without a key', () => {
    expect(() => s3StateObject('s3://tf-state')).toThrow(/not an S3 state address/);
    expect(() => s3StateObject('s3://tf-state/')).toThrow(/not an S3 state address/);
  });

  it('routes each kind of spec to its source', () => {
    expect(['-', 'https://x/s', 'http://x', 'tfc://a/b', 's3://b/k', 'a.tfstate', 'states/*.tfstate'].map(stateSourceKind)).toEqual(['stdin', 'http', 'http', 'tfc', 's3', 'file', 'file']);
  });
});

describe('S3 backend read through the real SDK (sandbox)', () => {
  const env = useSandbox({
    AccountId: '111122223333',
    Regions: { 'us-east-1': {} },
    S3: {
      Buckets: [
        {
          Name: 'acme-tfstate',
          CreationDate: '2026-01-01T00:00:00Z',
          Objects: [
            { Key: 'prod/terraform.tfstate', Body: JSON.stringify(STATE) },
            { Key: 'env:/staging/prod/terraform.tfstate', Body: JSON.stringify({ ...STATE, serial: 9 }) },
            { Key: 'broken/terraform.tfstate', Body: '{"version": 4, "resources": [' },
          ],
        },
      ],
    },
  });
  const aws = () => ({ endpointUrl: env.endpoint, credentials: TEST_CREDENTIALS, region: 'us-east-1', maxAttempts: 1 });

  it('loads the default workspace and another workspace with one GetObject each', async () => {
    const before = opCount(await fetchStats(env.endpoint), 's3', 'GetObject');
    const { states: [prod] } = await loadStates(['s3://acme-tfstate/prod/terraform.tfstate'], { s3: { aws: aws() } });
    expect(prod!.resources.map((r) => r.address)).toEqual(['aws_s3_bucket.logs']);
    const { states: [staging] } = await loadStates(['s3://acme-tfstate/prod/terraform.tfstate'], { s3: { aws: aws(), workspace: 'staging' } });
    expect(staging!.serial).toBe(9);
    expect(opCount(await fetchStats(env.endpoint), 's3', 'GetObject')).toBe(before + 2);
  });

  it('names a missing object and a truncated state', async () => {
    await expect(loadStates(['s3://acme-tfstate/none.tfstate'], { s3: { aws: aws() } })).rejects.toThrow(/no state at s3:\/\/acme-tfstate\/none.tfstate/);
    await expect(loadStates(['s3://acme-tfstate/broken/terraform.tfstate'], { s3: { aws: aws() } })).rejects.toThrow(/broken\/terraform.tfstate/);
  });
});
