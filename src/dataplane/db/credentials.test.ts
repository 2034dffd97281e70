import { describe, expect, it } from 'vitest';
import { passwordSource, rdsAuthToken } from './credentials.js';
import type { DatabaseEntry } from '../config.js';

const CREDS = { accessKeyId: 'AKIASANDBOXTEST00000', secretAccessKey: 'sandbox-test-secret' };
const db: DatabaseEntry = { id: 'orders', engine: 'postgres', host: 'orders.abc.us-east-1.rds.amazonaws.invalid', database: 'orders', user: 'audit', iamAuth: { region: 'us-east-1' } };

describe('RDS IAM authentication tokens', () => {
  it('are presigned rds-db:connect URLs for the user, signed locally (the host does not even resolve)', async () => {
    const token = await rdsAuthToken(db, { awsCredentials: CREDS });
    const url = new URL(`https://${token}`);
    expect(url.host).toBe('orders.abc.us-east-1.rds.amazonaws.invalid:5432');
    expect(url.searchParams.get('Action')).toBe('connect');
    expect(url.searchParams.get('DBUser')).toBe('audit');
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^AKIASANDBOXTEST00000\/\d{8}\/us-east-1\/rds-db\/aws4_request$/);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    const other = new URL(`https://${await rdsAuthToken({ ...db, user: 'someone_else' }, { awsCredentials: CREDS })}`);
    expect(other.searchParams.get('X-Amz-Signature')).not.toBe(url.searchParams.get('X-Amz-Signature'));
  });

  it('are what the password source gives a new connection', async () => {
    const source = passwordSource(db, { awsCredentials: CREDS });
    expect(await source!()).toMatch(/^orders\.abc\.us-east-1\.rds\.amazonaws\.invalid:5432\/\?Action=connect&DBUser=audit&/);
  });
});

describe('passwords from the environment', () => {
  const withEnv: DatabaseEntry = { ...db, iamAuth: undefined, passwordEnv: 'ORDERS_PW' };

  it('are read when a connection is made, and a missing variable is named', async () => {
    expect(await passwordSource(withEnv, { env: { ORDERS_PW: 's3cret' } })!()).toBe('s3cret');
    await expect(passwordSource(withEnv, { env: {} })!()).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('environment variable ORDERS_PW (passwordEnv) is not set') });
  });

  it('are not needed when the config names none', () => {
    expect(passwordSource({ ...withEnv, passwordEnv: undefined })).toBeUndefined();
  });
});
