/**
 * kms_key_rotation_enabled and kms_key_policy_public through the real KMS client against the
 * sandbox: each verdict, its near miss, keys the checks do not concern, and denied reads.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fetchStats, opCount, useSandbox } from '../../test-support/sandbox.js';
import { auditSandbox } from '../../test-support/audit.js';

const ACCOUNT = '111122223333';
const OTHER = '444455556666';
let n = 0;
const id = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
const root = { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' };
/** A key whose policy adds one statement to the account-root one; named by its alias. */
const key = (name: string, grant?: object, extra: object = {}) => ({
  KeyId: id(),
  CreationDate: '2026-01-01T00:00:00Z',
  KeyRotationEnabled: true,
  Aliases: [`alias/${name}`],
  Policy: { Version: '2012-10-17', Statement: [root, ...(grant ? [{ Sid: 'Grant', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: '*', ...grant }] : [])] },
  ...extra,
});
const anyone = (condition?: object) => ({ Principal: { AWS: '*' }, ...(condition ? { Condition: condition } : {}) });

const KEYS = [
  // Exposure: each narrowing condition and its near miss.
  key('public', anyone()),
  key('source-account-own', anyone({ StringEquals: { 'aws:SourceAccount': ACCOUNT } })),
  key('source-account-other', anyone({ StringEquals: { 'aws:SourceAccount': OTHER } })),
  key('source-account-if-exists', anyone({ StringEqualsIfExists: { 'aws:SourceAccount': ACCOUNT } })),
  key('org-pinned', anyone({ StringEquals: { 'aws:PrincipalOrgID': 'o-acme12345' } })),
  key('org-wildcard', anyone({ StringLike: { 'aws:PrincipalOrgID': 'o-*' } })),
  key('source-arn-own', anyone({ ArnLike: { 'aws:SourceArn': `arn:aws:s3:::acme-*` }, StringEquals: { 'aws:SourceAccount': ACCOUNT } })),
  key('source-arn-other', anyone({ ArnEquals: { 'aws:SourceArn': `arn:aws:sns:us-east-1:${OTHER}:alerts` } })),
  key('vpce-pinned', anyone({ StringEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d' } })),
  key('vpce-negated', anyone({ StringNotEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d' } })),
  key('private-ip', anyone({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } })),
  key('public-ip', anyone({ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } })),
  // The shape of AWS's own service key policies: anyone, but only as callers of this account through one service.
  key('caller-account-via-service', anyone({ StringEquals: { 'kms:CallerAccount': ACCOUNT, 'kms:ViaService': 'rds.us-east-1.amazonaws.com' } })),
  key('via-service-only', anyone({ StringEquals: { 'kms:ViaService': 'rds.us-east-1.amazonaws.com' } })),
  key('partner-role', { Principal: { AWS: `arn:aws:iam::${OTHER}:role/backup-reader` } }),
  key('own-role', { Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/app` } }),
  key('service-principal', { Principal: { Service: 'logs.us-east-1.amazonaws.com' } }),
  // Rotation.
  key('rotation-off', undefined, { KeyRotationEnabled: false }),
  key('rotation-off-disabled', undefined, { KeyRotationEnabled: false, KeyState: 'Disabled' }),
  key('rotation-off-asymmetric', undefined, { KeyRotationEnabled: undefined, KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }),
  key('rotation-off-hmac', undefined, { KeyRotationEnabled: undefined, KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }),
  key('rotation-off-imported', undefined, { KeyRotationEnabled: false, Origin: 'EXTERNAL' }),
  // AWS's keys and a key on its way out: neither check's concern, whatever their policy says.
  key('aws/s3', anyone(), { KeyManager: 'AWS', KeyRotationEnabled: undefined }),
  key('doomed-public', anyone(), { KeyState: 'PendingDeletion', KeyRotationEnabled: false }),
  // Reads denied below.
  key('policy-denied'),
  key('rotation-denied'),
  key('describe-denied', anyone()),
];
const EU_KEYS = [key('eu-open', { Principal: '*' }, { KeyRotationEnabled: false })];
const keyId = (name: string) => [...KEYS, ...EU_KEYS].find((k) => k.Aliases[0] === `alias/${name}`)!.KeyId;

const account = {
  AccountId: ACCOUNT,
  Regions: {
    'us-east-1': { KMS: { Keys: KEYS } },
    'eu-west-1': { KMS: { Keys: EU_KEYS } },
  },
};

describe('KMS checks', () => {
  const env = useSandbox(account, {
    deny: [`GetKeyPolicy:${keyId('policy-denied')}`, `GetKeyRotationStatus:${keyId('rotation-denied')}`, `DescribeKey:${keyId('describe-denied')}`],
  });
  const listingDenied = useSandbox(account, { deny: ['ListKeys:*'] });
  let audit: Awaited<ReturnType<typeof auditSandbox>>;
  beforeAll(async () => {
    audit = await auditSandbox(env.endpoint, { checks: ['kms_key_policy_public', 'kms_key_rotation_enabled'] });
  });

  it('kms_key_policy_public: judges each customer key on the one exposure engine, condition by condition', () => {
    const statuses = audit.statuses('kms_key_policy_public');
    expect(statuses).toEqual({
      public: 'fail',
      'source-account-own': 'pass',
      'source-account-other': 'fail',
      'source-account-if-exists': 'fail',
      'org-pinned': 'pass',
      'org-wildcard': 'fail',
      'source-arn-own': 'pass',
      'source-arn-other': 'fail',
      'vpce-pinned': 'pass',
      'vpce-negated': 'fail',
      'private-ip': 'pass',
      'public-ip': 'fail',
      'caller-account-via-service': 'pass',
      'via-service-only': 'fail',
      'partner-role': 'fail',
      'own-role': 'pass',
      'service-principal': 'pass',
      'rotation-off': 'pass',
      'rotation-off-disabled': 'pass',
      'rotation-off-asymmetric': 'pass',
      'rotation-off-hmac': 'pass',
      'rotation-off-imported': 'pass',
      'policy-denied': 'error',
      'rotation-denied': 'pass',
      'describe-denied': 'error',
      'eu-open': 'fail',
    });
    // AWS managed keys and keys pending deletion are not judged at all.
    expect(statuses).not.toHaveProperty('aws/s3');
    expect(statuses).not.toHaveProperty('doomed-public');
  });

  it('kms_key_policy_public: says public or which account, with the statement and the conditions as evidence', () => {
    const open = audit.verdict('kms_key_policy_public', keyId('public'));
    expect(open.message).toBe('KMS key public is public: anyone can use it (statement "Grant": kms:Decrypt, kms:GenerateDataKey).');
    expect(open.resourceId).toBe(`arn:aws:kms:us-east-1:${ACCOUNT}:key/${keyId('public')}`);
    expect(open.resourceType).toBe('AWS::KMS::Key');
    expect(audit.verdict('kms_key_policy_public', keyId('partner-role')).evidence).toMatchObject({ exposure: 'cross-account', externalAccounts: [OTHER] });
    expect(audit.verdict('kms_key_policy_public', keyId('source-account-other')).evidence).toMatchObject({ exposure: 'cross-account', externalAccounts: [OTHER] });
    expect(audit.verdict('kms_key_policy_public', keyId('source-arn-other')).evidence).toMatchObject({ exposure: 'cross-account', externalAccounts: [OTHER] });
    expect(audit.verdict('kms_key_policy_public', keyId('vpce-pinned')).evidence).toMatchObject({ exposure: 'none', narrowed: [{ narrowedBy: [{ key: 'aws:SourceVpce', narrows: true }] }] });
    expect(audit.verdict('kms_key_policy_public', keyId('caller-account-via-service')).evidence).toMatchObject({ narrowed: [{ narrowedBy: [{ key: 'kms:CallerAccount', narrows: true }] }] });
    const ifExists = audit.verdict('kms_key_policy_public', keyId('source-account-if-exists'));
    expect(ifExists.evidence).toMatchObject({ exposure: 'public', statements: [{ conditions: [{ key: 'aws:SourceAccount', narrows: false }] }] });
    expect(audit.verdict('kms_key_policy_public', keyId('eu-open')).region).toBe('eu-west-1');
  });

  it('kms_key_rotation_enabled: only enabled, customer managed, symmetric keys with KMS material are judged', () => {
    const statuses = audit.statuses('kms_key_rotation_enabled');
    expect(statuses['rotation-off']).toBe('fail');
    expect(statuses['public']).toBe('pass');
    expect(statuses['eu-open']).toBe('fail');
    expect(statuses['rotation-denied']).toBe('error');
    expect(statuses['describe-denied']).toBe('error');
    for (const notApplicable of ['rotation-off-disabled', 'rotation-off-asymmetric', 'rotation-off-hmac', 'rotation-off-imported', 'aws/s3', 'doomed-public']) {
      expect(statuses, notApplicable).not.toHaveProperty(notApplicable);
    }
    const off = audit.verdict('kms_key_rotation_enabled', keyId('rotation-off'));
    expect(off.message).toBe('KMS key rotation-off has automatic rotation off.');
    expect(off.cis).toEqual(['3.6']);
    expect(audit.verdict('kms_key_rotation_enabled', keyId('public')).message).toBe('KMS key public rotates its key material every 365 days.');
  });

  it('reports a denied read as error, never pass, and records it', () => {
    expect(audit.verdict('kms_key_policy_public', keyId('policy-denied')).message).toMatch(/^Could not read the key policy of KMS key [0-9a-f-]+ \(kms:GetKeyPolicy\): AccessDeniedException: /);
    expect(audit.verdict('kms_key_rotation_enabled', keyId('rotation-denied')).message).toMatch(/^Could not read the rotation status of KMS key [0-9a-f-]+ \(kms:GetKeyRotationStatus\): AccessDeniedException: /);
    expect(audit.verdict('kms_key_rotation_enabled', keyId('describe-denied')).message).toMatch(/\(kms:DescribeKey\): AccessDeniedException: /);
    expect(audit.errors.map((e) => `${e.operation} ${e.code}`).sort()).toEqual(['DescribeKey AccessDeniedException', 'GetKeyPolicy AccessDeniedException', 'GetKeyRotationStatus AccessDeniedException']);
  });

  it('reports a denied listing as one error per region', async () => {
    const denied = await auditSandbox(listingDenied.endpoint, { checks: ['kms_key_rotation_enabled'] });
    expect(denied.findings.map((f) => [f.status, f.region]).sort()).toEqual([
      ['error', 'eu-west-1'],
      ['error', 'us-east-1'],
    ]);
    expect(denied.findings[0]?.message).toMatch(/^Could not read the KMS keys \(kms:ListKeys\) in [a-z0-9-]+: AccessDeniedException: /);
  });

  it('asks rotation only where it applies: never for AWS managed, asymmetric, HMAC, imported or doomed keys', async () => {
    const stats = await fetchStats(env.endpoint);
    expect(opCount(stats, 'kms', 'ListKeys')).toBe(2);
    // Every key but the asymmetric, HMAC, imported, AWS managed and doomed ones, and the one whose DescribeKey was denied.
    expect(opCount(stats, 'kms', 'GetKeyRotationStatus')).toBe(KEYS.length + EU_KEYS.length - 5 - 1);
    expect(opCount(stats, 'kms', 'DescribeKey')).toBe(KEYS.length + EU_KEYS.length);
  });
});
