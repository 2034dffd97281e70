import { describe, expect, it } from 'vitest';
import {
  effectiveActionAccess,
  findEffectiveAdmin,
  findEffectiveServiceWildcards,
  patternWitness,
  policySetView,
  PROBE,
  resourcesOfAction,
} from './effective.js';
import { findPrivilegeEscalation } from './escalation.js';

const ACCOUNT = '111122223333';
const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
const allow = (Action: string | string[], Resource: string | string[] = '*', extra: object = {}) => ({ Effect: 'Allow', Action, Resource, ...extra });
const deny = (Action: string | string[], Resource: string | string[] = '*', extra: object = {}) => ({ Effect: 'Deny', Action, Resource, ...extra });
const view = (...documents: object[]) => policySetView(documents, { accountId: ACCOUNT });
const grant = (action: string, ...documents: object[]) => effectiveActionAccess(view(...documents), action).grant;
const paths = (...documents: object[]) => findPrivilegeEscalation(documents, { accountId: ACCOUNT }).findings.map((f) => f.path.id);
const admin = (...documents: object[]) => findEffectiveAdmin(view(...documents));

describe('patternWitness', () => {
  it('builds a string both patterns match, filling free wildcards with the probe name', () => {
    expect(patternWitness('arn:aws:iam::111122223333:policy/*', '*')).toBe(`arn:aws:iam::111122223333:policy/${PROBE}`);
    expect(patternWitness('arn:aws:iam::*:role/*', 'arn:aws:iam::111122223333:role/app-*')).toBe(`arn:aws:iam::111122223333:role/app-${PROBE}`);
    expect(patternWitness('arn:aws:lambda:*:1:function:*', 'arn:aws:lambda:us-east-1:1:function:f?')).toMatch(/^arn:aws:lambda:us-east-1:1:function:f.$/);
  });
  it('is undefined when the patterns share no string', () => {
    expect(patternWitness('arn:aws:iam::111122223333:policy/*', 'arn:aws:s3:::bucket')).toBeUndefined();
    expect(patternWitness('arn:aws:iam::111122223333:policy/*', 'arn:aws:iam::444455556666:*')).toBeUndefined();
    expect(patternWitness('abc', 'ab?d')).toBeUndefined();
  });
  it('treats a policy variable as any value', () => {
    expect(patternWitness('arn:aws:iam::1:user/*', 'arn:aws:iam::1:user/${aws:username}')).toBe(`arn:aws:iam::1:user/${PROBE}`);
  });
});

describe('resourcesOfAction', () => {
  it('names the resource types an action applies to, in the audited account', () => {
    expect(resourcesOfAction('iam:CreatePolicyVersion', { accountId: ACCOUNT })).toEqual([`arn:aws:iam::${ACCOUNT}:policy/*`]);
    expect(resourcesOfAction('IAM:createpolicyversion', { accountId: ACCOUNT })).toEqual([`arn:aws:iam::${ACCOUNT}:policy/*`]);
    expect(resourcesOfAction('ec2:RunInstances', { accountId: ACCOUNT })).toHaveLength(6);
    expect(resourcesOfAction('lambda:CreateEventSourceMapping')).toEqual(['*']);
  });
});

