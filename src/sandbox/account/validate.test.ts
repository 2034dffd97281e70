import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InfraAuditError } from '../../errors.js';
import { loadAccountText, parseAccountJson, validateAccount, type AccountProblem } from './load.js';
import { CHECKS } from '../../checks/registry.js';

const DEMO_ACCOUNT = fileURLToPath(new URL('../../../examples/demo/account.json', import.meta.url));

const T0 = '2026-01-01T00:00:00Z';
const bucket = (Name: string, extra: Record<string, unknown> = {}) => ({ Name, CreationDate: T0, ...extra });
const account = <Extra extends object>(extra: Extra = {} as Extra) => ({
  AccountId: '210987654321',
  Regions: { 'us-east-1': {}, 'eu-west-1': {} },
  ...extra,
});

function problemsOf(value: unknown): AccountProblem[] {
  return validateAccount(value).problems;
}

function loadError(text: string): InfraAuditError {
  try {
    loadAccountText(text, 'broken.json');
  } catch (err) {
    if (err instanceof InfraAuditError) return err;
    throw err;
  }
  throw new Error('expected loadAccountText to reject the file');
}

describe('account file validation', () => {
  it('accepts a small valid account (the near miss of every case below)', () => {
    const result = validateAccount(account({ S3: { Buckets: [bucket('acme-a'), bucket('acme-b', { Region: 'eu-west-1' })] } }));
    expect(result.problems).toEqual([]);
    expect(result.account?.S3?.Buckets).toHaveLength(2);
  });

  it('says where invalid JSON breaks, by line and column', () => {
    const text = '{\n  "AccountId": "210987654321",\n}\n';
    const { value, problems } = parseAccountJson(text);
    expect(value).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe('$');
    expect(problems[0]!.message).toMatch(/^not valid JSON at line 3, column 1: /);

    const truncated = parseAccountJson('{\n  "AccountId": ');
    expect(truncated.problems[0]!.message).toMatch(/^not valid JSON at line 2, column 16: /);

    const err = loadError(text);
    expect(err.code).toBe('ACCOUNT_FILE_INVALID');
    expect(err.message).toContain('broken.json');
    expect(err.message).toContain('line 3, column 1');
    expect(err.hint).toContain('--validate broken.json');
  });

  it('ECR and Secrets Manager: unique names per region, a secret ARN that is its own, and no field for a secret value', () => {
    const repo = { repositoryName: 'acme/api', createdAt: T0 };
    const secret = (extra: object = {}) => ({ Name: 'prod/db', CreatedDate: T0, ...extra });
    expect(problemsOf(account({ Regions: { 'us-east-1': { ECR: { Repositories: [repo, { ...repo, imageTagMutability: 'IMMUTABLE' }] } } } }))).toEqual([
      { path: '$.Regions["us-east-1"].ECR.Repositories[1].repositoryName', message: 'duplicate repositoryName "acme/api" (first at $.Regions["us-east-1"].ECR.Repositories[0])' },
    ]);
    expect(problemsOf(account({ Regions: { 'us-east-1': { ECR: { Repositories: [{ ...repo, repositoryName: 'Acme/API' }] } } } }))[0]!.path).toBe('$.Regions["us-east-1"].ECR.Repositories[0].repositoryName');
    expect(problemsOf(account({ Regions: { 'us-east-1': { SecretsManager: { Secrets: [secret({ ARN: 'arn:aws:secretsmanager:eu-west-1:210987654321:secret:prod/db-AbCdEf' })] } } } }))).toEqual([
      { path: '$.Regions["us-east-1"].SecretsManager.Secrets[0].ARN', message: 'must be the ARN of secret "prod/db" in us-east-1 of account 210987654321' },
    ]);
    expect(problemsOf(account({ Regions: { 'us-east-1': { SecretsManager: { Secrets: [secret({ ARN: 'arn:aws:secretsmanager:us-east-1:210987654321:secret:prod/db-AbCdEf' })] } } } }))).toEqual([]);
    expect(problemsOf(account({ Regions: { 'us-east-1': { SecretsManager: { Secrets: [secret({ SecretString: 'hunter2' })] } } } }))).toEqual([
      { path: '$.Regions["us-east-1"].SecretsManager.Secrets[0]', message: 'unknown field(s) "SecretString"' },
    ]);
  });

  it('accepts a file saved with a byte-order mark', () => {
    expect(parseAccountJson('\uFEFF' + JSON.stringify(account())).problems).toEqual([]);
  });

  it('reports a wrong type deep inside with its JSON path, and only there', () => {
    const problems = problemsOf(account({ S3: { Buckets: [bucket('acme-a'), { Name: 'acme-b', CreationDate: 1767225600 }] } }));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe('$.S3.Buckets[1].CreationDate');
    expect(problems[0]!.message).toMatch(/string/i);
  });

  it('reports an unknown field (a typo) by name at the object that holds it', () => {
    const problems = problemsOf(account({ S3: { Buckets: [bucket('acme-a', { Polcy: { Version: '2012-10-17', Statement: [] } })] } }));
    expect(problems).toEqual([{ path: '$.S3.Buckets[0]', message: 'unknown field(s) "Polcy"' }]);
  });

  it('reports a duplicate bucket name at the second occurrence, naming the first', () => {
    const problems = problemsOf(account({ S3: { Buckets: [bucket('acme-a'), bucket('acme-b'), bucket('acme-a')] } }));
    expect(problems).toEqual([{ path: '$.S3.Buckets[2].Name', message: 'duplicate Name "acme-a" (first at $.S3.Buckets[0])' }]);
  });

  it('reports a bucket in a region the account does not declare', () => {
    const problems = problemsOf(account({ S3: { Buckets: [bucket('acme-a', { Region: 'ap-south-1' })] } }));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe('$.S3.Buckets[0].Region');
    expect(problems[0]!.message).toContain('"ap-south-1" is not one of the account\'s Regions (us-east-1, eu-west-1)');
  });

  it('reports a bad account id', () => {
    const problems = problemsOf(account({ AccountId: '2109876543' }));
    expect(problems).toEqual([{ path: '$.AccountId', message: 'must be a 12-digit AWS account id' }]);
  });

  it('reports a duplicate regional id with the region in the path', () => {
    const sg = { GroupId: 'sg-0a1b2c3d4e5f60718', GroupName: 'web' };
    const problems = problemsOf(account({ Regions: { 'us-east-1': { EC2: { SecurityGroups: [sg, { ...sg, GroupName: 'web-2' }] } }, 'eu-west-1': { EC2: { SecurityGroups: [sg] } } } }));
    expect(problems).toEqual([
      { path: '$.Regions["us-east-1"].EC2.SecurityGroups[1].GroupId', message: 'duplicate GroupId "sg-0a1b2c3d4e5f60718" (first at $.Regions["us-east-1"].EC2.SecurityGroups[0])' },
    ]);
  });

  it('reports every problem of a file at once, each with its path', () => {
    const err = loadError(
      JSON.stringify(account({ AccountId: 'acme', S3: { Buckets: [bucket('acme-a', { Versioning: { Status: 'On' } })] }, IAM: { Users: [{ UserName: 'alice' }] } })),
    );
    expect(err.message).toContain('(3 problems)');
    expect(err.message).toContain('$.AccountId: must be a 12-digit AWS account id');
    expect(err.message).toContain('$.S3.Buckets[0].Versioning.Status:');
    expect(err.message).toContain('$.IAM.Users[0].CreateDate:');
  });
});

