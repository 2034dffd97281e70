/** sqs_queue_public through the real SQS client against the sandbox: each verdict, its near miss, and a denied read. */
import { beforeAll, describe, expect, it } from 'vitest';
import { fetchStats, opCount, useSandbox } from '../../test-support/sandbox.js';
import { auditSandbox } from '../../test-support/audit.js';

const ACCOUNT = '111122223333';
const OTHER = '444455556666';
const arn = (name: string, region = 'us-east-1') => `arn:aws:sqs:${region}:${ACCOUNT}:${name}`;
const policy = (name: string, statement: object, region = 'us-east-1') => ({
  Version: '2012-10-17',
  Statement: [{ Sid: 'Grant', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: arn(name, region), ...statement }],
});
const queue = (name: string, statement?: object, region = 'us-east-1') => ({ QueueName: name, ...(statement ? { Policy: policy(name, statement, region) } : {}) });

const account = {
  AccountId: ACCOUNT,
  Regions: {
    'us-east-1': {
      SQS: {
        Queues: [
          queue('public-anyone', { Principal: '*' }),
          queue('from-own-topic', { Principal: '*', Condition: { ArnEquals: { 'aws:SourceArn': `arn:aws:sns:us-east-1:${ACCOUNT}:orders` } } }),
          queue('from-other-topic', { Principal: '*', Condition: { ArnEquals: { 'aws:SourceArn': `arn:aws:sns:us-east-1:${OTHER}:orders` } } }),
          queue('partner-account', { Principal: { AWS: `arn:aws:iam::${OTHER}:root` } }),
          queue('own-role', { Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/worker` } }),
          queue('org-only', { Principal: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-acme12345' } } }),
          queue('public-ip', { Principal: '*', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }),
          queue('no-policy'),
          queue('denied-read', { Principal: '*' }),
        ],
      },
    },
    'eu-west-1': { SQS: { Queues: [queue('eu-open', { Principal: { AWS: '*' } }, 'eu-west-1')] } },
  },
};

describe('sqs_queue_public', () => {
  const env = useSandbox(account, { deny: ['GetQueueAttributes:denied-read'] });
  const listingDenied = useSandbox(account, { deny: ['ListQueues:*'] });
  let audit: Awaited<ReturnType<typeof auditSandbox>>;
  beforeAll(async () => {
    audit = await auditSandbox(env.endpoint, { checks: ['sqs_queue_public'] });
  });

  it('judges every queue of every region on the one exposure engine', () => {
    expect(audit.statuses('sqs_queue_public')).toEqual({
      'public-anyone': 'fail',
      'from-own-topic': 'pass',
      'from-other-topic': 'fail',
      'partner-account': 'fail',
      'own-role': 'pass',
      'org-only': 'pass',
      'public-ip': 'fail',
      'no-policy': 'pass',
      'denied-read': 'error',
      'eu-open': 'fail',
    });
  });

  it('says public or which account, with the statement as evidence', () => {
    const open = audit.verdict('sqs_queue_public', 'public-anyone');
    expect(open.message).toBe('SQS queue public-anyone is public: anyone can use it (statement "Grant": sqs:SendMessage).');
    expect(open.evidence).toMatchObject({ exposure: 'public', hasPolicy: true });
    expect(open.resourceId).toBe(arn('public-anyone'));
    expect(audit.verdict('sqs_queue_public', 'partner-account').evidence).toMatchObject({ exposure: 'cross-account', externalAccounts: [OTHER] });
    expect(audit.verdict('sqs_queue_public', 'from-other-topic').evidence).toMatchObject({ exposure: 'cross-account', externalAccounts: [OTHER] });
    const narrowed = audit.verdict('sqs_queue_public', 'from-own-topic');
    expect(narrowed.evidence).toMatchObject({ exposure: 'none', narrowed: [{ narrowedBy: [{ key: 'aws:SourceArn', narrows: true }] }] });
    expect(audit.verdict('sqs_queue_public', 'no-policy').message).toBe('SQS queue no-policy has no resource policy.');
    expect(audit.verdict('sqs_queue_public', 'eu-open').region).toBe('eu-west-1');
  });

  it('reports a denied policy read as error, never pass, and records it', () => {
    const denied = audit.verdict('sqs_queue_public', 'denied-read');
    expect(denied.message).toMatch(/^Could not read the policy of queue denied-read \(sqs:GetQueueAttributes\): AccessDenied: /);
    expect(audit.errors).toEqual([expect.objectContaining({ service: 'sqs', operation: 'GetQueueAttributes', code: 'AccessDenied', resource: arn('denied-read') })]);
  });

  it('reports a denied listing as one error per region, and no queue as pass', async () => {
    const denied = await auditSandbox(listingDenied.endpoint, { checks: ['sqs_queue_public'] });
    expect(denied.findings.map((f) => [f.status, f.region, f.resourceId]).sort()).toEqual([
      ['error', 'eu-west-1', ACCOUNT],
      ['error', 'us-east-1', ACCOUNT],
    ]);
    expect(denied.findings[0]?.message).toMatch(/^Could not read the SQS queues \(sqs:ListQueues\) in [a-z0-9-]+: AccessDenied: /);
  });

  it('reads each queue once: one ListQueues per region and one GetQueueAttributes per queue', async () => {
    const stats = await fetchStats(env.endpoint);
    expect(opCount(stats, 'sqs', 'ListQueues')).toBe(2);
    expect(opCount(stats, 'sqs', 'GetQueueAttributes')).toBe(10);
  });
});
