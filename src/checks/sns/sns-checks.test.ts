/** sns_topic_public through the real SNS client against the sandbox: each verdict, its near miss, and denied reads. */
import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from '../../test-support/sandbox.js';
import { auditSandbox } from '../../test-support/audit.js';

const ACCOUNT = '111122223333';
const OTHER = '444455556666';
const arn = (name: string, region = 'us-east-1') => `arn:aws:sns:${region}:${ACCOUNT}:${name}`;
const topic = (name: string, statement?: object, region = 'us-east-1') => ({
  Name: name,
  ...(statement ? { Policy: { Version: '2012-10-17', Statement: [{ Sid: 'Grant', Effect: 'Allow', Action: ['sns:Publish', 'sns:Subscribe'], Resource: arn(name, region), ...statement }] } } : {}),
});

const account = {
  AccountId: ACCOUNT,
  Regions: {
    'us-east-1': {
      SNS: {
        Topics: [
          topic('public', { Principal: '*' }),
          topic('source-owner', { Principal: { AWS: '*' }, Condition: { StringEquals: { 'AWS:SourceOwner': ACCOUNT } } }),
          topic('source-owner-other', { Principal: { AWS: '*' }, Condition: { StringEquals: { 'AWS:SourceOwner': OTHER } } }),
          topic('from-own-bucket', { Principal: { Service: 's3.amazonaws.com' }, Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::acme-uploads' }, StringEquals: { 'aws:SourceAccount': ACCOUNT } } }),
          topic('org-only', { Principal: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-acme12345' } } }),
          topic('org-if-exists', { Principal: '*', Condition: { StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-acme12345' } } }),
          topic('partner', { Principal: { AWS: `arn:aws:iam::${OTHER}:root` } }),
          topic('default-policy'),
          topic('denied', { Principal: '*' }),
        ],
      },
    },
    'eu-west-1': { SNS: { Topics: [topic('eu-open', { Principal: { AWS: '*' } }, 'eu-west-1')] } },
  },
};

describe('sns_topic_public', () => {
  const env = useSandbox(account, { deny: ['GetTopicAttributes:denied'] });
  const listingDenied = useSandbox(account, { deny: ['ListTopics:*'] });
  let audit: Awaited<ReturnType<typeof auditSandbox>>;
  beforeAll(async () => {
    audit = await auditSandbox(env.endpoint, { checks: ['sns_topic_public'] });
  });

  it('judges every topic of every region on the one exposure engine; SNS\'s default policy (AWS:SourceOwner) is not public', () => {
    expect(audit.statuses('sns_topic_public')).toEqual({
      public: 'fail',
      'source-owner': 'pass',
      'source-owner-other': 'fail',
      'from-own-bucket': 'pass',
      'org-only': 'pass',
      'org-if-exists': 'fail',
      partner: 'fail',
      'default-policy': 'pass',
      denied: 'error',
      'eu-open': 'fail',
    });
    expect(audit.verdict('sns_topic_public', 'partner').evidence).toMatchObject({ exposure: 'cross-account', externalAccounts: [OTHER] });
    expect(audit.verdict('sns_topic_public', 'public').message).toBe('SNS topic public is public: anyone can use it (statement "Grant": sns:Publish, sns:Subscribe).');
    expect(audit.verdict('sns_topic_public', 'public').resourceId).toBe(arn('public'));
  });

  it('reports a denied read as error and a denied listing as one error per region', async () => {
    expect(audit.verdict('sns_topic_public', 'denied').message).toMatch(/^Could not read the attributes of topic denied \(sns:GetTopicAttributes\): AuthorizationErrorException: /);
    const denied = await auditSandbox(listingDenied.endpoint, { checks: ['sns_topic_public'] });
    expect(denied.findings.map((f) => [f.status, f.region]).sort()).toEqual([
      ['error', 'eu-west-1'],
      ['error', 'us-east-1'],
    ]);
  });
});