describe('time anchoring', () => {
  const anchored = account({
    TimeAnchor: '2026-01-01T00:00:00Z',
    IAM: {
      Users: [
        {
          UserName: 'alice',
          CreateDate: '2025-01-01T00:00:00Z',
          PasswordLastUsed: '2025-12-31T00:00:00Z',
          AccessKeys: [{ AccessKeyId: 'AKIAEXAMPLEKEY000001', Status: 'Active', CreateDate: '2025-06-15T00:00:00Z' }],
          InlinePolicies: [
            {
              PolicyName: 'until-2026',
              PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '2026-06-01T00:00:00Z' } } }] },
            },
          ],
        },
      ],
    },
    S3: { Buckets: [bucket('acme-a', { Objects: [{ Key: 'a.csv', Body: 'x', LastModified: T0, Metadata: { ExportDate: '2025-01-01T00:00:00Z' } }] })] },
  });
  const now = new Date('2026-03-02T00:00:00Z'); // TimeAnchor + 60 days

  it('keeps every age the same relative to now, including PasswordLastUsed', () => {
    const loaded = loadAccountText(JSON.stringify(anchored), 'anchored.json', now);
    const alice = loaded.IAM!.Users![0]!;
    expect(alice.CreateDate).toBe('2025-03-02T00:00:00.000Z');
    expect(alice.PasswordLastUsed).toBe('2026-03-01T00:00:00.000Z');
    expect(alice.AccessKeys![0]!.CreateDate).toBe('2025-08-14T00:00:00.000Z');
    expect(loaded.S3!.Buckets![0]!.Objects![0]!.LastModified).toBe('2026-03-02T00:00:00.000Z');
  });

  it('leaves policy documents and object metadata as written', () => {
    const loaded = loadAccountText(JSON.stringify(anchored), 'anchored.json', now);
    expect(loaded.IAM!.Users![0]!.InlinePolicies![0]!.PolicyDocument).toEqual(anchored.IAM.Users[0]!.InlinePolicies[0]!.PolicyDocument);
    expect(loaded.S3!.Buckets![0]!.Objects![0]!.Metadata).toEqual({ ExportDate: '2025-01-01T00:00:00Z' });
  });

  it('changes nothing without a TimeAnchor', () => {
    const { TimeAnchor: _, ...unanchored } = anchored;
    const loaded = loadAccountText(JSON.stringify(unanchored), 'plain.json', now);
    expect(loaded.IAM!.Users![0]!.PasswordLastUsed).toBe('2025-12-31T00:00:00Z');
  });
});

