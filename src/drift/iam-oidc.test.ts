/**
 * Drift of aws_iam_openid_connect_provider: in sync, changed (client ids, thumbprints, tags),
 * missing, unmanaged with its import block (the provider ARN), a read that failed (unchecked),
 * and near misses the provider does not report (the URL's scheme and trailing slash, the order
 * of client ids, thumbprints in upper case). Over the wire against the sandbox.
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
const CREATED = '2026-01-01T00:00:00Z';
const arn = (url: string) => `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/${url}`;
const GITHUB_THUMBPRINT = '6938fd4d98bab03faadb97b34396831e3780aea1';
const ROTATED = '1c58a3a8518e8759bf075b76b750d4f2df264fcd';

const ACCOUNT = {
  AccountId: ACCOUNT_ID,
  Regions: { 'us-east-1': {} },
  IAM: {
    OpenIDConnectProviders: [
      { Url: 'https://token.actions.githubusercontent.com', ClientIDList: ['sts.amazonaws.com'], ThumbprintList: [GITHUB_THUMBPRINT], CreateDate: CREATED, Tags: [{ Key: 'team', Value: 'platform' }] },
      // An audience added, a thumbprint rotated and a tag changed in the console.
      { Url: 'https://oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF', ClientIDList: ['sts.amazonaws.com', 'extra-audience'], ThumbprintList: [ROTATED], CreateDate: CREATED, Tags: [{ Key: 'team', Value: 'someone-else' }] },
      // As the state has it, written differently.
      { Url: 'https://accounts.google.com', ClientIDList: ['b-client', 'a-client'], ThumbprintList: [GITHUB_THUMBPRINT], CreateDate: CREATED },
      // Made by hand.
      { Url: 'https://gitlab.com', ClientIDList: ['https://gitlab.com'], CreateDate: CREATED },
      // Managed, but its details cannot be read.
      { Url: 'https://login.example.com', ClientIDList: ['x'], CreateDate: CREATED },
    ],
  },
};

const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';
const resource = (name: string, attributes: Record<string, unknown>) => ({ mode: 'managed', type: 'aws_iam_openid_connect_provider', name, provider: PROVIDER, instances: [{ schema_version: 0, attributes }] });
const oidc = (url: string, clientIds: string[], thumbprints: string[], tags: Record<string, string> = {}) => ({
  id: arn(url),
  arn: arn(url),
  url,
  client_id_list: clientIds,
  thumbprint_list: thumbprints,
  tags,
  tags_all: tags,
});

const STATE = {
  version: 4,
  terraform_version: '1.9.8',
  serial: 1,
  lineage: 'iam-oidc-test',
  outputs: {},
  resources: [
    resource('github', oidc('token.actions.githubusercontent.com', ['sts.amazonaws.com'], [GITHUB_THUMBPRINT], { team: 'platform' })),
    resource('eks', oidc('oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF', ['sts.amazonaws.com'], [GITHUB_THUMBPRINT], { team: 'platform' })),
    // The URL as a configuration writes it, client ids in another order, the thumbprint in upper case.
    resource('google', { ...oidc('accounts.google.com', ['a-client', 'b-client'], [GITHUB_THUMBPRINT.toUpperCase()]), url: 'https://accounts.google.com/' }),
    resource('deleted', oidc('auth.example.org', ['sts.amazonaws.com'], [])),
    resource('unreadable', oidc('login.example.com', ['x'], [])),
  ],
};

async function drift(endpoint: string): Promise<DriftReport> {
  const dir = mkdtempSync(path.join(tmpdir(), 'drift-iam-oidc-'));
  writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify(STATE));
  const inputs = await loadTerraformInputs({ statePaths: [path.join(dir, 'terraform.tfstate')], env: {} });
  const session = new AwsSession({ endpointUrl: endpoint, credentials: TEST_CREDENTIALS, region: 'us-east-1', retry: { maxAttempts: 1 } });
  return runDrift(inputs, session, { regions: ['us-east-1'] });
}

describe('drift of IAM OpenID Connect providers', () => {
  const env = useSandbox(ACCOUNT, { deny: [`GetOpenIDConnectProvider:${arn('login.example.com')}`] });
  let report: DriftReport;
  beforeAll(async () => {
    report = await drift(env.endpoint);
  });
  const entry = (address: string) => report.entries.find((e) => e.terraformAddress === address && e.kind !== 'unmanaged');

  it('compares every instance; the one whose details could not be read is unchecked, with the reason', () => {
    expect(report.unsupportedTypes).toEqual([]);
    expect(report.unchecked).toEqual([
      { terraformAddress: 'aws_iam_openid_connect_provider.unreadable', resourceType: 'aws_iam_openid_connect_provider', reason: expect.stringContaining('GetOpenIDConnectProvider') },
    ]);
    expect(report.errors.map((e) => e.message).join('\n')).toContain('AccessDenied');
  });

  it('in sync; the URL scheme and trailing slash, client id order and thumbprint case are not drift', () => {
    expect(entry('aws_iam_openid_connect_provider.github')).toBeUndefined();
    expect(entry('aws_iam_openid_connect_provider.google')).toBeUndefined();
  });

  it('changed: an audience added, a thumbprint rotated and a tag changed outside Terraform', () => {
    const eks = entry('aws_iam_openid_connect_provider.eks');
    expect(eks?.kind).toBe('changed');
    expect(eks?.resourceId).toBe(arn('oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF'));
    expect(eks?.diffs?.map((d) => d.path).sort()).toEqual(['client_id_list', 'tags.team', 'thumbprint_list']);
    expect(JSON.stringify(eks?.diffs)).toContain('extra-audience');
    expect(JSON.stringify(eks?.diffs)).toContain(ROTATED);
  });

  it('missing once deleted', () => {
    expect(entry('aws_iam_openid_connect_provider.deleted')?.kind).toBe('missing');
  });

  it('one made by hand is unmanaged, imported by its ARN with a stub naming its https URL', () => {
    const made = report.entries.filter((e) => e.kind === 'unmanaged' && e.resourceType === 'aws_iam_openid_connect_provider');
    expect(made.map((e) => [e.importId, e.name])).toEqual([[arn('gitlab.com'), 'gitlab.com']]);
    expect(made[0]!.importBlocks).toContain(`id = "${arn('gitlab.com')}"`);
    expect(made[0]!.importBlocks).toMatch(/url += "https:\/\/gitlab\.com"/);
  });
});
