import { describe, expect, it } from 'vitest';
import { analyzePublicAccess, bucketPolicyIsPublic, findCrossAccountGrants, type PublicAccessAnalysis } from './public.js';

const OWNER = '111122223333';
const BUCKET = 'arn:aws:s3:::reports';

function policy(...statements: object[]): object {
  return { Version: '2012-10-17', Statement: statements };
}

function allowAll(extra: object = {}, action: string | string[] = 's3:GetObject'): object {
  return { Sid: 'Public', Effect: 'Allow', Principal: '*', Action: action, Resource: `${BUCKET}/*`, ...extra };
}

function analysis(input: unknown): PublicAccessAnalysis {
  const result = analyzePublicAccess(input);
  if (!result.ok) throw new Error(`policy did not parse: ${result.message}`);
  return result;
}

function isPublic(...statements: object[]): boolean {
  return bucketPolicyIsPublic(policy(...statements), OWNER);
}

describe('public principals', () => {
  it('Principal "*" with Allow is public', () => {
    expect(isPublic(allowAll())).toBe(true);
  });
  it('{"AWS": "*"} is public, also among other principals', () => {
    expect(isPublic(allowAll({ Principal: { AWS: '*' } }))).toBe(true);
    expect(isPublic(allowAll({ Principal: { AWS: ['arn:aws:iam::111122223333:root', '*'] } }))).toBe(true);
  });
  it('a named account, role or service is not public', () => {
    expect(isPublic(allowAll({ Principal: { AWS: 'arn:aws:iam::444455556666:root' } }))).toBe(false);
    expect(isPublic(allowAll({ Principal: { AWS: 'arn:aws:iam::111122223333:role/reader' } }))).toBe(false);
    expect(isPublic(allowAll({ Principal: { Service: 'logging.s3.amazonaws.com' } }))).toBe(false);
  });
  it('an Allow with NotPrincipal grants everyone else, so it is public', () => {
    const statement = { Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 's3:GetObject', Resource: `${BUCKET}/*` };
    expect(isPublic(statement)).toBe(true);
    expect(analysis(policy(statement)).grants[0]?.principal).toBe('NotPrincipal');
  });
  it('a Deny with Principal "*" alone grants nothing', () => {
    expect(isPublic({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `${BUCKET}/*` })).toBe(false);
  });
});

