import { describe, expect, it } from 'vitest';
import { findAdminStatements, findServiceWildcards, type AdminStatement, type ServiceWildcardGrant } from './analysis.js';

function admin(...statements: object[]): AdminStatement[] {
  const result = findAdminStatements({ Version: '2012-10-17', Statement: statements });
  if (!Array.isArray(result)) throw new Error(result.message);
  return result;
}

function wildcards(statements: object[], services?: string[]): ServiceWildcardGrant[] {
  const result = findServiceWildcards({ Version: '2012-10-17', Statement: statements }, services);
  if (!Array.isArray(result)) throw new Error(result.message);
  return result;
}

describe('findAdminStatements', () => {
  it('Action "*" on Resource "*" is administrator access', () => {
    expect(admin({ Sid: 'Admin', Effect: 'Allow', Action: '*', Resource: '*' })).toEqual([
      { statementIndex: 0, sid: 'Admin', kind: 'allActions', actionPatterns: ['*'], resourcePatterns: ['*'], conditional: false, reason: 'allows every action on every resource' },
    ]);
  });
  it('"*:*" counts as every action', () => {
    expect(admin({ Effect: 'Allow', Action: '*:*', Resource: '*' })[0]?.kind).toBe('allActions');
  });
  it('Action "*" on one resource is not administrator access', () => {
    expect(admin({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::bucket/*' })).toEqual([]);
  });
  it('a service wildcard on Resource "*" is not administrator access', () => {
    expect(admin({ Effect: 'Allow', Action: 's3:*', Resource: '*' })).toEqual([]);
  });
  it('a Deny of everything is not administrator access', () => {
    expect(admin({ Effect: 'Deny', Action: '*', Resource: '*' })).toEqual([]);
  });
  it('NotAction with a tiny exclusion list on Resource "*" is admin-like', () => {
    const found = admin({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' });
    expect(found[0]).toMatchObject({ kind: 'notAction', actionPatterns: ['iam:*', 'organizations:*'] });
  });
  it('NotAction with a long exclusion list, or on one resource, is not', () => {
    expect(admin({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*', 's3:*', 'ec2:*', 'kms:*'], Resource: '*' })).toEqual([]);
    expect(admin({ Effect: 'Allow', NotAction: 'iam:*', Resource: 'arn:aws:s3:::bucket' })).toEqual([]);
  });
  it('Action "*" with NotResource is admin-like', () => {
    expect(admin({ Effect: 'Allow', Action: '*', NotResource: 'arn:aws:s3:::audit/*' })[0]?.kind).toBe('allActionsNotResource');
  });
  it('a conditional admin statement is still reported, marked conditional', () => {
    expect(admin({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })[0]?.conditional).toBe(true);
  });
  it('finds the admin statement among others, with its index', () => {
    const found = admin({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }, { Effect: 'Allow', Action: ['ec2:Describe*', '*'], Resource: ['arn:aws:s3:::x', '*'] });
    expect(found.map((f) => f.statementIndex)).toEqual([1]);
  });
  it('accepts URL-encoded documents and returns a failure for malformed ones', () => {
    const encoded = encodeURIComponent(JSON.stringify({ Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }));
    expect(findAdminStatements(encoded)).toHaveLength(1);
    const broken = findAdminStatements('{');
    expect(Array.isArray(broken)).toBe(false);
  });
});

describe('findServiceWildcards', () => {
  it('kms:* on Resource "*" is full KMS access', () => {
    expect(wildcards([{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }])).toEqual([
      { statementIndex: 0, sid: undefined, service: 'kms', pattern: 'kms:*', viaNotAction: false, conditional: false },
    ]);
  });
  it('kms:* on one key is not', () => {
    expect(wildcards([{ Effect: 'Allow', Action: 'kms:*', Resource: 'arn:aws:kms:us-east-1:111122223333:key/abc' }])).toEqual([]);
  });
  it('a partial wildcard (kms:Decrypt*) is not full access', () => {
    expect(wildcards([{ Effect: 'Allow', Action: 'kms:Decrypt*', Resource: '*' }])).toEqual([]);
  });
  it('matches the service prefix case-insensitively', () => {
    expect(wildcards([{ Effect: 'Allow', Action: 'KMS:*', Resource: '*' }]).map((w) => w.service)).toEqual(['kms']);
  });
  it('"*" grants every sensitive service', () => {
    expect(wildcards([{ Effect: 'Allow', Action: '*', Resource: '*' }]).map((w) => w.service)).toEqual(['iam', 'kms', 's3', 'sts', 'secretsmanager', 'cloudtrail']);
  });
  it('a NotAction that does not exclude a service grants all of it', () => {
    const found = wildcards([{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }], ['iam', 'kms']);
    expect(found.map((w) => [w.service, w.viaNotAction])).toEqual([['kms', true]]);
  });
  it('a NotAction that excludes one action of the service does not grant all of it', () => {
    expect(wildcards([{ Effect: 'Allow', NotAction: 'kms:Decrypt', Resource: '*' }], ['kms'])).toEqual([]);
  });
  it('checks only the services asked for', () => {
    expect(wildcards([{ Effect: 'Allow', Action: ['cloudtrail:*', 'ec2:*'], Resource: '*' }], ['cloudtrail'])).toHaveLength(1);
    expect(wildcards([{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }], ['cloudtrail'])).toEqual([]);
  });
});
