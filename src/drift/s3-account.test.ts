/**
 * Drift for aws_s3_account_public_access_block through `infra-audit drift` against the sandbox,
 * with a state and its configuration: in sync (a setting left to the provider's default), a
 * setting turned off in the console named, gone when the account has none, and an account
 * setting no state manages importable by account id.
 */
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../test-support/sandbox.js';
import { driftCli, stateOf, stateResource } from '../test-support/drift.js';

const ACCOUNT_ID = '111122223333';
const account = (block?: object) => ({ AccountId: ACCOUNT_ID, Regions: { 'us-east-1': {} }, S3: { ...(block ? { AccountPublicAccessBlock: block } : {}), Buckets: [] } });
const ALL_ON = { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true };
const block = (settings: Record<string, boolean>) =>
  stateOf('s3-account-test', [stateResource('aws_s3_account_public_access_block', 'this', { id: ACCOUNT_ID, account_id: ACCOUNT_ID, ...settings })]);
const HCL = `
resource "aws_s3_account_public_access_block" "this" {
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
`;
const ADDRESS = 'aws_s3_account_public_access_block.this';

describe('drift of the account\'s S3 Block Public Access', () => {
  const allOn = useSandbox(account(ALL_ON));
  const policyOff = useSandbox(account({ ...ALL_ON, BlockPublicPolicy: false }));
  const none = useSandbox(account());

  it('in sync; a setting turned off in the console is named, with the declared value', async () => {
    const state = block({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    const same = await driftCli(allOn.endpoint, { state, hcl: HCL, regions: ['us-east-1'] });
    expect(same.code).toBe(0);
    expect(same.report.summary).toMatchObject({ compared: 1, inSync: 1, unmanaged: 0 });
    const changed = await driftCli(policyOff.endpoint, { state, hcl: HCL, regions: ['us-east-1'] });
    expect(changed.entry(ADDRESS)?.diffs).toEqual([expect.objectContaining({ path: 'block_public_policy', config: true, state: true, live: false })]);
  });

  it('missing when the account has no setting; unmanaged with an import block by account id when no state has it', async () => {
    const gone = await driftCli(none.endpoint, { state: block({ block_public_acls: true }), regions: ['us-east-1'] });
    expect(gone.entry(ADDRESS)?.kind).toBe('missing');
    const unmanaged = await driftCli(allOn.endpoint, { state: stateOf('empty', []), regions: ['us-east-1'] });
    const entries = unmanaged.unmanaged('aws_s3_account_public_access_block');
    expect(entries.map((e) => e.importId)).toEqual([ACCOUNT_ID]);
    expect(entries[0]!.importBlocks).toContain(`id = "${ACCOUNT_ID}"`);
    expect(entries[0]!.importBlocks).toMatch(/block_public_policy\s+= true/);
  });
});
