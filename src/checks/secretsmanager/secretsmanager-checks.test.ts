/**
 * The Secrets Manager checks through the real client against the sandbox: secret exposure on the
 * shared engine with its narrowing conditions and near misses, rotation, denied reads as `error`,
 * and no secret value ever asked for: GetSecretValue is refused by the guard before any request.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchGetSecretValueCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { fetchStats, opCount, TEST_CREDENTIALS, useSandbox } from '../../test-support/sandbox.js';
import { auditSandbox } from '../../test-support/audit.js';
import { AwsSession } from '../../aws/session.js';

const ACCOUNT = '111122223333';
const OTHER = '444455556666';
const policy = (statement: object) => ({ Version: '2012-10-17', Statement: [{ Sid: 'Read', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*', ...statement }] });
const secret = (Name: string, extra: object = {}) => ({ Name, CreatedDate: '2026-01-01T00:00:00Z', RotationEnabled: true, RotationRules: { AutomaticallyAfterDays: 30 }, ...extra });

const account = {
  AccountId: ACCOUNT,
  Regions: {
    'us-east-1': {
      SecretsManager: {
        Secrets: [
          secret('open-to-all', { Policy: policy({ Principal: '*' }) }),
          secret('shared-with-partner', { Policy: policy({ Principal: { AWS: `arn:aws:iam::${OTHER}:role/reader` } }) }),
          secret('own-role', { Policy: policy({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/app` } }) }),
          secret('org-pinned', { Policy: policy({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } } }) }),
          secret('partner-narrowed-by-own-account', { Policy: policy({ Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } } }) }),
          secret('source-account-other', { Policy: policy({ Principal: '*', Condition: { StringEquals: { 'aws:SourceAccount': OTHER } } }) }),
          secret('vpce-pinned', { Policy: policy({ Principal: '*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } } }) }),
          secret('vpce-negated', { Policy: policy({ Principal: '*', Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } } }) }),
          secret('deny-outside-org', {
            Policy: {
              Version: '2012-10-17',
              Statement: [
                { Sid: 'Read', Effect: 'Allow', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*' },
                { Sid: 'OrgOnly', Effect: 'Deny', Principal: '*', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } } },
              ],
            },
          }),
          secret('not-rotated', { RotationEnabled: false, RotationRules: undefined }),
          secret('never-configured', { RotationEnabled: undefined, RotationRules: undefined }),
          secret('rds-managed', { OwningService: 'rds', RotationRules: { ScheduleExpression: 'rate(7 days)' } }),
          secret('denied-policy', { Policy: policy({ Principal: '*' }) }),
        ],
      },
    },
    'eu-west-1': { SecretsManager: { Secrets: [secret('gone', { DeletedDate: '2026-03-01T00:00:00Z', RotationEnabled: false, Policy: policy({ Principal: '*' }) })] } },
  },
};
const CHECKS = ['secretsmanager_secret_public', 'secretsmanager_rotation_enabled'];

describe('Secrets Manager checks', () => {
  const env = useSandbox(account, { deny: ['GetResourcePolicy:arn:aws:secretsmanager:us-east-1:*:secret:denied-policy-*'] });
  const listingDenied = useSandbox(account, { deny: ['ListSecrets:*'] });
  let audit: Awaited<ReturnType<typeof auditSandbox>>;
  beforeAll(async () => {
    audit = await auditSandbox(env.endpoint, { checks: CHECKS });
  });

  it('secretsmanager_secret_public: each narrowing condition passes beside its near miss, on the one exposure engine', () => {
    expect(audit.statuses('secretsmanager_secret_public')).toEqual({
      'open-to-all': 'fail',
      'shared-with-partner': 'fail',
      'own-role': 'pass',
      'org-pinned': 'pass',
      'partner-narrowed-by-own-account': 'pass',
      'source-account-other': 'fail',
      'vpce-pinned': 'pass',
      'vpce-negated': 'fail',
      'deny-outside-org': 'pass',
      'not-rotated': 'pass',
      'never-configured': 'pass',
      'rds-managed': 'pass',
      'denied-policy': 'error',
    });
    expect(audit.verdict('secretsmanager_secret_public', 'open-to-all').evidence).toMatchObject({ exposure: 'public' });
    expect(audit.verdict('secretsmanager_secret_public', 'shared-with-partner').evidence).toMatchObject({ exposure: 'cross-account', externalAccounts: [OTHER] });
    expect(audit.verdict('secretsmanager_secret_public', 'source-account-other').evidence).toMatchObject({ exposure: 'cross-account', externalAccounts: [OTHER] });
    expect(audit.verdict('secretsmanager_secret_public', 'deny-outside-org').evidence).toMatchObject({ exposure: 'none', removed: [expect.objectContaining({ sid: 'Read' })] });
    expect(audit.verdict('secretsmanager_secret_public', 'not-rotated').message).toBe('Secret not-rotated has no resource policy.');
  });

  it('secretsmanager_rotation_enabled: rotation off or never set fails; a schedule or an owning service rotating it passes', () => {
    const statuses = audit.statuses('secretsmanager_rotation_enabled');
    expect(Object.entries(statuses).filter(([, s]) => s !== 'pass').sort()).toEqual([['never-configured', 'fail'], ['not-rotated', 'fail']]);
    expect(audit.verdict('secretsmanager_rotation_enabled', 'org-pinned').message).toBe('Secret org-pinned rotates automatically every 30 days.');
    expect(audit.verdict('secretsmanager_rotation_enabled', 'rds-managed').evidence).toMatchObject({ rotationEnabled: true, scheduleExpression: 'rate(7 days)', owningService: 'rds' });
  });

  it('a secret scheduled for deletion is not listed, so not judged', () => {
    expect(audit.findings.filter((f) => f.region === 'eu-west-1')).toEqual([]);
  });

  it('a denied GetResourcePolicy is error with its resource recorded; rotation of that secret is still judged', () => {
    expect(audit.verdict('secretsmanager_secret_public', 'denied-policy').message).toMatch(/^Could not read the resource policy of secret denied-policy \(secretsmanager:GetResourcePolicy\): AccessDeniedException: /);
    expect(audit.verdict('secretsmanager_rotation_enabled', 'denied-policy').status).toBe('pass');
    expect(audit.errors.map((e) => `${e.operation} ${e.code}`)).toEqual(['GetResourcePolicy AccessDeniedException']);
    expect(audit.errors[0]!.resource).toMatch(/^arn:aws:secretsmanager:us-east-1:111122223333:secret:denied-policy-[A-Za-z0-9]{6}$/);
  });

  it('a denied ListSecrets is one error per region for each check, never a pass', async () => {
    const denied = await auditSandbox(listingDenied.endpoint, { checks: CHECKS });
    expect(denied.findings.map((f) => `${f.checkId} ${f.status} ${f.region}`).sort()).toEqual(CHECKS.flatMap((c) => [`${c} error eu-west-1`, `${c} error us-east-1`]).sort());
  });

  it('asks for no secret value: the audit made no GetSecretValue, and the session refuses one before it is sent', async () => {
    const stats = await fetchStats(env.endpoint);
    expect(opCount(stats, 'secretsmanager', 'GetSecretValue')).toBe(0);
    expect(opCount(stats, 'secretsmanager', 'GetResourcePolicy')).toBe(account.Regions['us-east-1'].SecretsManager.Secrets.length);
    const session = new AwsSession({ endpointUrl: env.endpoint, credentials: TEST_CREDENTIALS, region: 'us-east-1', retry: { maxAttempts: 1 } });
    const client = session.client('secretsmanager', 'us-east-1');
    const before = (await fetchStats(env.endpoint)).requests;
    for (const command of [new GetSecretValueCommand({ SecretId: 'open-to-all' }), new BatchGetSecretValueCommand({ SecretIdList: ['open-to-all'] })]) {
      const refused = (await client.send(command as never).then(() => undefined, (e: unknown) => e)) as { code?: string; message?: string };
      expect(refused.code).toBe('SECRET_READ_REFUSED');
    }
    expect((await fetchStats(env.endpoint)).requests).toBe(before);
    expect(JSON.stringify(audit)).not.toMatch(/SecretString|SecretBinary|SecretVersionsToStages/);
  });
});
