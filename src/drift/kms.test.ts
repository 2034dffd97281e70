/**
 * Drift for KMS keys and aliases, over the wire against the sandbox, with states shaped as
 * `terraform apply` writes them: in sync (a policy written differently but meaning the same),
 * changed per compared attribute, missing (deleted, or pending deletion), unmanaged with its
 * import block, and AWS's own keys and aliases never reported.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox, TEST_CREDENTIALS } from '../test-support/sandbox.js';
import { AwsSession } from '../aws/session.js';
import { loadTerraformInputs, runDrift } from './run.js';
import type { DriftReport } from './model.js';

const ACCOUNT_ID = '111122223333';
const APP = '10000000-0000-4000-8000-000000000001';
const LOGS = '10000000-0000-4000-8000-000000000002';
const SIGNING = '10000000-0000-4000-8000-000000000003';
const DOOMED = '10000000-0000-4000-8000-000000000004';
const HANDMADE = '10000000-0000-4000-8000-000000000005';
const AWS_S3 = '10000000-0000-4000-8000-000000000006';
const keyArn = (id: string) => `arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/${id}`;
const aliasArn = (name: string) => `arn:aws:kms:us-east-1:${ACCOUNT_ID}:${name}`;

const rootStatement = { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: 'kms:*', Resource: '*' };
const logsStatement = { Sid: 'Logs', Effect: 'Allow', Principal: { Service: 'logs.us-east-1.amazonaws.com' }, Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:GenerateDataKey*'], Resource: '*' };

const ACCOUNT = {
  AccountId: ACCOUNT_ID,
  Regions: {
    'us-east-1': {
      KMS: {
        Keys: [
          // In sync: KMS returns the policy with its own key order and one-element lists unwrapped.
          { KeyId: APP, Description: 'app data', CreationDate: '2026-01-01T00:00:00Z', KeyRotationEnabled: true, Policy: { Statement: [{ Resource: '*', Action: 'kms:*', Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Effect: 'Allow', Sid: 'Root' }], Version: '2012-10-17' }, Aliases: ['alias/app'], Tags: { team: 'platform' } },
          // Rotation turned off, a statement added, the description and a tag edited, all in the console.
          { KeyId: LOGS, Description: 'log group encryption (temp)', CreationDate: '2026-01-01T00:00:00Z', KeyRotationEnabled: false, Policy: { Version: '2012-10-17', Statement: [rootStatement, logsStatement, { Sid: 'Vendor', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'kms:Decrypt', Resource: '*' }] }, Aliases: ['alias/logs'], Tags: { team: 'security' } },
          // Asymmetric: rotation does not apply, and false in state is in sync.
          { KeyId: SIGNING, Description: 'release signing', KeyUsage: 'SIGN_VERIFY', KeySpec: 'ECC_NIST_P256', CreationDate: '2026-01-01T00:00:00Z', Policy: { Version: '2012-10-17', Statement: [rootStatement] }, Aliases: ['alias/signing-old'] },
          // Scheduled for deletion in the console: gone, as the provider reads it.
          { KeyId: DOOMED, Description: 'old', KeyState: 'PendingDeletion', DeletionDate: '2026-02-01T00:00:00Z', CreationDate: '2025-01-01T00:00:00Z' },
          // Made by hand, with an alias.
          { KeyId: HANDMADE, Description: 'made by hand', CreationDate: '2026-01-01T00:00:00Z', KeyRotationEnabled: false, Aliases: ['alias/handmade'] },
          // AWS's: never unmanaged.
          { KeyId: AWS_S3, KeyManager: 'AWS', Description: 'Default key that protects my S3 objects', CreationDate: '2025-01-01T00:00:00Z', Aliases: ['alias/aws/s3'] },
        ],
      },
    },
  },
};

const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';
const resource = (type: string, name: string, attributes: Record<string, unknown>) => ({ mode: 'managed', type, name, provider: PROVIDER, instances: [{ schema_version: 0, attributes }] });
const keyState = (id: string, extra: Record<string, unknown>) => ({
  id, key_id: id, arn: keyArn(id), description: '', key_usage: 'ENCRYPT_DECRYPT', customer_master_key_spec: 'SYMMETRIC_DEFAULT', is_enabled: true, enable_key_rotation: false,
  rotation_period_in_days: 0, multi_region: false, deletion_window_in_days: 30, bypass_policy_lockout_safety_check: false, custom_key_store_id: '', xks_key_id: '', tags: {}, tags_all: {}, ...extra,
});
const STATE = {
  version: 4,
  terraform_version: '1.9.8',
  serial: 3,
  lineage: 'kms-test',
  outputs: {},
  resources: [
    resource('aws_kms_key', 'app', keyState(APP, { description: 'app data', enable_key_rotation: true, rotation_period_in_days: 365, policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ ...rootStatement, Action: ['kms:*'] }] }), tags: { team: 'platform' }, tags_all: { team: 'platform' } })),
    resource('aws_kms_key', 'logs', keyState(LOGS, { description: 'log group encryption', enable_key_rotation: true, policy: JSON.stringify({ Version: '2012-10-17', Statement: [rootStatement, logsStatement] }), tags: { team: 'platform' }, tags_all: { team: 'platform' } })),
    resource('aws_kms_key', 'signing', keyState(SIGNING, { description: 'release signing', key_usage: 'SIGN_VERIFY', customer_master_key_spec: 'ECC_NIST_P256', policy: JSON.stringify({ Version: '2012-10-17', Statement: [rootStatement] }) })),
    resource('aws_kms_key', 'doomed', keyState(DOOMED, { description: 'old', policy: JSON.stringify({ Version: '2012-10-17', Statement: [rootStatement] }) })),
    resource('aws_kms_alias', 'app', { id: 'alias/app', name: 'alias/app', name_prefix: '', arn: aliasArn('alias/app'), target_key_id: APP, target_key_arn: keyArn(APP) }),
    // The configuration named the key by ARN; the provider keeps what was given.
    resource('aws_kms_alias', 'logs', { id: 'alias/logs', name: 'alias/logs', name_prefix: '', arn: aliasArn('alias/logs'), target_key_id: keyArn(LOGS), target_key_arn: keyArn(LOGS) }),
    // Re-pointed in the console at the old signing key.
    resource('aws_kms_alias', 'signing', { id: 'alias/signing-old', name: 'alias/signing-old', name_prefix: '', arn: aliasArn('alias/signing-old'), target_key_id: APP, target_key_arn: keyArn(APP) }),
    resource('aws_kms_alias', 'gone', { id: 'alias/gone', name: 'alias/gone', name_prefix: '', arn: aliasArn('alias/gone'), target_key_id: DOOMED, target_key_arn: keyArn(DOOMED) }),
  ],
};

describe('drift of KMS keys and aliases', () => {
  const env = useSandbox(ACCOUNT);
  let report: DriftReport;
  let text: string;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drift-kms-'));
    writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify(STATE));
    const inputs = await loadTerraformInputs({ statePaths: [path.join(dir, 'terraform.tfstate')], env: {} });
    const session = new AwsSession({ endpointUrl: env.endpoint, credentials: TEST_CREDENTIALS, region: 'us-east-1', retry: { maxAttempts: 1 } });
    report = await runDrift(inputs, session, { regions: ['us-east-1'] });
    text = JSON.stringify(report);
  });
  const entry = (address: string) => report.entries.find((e) => e.terraformAddress === address && e.kind !== 'unmanaged');
  const unmanaged = (type: string) => report.entries.filter((e) => e.kind === 'unmanaged' && e.resourceType === type);

  it('compares every instance of the state, reading everything it needs', () => {
    expect(report.unsupportedTypes).toEqual([]);
    expect(report.summary.comparedPercent).toBe(100);
    expect(report.unchecked).toEqual([]);
    expect(report.errors).toEqual([]);
  });

  it('key: in sync when only the policy\'s formatting differs, and for an asymmetric key whose rotation does not apply', () => {
    expect(entry('aws_kms_key.app')).toBeUndefined();
    expect(entry('aws_kms_key.signing')).toBeUndefined();
  });

  it('key: rotation, description, policy (statement by statement) and tags changed in the console are each reported', () => {
    const logs = entry('aws_kms_key.logs');
    expect(logs?.kind).toBe('changed');
    expect(logs?.resourceId).toBe(keyArn(LOGS));
    expect(logs?.diffs?.map((d) => d.path)).toEqual(['description', 'enable_key_rotation', 'policy', 'tags.team']);
    expect(logs?.diffs?.find((d) => d.path === 'enable_key_rotation')).toMatchObject({ state: true, live: false });
    const policy = logs?.diffs?.find((d) => d.path === 'policy');
    expect(JSON.stringify(policy)).toContain('Vendor');
    expect(JSON.stringify(policy)).not.toContain('"Sid":"Logs"');
  });

  it('key: one pending deletion is missing; one made by hand is unmanaged with its import block; AWS managed keys never are', () => {
    expect(entry('aws_kms_key.doomed')?.kind).toBe('missing');
    const keys = unmanaged('aws_kms_key');
    expect(keys.map((e) => e.importId)).toEqual([HANDMADE]);
    expect(keys[0]!.importBlocks).toContain(`id = "${HANDMADE}"`);
    expect(keys[0]!.importBlocks).toContain('resource "aws_kms_key"');
    expect(text).not.toContain(AWS_S3);
  });

  it('alias: in sync whether the key is named by id or ARN; re-pointed is reported; missing; unmanaged, never alias/aws/*', () => {
    expect(entry('aws_kms_alias.app')).toBeUndefined();
    expect(entry('aws_kms_alias.logs')).toBeUndefined();
    expect(entry('aws_kms_alias.signing')?.diffs).toEqual([expect.objectContaining({ path: 'target_key_id', state: APP, live: SIGNING })]);
    expect(entry('aws_kms_alias.gone')?.kind).toBe('missing');
    const aliases = unmanaged('aws_kms_alias');
    expect(aliases.map((e) => e.importId)).toEqual(['alias/handmade']);
    expect(aliases[0]!.importBlocks).toContain('id = "alias/handmade"');
  });
});
