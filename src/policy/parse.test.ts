import { describe, expect, it } from 'vitest';
import { parsePolicy, type PolicyDocument } from './parse.js';

function parsed(input: unknown): PolicyDocument {
  const result = parsePolicy(input);
  if (!result.ok) throw new Error(`expected a policy, got ${result.code} at ${result.path}: ${result.message}`);
  return result.document;
}

const canonical = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Read',
      Effect: 'Allow',
      Principal: { AWS: ['arn:aws:iam::111122223333:root'] },
      Action: ['s3:GetObject'],
      Resource: ['arn:aws:s3:::bucket/*'],
      Condition: { Bool: { 'aws:SecureTransport': ['true'] } },
    },
  ],
};

describe('parsePolicy', () => {
  it('normalises a full statement into the typed shape', () => {
    const document = parsed(canonical);
    expect(document.version).toBe('2012-10-17');
    expect(document.statements).toEqual([
      {
        index: 0,
        sid: 'Read',
        effect: 'Allow',
        principal: { AWS: ['arn:aws:iam::111122223333:root'], Service: [], Federated: [], CanonicalUser: [] },
        notPrincipal: undefined,
        action: ['s3:GetObject'],
        notAction: undefined,
        resource: ['arn:aws:s3:::bucket/*'],
        notResource: undefined,
        condition: { Bool: { 'aws:SecureTransport': ['true'] } },
      },
    ]);
  });

  it('treats single values and one-element lists alike, and a lone statement object as a list of one', () => {
    const singular = {
      Version: '2012-10-17',
      Statement: {
        Sid: 'Read',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:root' },
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::bucket/*',
        Condition: { Bool: { 'aws:SecureTransport': true } },
      },
    };
    expect(parsed(singular)).toEqual(parsed(canonical));
  });

  it('ignores key order and whitespace in a JSON string', () => {
    const text = `{ "Statement" : [ { "Resource":"arn:aws:s3:::bucket/*", "Condition":{"Bool":{"aws:SecureTransport":"true"}},
      "Action" : " s3:GetObject ", "Principal":{"AWS":"arn:aws:iam::111122223333:root"}, "Effect":"Allow", "Sid":"Read" } ],
      "Version": "2012-10-17" }`;
    expect(parsed(text)).toEqual(parsed(canonical));
  });

  it('decodes a URL-encoded document as IAM returns it', () => {
    expect(parsed(encodeURIComponent(JSON.stringify(canonical, null, 2)))).toEqual(parsed(canonical));
  });

  it('decodes form-style encoding where spaces are "+"', () => {
    const formEncoded = encodeURIComponent(JSON.stringify(canonical, null, 1)).replace(/%20/g, '+');
    expect(parsed(formEncoded)).toEqual(parsed(canonical));
  });

  it('keeps "*" and {"AWS": "*"} principals apart, as written', () => {
    const star = parsed({ Statement: { Effect: 'Allow', Principal: '*', Action: 's3:*' } });
    const awsStar = parsed({ Statement: { Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:*' } });
    expect(star.statements[0]?.principal).toBe('*');
    expect(awsStar.statements[0]?.principal).toEqual({ AWS: ['*'], Service: [], Federated: [], CanonicalUser: [] });
  });

  it('normalises NotPrincipal, NotAction and NotResource', () => {
    const document = parsed({
      Statement: { Effect: 'Deny', NotPrincipal: { Service: 'logs.amazonaws.com' }, NotAction: 'iam:*', NotResource: 'arn:aws:s3:::x' },
    });
    const statement = document.statements[0];
    expect(statement?.notPrincipal).toEqual({ AWS: [], Service: ['logs.amazonaws.com'], Federated: [], CanonicalUser: [] });
    expect(statement?.notAction).toEqual(['iam:*']);
    expect(statement?.notResource).toEqual(['arn:aws:s3:::x']);
    expect(statement?.action).toBeUndefined();
  });

  it('turns numeric and boolean condition values into strings', () => {
    const document = parsed({ Statement: { Effect: 'Allow', Action: '*', Condition: { NumericLessThan: { 's3:max-keys': 10 } } } });
    expect(document.statements[0]?.condition).toEqual({ NumericLessThan: { 's3:max-keys': ['10'] } });
  });

  it('merges the case spellings of one condition key under one operator', () => {
    const document = parsed({
      Statement: { Effect: 'Allow', Action: '*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1', 'AWS:SOURCEVPCE': 'vpce-2' } } },
    });
    expect(document.statements[0]?.condition).toEqual({ StringEquals: { 'aws:SourceVpce': ['vpce-1', 'vpce-2'] } });
  });

  describe('malformed input is a typed failure, never a throw', () => {
    const cases: [string, unknown, string, string][] = [
      ['broken JSON', '{"Statement": [', 'INVALID_JSON', ''],
      ['invalid percent-encoding', '%7B%ZZ', 'INVALID_JSON', ''],
      ['not an object', '[1,2]', 'INVALID_POLICY', ''],
      ['null', null, 'INVALID_POLICY', ''],
      ['no Statement', { Version: '2012-10-17' }, 'INVALID_POLICY', 'Statement'],
      ['bad Effect', { Statement: { Effect: 'allow', Action: '*' } }, 'INVALID_POLICY', 'Statement[0].Effect'],
      ['both Action and NotAction', { Statement: { Effect: 'Allow', Action: '*', NotAction: 's3:*' } }, 'INVALID_POLICY', 'Statement[0]'],
      ['neither Action nor NotAction', { Statement: { Effect: 'Allow', Resource: '*' } }, 'INVALID_POLICY', 'Statement[0]'],
      ['unknown principal type', { Statement: { Effect: 'Allow', Action: '*', Principal: { Aws: '*' } } }, 'INVALID_POLICY', 'Statement[0].Principal.Aws'],
      ['principal as a bare ARN string', { Statement: { Effect: 'Allow', Action: '*', Principal: 'arn:aws:iam::1:root' } }, 'INVALID_POLICY', 'Statement[0].Principal'],
      ['non-string action', { Statement: [{ Effect: 'Allow', Action: '*' }, { Effect: 'Allow', Action: ['s3:Get*', 5] }] }, 'INVALID_POLICY', 'Statement[1].Action[1]'],
      ['empty action list', { Statement: { Effect: 'Allow', Action: [] } }, 'INVALID_POLICY', 'Statement[0].Action'],
      ['unknown element', { Statement: { Effect: 'Allow', Action: '*', Resources: '*' } }, 'INVALID_POLICY', 'Statement[0].Resources'],
      ['condition value object', { Statement: { Effect: 'Allow', Action: '*', Condition: { StringEquals: { k: { a: 1 } } } } }, 'INVALID_POLICY', 'Statement[0].Condition.StringEquals.k'],
      ['Version not a string', { Version: 2012, Statement: [] }, 'INVALID_POLICY', 'Version'],
    ];
    for (const [name, input, code, path] of cases) {
      it(name, () => {
        const result = parsePolicy(input);
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.code).toBe(code);
          expect(result.path).toBe(path);
          expect(result.message.length).toBeGreaterThan(0);
        }
      });
    }

    it('a near miss of each: the well-formed counterpart parses', () => {
      expect(parsePolicy({ Statement: { Effect: 'Allow', Action: '*' } }).ok).toBe(true);
      expect(parsePolicy({ Statement: { Effect: 'Allow', Action: '*', Principal: { AWS: '*' } } }).ok).toBe(true);
      expect(parsePolicy({ Statement: { Effect: 'Allow', Action: ['s3:Get*'], Resource: '*' } }).ok).toBe(true);
    });
  });
});
