/**
 * suggest_remediation through a real MCP client and server (in memory), against a copy of a
 * small Terraform root module. Every patch must apply cleanly (`git apply --check`), leave
 * the files as `terraform fmt` would, and make the recipe answer "none" on a second run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ServerSession } from '../../server/session.js';
import { createMcpServer } from '../../server/create-server.js';
import { fixturePath } from '../../test-support/sandbox.js';
import type { SuggestRemediationOutput } from './suggest_remediation.js';
import { SUPPORTED_CHECK_IDS } from './recipes.js';
import { CHECKS } from '../../checks/registry.js';
import { inputDigest } from '../../server/create-server.js';
import { escapeRegExp } from '../../test-support/mcp.js';

type Proposal = SuggestRemediationOutput;

let configDir: string;
let client: Client;
const scratchDirs: string[] = [];

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratchDirs.push(dir);
  return dir;
}

async function connect(dir: string | undefined): Promise<Client> {
  const session = new ServerSession({ aws: { endpointUrl: 'http://127.0.0.1:9', region: 'us-east-1' }, ...(dir ? { configDir: dir } : {}) });
  const server = createMcpServer(session, { defaultCaller: { principal: 'test', transport: 'in-process' } });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(b);
  const c = new Client({ name: 'remediation-test', version: '1.0.0' });
  await c.connect(a);
  return c;
}

async function suggest(args: Record<string, unknown>, c = client) {
  const res = await c.callTool({ name: 'suggest_remediation', arguments: args });
  return { isError: res.isError === true, text: (res.content as Array<{ text: string }>)[0]!.text, proposal: res.structuredContent as Proposal };
}

/** Apply a patch to a fresh copy of the fixture, as the README tells a human to. */
function applyToCopy(patch: string): string {
  const dir = tempDir('tf-apply-');
  cpSync(fixturePath('agent-terraform'), dir, { recursive: true });
  writeFileSync(join(dir, 'change.patch'), patch);
  execFileSync('git', ['apply', '--check', 'change.patch'], { cwd: dir, stdio: 'pipe' });
  execFileSync('git', ['apply', 'change.patch'], { cwd: dir, stdio: 'pipe' });
  rmSync(join(dir, 'change.patch'));
  return dir;
}

