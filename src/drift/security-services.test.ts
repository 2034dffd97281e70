/**
 * Drift for aws_accessanalyzer_analyzer, aws_securityhub_account and aws_guardduty_detector: in
 * sync, changed, missing and unmanaged with the provider's import id, over the wire.
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
const CREATED = '2025-01-01T00:00:00Z';
const ACCOUNT = {
  AccountId: ACCOUNT_ID,
  Regions: {
    'us-east-1': {
      AccessAnalyzer: {
        Analyzers: [
          { name: 'account', type: 'ACCOUNT', status: 'ACTIVE', createdAt: CREATED, tags: { team: 'security' } },
          // Re-tagged in the console.
          { name: 'retagged', type: 'ACCOUNT', status: 'ACTIVE', createdAt: CREATED, tags: { team: 'platform' } },
          // Made by hand.
          { name: 'handmade', type: 'ACCOUNT_UNUSED_ACCESS', status: 'ACTIVE', createdAt: CREATED },
        ],
      },
      SecurityHub: { Hub: { SubscribedAt: CREATED, AutoEnableControls: false } },
      // Suspended by hand.
      GuardDuty: { Detectors: [{ DetectorId: 'aaa111', Status: 'DISABLED', CreatedAt: CREATED, FindingPublishingFrequency: 'SIX_HOURS' }] },
    },
    // Enabled by hand in another region.
    'eu-west-1': { GuardDuty: { Detectors: [{ DetectorId: 'bbb222', Status: 'ENABLED', CreatedAt: CREATED }] } },
  },
};

const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';
const resource = (type: string, name: string, attributes: Record<string, unknown>) => ({ mode: 'managed', type, name, provider: PROVIDER, instances: [{ schema_version: 0, attributes }] });
const analyzerArn = (name: string) => `arn:aws:access-analyzer:us-east-1:${ACCOUNT_ID}:analyzer/${name}`;
const STATE = {
  version: 4,
  terraform_version: '1.9.8',
  serial: 1,
  lineage: 'security-services-test',
  outputs: {},
  resources: [
    resource('aws_accessanalyzer_analyzer', 'account', { id: 'account', analyzer_name: 'account', arn: analyzerArn('account'), type: 'ACCOUNT', tags: { team: 'security' }, tags_all: { team: 'security' } }),
    resource('aws_accessanalyzer_analyzer', 'retagged', { id: 'retagged', analyzer_name: 'retagged', arn: analyzerArn('retagged'), type: 'ACCOUNT', tags: { team: 'security' }, tags_all: { team: 'security' } }),
    resource('aws_accessanalyzer_analyzer', 'gone', { id: 'gone', analyzer_name: 'gone', arn: analyzerArn('gone'), type: 'ACCOUNT', tags: {}, tags_all: {} }),
    resource('aws_securityhub_account', 'this', { id: ACCOUNT_ID, arn: `arn:aws:securityhub:us-east-1:${ACCOUNT_ID}:hub/default`, auto_enable_controls: true, control_finding_generator: 'SECURITY_CONTROL', enable_default_standards: true }),
    resource('aws_guardduty_detector', 'this', { id: 'aaa111', arn: `arn:aws:guardduty:us-east-1:${ACCOUNT_ID}:detector/aaa111`, enable: true, finding_publishing_frequency: 'SIX_HOURS', tags: {}, tags_all: {} }),
  ],
};

describe('drift of Access Analyzer, Security Hub and GuardDuty', () => {
  const env = useSandbox(ACCOUNT);
  let report: DriftReport;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drift-security-'));
    writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify(STATE));
    const inputs = await loadTerraformInputs({ statePaths: [path.join(dir, 'terraform.tfstate')], env: {} });
    const session = new AwsSession({ endpointUrl: env.endpoint, credentials: TEST_CREDENTIALS, region: 'us-east-1', retry: { maxAttempts: 1 } });
    report = await runDrift(inputs, session, { regions: ['us-east-1', 'eu-west-1'] });
  });
  const entry = (address: string) => report.entries.find((e) => e.terraformAddress === address && e.kind !== 'unmanaged');
  const unmanaged = (type: string) => report.entries.filter((e) => e.kind === 'unmanaged' && e.resourceType === type);

  it('compares every instance, with no failed read', () => {
    expect(report.unsupportedTypes).toEqual([]);
    expect(report.errors).toEqual([]);
  });

  it('analyzer: in sync, a changed tag, missing, and one made by hand importable by name', () => {
    expect(entry('aws_accessanalyzer_analyzer.account')).toBeUndefined();
    expect(entry('aws_accessanalyzer_analyzer.retagged')?.diffs).toEqual([expect.objectContaining({ path: 'tags.team', state: 'security', live: 'platform' })]);
    expect(entry('aws_accessanalyzer_analyzer.gone')?.kind).toBe('missing');
    const made = unmanaged('aws_accessanalyzer_analyzer');
    expect(made.map((e) => [e.importId, e.resourceId])).toEqual([['handmade', analyzerArn('handmade')]]);
  });

  it('Security Hub account: auto-enabled controls turned off by hand is reported', () => {
    expect(entry('aws_securityhub_account.this')?.diffs).toEqual([expect.objectContaining({ path: 'auto_enable_controls', state: true, live: false })]);
    expect(unmanaged('aws_securityhub_account')).toEqual([]);
  });

  it('GuardDuty detector: a suspended detector is reported on enable; one enabled by hand elsewhere is unmanaged by detector id', () => {
    expect(entry('aws_guardduty_detector.this')?.diffs).toEqual([expect.objectContaining({ path: 'enable', state: true, live: false })]);
    expect(unmanaged('aws_guardduty_detector').map((e) => [e.importId, e.region])).toEqual([['bbb222', 'eu-west-1']]);
  });
});
