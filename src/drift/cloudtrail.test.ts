/** Drift for CloudTrail trails over the wire against the sandbox: in sync, changed, stopped, missing, unmanaged; a multi-region trail listed in every region is compared once. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox, TEST_CREDENTIALS } from '../test-support/sandbox.js';
import { AwsSession } from '../aws/session.js';
import { loadTerraformInputs, runDrift } from './run.js';
import type { DriftReport } from './model.js';

const ACCOUNT_ID = '111122223333';
const arn = (name: string, region = 'us-east-1') => `arn:aws:cloudtrail:${region}:${ACCOUNT_ID}:trail/${name}`;
const liveTrail = (name: string, extra: object = {}) => ({ Name: name, S3BucketName: 'trail-logs', IsMultiRegionTrail: true, LogFileValidationEnabled: true, IsLogging: true, ...extra });

const ACCOUNT = {
  AccountId: ACCOUNT_ID,
  Regions: {
    'us-east-1': {
      CloudTrail: {
        Trails: [
          liveTrail('main', { KmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/k` }),
          // Validation turned off and logging stopped in the console.
          liveTrail('audit', { LogFileValidationEnabled: false, IsLogging: false }),
          liveTrail('handmade', { IsMultiRegionTrail: false }),
        ],
      },
    },
    'eu-west-1': {},
  },
};

const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';
const resource = (type: string, name: string, attributes: Record<string, unknown>) => ({ mode: 'managed', type, name, provider: PROVIDER, instances: [{ schema_version: 0, attributes }] });
const trailState = (name: string, extra: object = {}) => ({
  id: arn(name), arn: arn(name), name, s3_bucket_name: 'trail-logs', s3_key_prefix: '', is_multi_region_trail: true, include_global_service_events: true, enable_log_file_validation: true,
  enable_logging: true, kms_key_id: '', cloud_watch_logs_group_arn: '', cloud_watch_logs_role_arn: '', is_organization_trail: false, sns_topic_name: '', event_selector: [], tags: {}, tags_all: {}, ...extra,
});
const STATE = {
  version: 4, terraform_version: '1.9.8', serial: 1, lineage: 'cloudtrail-test', outputs: {},
  resources: [
    resource('aws_cloudtrail', 'main', trailState('main', { kms_key_id: `arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/k` })),
    resource('aws_cloudtrail', 'audit', trailState('audit')),
    resource('aws_cloudtrail', 'gone', trailState('gone')),
  ],
};

describe('drift of CloudTrail trails', () => {
  const env = useSandbox(ACCOUNT);
  let report: DriftReport;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drift-cloudtrail-'));
    writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify(STATE));
    const inputs = await loadTerraformInputs({ statePaths: [path.join(dir, 'terraform.tfstate')], env: {} });
    const session = new AwsSession({ endpointUrl: env.endpoint, credentials: TEST_CREDENTIALS, region: 'us-east-1', retry: { maxAttempts: 1 } });
    report = await runDrift(inputs, session, { regions: ['us-east-1', 'eu-west-1'] });
  });
  const entry = (address: string) => report.entries.find((e) => e.terraformAddress === address && e.kind !== 'unmanaged');

  it('compares the trail in sync, reports validation off and logging stopped, the deleted trail missing, and the hand-made one unmanaged once', () => {
    expect(report.errors).toEqual([]);
    expect(report.summary.comparedPercent).toBe(100);
    expect(entry('aws_cloudtrail.main')).toBeUndefined();
    expect(entry('aws_cloudtrail.audit')?.diffs).toEqual([
      expect.objectContaining({ path: 'enable_log_file_validation', state: true, live: false }),
      expect.objectContaining({ path: 'enable_logging', state: true, live: false }),
    ]);
    expect(entry('aws_cloudtrail.gone')?.kind).toBe('missing');
    const unmanaged = report.entries.filter((e) => e.kind === 'unmanaged' && e.resourceType === 'aws_cloudtrail');
    expect(unmanaged.map((e) => e.importId)).toEqual([arn('handmade')]);
    expect(unmanaged[0]!.importBlocks).toContain(`id = "${arn('handmade')}"`);
  });
});