function assertFormatted(dir: string): void {
  // terraform fmt is the judge of formatting; -check exits non-zero on any difference.
  execFileSync('terraform', ['fmt', '-check', '-diff'], { cwd: dir, stdio: 'pipe', env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null' } });
}

beforeAll(async () => {
  configDir = tempDir('tf-config-');
  cpSync(fixturePath('agent-terraform'), configDir, { recursive: true });
  client = await connect(configDir);
});
afterAll(async () => {
  await client?.close();
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

describe('suggest_remediation', () => {
  it('turns on all four flags of an existing public access block, in place', async () => {
    const { proposal, isError, text } = await suggest({ checkId: 's3_bucket_public_access_block', resource: 'arn:aws:s3:::bravo-public-site' });
    expect(isError).toBe(false);
    expect(proposal).toMatchObject({ kind: 'patch', managed: true, terraformAddress: 'aws_s3_bucket_public_access_block.site', file: 'main.tf', line: 42 });
    expect(proposal.patch!.match(/^-\s+\w+\s+= false$/gm)).toHaveLength(4);
    expect(proposal.patch!.match(/^\+\s+\w+\s+= true$/gm)).toHaveLength(4);
    expect(proposal.planCommand).toBe(`terraform -chdir=${configDir} plan`);
    expect(text).toContain('Nothing has been applied.');
    const applied = applyToCopy(proposal.patch!);
    assertFormatted(applied);
    const after = readFileSync(join(applied, 'main.tf'), 'utf8');
    expect(after).toMatch(/block_public_acls\s+= true\n\s+ignore_public_acls\s+= true\n\s+block_public_policy\s+= true\n\s+restrict_public_buckets = true/);
    // Against the fixed config the recipe has nothing left to change.
    const again = await connect(applied);
    expect((await suggest({ checkId: 's3_bucket_public_access_block', resource: 'bravo-public-site' }, again)).proposal.kind).toBe('none');
    await again.close();
  });

  it('adds a public access block after a bucket that has none, formatted as terraform fmt does', async () => {
    const { proposal } = await suggest({ checkId: 's3_bucket_public_read', resource: 'alpha-logs' });
    expect(proposal).toMatchObject({ kind: 'patch', terraformAddress: 'aws_s3_bucket_public_access_block.logs', file: 'main.tf' });
    const applied = applyToCopy(proposal.patch!);
    assertFormatted(applied);
    const after = readFileSync(join(applied, 'main.tf'), 'utf8');
    expect(after).toContain('resource "aws_s3_bucket" "logs" {\n  bucket = "alpha-logs"\n}\n\nresource "aws_s3_bucket_public_access_block" "logs" {\n  bucket                  = aws_s3_bucket.logs.id\n');
    // The site bucket's block is untouched: the patch is about alpha-logs only.
    expect(proposal.patch).not.toContain('site');
  });

  it('removes only the public statement from a jsonencode bucket policy', async () => {
    const { proposal } = await suggest({ checkId: 's3_bucket_public_read', fix: 'remove_public_policy_statements', resource: 'bravo-public-site', terraformAddress: 'aws_s3_bucket.site' });
    expect(proposal).toMatchObject({ kind: 'patch', fix: 'remove_public_policy_statements', terraformAddress: 'aws_s3_bucket_policy.site' });
    const applied = applyToCopy(proposal.patch!);
    assertFormatted(applied);
    const after = readFileSync(join(applied, 'main.tf'), 'utf8');
    expect(after).not.toContain('PublicRead');
    expect(after).not.toMatch(/Principal\s*=\s*"\*"/);
    expect(after).toContain('Sid       = "DeployRole"');
  });

  it('sets publicly_accessible = false on a DB instance, past a heredoc holding a brace', async () => {
    const { proposal } = await suggest({ checkId: 'rds_instance_public_access', resource: 'arn:aws:rds:us-east-1:111122223333:db:reporting-db' });
    expect(proposal).toMatchObject({ kind: 'patch', terraformAddress: 'aws_db_instance.reporting', file: 'database.tf', line: 1 });
    const applied = applyToCopy(proposal.patch!);
    assertFormatted(applied);
    expect(readFileSync(join(applied, 'database.tf'), 'utf8')).toContain('  publicly_accessible = false\n');
  });

  it('answers an unmanaged bucket with an import block and a minimal resource', async () => {
    const { proposal } = await suggest({ checkId: 's3_bucket_public_access_block', resource: 'charlie-data' });
    expect(proposal).toMatchObject({ kind: 'import', managed: false, terraformAddress: 'aws_s3_bucket_public_access_block.charlie_data' });
    expect(proposal.patch).toBeUndefined();
    expect(proposal.imports).toContain('import {\n  to = aws_s3_bucket.charlie_data\n  id = "charlie-data"\n}');
    expect(proposal.imports).toContain('resource "aws_s3_bucket" "charlie_data" {\n  bucket = "charlie-data"\n}');
    const dir = tempDir('tf-imports-');
    writeFileSync(join(dir, 'imports.tf'), proposal.imports!);
    assertFormatted(dir);
  });

  it('without --config, says it cannot see Terraform and proposes an import', async () => {
    const bare = await connect(undefined);
    const { proposal } = await suggest({ checkId: 's3_bucket_public_access_block', resource: 'bravo-public-site' }, bare);
    expect(proposal.kind).toBe('import');
    expect(proposal.review.join(' ')).toContain('no Terraform configuration');
    await bare.close();
  });

  it('refuses an unknown check, a fix for another check, a module address and a malformed resource with errors a model can act on', async () => {
    const unknown = await suggest({ checkId: 'no_such_check', resource: 'x' });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toMatch(new RegExp(`unknown check "${escapeRegExp(inputDigest('no_such_check'))}"[\\s\\S]*s3_bucket_public_access_block`));
    const wrongFix = await suggest({ checkId: 's3_bucket_public_read', fix: 'not_publicly_accessible', resource: 'bravo-public-site' });
    expect(wrongFix.isError).toBe(true);
    expect(wrongFix.text).toContain('choose: block_public_access, remove_public_policy_statements');
    const moduled = await suggest({ checkId: 's3_bucket_public_access_block', resource: 'bravo-public-site', terraformAddress: 'module.web.aws_s3_bucket.site' });
    expect(moduled.isError).toBe(true);
    expect(moduled.text).toContain('inside a module');
    const malformed = await suggest({ checkId: 's3_bucket_public_access_block', resource: 'Not A Bucket' });
    expect(malformed.isError).toBe(true);
    expect(malformed.text).toContain('not an S3 bucket name');
  });

  it("answers a catalog check without a recipe with the check's Terraform snippet", async () => {
    const { proposal, isError } = await suggest({ checkId: 'iam_root_mfa', resource: 'arn:aws:iam::111122223333:root' });
    expect(isError).toBe(false);
    const check = CHECKS.find((c) => c.metadata.id === 'iam_root_mfa')!.metadata;
    expect(proposal).toMatchObject({ kind: 'snippet', snippet: `${check.remediationTerraform.trimEnd()}\n` });
    expect(proposal.patch).toBeUndefined();
  });

  it('has recipes only for checks that exist in the catalog', () => {
    const ids = new Set(CHECKS.map((c) => c.metadata.id));
    expect(SUPPORTED_CHECK_IDS.filter((id) => !ids.has(id))).toEqual([]);
    expect(SUPPORTED_CHECK_IDS).toEqual(expect.arrayContaining(['s3_bucket_public_read', 's3_bucket_public_access_block', 'rds_instance_public_access']));
  });

  it("patches the demo's own Terraform (examples/demo/terraform) cleanly", async () => {
    const demoSource = fileURLToPath(new URL('../../../examples/demo/terraform', import.meta.url));
    const demo = tempDir('tf-demo-');
    cpSync(demoSource, demo, { recursive: true });
    const demoClient = await connect(demo);
    const cases: Array<[checkId: string, resource: string, changedBlock: string, expectedAfter: boolean]> = [
      ['s3_bucket_public_access_block', 'acme-marketing-site', 'resource "aws_s3_bucket_public_access_block" "marketing_site"', true],
      ['s3_bucket_public_read', 'acme-legacy-exports', 'resource "aws_s3_bucket_public_access_block" "legacy_exports"', true],
      // Its only statement is public: the whole policy resource goes.
      ['s3_bucket_public_read', 'acme-marketing-site', 'resource "aws_s3_bucket_policy" "marketing_site"', false],
    ];
    for (const [checkId, resource, changedBlock, expectedAfter] of cases) {
      const fix = expectedAfter ? undefined : 'remove_public_policy_statements';
      const { proposal, isError, text } = await suggest({ checkId, resource, ...(fix ? { fix } : {}) }, demoClient);
      expect(isError, text).toBe(false);
      const copy = tempDir('tf-demo-apply-');
      cpSync(demo, copy, { recursive: true });
      writeFileSync(join(copy, 'change.patch'), proposal.patch!);
      execFileSync('git', ['apply', '--check', 'change.patch'], { cwd: copy, stdio: 'pipe' });
      execFileSync('git', ['apply', 'change.patch'], { cwd: copy, stdio: 'pipe' });
      rmSync(join(copy, 'change.patch'));
      assertFormatted(copy);
      expect(readFileSync(join(demo, proposal.file!), 'utf8').includes(changedBlock)).toBe(!expectedAfter);
      expect(readFileSync(join(copy, proposal.file!), 'utf8').includes(changedBlock)).toBe(expectedAfter);
    }
    await demoClient.close();
  });

  it('wrote nothing: the config directory is unchanged', async () => {
    for (const f of ['main.tf', 'database.tf']) {
      expect(readFileSync(join(configDir, f), 'utf8')).toBe(readFileSync(fixturePath(`agent-terraform/${f}`), 'utf8'));
    }
  });
});
