/**
 * Drift for the storage and data types: RDS clusters. Per type: in sync, changed, missing,
 * unmanaged with its import block, and near misses the provider does not report. Run over the
 * wire against the sandbox, with states shaped as `terraform apply` writes them.
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
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/11111111-2222-3333-4444-555555555555`;

const cluster = (DBClusterIdentifier: string, extra: object = {}) => ({
  DBClusterIdentifier,
  Engine: 'aurora-postgresql',
  EngineVersion: '16.4',
  DatabaseName: 'app',
  MasterUsername: 'app',
  Port: 5432,
  ClusterCreateTime: '2026-01-01T00:00:00Z',
  StorageEncrypted: true,
  KmsKeyId: KEY,
  BackupRetentionPeriod: 7,
  DeletionProtection: true,
  DBSubnetGroup: 'private',
  VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-0aaa1111' }, { VpcSecurityGroupId: 'sg-0bbb2222' }],
  TagList: [{ Key: 'team', Value: 'data' }],
  ...extra,
});

const ACCOUNT = {
  AccountId: ACCOUNT_ID,
  Regions: {
    'us-east-1': {
      RDS: {
        DBClusters: [
          cluster('orders'),
          // Deletion protection turned off and retention cut in the console.
          cluster('billing', { DeletionProtection: false, BackupRetentionPeriod: 1 }),
          // Made by hand.
          cluster('scratch', { StorageEncrypted: false, KmsKeyId: undefined, TagList: [] }),
        ],
      },
    },
  },
};

const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';
const resource = (type: string, name: string, attributes: Record<string, unknown>) => ({ mode: 'managed', type, name, provider: PROVIDER, instances: [{ schema_version: 0, attributes }] });
const clusterState = (name: string, id: string, extra: Record<string, unknown> = {}) =>
  resource('aws_rds_cluster', name, {
    id,
    cluster_identifier: id,
    arn: `arn:aws:rds:us-east-1:${ACCOUNT_ID}:cluster:${id}`,
    engine: 'aurora-postgresql',
    // The provider suppresses a version prefix: "16" matches 16.4 live.
    engine_version: '16',
    engine_mode: 'provisioned',
    database_name: 'app',
    master_username: 'app',
    master_password: 'CANARY-storage-test-master-7d2e',
    port: 5432,
    storage_encrypted: true,
    kms_key_id: KEY,
    backup_retention_period: 7,
    deletion_protection: true,
    iam_database_authentication_enabled: false,
    db_subnet_group_name: 'private',
    // Set order is not drift.
    vpc_security_group_ids: ['sg-0bbb2222', 'sg-0aaa1111'],
    copy_tags_to_snapshot: false,
    skip_final_snapshot: true,
    tags: { team: 'data' },
    tags_all: { team: 'data' },
    ...extra,
  });

const STATE = {
  version: 4,
  terraform_version: '1.9.8',
  serial: 3,
  lineage: 'storage-test',
  outputs: {},
  resources: [clusterState('orders', 'orders'), clusterState('billing', 'billing'), clusterState('gone', 'gone')],
};

async function drift(endpoint: string): Promise<{ report: DriftReport; text: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'drift-storage-'));
  writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify(STATE));
  const inputs = await loadTerraformInputs({ statePaths: [path.join(dir, 'terraform.tfstate')], env: {} });
  const session = new AwsSession({ endpointUrl: endpoint, credentials: TEST_CREDENTIALS, region: 'us-east-1', retry: { maxAttempts: 1 } });
  const report = await runDrift(inputs, session, { regions: ['us-east-1'] });
  return { report, text: JSON.stringify(report) };
}

describe('drift of the storage and data types', () => {
  const env = useSandbox(ACCOUNT);
  let report: DriftReport;
  let text: string;
  beforeAll(async () => {
    ({ report, text } = await drift(env.endpoint));
  });
  const entry = (address: string) => report.entries.find((e) => e.terraformAddress === address && e.kind !== 'unmanaged');
  const unmanaged = (type: string) => report.entries.filter((e) => e.kind === 'unmanaged' && e.resourceType === type);

  it('compares every instance of the state', () => {
    expect(report.unsupportedTypes).toEqual([]);
    expect(report.summary.comparedPercent).toBe(100);
    expect(report.errors).toEqual([]);
  });

  it('RDS cluster: in sync (version prefix, set order), changed, missing, and one made by hand with its import block; never the password', () => {
    expect(entry('aws_rds_cluster.orders')).toBeUndefined();
    expect(entry('aws_rds_cluster.billing')?.diffs?.map((d) => [d.path, d.state, d.live])).toEqual([
      ['backup_retention_period', 7, 1],
      ['deletion_protection', true, false],
    ]);
    expect(entry('aws_rds_cluster.gone')?.kind).toBe('missing');
    const scratch = unmanaged('aws_rds_cluster');
    expect(scratch.map((e) => [e.importId, e.resourceId])).toEqual([['scratch', `arn:aws:rds:us-east-1:${ACCOUNT_ID}:cluster:scratch`]]);
    expect(scratch[0]!.importBlocks).toContain('id = "scratch"');
    expect(scratch[0]!.importBlocks).toContain('resource "aws_rds_cluster"');
    expect(text).not.toContain('CANARY-storage-test');
  });
});
