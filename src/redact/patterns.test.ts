import { describe, expect, it } from 'vitest';
import { redactSecretPatterns } from './patterns.js';

// Canary values: made-up, but shaped exactly like the real thing.
const KEY_ID = 'AKIAZ7QW3EXAMPLE4K2P';
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKY';
const PRIVATE_KEY = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEAcanaryPrivateKeyBody0123456789', '-----END RSA PRIVATE KEY-----'].join('\n');
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.c2lnbmF0dXJlLWNhbmFyeQ';

describe('redactSecretPatterns', () => {
  it('redacts an access key id and, beside it, the 40-character secret key', () => {
    const out = redactSecretPatterns(`creds ${KEY_ID} ${SECRET_KEY} for ci`);
    expect(out).toBe('creds <redacted:aws-access-key-id> <redacted:aws-secret-access-key> for ci');
  });

  it('redacts temporary (ASIA) key ids too', () => {
    expect(redactSecretPatterns('ASIAQWERTYUIOPASDFGH')).toBe('<redacted:aws-access-key-id>');
  });

  it('leaves a 20-character uppercase string that is not a key id', () => {
    const text = 'ref ABCDEFGHIJKLMNOPQRST and AKIA-NOT-A-KEY and XAKIAZ7QW3EXAMPLE4K2P';
    expect(redactSecretPatterns(text)).toBe(text);
  });

  it('leaves a 40-character token alone when no key id is near (a commit or content hash)', () => {
    const text = 'commit 3f786850e387550fdab836ed7e6dc881de23001b etag wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKY';
    expect(redactSecretPatterns(text)).toBe(text);
  });

  it('redacts a labelled secret key and session token without a key id', () => {
    const out = redactSecretPatterns(`aws_secret_access_key = ${SECRET_KEY}\nAWS_SESSION_TOKEN=FwoGZXIvYXdzEBcaDcanarySessionToken`);
    expect(out).toBe('aws_secret_access_key = <redacted:aws-secret-access-key>\nAWS_SESSION_TOKEN=<redacted:sensitive>');
  });

  it('redacts private-key PEM blocks but keeps certificates readable', () => {
    const cert = '-----BEGIN CERTIFICATE-----\nMIIBcanaryCertBody\n-----END CERTIFICATE-----';
    const out = redactSecretPatterns(`${cert}\n${PRIVATE_KEY}`);
    expect(out).toBe(`${cert}\n<redacted:private-key>`);
  });

  it('redacts a PEM private key cut off before its END line', () => {
    expect(redactSecretPatterns('error: -----BEGIN PRIVATE KEY-----\nMIIEvQcanaryTruncated')).toBe('error: <redacted:private-key>');
  });

  it('redacts a PEM private key inside JSON text (escaped newlines)', () => {
    const json = JSON.stringify({ key: PRIVATE_KEY });
    expect(redactSecretPatterns(json)).toBe('{"key":"<redacted:private-key>"}');
  });

  it('redacts a JWT but not a lone base64url segment', () => {
    expect(redactSecretPatterns(`Authorization: Bearer ${JWT}`)).toBe('Authorization: Bearer <redacted:jwt>');
    expect(redactSecretPatterns('eyJhbGciOiJIUzI1NiJ9 alone')).toBe('eyJhbGciOiJIUzI1NiJ9 alone');
  });

  it('keeps scheme, user and host of a connection string and redacts only the password', () => {
    expect(redactSecretPatterns('postgres://app_user:Can4ryPa55@db.internal:5432/app?sslmode=require')).toBe(
      'postgres://app_user:<redacted:password>@db.internal:5432/app?sslmode=require',
    );
  });

  it('leaves URLs without a password intact', () => {
    for (const url of ['https://example.com:8443/path?q=1', 'https://user@example.com/x', 'https://host:8443/a@b', 's3://bucket/key']) {
      expect(redactSecretPatterns(url)).toBe(url);
    }
  });

  it('redacts password= in DSNs and query strings', () => {
    expect(redactSecretPatterns('Server=db;User Id=sa;Password=Can4ry!x;Encrypt=true')).toBe(
      'Server=db;User Id=sa;Password=<redacted:password>;Encrypt=true',
    );
    expect(redactSecretPatterns("host=db user=app password='Can4ry pass' sslmode=require")).toBe(
      'host=db user=app password=<redacted:password> sslmode=require',
    );
    expect(redactSecretPatterns('https://x/login?user=a&pwd=Can4ry&next=/')).toBe('https://x/login?user=a&pwd=<redacted:password>&next=/');
  });

  it('redacts sensitive fields inside JSON text, plain and escaped, but not their ARNs', () => {
    const body = JSON.stringify({ Username: 'admin', MasterUserPassword: 'Can4ryPass', SecretArn: 'arn:aws:secretsmanager:us-east-1:1:secret:x' });
    expect(JSON.parse(redactSecretPatterns(body))).toEqual({
      Username: 'admin',
      MasterUserPassword: '<redacted:sensitive>',
      SecretArn: 'arn:aws:secretsmanager:us-east-1:1:secret:x',
    });
    const escaped = JSON.stringify(JSON.stringify({ client_secret: 'Can4rySecret' }));
    expect(redactSecretPatterns(escaped)).not.toContain('Can4rySecret');
  });

  it('returns text without any secret unchanged', () => {
    const text = 'arn:aws:s3:::my-bucket us-east-1 i-0123456789abcdef0 {"Effect":"Allow"}';
    expect(redactSecretPatterns(text)).toBe(text);
  });
});