const DEMO_DIR = fileURLToPath(new URL('../../../examples/demo/', import.meta.url));
const readDemo = (file: string) => readFileSync(DEMO_DIR + file, 'utf8');

/** The check catalog the demo's expected findings are written against (the registry test pins it). */
const CHECK_IDS = new Set(CHECKS.map((c) => c.metadata.id));

interface StateResource {
  module?: string;
  mode: string;
  type: string;
  name: string;
  instances: { attributes: Record<string, unknown>; sensitive_attributes: { type: string; value: string }[][] }[];
}

describe('the demo account', () => {
  const text = readDemo('account.json');
  const demo = loadAccountText(text, DEMO_ACCOUNT);
  const state = JSON.parse(readDemo('terraform/terraform.tfstate')) as { version: number; outputs: Record<string, { value: unknown; sensitive?: boolean }>; resources: StateResource[] };
  const regional = Object.entries(demo.Regions);
  const liveIds = new Set<string>([
    demo.AccountId,
    ...(demo.S3?.Buckets ?? []).map((b) => `arn:aws:s3:::${b.Name}`),
    ...(demo.IAM?.Roles ?? []).map((r) => r.Arn!),
    ...(demo.IAM?.Users ?? []).map((u) => u.Arn!),
    ...(demo.IAM?.Policies ?? []).map((p) => p.Arn!),
    ...(demo.IAM?.Groups ?? []).map((g) => g.Arn!),
    ...(demo.IAM?.ServerCertificates ?? []).map((c) => c.Arn!),
    ...regional.flatMap(([region, r]) => [
      ...(r.EC2?.SecurityGroups ?? []).map((g) => `arn:aws:ec2:${region}:${demo.AccountId}:security-group/${g.GroupId}`),
      ...(r.EC2?.Instances ?? []).map((i) => `arn:aws:ec2:${region}:${demo.AccountId}:instance/${i.InstanceId}`),
      ...(r.EC2?.Vpcs ?? []).map((v) => `arn:aws:ec2:${region}:${demo.AccountId}:vpc/${v.VpcId}`),
      ...(r.EC2?.NetworkAcls ?? []).map((n) => `arn:aws:ec2:${region}:${demo.AccountId}:network-acl/${n.NetworkAclId}`),
      ...(r.EC2?.Volumes ?? []).map((v) => `arn:aws:ec2:${region}:${demo.AccountId}:volume/${v.VolumeId}`),
      ...(r.EC2?.LaunchTemplates ?? []).map((t) => `arn:aws:ec2:${region}:${demo.AccountId}:launch-template/${t.LaunchTemplateId}`),
      ...(r.EC2?.Snapshots ?? []).map((x) => `arn:aws:ec2:${region}::snapshot/${x.SnapshotId}`),
      ...(r.EC2?.Images ?? []).map((x) => `arn:aws:ec2:${region}::image/${x.ImageId}`),
      ...(r.EFS?.FileSystems ?? []).map((f) => `arn:aws:elasticfilesystem:${region}:${demo.AccountId}:file-system/${f.FileSystemId}`),
      ...(r.RDS?.DBInstances ?? []).map((d) => d.DBInstanceArn!),
      ...(r.RDS?.DBSnapshots ?? []).map((d) => d.DBSnapshotArn!),
      ...(r.RDS?.DBClusters ?? []).map((c) => c.DBClusterArn!),
      ...(r.RDS?.DBClusterSnapshots ?? []).map((c) => c.DBClusterSnapshotArn!),
      ...(r.SQS?.Queues ?? []).map((q) => `arn:aws:sqs:${region}:${demo.AccountId}:${q.QueueName}`),
      ...(r.Lambda?.Functions ?? []).map((f) => `arn:aws:lambda:${region}:${demo.AccountId}:function:${f.FunctionName}`),
      ...(r.CloudTrail?.Trails ?? []).map((t) => `arn:aws:cloudtrail:${region}:${demo.AccountId}:trail/${t.Name}`),
      ...(r.Config?.ConfigurationRecorders ?? []).map((c) => `arn:aws:config:${region}:${demo.AccountId}:configuration-recorder/${c.name}`),
      // The per-region security services: the service in the region, and each GuardDuty detector.
      `arn:aws:access-analyzer:${region}:${demo.AccountId}:analyzer`,
      `arn:aws:securityhub:${region}:${demo.AccountId}:hub/default`,
      `arn:aws:guardduty:${region}:${demo.AccountId}:detector`,
      ...(r.GuardDuty?.Detectors ?? []).map((d) => `arn:aws:guardduty:${region}:${demo.AccountId}:detector/${d.DetectorId}`),
      ...(r.KMS?.Keys ?? []).map((k) => `arn:aws:kms:${region}:${demo.AccountId}:key/${k.KeyId}`),
      ...(r.ECR?.Repositories ?? []).map((x) => `arn:aws:ecr:${region}:${demo.AccountId}:repository/${x.repositoryName}`),
      ...(r.SecretsManager?.Secrets ?? []).map((s) => s.ARN!),
      ...(r.SNS?.Topics ?? []).map((t) => `arn:aws:sns:${region}:${demo.AccountId}:${t.Name}`),
    ]),
  ]);
  const stateAttr = (type: string, key: string) =>
    new Set(state.resources.filter((r) => r.type === type && r.mode === 'managed').flatMap((r) => r.instances.map((i) => String(i.attributes[key]))));

  it('validates without a single problem', () => {
    const parsed = parseAccountJson(text);
    expect(parsed.problems).toEqual([]);
    expect(validateAccount(parsed.value).problems).toEqual([]);
    expect(demo.AccountId).toBe('210987654321');
    expect(Object.keys(demo.Regions)).toEqual(['us-east-1', 'eu-west-1']);
  });

  it('lists expected findings with catalog check ids, once each, on resources the account has', () => {
    const findings = JSON.parse(readDemo('expected-findings.json')) as { checkId: string; resourceId: string; why: string }[];
    expect(findings.length).toBeGreaterThan(20);
    for (const f of findings) {
      expect(CHECK_IDS.has(f.checkId), f.checkId).toBe(true);
      expect(liveIds.has(f.resourceId), f.resourceId).toBe(true);
      expect(f.why.length).toBeGreaterThan(10);
    }
    expect(new Set(findings.map((f) => `${f.checkId} ${f.resourceId}`)).size).toBe(findings.length);
    // The public-read plants are exactly the buckets a naive reading finds public, near misses excluded.
    const naivelyPublic = (demo.S3?.Buckets ?? []).filter((b) => {
      const doc = (typeof b.Policy === 'string' ? JSON.parse(b.Policy) : b.Policy ?? {}) as { Statement?: { Effect: string; Principal: unknown; Condition?: unknown }[] };
      const byPolicy = (doc.Statement ?? []).some((st) => st.Effect === 'Allow' && st.Principal === '*' && !st.Condition) && !b.PublicAccessBlock?.RestrictPublicBuckets;
      const byAcl = (b.Acl?.Grants ?? []).some((g) => g.Grantee.URI?.endsWith('/global/AllUsers')) && !b.PublicAccessBlock?.IgnorePublicAcls;
      return byPolicy || byAcl;
    });
    expect(new Set(findings.filter((f) => f.checkId === 's3_bucket_public_read').map((f) => f.resourceId))).toEqual(new Set(naivelyPublic.map((b) => `arn:aws:s3:::${b.Name}`)));
    expect(demo.S3?.AccountPublicAccessBlock).toBeUndefined();
  });

  it('plants each kind of drift where the state and the account say it is', () => {
    const drift = JSON.parse(readDemo('expected-drift.json')) as { kind: string; resourceType: string; terraformAddress?: string; resourceId: string }[];
    expect(new Set(drift.map((d) => d.kind))).toEqual(new Set(['changed', 'missing', 'unmanaged', 'unapplied']));
    const stateBuckets = stateAttr('aws_s3_bucket', 'bucket');
    const stateRoles = stateAttr('aws_iam_role', 'arn');
    const liveBuckets = new Set((demo.S3?.Buckets ?? []).map((b) => `arn:aws:s3:::${b.Name}`));
    const liveRoles = new Set((demo.IAM?.Roles ?? []).map((r) => r.Arn!));
    const inState = (d: { resourceType: string; resourceId: string }) =>
      d.resourceType === 'aws_iam_role' ? stateRoles.has(d.resourceId) : stateBuckets.has(d.resourceId.replace('arn:aws:s3:::', ''));
    const isLive = (d: { resourceType: string; resourceId: string }) => (d.resourceType === 'aws_iam_role' ? liveRoles : liveBuckets).has(d.resourceId);
    for (const d of drift.filter((x) => x.resourceType === 'aws_s3_bucket' || x.resourceType === 'aws_iam_role')) {
      const expected = { missing: [true, false], unmanaged: [false, true], unapplied: [false, false], changed: [true, true] }[d.kind];
      expect([inState(d), isLive(d)], `${d.kind} ${d.resourceId}`).toEqual(expected);
    }
    const hcl = readDemo('terraform/s3.tf');
    expect(hcl).toContain('resource "aws_s3_bucket" "audit_archive"');
    // Changed: the state's backup retention and bucket policy differ from the live values.
    const appDb = state.resources.find((r) => r.type === 'aws_db_instance' && r.name === 'app_prod')!.instances[0]!.attributes;
    const liveAppDb = demo.Regions['us-east-1']!.RDS!.DBInstances!.find((d) => d.DBInstanceIdentifier === 'acme-app-prod')!;
    expect(appDb.backup_retention_period).not.toBe(liveAppDb.BackupRetentionPeriod);
    const statePolicy = JSON.parse(String(state.resources.find((r) => r.type === 'aws_s3_bucket_policy' && r.name === 'build_artifacts')!.instances[0]!.attributes.policy));
    const livePolicy = demo.S3!.Buckets!.find((b) => b.Name === 'acme-build-artifacts')!.Policy as { Statement: unknown[] };
    expect(livePolicy.Statement.length).toBe(statePolicy.Statement.length + 1);
  });

  it('keeps secrets in the Terraform files only, marked sensitive, and never in the account', () => {
    const planted = readDemo('PLANTED.md');
    const canaries = [...new Set(planted.match(/CANARY-[a-z0-9-]+/g) ?? [])];
    expect(canaries.length).toBeGreaterThanOrEqual(5);
    const stateText = readDemo('terraform/terraform.tfstate');
    for (const canary of canaries) {
      expect(stateText, canary).toContain(canary);
      expect(text, canary).not.toContain(canary);
    }
    expect(text).not.toContain('CANARY');
    const reporting = state.resources.find((r) => r.type === 'aws_db_instance' && r.name === 'reporting')!.instances[0]!;
    expect(reporting.sensitive_attributes).toContainEqual([{ type: 'get_attr', value: 'password' }]);
    expect(state.outputs.reporting_db_url!.sensitive).toBe(true);
    expect(String(state.outputs.reporting_db_url!.value)).toContain(String(reporting.attributes.password));
    expect(state.version).toBe(4);
  });
});
