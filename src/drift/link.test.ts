/**
 * Audit findings linked to Terraform: the demo audited through the sandbox, with the demo's
 * state and configuration. Each expected link is read from the configuration files themselves.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from '../test-support/sandbox.js';
import { auditSandbox } from '../test-support/audit.js';
import { loadTerraformInputs } from './run.js';
import { linkFindings } from './link.js';

const DEMO = fileURLToPath(new URL('../../examples/demo/', import.meta.url));
const TERRAFORM = `${DEMO}terraform/`;

/** The line of `resource "type" "name" {` in a demo file, found by reading it. */
function declaredLine(file: string, type: string, name: string): number {
  const line = readFileSync(`${TERRAFORM}${file}`, 'utf8').split('\n').indexOf(`resource "${type}" "${name}" {`) + 1;
  if (line === 0) throw new Error(`resource "${type}" "${name}" not found in ${file}`);
  return line;
}

describe('linking audit findings to Terraform', () => {
  const env = useSandbox(JSON.parse(readFileSync(`${DEMO}account.json`, 'utf8')));
  let audit: Awaited<ReturnType<typeof auditSandbox>>;
  beforeAll(async () => {
    audit = await auditSandbox(env.endpoint);
    const inputs = await loadTerraformInputs({ statePaths: [`${TERRAFORM}terraform.tfstate`], configDir: TERRAFORM, env: {} });
    linkFindings(audit.findings, audit.checks, inputs, audit.snapshots[0]!, { displayRoot: DEMO });
  });

  it('names the split resource the check is about, with its file and line', () => {
    expect(audit.verdict('s3_bucket_public_read', 'acme-marketing-site')).toMatchObject({
      terraformAddress: 'aws_s3_bucket_policy.marketing_site',
      terraformFile: 'terraform/s3.tf',
      terraformLine: declaredLine('s3.tf', 'aws_s3_bucket_policy', 'marketing_site'),
    });
    // The same check on a bucket made public by its ACL links to the ACL resource.
    expect(audit.verdict('s3_bucket_public_read', 'acme-legacy-exports').terraformAddress).toBe('aws_s3_bucket_acl.legacy_exports');
  });

  it('falls back to the resource itself, and follows modules and for_each keys', () => {
    expect(audit.verdict('s3_bucket_versioning', 'acme-marketing-site').terraformAddress).toBe('aws_s3_bucket.marketing_site');
    expect(audit.verdict('iam_user_console_mfa', 'bob')).toMatchObject({ terraformAddress: 'aws_iam_user.people["bob"]', terraformFile: 'terraform/iam.tf' });
    expect(audit.verdict('s3_bucket_access_logging', 'acme-app-data-eu')).toMatchObject({
      terraformAddress: 'module.eu_data_bucket.aws_s3_bucket.this',
      terraformFile: 'terraform/modules/private-bucket/main.tf',
    });
    expect(audit.verdict('iam_password_policy', '210987654321').terraformAddress).toBe('aws_iam_account_password_policy.this');
  });

  it('links a finding only to a resource of a type its check concerns', () => {
    // The account-level Block Public Access is not in the demo's Terraform; the password policy,
    // also keyed by the account, is: the BPA finding must not borrow its address.
    const bpa = audit.verdict('s3_account_public_access_block', '210987654321');
    expect(bpa.status).toBe('fail');
    expect(bpa.terraformAddress).toBeUndefined();
    expect(bpa.terraformFile).toBeUndefined();
    // Every account-wide finding that is linked is linked to a type its check names.
    const byCheck = new Map(audit.checks.map((c) => [c.id, c.terraformTypes]));
    const accountWide = audit.findings.filter((f) => f.resourceId === '210987654321' && f.terraformAddress);
    expect(accountWide.map((f) => f.checkId)).toContain('iam_password_policy');
    for (const f of accountWide) expect(byCheck.get(f.checkId), `${f.checkId} → ${f.terraformAddress}`).toContain(f.terraformAddress!.split('.')[0]);
  });

  it('leaves unmanaged resources unlinked', () => {
    const scratch = audit.findings.filter((f) => f.resourceId === 'arn:aws:s3:::acme-ds-scratch');
    expect(scratch.length).toBeGreaterThan(0);
    expect(scratch.every((f) => f.terraformAddress === undefined && f.terraformFile === undefined)).toBe(true);
  });
});
