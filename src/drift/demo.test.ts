/**
 * The demo's drift promise: every drift planted in examples/demo (expected-drift.json) is found
 * exactly, and nothing else, with the sandbox serving the demo account and the demo's state and
 * configuration as inputs.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox, TEST_CREDENTIALS } from '../test-support/sandbox.js';
import { AwsSession } from '../aws/session.js';
import { loadTerraformInputs, runDrift } from './run.js';
import type { DriftReport } from './model.js';

const DEMO = fileURLToPath(new URL('../../examples/demo/', import.meta.url));
const expected = JSON.parse(readFileSync(`${DEMO}expected-drift.json`, 'utf8')) as Array<{
  kind: string;
  resourceType: string;
  terraformAddress?: string;
  resourceId: string;
  attributes?: string[];
}>;

describe('drift on the demo', () => {
  const env = useSandbox(JSON.parse(readFileSync(`${DEMO}account.json`, 'utf8')));
  let report: DriftReport;
  beforeAll(async () => {
    const inputs = await loadTerraformInputs({ statePaths: [`${DEMO}terraform/terraform.tfstate`], configDir: `${DEMO}terraform`, env: {} });
    report = await runDrift(inputs, new AwsSession({ endpointUrl: env.endpoint, credentials: TEST_CREDENTIALS, retry: { maxAttempts: 1 } }));
  });

  it('finds exactly the planted drift', () => {
    const found = report.entries.map((e) => ({
      kind: e.kind,
      resourceType: e.resourceType,
      ...(e.terraformAddress ? { terraformAddress: e.terraformAddress } : {}),
      resourceId: e.resourceId,
      ...(e.diffs ? { attributes: [...new Set(e.diffs.map((d) => d.path.split('.')[0]))] } : {}),
    }));
    const want = expected.map(({ kind, resourceType, terraformAddress, resourceId, attributes }) => ({
      kind,
      resourceType,
      ...(terraformAddress && kind !== 'unmanaged' ? { terraformAddress } : {}),
      resourceId,
      ...(attributes ? { attributes } : {}),
    }));
    const byKey = (a: { kind: string; resourceId: string }, b: { kind: string; resourceId: string }) => `${a.kind} ${a.resourceId}`.localeCompare(`${b.kind} ${b.resourceId}`);
    expect(found.sort(byKey)).toEqual(want.sort(byKey));
  });

  it('reads everything it needs: no failed read, nothing unchecked', () => {
    expect(report.errors).toEqual([]);
    expect(report.unchecked).toEqual([]);
  });
});
