/**
 * Drift for IAM groups and the split parts of users and groups: aws_iam_group, _group_policy,
 * _group_policy_attachment, _user_policy, _user_policy_attachment, _user_group_membership.
 * Per type: in sync, changed, missing, unmanaged with its import id (as the provider documents
 * it), and near misses the provider does not report. Over the wire against the sandbox.
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
const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
const READ = `arn:aws:iam::${ACCOUNT_ID}:policy/read`;
const AUDIT = `arn:aws:iam::${ACCOUNT_ID}:policy/audit`;
const managed = (PolicyName: string) => ({ PolicyName, CreateDate: CREATED, Versions: [{ VersionId: 'v1', IsDefaultVersion: true, CreateDate: CREATED, Document: doc({ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }) }] });

const ACCOUNT = {
  AccountId: ACCOUNT_ID,
  Regions: { 'us-east-1': {} },
  IAM: {
    Users: [
      {
        UserName: 'ann',
        CreateDate: CREATED,
        InlinePolicies: [{ PolicyName: 'own-read', PolicyDocument: doc({ Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::ann/*' }) }],
        // Attached in the console.
        AttachedPolicies: [{ PolicyName: 'read', PolicyArn: READ }],
      },
      // Attached through the exclusive aws_iam_policy_attachment.
      { UserName: 'ben', CreateDate: CREATED, AttachedPolicies: [{ PolicyName: 'audit', PolicyArn: AUDIT }] },
    ],
    Groups: [
      {
        GroupName: 'devs',
        CreateDate: CREATED,
        Users: ['ann', 'ben'],
        InlinePolicies: [
          // Widened in the console.
          { PolicyName: 'dev-access', PolicyDocument: doc({ Effect: 'Allow', Action: ['ec2:Describe*', 'ec2:StartInstances'], Resource: '*' }) },
          // As the state has it, written differently.
          { PolicyName: 'fmt', PolicyDocument: doc({ Resource: ['*'], Action: 'logs:Get*', Effect: 'Allow' }) },
        ],
        AttachedPolicies: [{ PolicyName: 'read', PolicyArn: READ }],
      },
      // Moved to another path by hand.
      { GroupName: 'ops', Path: '/ops/', CreateDate: CREATED, Users: ['ann'], AttachedPolicies: [{ PolicyName: 'audit', PolicyArn: AUDIT }] },
      // Made by hand, with an inline policy of its own and a member.
      { GroupName: 'handmade', CreateDate: CREATED, Users: ['ben'], InlinePolicies: [{ PolicyName: 'scratch', PolicyDocument: doc({ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }) }] },
    ],
    Policies: [managed('read'), managed('audit')],
    ServerCertificates: [
      { ServerCertificateName: 'api', UploadDate: CREATED, Expiration: '2027-01-01T00:00:00Z' },
      { ServerCertificateName: 'moved', Path: '/cloudfront/', UploadDate: CREATED, Expiration: '2027-01-01T00:00:00Z' },
      // Uploaded with the CLI.
      { ServerCertificateName: 'by-hand', UploadDate: CREATED, Expiration: '2027-01-01T00:00:00Z' },
    ],
  },
};

const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';
const resource = (type: string, name: string, attributes: Record<string, unknown>) => ({ mode: 'managed', type, name, provider: PROVIDER, instances: [{ schema_version: 0, attributes }] });
const group = (name: string, groupPath = '/') => ({ id: name, name, path: groupPath, arn: `arn:aws:iam::${ACCOUNT_ID}:group${groupPath}${name}`, unique_id: 'AGPAEXAMPLE' });
const user = (name: string) => ({ id: name, name, path: '/', arn: `arn:aws:iam::${ACCOUNT_ID}:user/${name}`, force_destroy: false, permissions_boundary: '', tags: {}, tags_all: {} });
const json = (value: unknown) => JSON.stringify(value);

const STATE = {
  version: 4,
  terraform_version: '1.9.8',
  serial: 3,
  lineage: 'iam-groups-test',
  outputs: {},
  resources: [
    resource('aws_iam_user', 'ann', user('ann')),
    resource('aws_iam_user', 'ben', user('ben')),
    resource('aws_iam_group', 'devs', group('devs')),
    resource('aws_iam_group', 'ops', group('ops')),
    resource('aws_iam_group', 'gone', group('gone')),
    resource('aws_iam_group_policy', 'dev_access', { id: 'devs:dev-access', name: 'dev-access', name_prefix: '', group: 'devs', policy: json(doc({ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' })) }),
    resource('aws_iam_group_policy', 'fmt', { id: 'devs:fmt', name: 'fmt', name_prefix: '', group: 'devs', policy: '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Action": ["logs:Get*"], "Resource": "*"}]\n}' }),
    resource('aws_iam_group_policy_attachment', 'devs_read', { id: 'devs-20260101000000000000000001', group: 'devs', policy_arn: READ }),
    resource('aws_iam_group_policy_attachment', 'ops_gone', { id: 'ops-20260101000000000000000002', group: 'ops', policy_arn: `arn:aws:iam::${ACCOUNT_ID}:policy/gone` }),
    resource('aws_iam_user_policy', 'ann_own', { id: 'ann:own-read', name: 'own-read', name_prefix: '', user: 'ann', policy: json(doc({ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::ann/*' })) }),
    resource('aws_iam_user_policy', 'ben_gone', { id: 'ben:removed', name: 'removed', name_prefix: '', user: 'ben', policy: json(doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' })) }),
    resource('aws_iam_user_group_membership', 'ann', { id: 'terraform-20260101000000000000000003', user: 'ann', groups: ['ops', 'devs'] }),
    // ben was taken out of qa in the console; his membership of handmade is no business of this resource.
    resource('aws_iam_user_group_membership', 'ben', { id: 'terraform-20260101000000000000000004', user: 'ben', groups: ['devs', 'qa'] }),
    resource('aws_iam_server_certificate', 'api', { id: 'ASCAEXAMPLEAPI', name: 'api', name_prefix: '', path: '/', arn: `arn:aws:iam::${ACCOUNT_ID}:server-certificate/api`, certificate_body: '-----BEGIN CERTIFICATE-----', expiration: '2027-01-01T00:00:00Z' }),
    resource('aws_iam_server_certificate', 'moved', { id: 'ASCAEXAMPLEMOVED', name: 'moved', name_prefix: '', path: '/', arn: `arn:aws:iam::${ACCOUNT_ID}:server-certificate/moved` }),
    resource('aws_iam_server_certificate', 'deleted', { id: 'ASCAEXAMPLEGONE', name: 'deleted', name_prefix: '', path: '/', arn: `arn:aws:iam::${ACCOUNT_ID}:server-certificate/deleted` }),
    // The exclusive attachment: ben's and ops's attachments of audit are managed here.
    resource('aws_iam_policy_attachment', 'audit', { id: 'audit', name: 'audit', policy_arn: AUDIT, users: ['ben'], groups: ['ops'], roles: [] }),
  ],
};

async function drift(endpoint: string): Promise<DriftReport> {
  const dir = mkdtempSync(path.join(tmpdir(), 'drift-iam-groups-'));
  writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify(STATE));
  const inputs = await loadTerraformInputs({ statePaths: [path.join(dir, 'terraform.tfstate')], env: {} });
  const session = new AwsSession({ endpointUrl: endpoint, credentials: TEST_CREDENTIALS, region: 'us-east-1', retry: { maxAttempts: 1 } });
  return runDrift(inputs, session, { regions: ['us-east-1'] });
}

describe('drift of IAM groups and the split parts of users and groups', () => {
  const env = useSandbox(ACCOUNT);
  let report: DriftReport;
  beforeAll(async () => {
    report = await drift(env.endpoint);
  });
  const entry = (address: string) => report.entries.find((e) => e.terraformAddress === address && e.kind !== 'unmanaged');
  const unmanaged = (type: string) => report.entries.filter((e) => e.kind === 'unmanaged' && e.resourceType === type);

  it('compares every instance but the exclusive attachment, with no failed read', () => {
    expect(report.unsupportedTypes).toEqual([{ type: 'aws_iam_policy_attachment', count: 1 }]);
    expect(report.errors).toEqual([]);
    expect(report.unchecked).toEqual([]);
  });

  it('aws_iam_group: in sync, a changed path, missing, and a hand-made group unmanaged with its inline policy', () => {
    expect(entry('aws_iam_group.devs')).toBeUndefined();
    expect(entry('aws_iam_group.ops')?.diffs).toEqual([expect.objectContaining({ path: 'path', state: '/', live: '/ops/' })]);
    expect(entry('aws_iam_group.gone')?.kind).toBe('missing');
    const made = unmanaged('aws_iam_group');
    expect(made.map((e) => [e.importId, e.resourceId])).toEqual([['handmade', `arn:aws:iam::${ACCOUNT_ID}:group/handmade`]]);
    // Its inline policy goes with it, importable as group:policy.
    expect(made[0]!.importBlocks).toContain('id = "handmade:scratch"');
    expect(unmanaged('aws_iam_group_policy')).toEqual([]);
  });

  it('aws_iam_group_policy: a widened policy is changed; the same document written differently is not', () => {
    expect(entry('aws_iam_group_policy.dev_access')?.diffs?.map((d) => d.path)).toEqual(['policy']);
    expect(entry('aws_iam_group_policy.fmt')).toBeUndefined();
  });

  it('aws_iam_group_policy_attachment: in sync and missing, keyed group/policy ARN', () => {
    expect(entry('aws_iam_group_policy_attachment.devs_read')).toBeUndefined();
    const gone = entry('aws_iam_group_policy_attachment.ops_gone');
    expect([gone?.kind, gone?.resourceId]).toEqual(['missing', `ops/arn:aws:iam::${ACCOUNT_ID}:policy/gone`]);
  });

  it('aws_iam_user_policy: in sync with its document as the state has it; missing once deleted', () => {
    expect(entry('aws_iam_user_policy.ann_own')).toBeUndefined();
    expect(entry('aws_iam_user_policy.ben_gone')?.kind).toBe('missing');
    expect(unmanaged('aws_iam_user_policy')).toEqual([]);
  });

  it("aws_iam_user_policy_attachment: one made in the console is unmanaged as user/policy ARN; the exclusive attachment's are not", () => {
    const made = unmanaged('aws_iam_user_policy_attachment');
    expect(made.map((e) => e.importId)).toEqual([`ann/${READ}`]);
    expect(made[0]!.importBlocks).toContain(`id = "ann/${READ}"`);
    expect(unmanaged('aws_iam_group_policy_attachment')).toEqual([]);
  });

  it('aws_iam_user_group_membership: in sync whatever the order; a group the user left is reported; other memberships are not its business', () => {
    expect(entry('aws_iam_user_group_membership.ann')).toBeUndefined();
    const ben = entry('aws_iam_user_group_membership.ben');
    expect(ben?.diffs).toEqual([expect.objectContaining({ path: 'groups' })]);
    expect(JSON.stringify(ben?.diffs)).toContain('qa');
    expect(JSON.stringify(ben?.diffs)).not.toContain('handmade');
    expect(unmanaged('aws_iam_user_group_membership')).toEqual([]);
  });

  it('aws_iam_server_certificate: in sync, a changed path, deleted, and one uploaded by hand unmanaged by name', () => {
    expect(entry('aws_iam_server_certificate.api')).toBeUndefined();
    expect(entry('aws_iam_server_certificate.moved')?.diffs).toEqual([expect.objectContaining({ path: 'path', state: '/', live: '/cloudfront/' })]);
    expect(entry('aws_iam_server_certificate.deleted')?.kind).toBe('missing');
    expect(unmanaged('aws_iam_server_certificate').map((e) => [e.importId, e.resourceId])).toEqual([['by-hand', `arn:aws:iam::${ACCOUNT_ID}:server-certificate/by-hand`]]);
    // The stub cannot hold the certificate or its key: it says so where a person fills it in.
    expect(unmanaged('aws_iam_server_certificate')[0]!.importBlocks).toMatch(/resource "aws_iam_server_certificate" "[^"]+" \{\n {2}# certificate_body and private_key are required/);
  });
});
