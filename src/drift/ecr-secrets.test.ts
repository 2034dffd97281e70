/**
 * Drift for ECR repositories and Secrets Manager secrets with their policies, over the wire
 * against the sandbox, with states shaped as `terraform apply` writes them: in sync (policies
 * written differently but meaning the same, provider-only arguments), changed per compared
 * attribute, missing, unmanaged with import blocks in the provider's id format (repository name;
 * secret ARN), and never a secret value: the sandbox has none, and a value in the state is not shown.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox, TEST_CREDENTIALS } from '../test-support/sandbox.js';
import { AwsSession } from '../aws/session.js';
import { collectLive, loadTerraformInputs, runDrift } from './run.js';
import { stateFromLive } from '../bench/drift.js';
import type { DriftReport } from './model.js';

const ACCOUNT_ID = '111122223333';
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/10000000-0000-4000-8000-000000000001`;
const repoArn = (name: string) => `arn:aws:ecr:us-east-1:${ACCOUNT_ID}:repository/${name}`;
const secretArn = (name: string, suffix: string) => `arn:aws:secretsmanager:us-east-1:${ACCOUNT_ID}:secret:${name}-${suffix}`;
const CANARY = 'CANARY-secret-value-7f3a';

const pull = { Sid: 'Pull', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:role/ci` }, Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] };
const read = { Sid: 'Read', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:role/app` }, Action: 'secretsmanager:GetSecretValue', Resource: '*' };
const vendor = { Sid: 'Vendor', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' };
const T0 = '2026-01-01T00:00:00Z';

const ACCOUNT = {
  AccountId: ACCOUNT_ID,
  Regions: {
    'us-east-1': {
      ECR: {
        Repositories: [
          // In sync: ECR returns the policy with its own key order and one-element lists unwrapped.
          { repositoryName: 'team/api', createdAt: T0, imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true }, encryptionConfiguration: { encryptionType: 'KMS', kmsKey: KEY }, Policy: { Statement: [{ Action: pull.Action, Principal: pull.Principal, Effect: 'Allow', Sid: 'Pull' }], Version: '2012-10-17' }, Tags: [{ Key: 'team', Value: 'platform' }] },
          // Tags made mutable, scanning turned off, a tag edited and a pull statement for another account added, in the console.
          { repositoryName: 'worker', createdAt: T0, imageTagMutability: 'MUTABLE', imageScanningConfiguration: { scanOnPush: false }, Policy: { Version: '2012-10-17', Statement: [pull, { ...pull, Sid: 'Vendor', Principal: { AWS: 'arn:aws:iam::444455556666:root' } }] }, Tags: [{ Key: 'team', Value: 'jobs' }] },
          // Only defaults, as the provider writes them (AES256, kms_key ""); its policy was deleted in the console.
          { repositoryName: 'plain', createdAt: T0 },
          // Managed without its policy, which someone added by hand.
          { repositoryName: 'policy-by-hand', createdAt: T0, imageTagMutability: 'IMMUTABLE', Policy: { Version: '2012-10-17', Statement: [pull] } },
          // Made by hand, with a policy: one unmanaged entry, both import blocks.
          { repositoryName: 'handmade/tool', createdAt: T0, Policy: { Version: '2012-10-17', Statement: [pull] } },
        ],
      },
      SecretsManager: {
        Secrets: [
          { Name: 'prod/db', ARN: secretArn('prod/db', 'AbCdEf'), Description: 'db user', KmsKeyId: 'alias/app', CreatedDate: T0, Policy: { Statement: [{ ...read, Action: ['secretsmanager:GetSecretValue'] }], Version: '2012-10-17' }, Tags: [{ Key: 'team', Value: 'data' }] },
          // Description, key and a tag changed in the console, and a policy added with no policy resource in the state.
          { Name: 'prod/api-key', ARN: secretArn('prod/api-key', 'GhIjKl'), Description: 'api key (rotated by hand)', KmsKeyId: 'alias/other', CreatedDate: T0, Policy: { Version: '2012-10-17', Statement: [vendor] }, Tags: [{ Key: 'team', Value: 'growth' }] },
          // Its policy gained a vendor statement in the console.
          { Name: 'prod/partner', ARN: secretArn('prod/partner', 'MnOpQr'), CreatedDate: T0, Policy: { Version: '2012-10-17', Statement: [read, vendor] } },
          // Scheduled for deletion in the console: gone.
          { Name: 'prod/retired', ARN: secretArn('prod/retired', 'StUvWx'), CreatedDate: T0, DeletedDate: '2026-02-01T00:00:00Z' },
          // Made by hand with a policy; and one RDS made and manages (never unmanaged).
          { Name: 'handmade', ARN: secretArn('handmade', 'YzAbCd'), CreatedDate: T0, Policy: { Version: '2012-10-17', Statement: [read] } },
          { Name: 'rds!db-1234', ARN: secretArn('rds!db-1234', 'EfGhIj'), CreatedDate: T0, OwningService: 'rds' },
        ],
      },
    },
  },
};

const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';
const resource = (type: string, name: string, attributes: Record<string, unknown>, extra: object = {}) => ({ mode: 'managed', type, name, provider: PROVIDER, instances: [{ schema_version: 0, attributes, ...extra }] });
const repoState = (name: string, extra: Record<string, unknown>) => ({
  id: name, name, arn: repoArn(name), registry_id: ACCOUNT_ID, repository_url: `${ACCOUNT_ID}.dkr.ecr.us-east-1.amazonaws.com/${name}`, force_delete: false,
  image_tag_mutability: 'MUTABLE', image_scanning_configuration: [{ scan_on_push: false }], encryption_configuration: [{ encryption_type: 'AES256', kms_key: '' }], tags: {}, tags_all: {}, timeouts: null, ...extra,
});
const secretState = (name: string, suffix: string, extra: Record<string, unknown>) => ({
  id: secretArn(name, suffix), arn: secretArn(name, suffix), name, name_prefix: '', description: '', kms_key_id: '', policy: '', recovery_window_in_days: 30, force_overwrite_replica_secret: false, replica: [], tags: {}, tags_all: {}, ...extra,
});
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const STATE = {
  version: 4,
  terraform_version: '1.9.8',
  serial: 7,
  lineage: 'ecr-secrets-test',
  outputs: {},
  resources: [
    resource('aws_ecr_repository', 'api', repoState('team/api', { image_tag_mutability: 'IMMUTABLE', image_scanning_configuration: [{ scan_on_push: true }], encryption_configuration: [{ encryption_type: 'KMS', kms_key: KEY }], force_delete: true, tags: { team: 'platform' }, tags_all: { team: 'platform' } })),
    resource('aws_ecr_repository_policy', 'api', { id: 'team/api', repository: 'team/api', registry_id: ACCOUNT_ID, policy: doc(pull) }),
    resource('aws_ecr_repository', 'worker', repoState('worker', { image_tag_mutability: 'IMMUTABLE', image_scanning_configuration: [{ scan_on_push: true }], tags: { team: 'platform' }, tags_all: { team: 'platform' } })),
    resource('aws_ecr_repository_policy', 'worker', { id: 'worker', repository: 'worker', registry_id: ACCOUNT_ID, policy: doc(pull) }),
    resource('aws_ecr_repository', 'plain', repoState('plain', {})),
    resource('aws_ecr_repository_policy', 'plain', { id: 'plain', repository: 'plain', registry_id: ACCOUNT_ID, policy: doc(pull) }),
    resource('aws_ecr_repository', 'policy_by_hand', repoState('policy-by-hand', { image_tag_mutability: 'IMMUTABLE' })),
    resource('aws_ecr_repository', 'deleted', repoState('deleted', {})),
    // The secret's `policy` mirrors what its policy resource set: compared on the policy resource only.
    resource('aws_secretsmanager_secret', 'db', secretState('prod/db', 'AbCdEf', { description: 'db user', kms_key_id: 'alias/app', policy: doc(read), tags: { team: 'data' }, tags_all: { team: 'data' } })),
    resource('aws_secretsmanager_secret_policy', 'db', { id: secretArn('prod/db', 'AbCdEf'), secret_arn: secretArn('prod/db', 'AbCdEf'), policy: doc(read), block_public_policy: true }),
    resource('aws_secretsmanager_secret', 'api_key', secretState('prod/api-key', 'GhIjKl', { description: 'api key', kms_key_id: 'alias/app', tags: { team: 'growth', owner: 'ana' }, tags_all: { team: 'growth', owner: 'ana' } })),
    resource('aws_secretsmanager_secret', 'partner', secretState('prod/partner', 'MnOpQr', { policy: doc(read) })),
    resource('aws_secretsmanager_secret_policy', 'partner', { id: secretArn('prod/partner', 'MnOpQr'), secret_arn: secretArn('prod/partner', 'MnOpQr'), policy: doc(read), block_public_policy: false }),
    resource('aws_secretsmanager_secret', 'retired', secretState('prod/retired', 'StUvWx', {})),
    // A version holds the value: not a live type (its value is never read), and the value never shown.
    resource(
      'aws_secretsmanager_secret_version',
      'db',
      { id: `${secretArn('prod/db', 'AbCdEf')}|v1`, secret_id: secretArn('prod/db', 'AbCdEf'), secret_string: CANARY, version_id: 'v1', version_stages: ['AWSCURRENT'] },
      { sensitive_attributes: [[{ type: 'get_attr', value: 'secret_string' }]] },
    ),
  ],
};

describe('drift of ECR repositories and Secrets Manager secrets', () => {
  const env = useSandbox(ACCOUNT);
  let report: DriftReport;
  let text: string;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drift-ecr-secrets-'));
    writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify(STATE));
    const inputs = await loadTerraformInputs({ statePaths: [path.join(dir, 'terraform.tfstate')], env: {} });
    const session = new AwsSession({ endpointUrl: env.endpoint, credentials: TEST_CREDENTIALS, region: 'us-east-1', retry: { maxAttempts: 1 } });
    report = await runDrift(inputs, session, { regions: ['us-east-1'] });
    text = JSON.stringify(report);
  });
  const entry = (address: string) => report.entries.find((e) => e.terraformAddress === address && e.kind !== 'unmanaged');
  const unmanaged = (type: string) => report.entries.filter((e) => e.kind === 'unmanaged' && e.resourceType === type);

  it('compares every instance but the secret version, reading everything it needs', () => {
    expect(report.unsupportedTypes).toEqual([expect.objectContaining({ type: 'aws_secretsmanager_secret_version' })]);
    expect(report.unchecked).toEqual([]);
    expect(report.errors).toEqual([]);
  });

  it('never shows a secret value: not the one in the state, and none is read live', () => {
    expect(text).not.toContain(CANARY);
  });

  it('repository: in sync with provider-only arguments and a KMS key; mutability, scan on push and tags changed in the console are each reported', () => {
    expect(entry('aws_ecr_repository.api')).toBeUndefined();
    expect(entry('aws_ecr_repository.plain')).toBeUndefined();
    expect(entry('aws_ecr_repository.policy_by_hand')).toBeUndefined();
    const worker = entry('aws_ecr_repository.worker');
    expect(worker?.kind).toBe('changed');
    expect(worker?.resourceId).toBe(repoArn('worker'));
    expect(worker?.diffs?.map((d) => [d.path, d.state, d.live])).toEqual([
      ['image_tag_mutability', 'IMMUTABLE', 'MUTABLE'],
      ['image_scanning_configuration.0.scan_on_push', true, false],
      ['tags.team', 'platform', 'jobs'],
    ]);
    expect(entry('aws_ecr_repository.deleted')?.kind).toBe('missing');
  });

  it('repository policy: in sync when only formatting differs; an added statement is reported by Sid; a deleted policy is missing', () => {
    expect(entry('aws_ecr_repository_policy.api')).toBeUndefined();
    const worker = entry('aws_ecr_repository_policy.worker');
    expect(worker?.diffs?.map((d) => d.path)).toEqual(['policy']);
    expect(JSON.stringify(worker?.diffs)).toContain('Vendor');
    expect(entry('aws_ecr_repository_policy.plain')?.kind).toBe('missing');
  });

  it('repository: unmanaged ones import by name, with a policy made by hand as a second block pointing at the repository', () => {
    expect(unmanaged('aws_ecr_repository').map((e) => e.importId)).toEqual(['handmade/tool']);
    const blocks = unmanaged('aws_ecr_repository')[0]!.importBlocks!;
    expect(blocks).toContain('id = "handmade/tool"');
    expect(blocks).toContain('resource "aws_ecr_repository_policy"');
    expect(blocks).toMatch(/repository\s*=\s*aws_ecr_repository\.[a-z_]+\.name/);
    // A managed repository's hand-made policy is its own entry.
    expect(unmanaged('aws_ecr_repository_policy').map((e) => e.importId)).toEqual(['policy-by-hand']);
  });

  it('secret: in sync when a policy resource owns the policy; description, key, tags and a policy added without a policy resource are reported', () => {
    expect(entry('aws_secretsmanager_secret.db')).toBeUndefined();
    expect(entry('aws_secretsmanager_secret_policy.db')).toBeUndefined();
    expect(entry('aws_secretsmanager_secret.partner')).toBeUndefined();
    const apiKey = entry('aws_secretsmanager_secret.api_key');
    expect(apiKey?.resourceId).toBe(secretArn('prod/api-key', 'GhIjKl'));
    expect(apiKey?.diffs?.map((d) => d.path)).toEqual(['description', 'kms_key_id', 'policy', 'tags.owner']);
    expect(apiKey?.diffs?.find((d) => d.path === 'kms_key_id')).toMatchObject({ state: 'alias/app', live: 'alias/other' });
    expect(entry('aws_secretsmanager_secret.retired')?.kind).toBe('missing');
  });

  it('secret policy: a statement added in the console is reported on the policy resource alone', () => {
    const partner = entry('aws_secretsmanager_secret_policy.partner');
    expect(partner?.kind).toBe('changed');
    expect(partner?.diffs?.map((d) => d.path)).toEqual(['policy']);
    expect(JSON.stringify(partner?.diffs)).toContain('444455556666');
  });

  it('secret: unmanaged ones import by ARN (their policy, an argument of the secret, comes with them); a secret another service owns never is', () => {
    const secrets = unmanaged('aws_secretsmanager_secret');
    expect(secrets.map((e) => e.importId)).toEqual([secretArn('handmade', 'YzAbCd')]);
    expect(secrets[0]!.importBlocks).toContain(`id = "${secretArn('handmade', 'YzAbCd')}"`);
    expect(secrets[0]!.importBlocks).toContain('resource "aws_secretsmanager_secret"');
    // The hand-made policy of the managed prod/api-key is drift on that secret, not an unmanaged policy.
    expect(unmanaged('aws_secretsmanager_secret_policy')).toEqual([]);
    expect(text).not.toContain('rds!db-1234');
  });

  it('a state written from the live side, as the drift benchmark writes it, is in sync for every one of these types', async () => {
    const session = new AwsSession({ endpointUrl: env.endpoint, credentials: TEST_CREDENTIALS, region: 'us-east-1', retry: { maxAttempts: 1 } });
    const { live } = await collectLive(session, { regions: ['us-east-1'] });
    const dir = mkdtempSync(path.join(tmpdir(), 'drift-ecr-secrets-live-'));
    writeFileSync(path.join(dir, 'terraform.tfstate'), stateFromLive(live).text);
    const inputs = await loadTerraformInputs({ statePaths: [path.join(dir, 'terraform.tfstate')], env: {} });
    const again = await runDrift(inputs, session, { regions: ['us-east-1'] });
    const ours = again.entries.filter((e) => /^aws_(ecr|secretsmanager)_/.test(e.resourceType));
    expect(ours).toEqual([]);
    const compared = JSON.parse(stateFromLive(live).text).resources.map((r: { type: string }) => r.type).filter((t: string) => /^aws_(ecr|secretsmanager)_/.test(t));
    expect(compared.sort()).toEqual(['aws_ecr_repository', 'aws_ecr_repository', 'aws_ecr_repository', 'aws_ecr_repository', 'aws_ecr_repository', 'aws_ecr_repository_policy', 'aws_ecr_repository_policy', 'aws_ecr_repository_policy', 'aws_ecr_repository_policy', 'aws_secretsmanager_secret', 'aws_secretsmanager_secret', 'aws_secretsmanager_secret', 'aws_secretsmanager_secret']);
  });
});
