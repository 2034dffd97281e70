import { describe, expect, it } from 'vitest';
import { Redactor } from './redactor.js';
import { SENSITIVE_MARKER, isRedactionMarker } from './marker.js';

describe('Redactor', () => {
  it('redacts values by attribute name, deeply, without touching the input', () => {
    const redactor = new Redactor();
    const input = {
      DBInstanceIdentifier: 'orders',
      MasterUserPassword: 'CanaryPw-111',
      nested: [{ settings: { client_secret: 'CanarySecret-222', secret_arn: 'arn:aws:secretsmanager:us-east-1:1:secret:x' } }],
      password_length: 24,
      manage_master_user_password: true,
    };
    const out = redactor.redact(input);
    expect(JSON.stringify(out)).not.toMatch(/Canary/);
    expect(out.MasterUserPassword).toBe(SENSITIVE_MARKER);
    expect(out.nested[0]!.settings.client_secret).toBe(SENSITIVE_MARKER);
    expect(out.nested[0]!.settings.secret_arn).toBe('arn:aws:secretsmanager:us-east-1:1:secret:x');
    expect(out.password_length).toBe(24);
    expect(out.manage_master_user_password).toBe(true);
    expect(input.MasterUserPassword).toBe('CanaryPw-111');
  });

  it('learns a secret and catches it anywhere afterwards: text, other fields, JSON-escaped', () => {
    const redactor = new Redactor();
    const secret = 'Canary"Quote\\Pw-333';
    redactor.learn({ password: secret });
    expect(redactor.redactText(`connect failed for password ${secret}!`)).toBe(`connect failed for password ${SENSITIVE_MARKER}!`);
    const body = redactor.redact({ Description: `uses ${secret}`, Policy: JSON.stringify({ note: secret }) });
    expect(JSON.stringify(body)).not.toContain('Canary');
    expect(body.Description).toBe(`uses ${SENSITIVE_MARKER}`);
  });

  it('learns values it redacted by name, so later text is covered too', () => {
    const redactor = new Redactor();
    redactor.redact({ auth_token: 'CanaryToken-444' });
    expect(redactor.redactText('token CanaryToken-444 rejected')).toBe(`token ${SENSITIVE_MARKER} rejected`);
  });

  it('hides an ARN inside a sensitive block where it is, but does not search for it: it names a resource every listing shows', () => {
    const redactor = new Redactor();
    const keyArn = 'arn:aws:kms:us-east-1:210987654321:key/0e7d3c2b-91a4-4f58-8c6e-2a1b9d0f7e35';
    redactor.learn({ master_user_secret: [{ kms_key_id: keyArn, secret_arn: 'arn:aws:secretsmanager:us-east-1:210987654321:secret:rds!db-x' }] });
    expect(redactor.learnedCount).toBe(0);
    expect(redactor.redactText(`unmanaged key ${keyArn}`)).toBe(`unmanaged key ${keyArn}`);
    redactor.learn('not-an-arn:CanaryPw-777');
    expect(redactor.redactText('pw not-an-arn:CanaryPw-777')).toBe(`pw ${SENSITIVE_MARKER}`);
  });

  it('does not search for learned values shorter than the minimum, to avoid blanking common words', () => {
    const redactor = new Redactor();
    redactor.learn('prod');
    expect(redactor.learnedCount).toBe(0);
    expect(redactor.redactText('prod environment')).toBe('prod environment');
  });

  it('redacts in place when asked, including value patterns in unrelated fields', () => {
    const redactor = new Redactor();
    const tree = { user_data: 'export AWS_ACCESS_KEY_ID=AKIAZ7QW3EXAMPLE4K2P', list: ['postgres://u:CanaryPw-555@h/db'], token: 'CanaryTok-666' };
    redactor.redactInPlace(tree);
    expect(JSON.stringify(tree)).not.toMatch(/Canary|AKIAZ7QW3EXAMPLE4K2P/);
    expect(tree.list[0]).toBe('postgres://u:<redacted:password>@h/db');
    expect(isRedactionMarker(tree.token)).toBe(true);
  });

  it('cuts off absurdly deep structures instead of recursing without bound', () => {
    let deep: unknown = 'CanaryDeep-777';
    for (let i = 0; i < 500; i++) deep = { child: deep };
    const out = new Redactor().redact(deep);
    expect(JSON.stringify(out)).not.toContain('CanaryDeep');
  });
  it('redactShared redacts exactly as redact does, and copies only what it changes', () => {
    const redactor = new Redactor();
    redactor.learn({ password: 'CanaryLearned-555' });
    const clean = { tools: ['whoami', 'get_bucket_policy'], dataAccess: { enabled: false, buckets: [] as string[] }, count: 3, none: null };
    expect(redactor.redactShared(clean)).toBe(clean);
    const dirty = {
      clean: { a: ['x', 'y'] },
      MasterUserPassword: 'CanaryPw-666',
      note: 'uses CanaryLearned-555 here',
      list: ['ok', 'AKIAIOSFODNN7EXAMPLE', { ok: true }],
      at: new Date(0),
    };
    const shared = redactor.redactShared(dirty);
    expect(shared).toEqual(redactor.redact(dirty));
    expect(JSON.stringify(shared)).not.toMatch(/Canary|AKIAIOSFODNN7EXAMPLE/);
    expect(shared).not.toBe(dirty);
    expect(shared.clean).toBe(dirty.clean);
    expect(shared.list[2]).toBe(dirty.list[2]);
    expect(dirty.MasterUserPassword).toBe('CanaryPw-666');
  });
});
