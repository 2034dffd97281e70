import { describe, expect, it } from 'vitest';
import { STSClient, GetCallerIdentityCommand, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { useSandbox, fetchStats, opCount } from '../../test-support/sandbox.js';

describe('sandbox STS (Query protocol)', () => {
  const env = useSandbox('minimal-account.json');

  it('answers GetCallerIdentity with the account and caller ARN', async () => {
    const sts = new STSClient(env.config('sts'));
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe('111122223333');
    expect(identity.Arn).toBe('arn:aws:sts::111122223333:assumed-role/InfraAuditReadOnly/test');
    expect(identity.UserId).toBe('AROAEXAMPLEROLEID0001:test');
  });

  it('refuses a real but non-read operation with AccessDenied, and counts it', async () => {
    const sts = new STSClient(env.config('sts'));
    const before = opCount(await fetchStats(env.endpoint), 'sts', 'AssumeRole');
    const err = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111122223333:role/x', RoleSessionName: 's' })).catch((e) => e);
    expect(err.name).toBe('AccessDenied');
    expect(err.$metadata.httpStatusCode).toBe(403);
    const stats = await fetchStats(env.endpoint);
    expect(opCount(stats, 'sts', 'AssumeRole')).toBe(before + 1);
    expect(stats.faults.refusedWrites).toBeGreaterThanOrEqual(1);
  });

  it('answers an unknown action with InvalidAction', async () => {
    const res = await fetch(env.endpoint + '/', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=x',
      },
      body: 'Action=StealTheCrownJewels&Version=2011-06-15',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<Code>InvalidAction</Code>');
  });
});