describe('effectiveActionAccess', () => {
  it('an Allow on the action\'s resource grants it; the resource it is allowed on is given', () => {
    const access = effectiveActionAccess(view(doc(allow('iam:CreatePolicyVersion', `arn:aws:iam::${ACCOUNT}:policy/app-*`))), 'iam:CreatePolicyVersion');
    expect(access.grant).toBe('allowed');
    expect(access.resources).toEqual([`arn:aws:iam::${ACCOUNT}:policy/app-${PROBE}`]);
    expect(access.statements).toEqual([{ policyIndex: 0, statementIndex: 0, sid: undefined, pattern: 'iam:CreatePolicyVersion', conditional: false }]);
  });
  it('"*" allowed only on an S3 bucket grants no IAM action', () => {
    expect(grant('iam:CreatePolicyVersion', doc(allow('*', 'arn:aws:s3:::acme-data')))).toBe('denied');
    expect(grant('iam:CreatePolicyVersion', doc(allow('*', ['arn:aws:s3:::acme-data', 'arn:aws:s3:::acme-data/*'])))).toBe('denied');
  });
  it('near miss: "*" on the bucket and on the account\'s policies grants it', () => {
    expect(grant('iam:CreatePolicyVersion', doc(allow('*', ['arn:aws:s3:::acme-data', `arn:aws:iam::${ACCOUNT}:policy/*`])))).toBe('allowed');
  });
  it('a policy of another account is no resource of this one', () => {
    expect(grant('iam:CreatePolicyVersion', doc(allow('iam:*', 'arn:aws:iam::444455556666:policy/*')))).toBe('denied');
  });
  it('an action without resource-level permissions needs Resource "*"', () => {
    expect(grant('lambda:CreateEventSourceMapping', doc(allow('lambda:*', `arn:aws:lambda:us-east-1:${ACCOUNT}:function:*`)))).toBe('denied');
    expect(grant('lambda:CreateEventSourceMapping', doc(allow('lambda:*')))).toBe('allowed');
  });
  it('ec2:RunInstances needs every resource type it touches', () => {
    expect(grant('ec2:RunInstances', doc(allow('ec2:RunInstances', `arn:aws:ec2:*:${ACCOUNT}:instance/*`)))).toBe('denied');
    expect(grant('ec2:RunInstances', doc(allow('ec2:RunInstances', ['arn:aws:ec2:*:*:*', 'arn:aws:ec2:*::image/*'])))).toBe('allowed');
  });
  it('a Deny anywhere beats the Allow', () => {
    expect(grant('iam:PassRole', doc(allow('iam:PassRole')), doc(deny('iam:*')))).toBe('denied');
    const denied = effectiveActionAccess(view(doc(allow('iam:PassRole')), doc(deny('iam:*'))), 'iam:PassRole');
    expect(denied.deniedBy).toEqual([{ policyIndex: 1, statementIndex: 0, sid: undefined, pattern: 'iam:*', conditional: false }]);
  });
  it('near miss: a Deny of some resources leaves the others', () => {
    expect(grant('iam:PassRole', doc(allow('iam:PassRole')), doc(deny('iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/admin-*`)))).toBe('allowed');
  });
  it('a Deny of the resources the Allow names removes it', () => {
    expect(grant('iam:PassRole', doc(allow('iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/admin-*`)), doc(deny('iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/admin-*`)))).toBe('denied');
  });
  it('NotAction: an Allow grants what it does not exclude; a Deny denies what it does not exclude', () => {
    expect(grant('iam:PassRole', doc({ Effect: 'Allow', NotAction: 's3:*', Resource: '*' }))).toBe('allowed');
    expect(grant('iam:PassRole', doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }))).toBe('denied');
    expect(grant('iam:PassRole', doc(allow('*')), doc({ Effect: 'Deny', NotAction: 'iam:PassRole', Resource: '*' }))).toBe('allowed');
    expect(grant('iam:CreateAccessKey', doc(allow('*')), doc({ Effect: 'Deny', NotAction: 'iam:PassRole', Resource: '*' }))).toBe('denied');
  });
  it('NotResource: an Allow on everything but the IAM resources grants no IAM action; a Deny of everything but one bucket denies it', () => {
    expect(grant('iam:CreatePolicyVersion', doc({ Effect: 'Allow', Action: '*', NotResource: 'arn:aws:iam::*' }))).toBe('denied');
    expect(grant('iam:CreatePolicyVersion', doc({ Effect: 'Allow', Action: '*', NotResource: 'arn:aws:s3:::*' }))).toBe('allowed');
    expect(grant('iam:CreatePolicyVersion', doc(allow('*')), doc({ Effect: 'Deny', Action: '*', NotResource: 'arn:aws:s3:::acme-data' }))).toBe('denied');
  });
  it('a condition leaves the grant conditional: a conditional Allow is possible, a conditional Deny does not remove it', () => {
    const mfa = { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } };
    expect(grant('iam:CreateAccessKey', doc(allow('iam:CreateAccessKey', '*', mfa)))).toBe('conditional');
    expect(grant('iam:CreateAccessKey', doc(allow('iam:CreateAccessKey')), doc(deny('iam:CreateAccessKey', '*', mfa)))).toBe('conditional');
  });
});

describe('findEffectiveAdmin', () => {
  it('"*" on "*" is an administrator', () => {
    expect(admin(doc(allow('*')))).toMatchObject({ grant: 'allowed', exceptions: [], reason: 'allows every action on every resource', statements: [{ policyIndex: 0, statementIndex: 0 }] });
  });
  it('"*" on "*" allowed and "*" on "*" denied is no administrator, in one policy or across two', () => {
    expect(admin(doc(allow('*'), deny('*')))).toBeUndefined();
    expect(admin(doc(allow('*')), doc(deny('*')))).toBeUndefined();
  });
  it('a Deny in a group policy takes administrator away from a user', () => {
    const userInline = doc(allow('*'));
    const groupPolicy = doc({ Sid: 'NoAdmin', Effect: 'Deny', NotAction: ['s3:Get*', 's3:List*'], Resource: '*' });
    expect(admin(userInline, groupPolicy)).toBeUndefined();
  });
  it('near miss: a group Deny of a few actions leaves an administrator, and says what is taken back', () => {
    expect(admin(doc(allow('*')), doc(deny(['organizations:LeaveOrganization', 'account:CloseAccount'])))).toMatchObject({ exceptions: ['organizations:LeaveOrganization', 'account:CloseAccount'] });
  });
  it('a Deny on specific resources takes nothing away from an administrator', () => {
    expect(admin(doc(allow('*')), doc(deny('s3:*', 'arn:aws:s3:::audit-logs/*')))?.exceptions).toEqual([]);
  });
  it('"*" on one bucket is no administrator', () => {
    expect(admin(doc(allow('*', 'arn:aws:s3:::acme-data')))).toBeUndefined();
  });
  it('NotAction: a short exclusion list is an administrator, a long one is not', () => {
    expect(admin(doc({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' }))?.reason).toBe('allows every action on every resource except iam:*, organizations:*');
    expect(admin(doc({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*', 's3:*', 'ec2:*', 'kms:*'], Resource: '*' }))).toBeUndefined();
  });
  it('NotResource: every action on all but one bucket is an administrator; a Deny on the rest is not', () => {
    expect(admin(doc({ Effect: 'Allow', Action: '*', NotResource: 'arn:aws:s3:::audit/*' }))).toBeDefined();
  });
  it('a conditional administrator is reported as conditional', () => {
    expect(admin(doc(allow('*', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })))?.grant).toBe('conditional');
  });
  it('credits only the candidate policies: an inline check is not failed by an attached policy\'s grant', () => {
    const v = view(doc(allow('s3:GetObject')), doc(allow('*')));
    expect(findEffectiveAdmin(v, new Set([0]))).toBeUndefined();
    expect(findEffectiveAdmin(v, new Set([1]))).toBeDefined();
  });
});

describe('findEffectiveServiceWildcards', () => {
  const services = (...documents: object[]) => findEffectiveServiceWildcards(view(...documents), ['iam', 'kms', 's3']).map((w) => w.service);
  it('kms:* on "*" is every KMS action', () => {
    expect(services(doc(allow('kms:*')))).toEqual(['kms']);
  });
  it('a Deny of one of the service\'s actions, anywhere, means not every action', () => {
    expect(services(doc(allow('kms:*')), doc(deny('kms:ScheduleKeyDeletion')))).toEqual([]);
    expect(services(doc({ Effect: 'Allow', NotAction: 'kms:Decrypt', Resource: '*' }))).toEqual(['iam', 's3']);
  });
  it('s3:* on every bucket and object counts; on one bucket it does not', () => {
    expect(services(doc(allow('s3:*', 'arn:aws:s3:::*')))).toEqual(['s3']);
    expect(services(doc(allow('s3:*', ['arn:aws:s3:::acme-data', 'arn:aws:s3:::acme-data/*'])))).toEqual([]);
  });
  it('a Deny of the whole service takes it away', () => {
    expect(services(doc(allow(['kms:*', 's3:*'])), doc(deny('kms:*')))).toEqual(['s3']);
  });
});

describe('findPrivilegeEscalation on effective permissions', () => {
  it('"*" only on one S3 bucket is no escalation', () => {
    expect(paths(doc(allow('*', ['arn:aws:s3:::acme-data', 'arn:aws:s3:::acme-data/*'])))).toEqual([]);
  });
  it('iam:CreatePolicyVersion on the account\'s policies is', () => {
    expect(paths(doc(allow('iam:CreatePolicyVersion', `arn:aws:iam::${ACCOUNT}:policy/*`)))).toEqual(['CreatePolicyVersion']);
  });
  it('a Deny in a group policy removes the path the user\'s own policy grants', () => {
    expect(paths(doc(allow(['iam:PassRole', 'ec2:RunInstances'])), doc(deny('iam:PassRole')))).toEqual([]);
  });
  it('near miss: PassRole denied only for admin roles still leaves the path', () => {
    expect(paths(doc(allow(['iam:PassRole', 'ec2:RunInstances'])), doc(deny('iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/admin-*`)))).toEqual(['PassRole+EC2']);
  });
  it('NotResource that leaves out every IAM resource grants no IAM path', () => {
    expect(paths(doc({ Effect: 'Allow', Action: 'iam:*', NotResource: `arn:aws:iam::${ACCOUNT}:*` }))).toEqual([]);
  });
  it('"*" on "*" with "*" denied grants nothing', () => {
    expect(paths(doc(allow('*'), deny('*')))).toEqual([]);
  });
});
