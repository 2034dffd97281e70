import { describe, expect, it } from 'vitest';
import { canonicalPolicy, policyDelta, sameValue, statementDiffs } from './compare.js';

const base = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Read', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:root'] }, Action: ['s3:GetObject', 's3:ListBucket'], Resource: 'arn:aws:s3:::b/*' },
    { Sid: 'Tls', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
  ],
};

describe('policies compare as policies', () => {
  const same = (a: unknown, b: unknown) => sameValue('policy', typeof a === 'string' ? a : JSON.stringify(a), typeof b === 'string' ? b : JSON.stringify(b));

  it('ignores statement order, key order, whitespace and one-element lists', () => {
    const reordered = {
      Statement: [
        { Condition: { Bool: { 'aws:SecureTransport': false } }, Resource: ['arn:aws:s3:::b/*', 'arn:aws:s3:::b'], Action: ['s3:*'], Principal: '*', Effect: 'Deny', Sid: 'Tls' },
        { Resource: ['arn:aws:s3:::b/*'], Action: ['s3:ListBucket', 's3:GetObject'], Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Effect: 'Allow', Sid: 'Read' },
      ],
      Version: '2012-10-17',
    };
    expect(same(base, reordered)).toBe(true);
    expect(same(JSON.stringify(base, null, 4), JSON.stringify(base))).toBe(true);
    // IAM hands documents back URL-encoded.
    expect(same(encodeURIComponent(JSON.stringify(base)), base)).toBe(true);
    // A single statement object is a one-element Statement list.
    expect(same({ Version: '2012-10-17', Statement: base.Statement[0] }, { Version: '2012-10-17', Statement: [base.Statement[0]] })).toBe(true);
  });

  it('treats condition keys as case-insensitive and condition values as a set', () => {
    const upper = structuredClone(base);
    (upper.Statement[1] as { Condition: Record<string, Record<string, unknown>> }).Condition = { Bool: { 'AWS:SecureTransport': ['false'] } };
    expect(same(base, upper)).toBe(true);
  });

  it('sees an added statement, a changed action, effect or principal, and a dropped condition', () => {
    const added = structuredClone(base);
    added.Statement.push({ Sid: 'Vendor', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::444455556666:role/x'] }, Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::b/*' });
    expect(same(base, added)).toBe(false);
    expect(policyDelta(JSON.stringify(base), JSON.stringify(added))).toEqual(['+ Vendor']);

    const widened = structuredClone(base);
    widened.Statement[0]!.Action = ['s3:*'];
    expect(same(base, widened)).toBe(false);
    expect(policyDelta(JSON.stringify(base), JSON.stringify(widened))).toEqual(['~ Read']);

    const allow = structuredClone(base);
    allow.Statement[1]!.Effect = 'Allow';
    expect(same(base, allow)).toBe(false);

    const otherAccount = structuredClone(base);
    otherAccount.Statement[0]!.Principal = { AWS: ['arn:aws:iam::999999999999:root'] };
    expect(same(base, otherAccount)).toBe(false);

    const noCondition = structuredClone(base);
    delete (noCondition.Statement[1] as { Condition?: unknown }).Condition;
    expect(same(base, noCondition)).toBe(false);
  });

  it('pairs statements by Sid: one changed in place is one change, with both versions as written', () => {
    const widened = structuredClone(base);
    widened.Statement[0]!.Action = ['s3:*'];
    expect(statementDiffs(JSON.stringify(base), JSON.stringify(widened))).toEqual([{ statement: 'Read', change: 'changed', state: base.Statement[0], live: widened.Statement[0] }]);
    // As IAM returns it, URL-encoded: the statements are still shown as written.
    expect(statementDiffs(JSON.stringify(base), encodeURIComponent(JSON.stringify(widened)))?.[0]?.live).toEqual(widened.Statement[0]);
    // Reordered and re-formatted: nothing differs.
    expect(statementDiffs(JSON.stringify(base), JSON.stringify({ ...base, Statement: [...base.Statement].reverse() }))).toEqual([]);
  });

  it('keeps action case as written (near miss: not normalised away)', () => {
    const cased = structuredClone(base);
    cased.Statement[0]!.Action = ['s3:getobject', 's3:ListBucket'];
    expect(same(base, cased)).toBe(false);
  });

  it('names statements without a Sid by position, and treats an absent policy as empty', () => {
    const anonymous = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] };
    expect(policyDelta('', JSON.stringify(anonymous))).toEqual(['+ #1']);
    expect(sameValue('policy', null, '')).toBe(true);
    expect(sameValue('policy', null, JSON.stringify(anonymous))).toBe(false);
  });

  it('compares text that is not a policy as JSON, key order aside', () => {
    expect(canonicalPolicy('{"not":"a policy"}')).toBeUndefined();
    expect(sameValue('policy', '{"a":1,"b":2}', '{"b":2,"a":1}')).toBe(true);
    expect(sameValue('policy', '{"a":1}', '{"a":2}')).toBe(false);
  });
});

describe('other kinds', () => {
  it('compares sets without order, values with null and absent alike', () => {
    expect(sameValue('set', ['sg-1', 'sg-2'], ['sg-2', 'sg-1'])).toBe(true);
    expect(sameValue('set', ['sg-1'], ['sg-1', 'sg-2'])).toBe(false);
    expect(sameValue('value', null, undefined)).toBe(true);
    expect(sameValue('value', 14, 7)).toBe(false);
    expect(sameValue('value', { a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
  });

  it('matches an engine version by prefix, as the provider does', () => {
    expect(sameValue('version-prefix', '16', '16.4')).toBe(true);
    expect(sameValue('version-prefix', '16.4', '16.4')).toBe(true);
    expect(sameValue('version-prefix', '16.4', '16.5')).toBe(false);
    expect(sameValue('version-prefix', '1', '16.4')).toBe(false);
  });
});