describe('narrowing conditions', () => {
  const narrowed = (operator: string, key: string, value: string | string[]): boolean =>
    isPublic(allowAll({ Condition: { [operator]: { [key]: value } } }));

  it('aws:SourceVpce pinned to an endpoint is not public; a wildcard endpoint is', () => {
    expect(narrowed('StringEquals', 'aws:SourceVpce', 'vpce-1a2b3c4d')).toBe(false);
    expect(narrowed('StringLike', 'aws:SourceVpce', '*')).toBe(true);
    expect(narrowed('StringLike', 'aws:SourceVpce', 'vpce-*')).toBe(true);
  });
  it('aws:SourceVpc pinned is not public; one wildcard among the values opens it again', () => {
    expect(narrowed('StringEquals', 'aws:SourceVpc', 'vpc-111')).toBe(false);
    expect(narrowed('StringLike', 'aws:SourceVpc', ['vpc-111', '*'])).toBe(true);
  });
  it('aws:SourceIp with private ranges is not public; 0.0.0.0/0 or a public range is', () => {
    expect(narrowed('IpAddress', 'aws:SourceIp', '10.0.0.0/8')).toBe(false);
    expect(narrowed('IpAddress', 'aws:SourceIp', ['10.0.0.0/8', '192.168.0.0/16', 'fd00::/8'])).toBe(false);
    expect(narrowed('IpAddress', 'aws:SourceIp', '0.0.0.0/0')).toBe(true);
    expect(narrowed('IpAddress', 'aws:SourceIp', ['10.0.0.0/8', '203.0.113.0/24'])).toBe(true);
    expect(narrowed('IpAddress', 'aws:SourceIp', '::/0')).toBe(true);
  });
  it('NotIpAddress with private ranges admits the whole internet', () => {
    expect(narrowed('NotIpAddress', 'aws:SourceIp', '10.0.0.0/8')).toBe(true);
  });
  it('account keys pin with a 12-digit id, not with a wildcard', () => {
    expect(narrowed('StringEquals', 'aws:SourceAccount', OWNER)).toBe(false);
    expect(narrowed('StringEquals', 'aws:PrincipalAccount', '444455556666')).toBe(false);
    expect(narrowed('StringEquals', 'aws:SourceOwner', OWNER)).toBe(false);
    expect(narrowed('StringLike', 'aws:SourceAccount', '*')).toBe(true);
    expect(narrowed('StringLike', 'aws:PrincipalAccount', '1111*')).toBe(true);
  });
  it('aws:PrincipalOrgID pins; an org wildcard does not', () => {
    expect(narrowed('StringEquals', 'aws:PrincipalOrgID', 'o-abc123')).toBe(false);
    expect(narrowed('StringLike', 'aws:PrincipalOrgID', 'o-*')).toBe(true);
  });
  it('aws:PrincipalOrgPaths pins by organisation even with a path wildcard', () => {
    expect(narrowed('ForAnyValue:StringLike', 'aws:PrincipalOrgPaths', 'o-abc123/r-ab12/ou-ab12-1111/*')).toBe(false);
    expect(narrowed('ForAnyValue:StringLike', 'aws:PrincipalOrgPaths', '*/r-ab12/*')).toBe(true);
  });
  it('aws:SourceArn pins with a fixed ARN or a fixed account, not with a wildcard ARN', () => {
    expect(narrowed('ArnEquals', 'aws:SourceArn', 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main')).toBe(false);
    expect(narrowed('ArnLike', 'aws:SourceArn', 'arn:aws:logs:us-east-1:111122223333:*')).toBe(false);
    expect(narrowed('ArnLike', 'aws:SourceArn', '*')).toBe(true);
    expect(narrowed('ArnLike', 'aws:SourceArn', 'arn:aws:s3:::*')).toBe(true);
  });
  it('aws:PrincipalArn pins to a role or an account; any account does not', () => {
    expect(narrowed('ArnEquals', 'aws:PrincipalArn', 'arn:aws:iam::111122223333:role/reader')).toBe(false);
    expect(narrowed('ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::*:role/reader')).toBe(true);
  });
  it('aws:userid pins a user id or the sessions of one role id', () => {
    expect(narrowed('StringEquals', 'aws:userid', 'AIDAEXAMPLE1234')).toBe(false);
    expect(narrowed('StringLike', 'aws:userid', 'AROAEXAMPLE1234:*')).toBe(false);
    expect(narrowed('StringLike', 'aws:userid', 'AROA*')).toBe(true);
  });
  it('negated operators do not narrow', () => {
    expect(narrowed('StringNotEquals', 'aws:SourceVpce', 'vpce-1a2b3c4d')).toBe(true);
  });
  it('...IfExists does not narrow: anonymous callers lack the key', () => {
    expect(narrowed('StringEqualsIfExists', 'aws:SourceVpce', 'vpce-1a2b3c4d')).toBe(true);
    expect(narrowed('StringEqualsIfExists', 'aws:PrincipalAccount', OWNER)).toBe(true);
  });
  it('ForAllValues does not narrow: it holds when the key is absent', () => {
    expect(narrowed('ForAllValues:StringEquals', 'aws:PrincipalOrgID', 'o-abc123')).toBe(true);
  });
  it('a policy variable is not a fixed value', () => {
    expect(narrowed('StringEquals', 'aws:SourceVpce', '${aws:username}')).toBe(true);
  });
  it('conditions that do not identify the caller do not narrow', () => {
    expect(narrowed('Bool', 'aws:SecureTransport', 'true')).toBe(true);
    expect(narrowed('StringEquals', 's3:ExistingObjectTag/public', 'yes')).toBe(true);
  });
  it('one narrowing condition among others is enough (conditions AND)', () => {
    expect(isPublic(allowAll({ Condition: { Bool: { 'aws:SecureTransport': 'true' }, StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } }))).toBe(false);
  });
  it('reports why conditions did not narrow, and what narrowed', () => {
    const open = analysis(policy(allowAll({ Condition: { StringLike: { 'aws:SourceVpce': '*' } } })));
    expect(open.grants[0]?.conditions[0]).toMatchObject({ key: 'aws:SourceVpce', narrows: false });
    expect(open.grants[0]?.conditions[0]?.reason).toContain('wildcard');
    const closed = analysis(policy(allowAll({ Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } })));
    expect(closed.grants).toEqual([]);
    expect(closed.narrowed[0]).toMatchObject({ sid: 'Public', statementIndex: 0 });
    expect(closed.narrowed[0]?.narrowedBy[0]?.reason).toContain('vpce-1a2b3c4d');
  });
});

describe('access levels', () => {
  const levels = (action: string | string[], notAction = false): Omit<PublicAccessAnalysis, 'grants' | 'narrowed' | 'ok'> => {
    const statement = notAction
      ? { Effect: 'Allow', Principal: '*', NotAction: action, Resource: [BUCKET, `${BUCKET}/*`] }
      : { Effect: 'Allow', Principal: '*', Action: action, Resource: [BUCKET, `${BUCKET}/*`] };
    const { read, write, list, readAcl, writeAcl, isPublic: anyPublic } = analysis(policy(statement));
    return { read, write, list, readAcl, writeAcl, isPublic: anyPublic };
  };
  it('s3:GetObject is read only', () => {
    expect(levels('s3:GetObject')).toEqual({ read: true, write: false, list: false, readAcl: false, writeAcl: false, isPublic: true });
  });
  it('s3:Get* grants read and ACL read, not write or list', () => {
    expect(levels('s3:Get*')).toEqual({ read: true, write: false, list: false, readAcl: true, writeAcl: false, isPublic: true });
  });
  it('s3:ListBucket is list only', () => {
    expect(levels('s3:ListBucket')).toEqual({ read: false, write: false, list: true, readAcl: false, writeAcl: false, isPublic: true });
  });
  it('s3:PutObject and s3:DeleteObject are write', () => {
    expect(levels('s3:PutObject').write).toBe(true);
    expect(levels('s3:DeleteObject').write).toBe(true);
    expect(levels('s3:PutObject').read).toBe(false);
  });
  it('s3:PutBucketPolicy is write', () => {
    expect(levels('s3:PutBucketPolicy').write).toBe(true);
  });
  it('s3:PutObjectAcl is write and ACL write', () => {
    expect(levels('s3:PutObjectAcl')).toMatchObject({ write: true, writeAcl: true, read: false });
  });
  it('s3:* and * grant every level', () => {
    for (const action of ['s3:*', '*']) {
      expect(levels(action)).toEqual({ read: true, write: true, list: true, readAcl: true, writeAcl: true, isPublic: true });
    }
  });
  it('action prefixes match case-insensitively', () => {
    expect(levels('S3:GETOBJECT').read).toBe(true);
  });
  it('NotAction inverts: everything except the listed actions', () => {
    expect(levels(['s3:Put*', 's3:Delete*'], true)).toMatchObject({ read: true, list: true, write: true, readAcl: true });
    expect(levels(['s3:Put*', 's3:Delete*', 's3:RestoreObject', 's3:AbortMultipartUpload'], true)).toMatchObject({ read: true, write: false, writeAcl: false });
    expect(levels('s3:*', true)).toMatchObject({ read: false, write: false, list: false, isPublic: true });
  });
  it('a public grant outside the levels is still public', () => {
    expect(levels('s3:GetBucketTagging')).toEqual({ read: false, write: false, list: false, readAcl: false, writeAcl: false, isPublic: true });
  });
  it('evidence names the granting statement and its public actions', () => {
    const result = analysis(policy(allowAll({ Sid: 'PublicRead' }, ['s3:GetObject', 's3:ListBucket'])));
    expect(result.grants).toHaveLength(1);
    expect(result.grants[0]).toMatchObject({ sid: 'PublicRead', statementIndex: 0, principal: '*', actionPatterns: ['s3:GetObject', 's3:ListBucket'] });
    expect(result.grants[0]?.publicActions.read).toEqual(['s3:GetObject']);
    expect(result.grants[0]?.publicActions.list).toEqual(['s3:ListBucket']);
  });
});

describe('Deny statements', () => {
  it('a Deny on s3:GetObject for everyone removes public read', () => {
    const result = analysis(policy(allowAll(), { Sid: 'NoRead', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: `${BUCKET}/*` }));
    expect(result.read).toBe(false);
    expect(result.isPublic).toBe(false);
    expect(result.grants[0]?.removedBy[0]).toMatchObject({ sid: 'NoRead', actions: ['s3:GetObject'] });
  });
  it('a Deny "unless TLS" does not make the bucket non-public', () => {
    const tlsOnly = { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [BUCKET, `${BUCKET}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
    expect(isPublic(allowAll(), tlsOnly)).toBe(true);
  });
  it('a Deny "unless from my VPC endpoint" makes the bucket non-public', () => {
    const vpceOnly = { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `${BUCKET}/*`, Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } };
    expect(isPublic(allowAll(), vpceOnly)).toBe(false);
  });
  it('a Deny "unless from any VPC endpoint" (wildcard) does not', () => {
    const anyVpce = { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `${BUCKET}/*`, Condition: { StringNotLike: { 'aws:SourceVpce': 'vpce-*' } } };
    expect(isPublic(allowAll(), anyVpce)).toBe(true);
  });
  it('a Deny "unless from private addresses" makes it non-public; unless from a public range does not', () => {
    const privateOnly = { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } };
    const officeOnly = { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } };
    expect(isPublic(allowAll(), privateOnly)).toBe(false);
    expect(isPublic(allowAll(), officeOnly)).toBe(true);
  });
  it('a Deny on a narrower resource leaves the grant', () => {
    const secretOnly = { Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: `${BUCKET}/secret/*` };
    expect(isPublic(allowAll(), secretOnly)).toBe(true);
  });
  it('a Deny on the objects removes object reads granted on bucket and objects, but not the bucket listing', () => {
    const allow = { Effect: 'Allow', Principal: '*', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [BUCKET, `${BUCKET}/*`] };
    const denyObjects = { Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: `${BUCKET}/*` };
    const result = analysis(policy(allow, denyObjects));
    expect(result.read).toBe(false);
    expect(result.list).toBe(true);
  });
  it('a Deny on the bucket ARN alone does not remove object reads', () => {
    const allow = { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: [BUCKET, `${BUCKET}/*`] };
    expect(analysis(policy(allow, { Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: BUCKET })).read).toBe(true);
  });
  it('an object Deny that removes the only granted action leaves nothing public', () => {
    const allow = { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: [BUCKET, `${BUCKET}/*`] };
    expect(isPublic(allow, { Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: `${BUCKET}/*` })).toBe(false);
  });
  it('a Deny on another action leaves the grant', () => {
    expect(isPublic(allowAll(), { Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: '*' })).toBe(true);
  });
  it('a Deny for a named principal leaves the public grant', () => {
    expect(isPublic(allowAll(), { Effect: 'Deny', Principal: { AWS: '444455556666' }, Action: 's3:*', Resource: '*' })).toBe(true);
  });
  it('a Deny with NotPrincipal reaches public callers', () => {
    const onlyOwner = { Effect: 'Deny', NotPrincipal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: 's3:*', Resource: '*' };
    expect(isPublic(allowAll(), onlyOwner)).toBe(false);
  });
  it('a partial Deny removes only what it covers', () => {
    const result = analysis(policy(allowAll({}, ['s3:GetObject', 's3:PutObject']), { Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: '*' }));
    expect(result.read).toBe(true);
    expect(result.write).toBe(false);
    expect(result.isPublic).toBe(true);
  });
  it('a Deny with NotAction removes everything it does not exclude', () => {
    const denyAllButList = { Effect: 'Deny', Principal: '*', NotAction: 's3:ListBucket', Resource: '*' };
    const result = analysis(policy(allowAll({ Resource: '*' }, 's3:*'), denyAllButList));
    expect(result.read).toBe(false);
    expect(result.write).toBe(false);
    expect(result.list).toBe(true);
  });
});

describe('input handling', () => {
  it('accepts JSON strings and URL-encoded strings', () => {
    const text = JSON.stringify(policy(allowAll()));
    expect(bucketPolicyIsPublic(text, OWNER)).toBe(true);
    expect(bucketPolicyIsPublic(encodeURIComponent(text), OWNER)).toBe(true);
  });
  it('a malformed policy is a parse failure from the analysis and not public from the boolean', () => {
    const result = analyzePublicAccess('{"Statement": [');
    expect(result.ok).toBe(false);
    expect(bucketPolicyIsPublic('{"Statement": [', OWNER)).toBe(false);
  });
});

describe('findCrossAccountGrants', () => {
  const grants = (...statements: object[]): ReturnType<typeof findCrossAccountGrants> => findCrossAccountGrants(policy(...statements), OWNER);

  it('finds another account named by ARN or bare id', () => {
    expect(grants(allowAll({ Principal: { AWS: ['arn:aws:iam::444455556666:role/reader', '777788889999'] } }))).toEqual([
      { statementIndex: 0, sid: 'Public', accountId: '444455556666', principal: 'arn:aws:iam::444455556666:role/reader', via: 'principal' },
      { statementIndex: 0, sid: 'Public', accountId: '777788889999', principal: '777788889999', via: 'principal' },
    ]);
  });
  it('the owner account, services and Deny statements are not cross-account', () => {
    expect(grants(allowAll({ Principal: { AWS: `arn:aws:iam::${OWNER}:root`, Service: 'cloudtrail.amazonaws.com' } }))).toEqual([]);
    expect(grants({ Effect: 'Deny', Principal: { AWS: '444455556666' }, Action: 's3:*', Resource: '*' })).toEqual([]);
  });
  it('finds an everyone-principal pinned to another account by a condition', () => {
    const result = grants(allowAll({ Condition: { StringEquals: { 'aws:PrincipalAccount': '444455556666' } } }));
    expect(result).toEqual([{ statementIndex: 0, sid: 'Public', accountId: '444455556666', principal: '444455556666', via: 'condition' }]);
  });
  it('an everyone-principal pinned to the owner is not cross-account', () => {
    expect(grants(allowAll({ Condition: { StringEquals: { 'aws:SourceAccount': OWNER } } }))).toEqual([]);
  });
});
