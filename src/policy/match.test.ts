import { describe, expect, it } from 'vitest';
import { completeContext } from './context.js';
import {
  accountOfPrincipal,
  actionMatches,
  arnMatches,
  matchPattern,
  patternCovers,
  principalMatches,
  resourceMatches,
} from './match.js';
import type { PolicyPrincipal } from './parse.js';

const aws = (...entries: string[]): PolicyPrincipal => ({ AWS: entries, Service: [], Federated: [], CanonicalUser: [] });

describe('actionMatches', () => {
  it('matches exactly, ignoring case in prefix and name', () => {
    expect(actionMatches('s3:GetObject', 's3:GetObject')).toBe(true);
    expect(actionMatches('S3:getobject', 's3:GetObject')).toBe(true);
    expect(actionMatches('IAM:PassRole', 'iam:passrole')).toBe(true);
  });
  it('does not match a different action or a longer name', () => {
    expect(actionMatches('s3:GetObject', 's3:GetObjectAcl')).toBe(false);
    expect(actionMatches('s3:GetObject', 's3:PutObject')).toBe(false);
  });
  it('expands * across the name and the whole action', () => {
    expect(actionMatches('s3:Get*', 's3:GetObject')).toBe(true);
    expect(actionMatches('s3:Get*', 's3:PutObject')).toBe(false);
    expect(actionMatches('*', 'iam:CreateUser')).toBe(true);
    expect(actionMatches('*:*', 'iam:CreateUser')).toBe(true);
    expect(actionMatches('iam:*', 'iam:CreateUser')).toBe(true);
    expect(actionMatches('iam:*', 'sts:AssumeRole')).toBe(false);
    expect(actionMatches('*Object', 's3:GetObject')).toBe(true);
  });
  it('? matches exactly one character', () => {
    expect(actionMatches('s3:?etObject', 's3:GetObject')).toBe(true);
    expect(actionMatches('s3:?GetObject', 's3:GetObject')).toBe(false);
  });
  it('backtracks correctly over several stars', () => {
    expect(actionMatches('s3:*Object*Acl', 's3:PutObjectVersionAcl')).toBe(true);
    expect(actionMatches('s3:*Object*Acl', 's3:PutObjectVersionTagging')).toBe(false);
  });
});

describe('resourceMatches', () => {
  it('matches ARNs with wildcards, case-sensitively', () => {
    expect(resourceMatches('arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a/b.txt')).toBe(true);
    expect(resourceMatches('arn:aws:s3:::bucket/*', 'arn:aws:s3:::Bucket/a')).toBe(false);
    expect(resourceMatches('arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket')).toBe(false);
    expect(resourceMatches('*', 'arn:aws:s3:::anything')).toBe(true);
  });
  it('substitutes a known policy variable', () => {
    const context = completeContext({ 'aws:username': 'alice' });
    expect(resourceMatches('arn:aws:s3:::home/${aws:username}/*', 'arn:aws:s3:::home/alice/notes', context)).toBe(true);
    expect(resourceMatches('arn:aws:s3:::home/${aws:username}/*', 'arn:aws:s3:::home/bob/notes', context)).toBe(false);
  });
  it('treats a variable substituted value literally, not as a wildcard', () => {
    const context = completeContext({ 'aws:username': '*' });
    expect(resourceMatches('arn:aws:s3:::home/${aws:username}', 'arn:aws:s3:::home/bob', context)).toBe(false);
    expect(resourceMatches('arn:aws:s3:::home/${aws:username}', 'arn:aws:s3:::home/*', context)).toBe(true);
  });
  it('an unknown variable makes a possible match unknown, and an impossible one false', () => {
    expect(resourceMatches('arn:aws:s3:::home/${aws:username}/*', 'arn:aws:s3:::home/bob/x')).toBe('unknown');
    expect(resourceMatches('arn:aws:s3:::home/${aws:username}/*', 'arn:aws:s3:::other/bob/x')).toBe(false);
  });
  it('a variable absent from a complete context never matches; a default value stands in', () => {
    expect(resourceMatches('arn:aws:s3:::home/${aws:username}', 'arn:aws:s3:::home/', completeContext())).toBe(false);
    expect(resourceMatches("arn:aws:s3:::home/${aws:username, 'guest'}", 'arn:aws:s3:::home/guest', completeContext())).toBe(true);
  });
  it('the special variables ${*} ${?} ${$} are literal characters', () => {
    expect(resourceMatches('arn:aws:s3:::b/${*}', 'arn:aws:s3:::b/*')).toBe(true);
    expect(resourceMatches('arn:aws:s3:::b/${*}', 'arn:aws:s3:::b/x')).toBe(false);
    expect(resourceMatches('arn:aws:s3:::b/${?}${$}', 'arn:aws:s3:::b/?$')).toBe(true);
  });
});

describe('matchPattern without wildcards', () => {
  it('takes * and ? literally', () => {
    expect(matchPattern('a*', 'a*', { wildcards: false, caseInsensitive: false })).toBe(true);
    expect(matchPattern('a*', 'abc', { wildcards: false, caseInsensitive: false })).toBe(false);
  });
});

