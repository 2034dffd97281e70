import { describe, expect, it } from 'vitest';
import { completeContext } from './context.js';
import { evaluateActions, evaluateRequest } from './evaluate.js';

const BUCKET = 'arn:aws:s3:::reports';
const OBJECT = 'arn:aws:s3:::reports/2025/q1.csv';
const ALICE = { type: 'AWS', arn: 'arn:aws:iam::111122223333:user/alice' } as const;
const MALLORY = { type: 'AWS', arn: 'arn:aws:iam::999988887777:user/mallory' } as const;

const allow = (action: string | string[], resource: string | string[] = '*', extra: object = {}): object => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: action, Resource: resource, ...extra }],
});
const deny = (action: string | string[], resource: string | string[] = '*', extra: object = {}): object => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action: action, Resource: resource, ...extra }],
});

describe('evaluateActions (identity policies, no context)', () => {
  it('allows what an Allow names', () => {
    expect(evaluateActions([allow('s3:GetObject', `${BUCKET}/*`)], 's3:GetObject', OBJECT)).toBe('allowed');
  });
  it('implicitly denies what no Allow names', () => {
    expect(evaluateActions([allow('s3:GetObject', `${BUCKET}/*`)], 's3:PutObject', OBJECT)).toBe('implicitDeny');
    expect(evaluateActions([allow('s3:GetObject', `${BUCKET}/*`)], 's3:GetObject', 'arn:aws:s3:::other/x')).toBe('implicitDeny');
    expect(evaluateActions([], 's3:GetObject', OBJECT)).toBe('implicitDeny');
  });
  it('an explicit Deny beats an Allow, even across documents', () => {
    expect(evaluateActions([allow('s3:*'), deny('s3:GetObject', `${BUCKET}/*`)], 's3:GetObject', OBJECT)).toBe('explicitDeny');
  });
  it('a Deny on another resource or action leaves the Allow', () => {
    expect(evaluateActions([allow('s3:*'), deny('s3:GetObject', 'arn:aws:s3:::secret/*')], 's3:GetObject', OBJECT)).toBe('allowed');
    expect(evaluateActions([allow('s3:*'), deny('s3:PutObject')], 's3:GetObject', OBJECT)).toBe('allowed');
  });
  it('matches action prefixes case-insensitively', () => {
    expect(evaluateActions([allow('S3:GETOBJECT')], 's3:GetObject', OBJECT)).toBe('allowed');
  });
  it('NotAction allows everything but the listed actions', () => {
    expect(evaluateActions([{ Statement: { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' } }], 's3:GetObject', OBJECT)).toBe('allowed');
    expect(evaluateActions([{ Statement: { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' } }], 'iam:CreateUser', '*')).toBe('implicitDeny');
  });
  it('NotResource allows everything but the listed resources', () => {
    const policy = { Statement: { Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3:::secret/*' } };
    expect(evaluateActions([policy], 's3:GetObject', OBJECT)).toBe('allowed');
    expect(evaluateActions([policy], 's3:GetObject', 'arn:aws:s3:::secret/key')).toBe('implicitDeny');
  });
  it('a Deny with NotAction denies everything else', () => {
    const policies = [allow('*'), { Statement: { Effect: 'Deny', NotAction: ['iam:Get*', 'iam:List*'], Resource: '*' } }];
    expect(evaluateActions(policies, 'iam:CreateUser', '*')).toBe('explicitDeny');
    expect(evaluateActions(policies, 'iam:GetUser', '*')).toBe('allowed');
  });
  it('a conditional Allow does not apply when the request lacks the key', () => {
    const conditional = allow('s3:GetObject', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } });
    expect(evaluateActions([conditional], 's3:GetObject', OBJECT)).toBe('implicitDeny');
  });
  it('a conditional Allow with IfExists applies when the request lacks the key', () => {
    const conditional = allow('s3:GetObject', '*', { Condition: { StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1' } } });
    expect(evaluateActions([conditional], 's3:GetObject', OBJECT)).toBe('allowed');
  });
  it('unreadable documents contribute nothing', () => {
    expect(evaluateActions(['{not json', allow('s3:GetObject')], 's3:GetObject', OBJECT)).toBe('allowed');
    expect(evaluateActions(['{not json'], 's3:GetObject', OBJECT)).toBe('implicitDeny');
  });
  it('accepts URL-encoded documents as IAM returns them', () => {
    expect(evaluateActions([encodeURIComponent(JSON.stringify(allow('s3:GetObject')))], 's3:GetObject', OBJECT)).toBe('allowed');
  });
});

describe('evaluateRequest', () => {
  it('reports the statements that decided', () => {
    const policies = { identityPolicies: [{ Statement: [{ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }] };
    const result = evaluateRequest(policies, { action: 's3:GetObject', resource: OBJECT, context: completeContext() });
    expect(result.decision).toBe('allowed');
    expect(result.conclusive).toBe(true);
    expect(result.matchedStatements).toEqual([{ source: 'identity', policyIndex: 0, statementIndex: 0, sid: 'Read', effect: 'Allow' }]);
  });

  it('an Allow that depends on an unknown key is inconclusive: allowed or implicitly denied', () => {
    const policies = { identityPolicies: [allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } })] };
    const result = evaluateRequest(policies, { action: 's3:GetObject', resource: OBJECT });
    expect(result.decision).toBe('implicitDeny');
    expect(result.conclusive).toBe(false);
    expect(result.possibleDecisions).toEqual(['allowed', 'implicitDeny']);
    expect(result.undecidedStatements).toHaveLength(1);
  });
  it('the same Allow with the key known is conclusive', () => {
    const policies = { identityPolicies: [allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } })] };
    const result = evaluateRequest(policies, { action: 's3:GetObject', resource: OBJECT, context: { values: { 'aws:SourceVpce': 'vpce-1' } } });
    expect(result.decision).toBe('allowed');
    expect(result.conclusive).toBe(true);
  });
  it('a Deny that depends on an unknown key leaves an explicit deny possible', () => {
    const policies = { identityPolicies: [allow('s3:*'), deny('s3:*', '*', { Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] };
    const result = evaluateRequest(policies, { action: 's3:GetObject', resource: OBJECT });
    expect(result.decision).toBe('allowed');
    expect(result.possibleDecisions).toEqual(['allowed', 'explicitDeny']);
    const overTls = evaluateRequest(policies, { action: 's3:GetObject', resource: OBJECT, context: { values: { 'aws:SecureTransport': true } } });
    expect(overTls.possibleDecisions).toEqual(['allowed']);
  });
  it('an unreadable policy makes the result inconclusive and is reported', () => {
    const result = evaluateRequest({ identityPolicies: [allow('s3:*'), '{bad'] }, { action: 's3:GetObject', resource: OBJECT });
    expect(result.decision).toBe('allowed');
    expect(result.conclusive).toBe(false);
    expect(result.possibleDecisions).toContain('explicitDeny');
    expect(result.invalidPolicies[0]?.policyIndex).toBe(1);
  });
  it('a policy variable in the resource uses the request context', () => {
    const policies = { identityPolicies: [allow('s3:GetObject', 'arn:aws:s3:::home/${aws:username}/*')] };
    const mine = evaluateRequest(policies, { action: 's3:GetObject', resource: 'arn:aws:s3:::home/alice/a', context: completeContext({ 'aws:username': 'alice' }) });
    const theirs = evaluateRequest(policies, { action: 's3:GetObject', resource: 'arn:aws:s3:::home/bob/a', context: completeContext({ 'aws:username': 'alice' }) });
    const unknown = evaluateRequest(policies, { action: 's3:GetObject', resource: 'arn:aws:s3:::home/bob/a' });
    expect(mine.decision).toBe('allowed');
    expect(theirs.decision).toBe('implicitDeny');
    expect(unknown.possibleDecisions).toEqual(['allowed', 'implicitDeny']);
  });

  describe('resource policies', () => {
    const bucketPolicy = (principal: unknown, effect = 'Allow'): object => ({
      Statement: [{ Effect: effect, Principal: principal, Action: 's3:GetObject', Resource: `${BUCKET}/*` }],
    });
    it('a resource policy alone allows a same-account principal it names', () => {
      const result = evaluateRequest(
        { resourcePolicy: bucketPolicy({ AWS: 'arn:aws:iam::111122223333:user/alice' }) },
        { action: 's3:GetObject', resource: OBJECT, principal: ALICE, resourceAccountId: '111122223333', context: completeContext() },
      );
      expect(result.decision).toBe('allowed');
    });
    it('does not allow a principal it does not name', () => {
      const result = evaluateRequest(
        { resourcePolicy: bucketPolicy({ AWS: 'arn:aws:iam::111122223333:user/bob' }) },
        { action: 's3:GetObject', resource: OBJECT, principal: ALICE, resourceAccountId: '111122223333', context: completeContext() },
      );
      expect(result.decision).toBe('implicitDeny');
    });
    it('cross-account access needs both the resource policy and the identity policy', () => {
      const resourcePolicy = bucketPolicy({ AWS: '999988887777' });
      const request = { action: 's3:GetObject', resource: OBJECT, principal: MALLORY, resourceAccountId: '111122223333', context: completeContext() };
      expect(evaluateRequest({ resourcePolicy }, request).decision).toBe('implicitDeny');
      expect(evaluateRequest({ resourcePolicy, identityPolicies: [allow('s3:GetObject')] }, request).decision).toBe('allowed');
      expect(evaluateRequest({ identityPolicies: [allow('s3:GetObject')] }, request).decision).toBe('implicitDeny');
    });
    it('a Deny in the resource policy beats an identity Allow', () => {
      const result = evaluateRequest(
        { identityPolicies: [allow('s3:*')], resourcePolicy: bucketPolicy('*', 'Deny') },
        { action: 's3:GetObject', resource: OBJECT, principal: ALICE, context: completeContext() },
      );
      expect(result.decision).toBe('explicitDeny');
      expect(result.matchedStatements.map((m) => m.source)).toEqual(['identity', 'resource']);
    });
    it('a Deny with NotPrincipal spares the listed principal and hits everyone else', () => {
      const policy = {
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${BUCKET}/*` },
          { Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:user/alice' }, Action: 's3:*', Resource: `${BUCKET}/*` },
        ],
      };
      const request = { action: 's3:GetObject', resource: OBJECT, context: completeContext() };
      expect(evaluateRequest({ resourcePolicy: policy }, { ...request, principal: ALICE }).decision).toBe('allowed');
      expect(evaluateRequest({ resourcePolicy: policy }, { ...request, principal: MALLORY }).decision).toBe('explicitDeny');
    });
    it('an unknown caller against a named principal is inconclusive', () => {
      const result = evaluateRequest({ resourcePolicy: bucketPolicy({ AWS: '111122223333' }) }, { action: 's3:GetObject', resource: OBJECT, context: completeContext() });
      expect(result.possibleDecisions).toEqual(['allowed', 'implicitDeny']);
    });
    it('Principal "*" allows anonymous callers', () => {
      const result = evaluateRequest({ resourcePolicy: bucketPolicy('*') }, { action: 's3:GetObject', resource: OBJECT, principal: { type: 'Anonymous' }, context: completeContext() });
      expect(result.decision).toBe('allowed');
    });
    it('a trust policy statement without Resource applies to the role', () => {
      const trust = { Statement: { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' } };
      const request = { action: 'sts:AssumeRole', resource: 'arn:aws:iam::111122223333:role/app', context: completeContext() };
      expect(evaluateRequest({ resourcePolicy: trust }, { ...request, principal: { type: 'Service', service: 'ec2.amazonaws.com' } }).decision).toBe('allowed');
      expect(evaluateRequest({ resourcePolicy: trust }, { ...request, principal: { type: 'Service', service: 'lambda.amazonaws.com' } }).decision).toBe('implicitDeny');
    });
  });
});
