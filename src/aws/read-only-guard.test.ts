import { describe, expect, it } from 'vitest';
import { STSClient, GetCallerIdentityCommand, AssumeRoleCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { S3Client, GetObjectCommand, PutBucketPolicyCommand, DeleteBucketCommand } from '@aws-sdk/client-s3';
import { attachReadOnlyGuard, refusalReason } from './read-only-guard.js';
import { READ_OPERATIONS, SECRET_READS, allReadOperations } from './read-operations.js';
import { useSandbox, fetchStats } from '../test-support/sandbox.js';

const MUTATING_VERBS = /^(Put|Delete|Create|Update|Attach|Detach|Modify|Terminate|Run|Start|Stop|Reboot|Authorize|Revoke|Tag|Untag|Set|Add|Remove|Replace|Restore|Copy|Upload|Enable|Disable|Reset|Associate|Disassociate|Import|Register|Deregister|Accept|Reject|Rotate|Invoke|Send|Publish|Execute|Apply|Change|Upgrade|Assume|Decrypt|Encrypt)/;

describe('read-only allowlist', () => {
  it('holds no operation whose name is a write verb (GenerateCredentialReport aside, which changes no configuration)', () => {
    const writes = allReadOperations().filter(({ operation }) => MUTATING_VERBS.test(operation) || (/^Generate/.test(operation) && operation !== 'GenerateCredentialReport'));
    expect(writes).toEqual([]);
  });

  it('maps every operation to IAM actions with no wildcard', () => {
    for (const [service, ops] of Object.entries(READ_OPERATIONS)) {
      for (const [op, row] of Object.entries(ops)) {
        for (const action of row.actions) expect(action, `${service}:${op}`).toMatch(/^[a-z0-9-]+:[A-Za-z0-9]+$/);
      }
    }
  });

  it('is an exact list, not a prefix match', () => {
    expect(refusalReason('s3', 'GetBucketPolicy', {})).toBeUndefined();
    expect(refusalReason('s3', 'GetBucketPolicyX', {})?.code).toBe('READ_ONLY_VIOLATION');
    expect(refusalReason('s3', 'GetBucket', {})?.code).toBe('READ_ONLY_VIOLATION');
    expect(refusalReason('s3', 'constructor', {})?.code).toBe('READ_ONLY_VIOLATION');
    expect(refusalReason('s3', '__proto__', {})?.code).toBe('READ_ONLY_VIOLATION');
  });

  it('refuses reads that return secrets, with their own code', () => {
    for (const action of Object.keys(SECRET_READS)) {
      const [service, op] = action.split(':') as [string, string];
      expect(refusalReason(service, op, {})?.code, action).toBe('SECRET_READ_REFUSED');
    }
    expect(refusalReason('s3', 'GetObject', { Bucket: 'tf-state' }, { protectedBuckets: new Set(['tf-state']) })?.code).toBe('SECRET_READ_REFUSED');
    expect(refusalReason('s3', 'GetObject', { Bucket: 'tf-state-not' }, { protectedBuckets: new Set(['tf-state']) })).toBeUndefined();
  });
});

describe('read-only guard on real SDK clients', () => {
  const env = useSandbox('minimal-account.json');

  it('lets a read through to the sandbox', async () => {
    const sts = attachReadOnlyGuard(new STSClient(env.config('sts')));
    const id = await sts.send(new GetCallerIdentityCommand({}));
    expect(id.Account).toBe('111122223333');
  });

  it('refuses mutating and secret-returning calls before any request reaches the sandbox', async () => {
    const refusals: string[] = [];
    const sts = attachReadOnlyGuard(new STSClient(env.config('sts')), { onRefused: (r) => refusals.push(r.operation) });
    const s3 = attachReadOnlyGuard(new S3Client(env.config('s3')), { protectedBuckets: new Set(['acme-tfstate']), onRefused: (r) => refusals.push(r.operation) });
    const before = (await fetchStats(env.endpoint)).requests;
    const attempts = [
      sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111122223333:role/admin', RoleSessionName: 'x' })),
      sts.send(new GetSessionTokenCommand({})),
      s3.send(new PutBucketPolicyCommand({ Bucket: 'b', Policy: '{}' })),
      s3.send(new DeleteBucketCommand({ Bucket: 'b' })),
      s3.send(new GetObjectCommand({ Bucket: 'acme-tfstate', Key: 'prod/terraform.tfstate' })),
    ];
    const results = await Promise.allSettled(attempts);
    const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as { code?: string }).code : 'sent'));
    expect(codes).toEqual(['READ_ONLY_VIOLATION', 'SECRET_READ_REFUSED', 'READ_ONLY_VIOLATION', 'READ_ONLY_VIOLATION', 'SECRET_READ_REFUSED']);
    expect(refusals).toEqual(['AssumeRole', 'GetSessionToken', 'PutBucketPolicy', 'DeleteBucket', 'GetObject']);
    expect((await fetchStats(env.endpoint)).requests).toBe(before);
  });

  it('is the layer that refuses: without it the same call reaches the sandbox', async () => {
    const sts = new STSClient(env.config('sts'));
    const before = await fetchStats(env.endpoint);
    const err = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111122223333:role/admin', RoleSessionName: 'x' })).catch((e) => e);
    expect(err.name).toBe('AccessDenied'); // refused by the sandbox, i.e. it was sent
    const after = await fetchStats(env.endpoint);
    expect(after.requests).toBe(before.requests + 1);
    expect(after.faults.refusedWrites).toBe(before.faults.refusedWrites + 1);
  });
});
