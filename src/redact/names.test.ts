import { describe, expect, it } from 'vitest';
import { isSensitiveName, snakeCaseName } from './names.js';

describe('isSensitiveName', () => {
  it('recognises secret-bearing names in Terraform and AWS API spelling', () => {
    for (const name of ['password', 'master_password', 'MasterUserPassword', 'SecretAccessKey', 'secret', 'client_secret', 'auth_token',
      'SessionToken', 'private_key', 'PrivateKey', 'private_key_pem', 'api_key', 'secret_string', 'passphrase']) {
      expect(isSensitiveName(name), name).toBe(true);
    }
  });

  it('does not take names about a secret for the secret itself', () => {
    for (const name of ['secret_arn', 'SecretArn', 'kms_key_id', 'password_length', 'password_reset_required', 'password_last_used',
      'NextToken', 'creation_token', 'secret_id', 'secret_name', 'token_validity_units', 'name', 'tags', 'secretsmanager_arn']) {
      expect(isSensitiveName(name), name).toBe(false);
    }
  });

  it('snake-cases API field names', () => {
    expect(snakeCaseName('SecretAccessKey')).toBe('secret_access_key');
    expect(snakeCaseName('DBInstanceIdentifier')).toBe('db_instance_identifier');
    expect(snakeCaseName('master-password')).toBe('master_password');
  });
});
