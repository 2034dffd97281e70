import { describe, expect, it } from 'vitest';
import { concealProviderSensitive, providerSensitiveTypes } from './provider-sensitive.js';
import { Redactor } from './redactor.js';
import { SENSITIVE_MARKER } from './marker.js';

const CASES: Array<[string, Record<string, unknown>, string[]]> = [
  ['aws_db_instance', { password: 'CanaryDbPw-1', master_user_secret: [{ secret_arn: 'CanaryArn-1' }], identifier: 'db' }, ['password', 'master_user_secret']],
  ['aws_rds_cluster', { master_password: 'CanaryRdsPw-2', cluster_identifier: 'c' }, ['master_password']],
  ['aws_iam_access_key', { secret: 'CanaryIamSecret-3', ses_smtp_password_v4: 'CanarySmtp-3', user: 'ci' }, ['secret', 'ses_smtp_password_v4']],
  ['aws_iam_user_login_profile', { password: 'CanaryLogin-4', user: 'alice' }, ['password']],
  ['aws_secretsmanager_secret_version', { secret_string: '{"k":"CanarySm-5"}', secret_id: 'arn' }, ['secret_string']],
  ['aws_ssm_parameter', { type: 'SecureString', value: 'CanarySsm-6', name: '/app/db' }, ['value']],
  ['tls_private_key', { private_key_pem: 'CanaryPem-7', public_key_pem: 'public' }, ['private_key_pem']],
  ['random_password', { result: 'CanaryRandom-8', length: 24 }, ['result']],
  ['aws_opensearch_domain', { advanced_security_options: [{ master_user_options: [{ master_user_password: 'CanaryOs-9', master_user_name: 'admin' }] }] }, []],
];

describe('concealProviderSensitive', () => {
  it.each(CASES)('conceals the provider-known secrets of %s', (type, attributes, concealedTopLevel) => {
    const redactor = new Redactor();
    concealProviderSensitive(type, attributes, (v) => redactor.conceal(v));
    expect(JSON.stringify(attributes)).not.toContain('Canary');
    for (const key of concealedTopLevel) expect(attributes[key]).toBe(SENSITIVE_MARKER);
    expect(JSON.stringify(attributes)).toContain(SENSITIVE_MARKER);
  });

  it('covers the resource types whose secrets the AWS, TLS and random providers declare', () => {
    expect(providerSensitiveTypes()).toEqual(expect.arrayContaining([
      'aws_db_instance', 'aws_iam_access_key', 'aws_iam_user_login_profile', 'aws_rds_cluster',
      'aws_secretsmanager_secret_version', 'aws_ssm_parameter', 'tls_private_key', 'random_password',
    ]));
  });

  it('leaves a plain String SSM parameter readable', () => {
    const attributes = { type: 'String', value: 'feature-flag-on', name: '/app/flag' };
    expect(concealProviderSensitive('aws_ssm_parameter', attributes, () => SENSITIVE_MARKER)).toBe(0);
    expect(attributes.value).toBe('feature-flag-on');
  });

  it('does nothing for types it does not know', () => {
    const attributes = { bucket: 'logs', password: 'not-by-this-rule' };
    expect(concealProviderSensitive('aws_s3_bucket', attributes, () => SENSITIVE_MARKER)).toBe(0);
    expect(attributes.password).toBe('not-by-this-rule');
  });
});