describe('arnMatches', () => {
  it('matches each of the six parts separately', () => {
    expect(arnMatches('arn:aws:iam::*:role/admin', 'arn:aws:iam::111122223333:role/admin')).toBe(true);
    expect(arnMatches('arn:aws:iam::111122223333:*', 'arn:aws:iam::111122223333:role/a:b')).toBe(true);
  });
  it('a star in one part cannot swallow a colon into the next', () => {
    expect(arnMatches('arn:aws:*:role/admin', 'arn:aws:iam::111122223333:role/admin')).toBe(false);
    expect(arnMatches('arn:aws:iam::*:role/admin', 'arn:aws:iam::111122223333:user/admin')).toBe(false);
  });
  it('a value that is not an ARN matches nothing', () => {
    expect(arnMatches('arn:aws:iam::*:*', 'not-an-arn')).toBe(false);
  });
});

describe('patternCovers', () => {
  it('a broader pattern covers a narrower one', () => {
    expect(patternCovers('s3:*', 's3:Get*', true)).toBe(true);
    expect(patternCovers('*', 'arn:aws:s3:::b/*', false)).toBe(true);
    expect(patternCovers('arn:aws:s3:::b/*', 'arn:aws:s3:::b/*', false)).toBe(true);
  });
  it('a narrower pattern does not cover a broader one', () => {
    expect(patternCovers('s3:Get*', 's3:*', true)).toBe(false);
    expect(patternCovers('arn:aws:s3:::b/secret/*', 'arn:aws:s3:::b/*', false)).toBe(false);
    expect(patternCovers('arn:aws:s3:::b/?', 'arn:aws:s3:::b/*', false)).toBe(false);
  });
});

describe('principalMatches', () => {
  const user = { type: 'AWS', arn: 'arn:aws:iam::111122223333:user/alice' } as const;
  it('"*" and {"AWS":"*"} match everyone, anonymous callers included', () => {
    expect(principalMatches('*', { type: 'Anonymous' })).toBe(true);
    expect(principalMatches(aws('*'), { type: 'Anonymous' })).toBe(true);
    expect(principalMatches(aws('*'), user)).toBe(true);
  });
  it('an account id or its root matches every principal of that account only', () => {
    expect(principalMatches(aws('111122223333'), user)).toBe(true);
    expect(principalMatches(aws('arn:aws:iam::111122223333:root'), user)).toBe(true);
    expect(principalMatches(aws('arn:aws:iam::444455556666:root'), user)).toBe(false);
  });
  it('a user ARN matches that user only', () => {
    expect(principalMatches(aws('arn:aws:iam::111122223333:user/alice'), user)).toBe(true);
    expect(principalMatches(aws('arn:aws:iam::111122223333:user/bob'), user)).toBe(false);
  });
  it('a role ARN matches sessions of that role (whatever its path)', () => {
    const session = { type: 'AWS', arn: 'arn:aws:sts::111122223333:assumed-role/deployer/ci-run' } as const;
    expect(principalMatches(aws('arn:aws:iam::111122223333:role/ops/deployer'), session)).toBe(true);
    expect(principalMatches(aws('arn:aws:iam::111122223333:role/deployer-2'), session)).toBe(false);
  });
  it('partial wildcards are literal in principals', () => {
    expect(principalMatches(aws('arn:aws:iam::111122223333:user/*'), user)).toBe(false);
  });
  it('service principals compare case-insensitively and never match AWS callers', () => {
    const service = { AWS: [], Service: ['cloudtrail.amazonaws.com'], Federated: [], CanonicalUser: [] };
    expect(principalMatches(service, { type: 'Service', service: 'CloudTrail.amazonaws.com' })).toBe(true);
    expect(principalMatches(service, { type: 'Service', service: 'logs.amazonaws.com' })).toBe(false);
    expect(principalMatches(service, user)).toBe(false);
  });
  it('an unknown caller is unknown unless the principal is everyone', () => {
    expect(principalMatches(aws('111122223333'), undefined)).toBe('unknown');
    expect(principalMatches('*', undefined)).toBe(true);
  });
  it('anonymous callers match no named principal', () => {
    expect(principalMatches(aws('111122223333'), { type: 'Anonymous' })).toBe(false);
  });
});

describe('accountOfPrincipal', () => {
  it('reads bare ids and ARN account fields', () => {
    expect(accountOfPrincipal('111122223333')).toBe('111122223333');
    expect(accountOfPrincipal('arn:aws:iam::111122223333:role/x')).toBe('111122223333');
  });
  it('has no account for service principals, wildcards or short ids', () => {
    expect(accountOfPrincipal('logs.amazonaws.com')).toBeUndefined();
    expect(accountOfPrincipal('*')).toBeUndefined();
    expect(accountOfPrincipal('12345')).toBeUndefined();
    expect(accountOfPrincipal('arn:aws:s3:::bucket')).toBeUndefined();
  });
});
