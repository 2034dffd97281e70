import { describe, expect, it } from 'vitest';
import { evaluateCondition, parseOperator } from './conditions.js';
import { completeContext, type ConditionContext } from './context.js';
import type { Truth } from './truth.js';

/** One operator/key/values condition evaluated against a complete context holding `value` (or nothing). */
function check(operator: string, key: string, policyValues: string | string[], requestValue?: string | string[]): Truth {
  const values = Array.isArray(policyValues) ? policyValues : [policyValues];
  const context = completeContext(requestValue === undefined ? {} : { [key]: requestValue });
  return evaluateCondition({ [operator]: { [key]: values } }, context).result;
}

describe('parseOperator', () => {
  it('splits qualifier, base and IfExists', () => {
    expect(parseOperator('ForAnyValue:StringLikeIfExists')).toMatchObject({ qualifier: 'ForAnyValue', base: 'StringLike', ifExists: true, negated: false });
    expect(parseOperator('StringNotEquals')).toMatchObject({ qualifier: undefined, base: 'StringNotEquals', ifExists: false, negated: true });
  });
  it('rejects operators AWS does not have', () => {
    expect(parseOperator('StringEqual')).toBeUndefined();
    expect(parseOperator('ForSomeValues:StringEquals')).toBeUndefined();
    expect(parseOperator('NullIfExists')).toBeUndefined();
  });
});

describe('String operators', () => {
  it('StringEquals is exact and case-sensitive', () => {
    expect(check('StringEquals', 'aws:SourceVpce', 'vpce-1a2b', 'vpce-1a2b')).toBe(true);
    expect(check('StringEquals', 'aws:SourceVpce', 'vpce-1a2b', 'VPCE-1A2B')).toBe(false);
  });
  it('StringEquals takes wildcards literally', () => {
    expect(check('StringEquals', 'k', 'a*', 'abc')).toBe(false);
  });
  it('StringNotEquals holds when the value differs and fails when it equals', () => {
    expect(check('StringNotEquals', 'k', 'a', 'b')).toBe(true);
    expect(check('StringNotEquals', 'k', 'a', 'a')).toBe(false);
  });
  it('StringEqualsIgnoreCase / StringNotEqualsIgnoreCase ignore case', () => {
    expect(check('StringEqualsIgnoreCase', 'k', 'Prod', 'PROD')).toBe(true);
    expect(check('StringEqualsIgnoreCase', 'k', 'Prod', 'dev')).toBe(false);
    expect(check('StringNotEqualsIgnoreCase', 'k', 'Prod', 'PROD')).toBe(false);
    expect(check('StringNotEqualsIgnoreCase', 'k', 'Prod', 'dev')).toBe(true);
  });
  it('StringLike / StringNotLike use wildcards, case-sensitively', () => {
    expect(check('StringLike', 'k', 'home/*', 'home/alice')).toBe(true);
    expect(check('StringLike', 'k', 'home/*', 'Home/alice')).toBe(false);
    expect(check('StringNotLike', 'k', 'home/*', 'home/alice')).toBe(false);
    expect(check('StringNotLike', 'k', 'home/*', 'tmp/alice')).toBe(true);
  });
  it('substitutes policy variables in values', () => {
    const context = completeContext({ 's3:prefix': 'home/alice/', 'aws:username': 'alice' });
    expect(evaluateCondition({ StringLike: { 's3:prefix': ['home/${aws:username}/*'] } }, context).result).toBe(true);
    const other = completeContext({ 's3:prefix': 'home/bob/', 'aws:username': 'alice' });
    expect(evaluateCondition({ StringLike: { 's3:prefix': ['home/${aws:username}/*'] } }, other).result).toBe(false);
  });
});

describe('several values OR, negated operators NOR', () => {
  it('a positive operator holds if any value matches', () => {
    expect(check('StringEquals', 'k', ['a', 'b'], 'b')).toBe(true);
    expect(check('StringEquals', 'k', ['a', 'b'], 'c')).toBe(false);
  });
  it('a negated operator holds only if no value matches', () => {
    expect(check('StringNotEquals', 'k', ['a', 'b'], 'c')).toBe(true);
    expect(check('StringNotEquals', 'k', ['a', 'b'], 'b')).toBe(false);
  });
});

describe('several keys and operators AND', () => {
  const condition = { StringEquals: { 'aws:PrincipalOrgID': ['o-1'], 'aws:SourceVpc': ['vpc-1'] }, Bool: { 'aws:SecureTransport': ['true'] } };
  it('holds when every key holds', () => {
    expect(evaluateCondition(condition, completeContext({ 'aws:PrincipalOrgID': 'o-1', 'aws:SourceVpc': 'vpc-1', 'aws:SecureTransport': true })).result).toBe(true);
  });
  it('fails when one key fails', () => {
    expect(evaluateCondition(condition, completeContext({ 'aws:PrincipalOrgID': 'o-1', 'aws:SourceVpc': 'vpc-2', 'aws:SecureTransport': true })).result).toBe(false);
    expect(evaluateCondition(condition, completeContext({ 'aws:PrincipalOrgID': 'o-1', 'aws:SourceVpc': 'vpc-1', 'aws:SecureTransport': false })).result).toBe(false);
  });
  it('an empty condition block holds', () => {
    expect(evaluateCondition({}, completeContext()).result).toBe(true);
  });
});

describe('Numeric operators', () => {
  it('compare as numbers', () => {
    expect(check('NumericEquals', 'k', '10', '10.0')).toBe(true);
    expect(check('NumericEquals', 'k', '10', '11')).toBe(false);
    expect(check('NumericNotEquals', 'k', '10', '11')).toBe(true);
    expect(check('NumericNotEquals', 'k', '10', '10')).toBe(false);
    expect(check('NumericLessThan', 'k', '10', '9')).toBe(true);
    expect(check('NumericLessThan', 'k', '10', '10')).toBe(false);
    expect(check('NumericLessThanEquals', 'k', '10', '10')).toBe(true);
    expect(check('NumericLessThanEquals', 'k', '10', '11')).toBe(false);
    expect(check('NumericGreaterThan', 'k', '10', '11')).toBe(true);
    expect(check('NumericGreaterThan', 'k', '10', '10')).toBe(false);
    expect(check('NumericGreaterThanEquals', 'k', '10', '10')).toBe(true);
    expect(check('NumericGreaterThanEquals', 'k', '10', '9')).toBe(false);
  });
  it('a value that is not a number matches nothing', () => {
    expect(check('NumericLessThan', 'k', '10', 'ten')).toBe(false);
    expect(check('NumericGreaterThanEquals', 'k', '10', '')).toBe(false);
  });
});

describe('Date operators', () => {
  it('compare ISO 8601 timestamps and epoch seconds', () => {
    expect(check('DateLessThan', 'aws:CurrentTime', '2025-01-01T00:00:00Z', '2024-12-31T23:59:59Z')).toBe(true);
    expect(check('DateLessThan', 'aws:CurrentTime', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')).toBe(false);
    expect(check('DateLessThanEquals', 'aws:CurrentTime', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')).toBe(true);
    expect(check('DateGreaterThan', 'aws:CurrentTime', '2025-01-01', '2025-01-01T00:00:01Z')).toBe(true);
    expect(check('DateGreaterThanEquals', 'aws:CurrentTime', '2025-01-01', '2024-12-31')).toBe(false);
    expect(check('DateEquals', 'aws:EpochTime', '1735689600', '2025-01-01T00:00:00Z')).toBe(true);
    expect(check('DateNotEquals', 'aws:EpochTime', '1735689600', '2025-01-01T00:00:00Z')).toBe(false);
    expect(check('DateNotEquals', 'aws:EpochTime', '1735689600', '2025-01-01T00:00:01Z')).toBe(true);
  });
  it('an unparseable date matches nothing', () => {
    expect(check('DateLessThan', 'aws:CurrentTime', '2025-01-01', 'yesterday')).toBe(false);
  });
});

describe('Bool', () => {
  it('compares true/false case-insensitively', () => {
    expect(check('Bool', 'aws:SecureTransport', 'false', 'FALSE')).toBe(true);
    expect(check('Bool', 'aws:SecureTransport', 'false', 'true')).toBe(false);
  });
  it('a non-boolean request value matches neither', () => {
    expect(check('Bool', 'aws:SecureTransport', 'true', 'yes')).toBe(false);
  });
});

describe('BinaryEquals', () => {
  it('compares base64 values', () => {
    expect(check('BinaryEquals', 'k', 'QmluYXJ5VmFsdWU=', 'QmluYXJ5VmFsdWU=')).toBe(true);
    expect(check('BinaryEquals', 'k', 'QmluYXJ5VmFsdWU=', 'T3RoZXI=')).toBe(false);
    expect(check('BinaryEquals', 'k', 'QmluYXJ5VmFsdWU=', 'not base64!')).toBe(false);
  });
});

describe('IpAddress / NotIpAddress', () => {
  it('match IPv4 CIDR blocks', () => {
    expect(check('IpAddress', 'aws:SourceIp', '10.0.0.0/8', '10.20.30.40')).toBe(true);
    expect(check('IpAddress', 'aws:SourceIp', '10.0.0.0/8', '192.168.0.1')).toBe(false);
    expect(check('NotIpAddress', 'aws:SourceIp', '10.0.0.0/8', '192.168.0.1')).toBe(true);
    expect(check('NotIpAddress', 'aws:SourceIp', '10.0.0.0/8', '10.0.0.1')).toBe(false);
  });
  it('match IPv6 CIDR blocks', () => {
    expect(check('IpAddress', 'aws:SourceIp', '2001:db8::/32', '2001:db8:ffff::1')).toBe(true);
    expect(check('IpAddress', 'aws:SourceIp', '2001:db8::/32', '2001:db9::1')).toBe(false);
  });
  it('match any of several blocks, mixing families', () => {
    expect(check('IpAddress', 'aws:SourceIp', ['192.0.2.0/24', '2001:db8::/32'], '2001:db8::5')).toBe(true);
    expect(check('NotIpAddress', 'aws:SourceIp', ['192.0.2.0/24', '2001:db8::/32'], '2001:db8::5')).toBe(false);
  });
  it('an unparseable request address matches no block', () => {
    expect(check('IpAddress', 'aws:SourceIp', '0.0.0.0/0', 'localhost')).toBe(false);
  });
});

describe('Arn operators', () => {
  const role = 'arn:aws:iam::111122223333:role/deployer';
  it('ArnEquals and ArnLike match per ARN part with wildcards', () => {
    expect(check('ArnEquals', 'aws:PrincipalArn', role, role)).toBe(true);
    expect(check('ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::111122223333:role/*', role)).toBe(true);
    expect(check('ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::444455556666:role/*', role)).toBe(false);
  });
  it('ArnNotEquals and ArnNotLike negate', () => {
    expect(check('ArnNotEquals', 'aws:PrincipalArn', role, role)).toBe(false);
    expect(check('ArnNotLike', 'aws:PrincipalArn', 'arn:aws:iam::444455556666:*', role)).toBe(true);
  });
});

describe('absent keys', () => {
  it('fail a positive operator', () => {
    expect(check('StringEquals', 'aws:SourceVpce', 'vpce-1')).toBe(false);
    expect(check('IpAddress', 'aws:SourceIp', '0.0.0.0/0')).toBe(false);
  });
  it('satisfy a negated operator', () => {
    expect(check('StringNotEquals', 'aws:SourceVpce', 'vpce-1')).toBe(true);
    expect(check('NotIpAddress', 'aws:SourceIp', '10.0.0.0/8')).toBe(true);
  });
  it('satisfy any ...IfExists operator; a present key is still tested', () => {
    expect(check('StringEqualsIfExists', 'aws:SourceVpce', 'vpce-1')).toBe(true);
    expect(check('StringEqualsIfExists', 'aws:SourceVpce', 'vpce-1', 'vpce-2')).toBe(false);
    expect(check('StringEqualsIfExists', 'aws:SourceVpce', 'vpce-1', 'vpce-1')).toBe(true);
    expect(check('NumericLessThanIfExists', 's3:max-keys', '10')).toBe(true);
    expect(check('NumericLessThanIfExists', 's3:max-keys', '10', '50')).toBe(false);
  });
  it('are what Null "true" tests for', () => {
    expect(check('Null', 'aws:TokenIssueTime', 'true')).toBe(true);
    expect(check('Null', 'aws:TokenIssueTime', 'true', '2025-01-01T00:00:00Z')).toBe(false);
    expect(check('Null', 'aws:TokenIssueTime', 'false', '2025-01-01T00:00:00Z')).toBe(true);
    expect(check('Null', 'aws:TokenIssueTime', 'false')).toBe(false);
  });
});

describe('set qualifiers on multivalued keys', () => {
  const tags = (values: string[]): ConditionContext => completeContext({ 'aws:TagKeys': values });
  const run = (operator: string, policyValues: string[], context: ConditionContext): Truth =>
    evaluateCondition({ [operator]: { 'aws:TagKeys': policyValues } }, context).result;

  it('ForAllValues holds when every request value is allowed', () => {
    expect(run('ForAllValues:StringEquals', ['env', 'team'], tags(['env']))).toBe(true);
    expect(run('ForAllValues:StringEquals', ['env', 'team'], tags(['env', 'cost']))).toBe(false);
  });
  it('ForAllValues holds for an empty set and for an absent key', () => {
    expect(run('ForAllValues:StringEquals', ['env'], tags([]))).toBe(true);
    expect(run('ForAllValues:StringEquals', ['env'], completeContext())).toBe(true);
  });
  it('ForAnyValue holds when one request value matches', () => {
    expect(run('ForAnyValue:StringEquals', ['env'], tags(['cost', 'env']))).toBe(true);
    expect(run('ForAnyValue:StringEquals', ['env'], tags(['cost']))).toBe(false);
  });
  it('ForAnyValue fails for an empty set and an absent key, unless IfExists', () => {
    expect(run('ForAnyValue:StringEquals', ['env'], tags([]))).toBe(false);
    expect(run('ForAnyValue:StringEquals', ['env'], completeContext())).toBe(false);
    expect(run('ForAnyValue:StringEqualsIfExists', ['env'], completeContext())).toBe(true);
  });
  it('ForAnyValue with a negated operator needs one value outside the list', () => {
    expect(run('ForAnyValue:StringNotEquals', ['env'], tags(['env', 'cost']))).toBe(true);
    expect(run('ForAnyValue:StringNotEquals', ['env'], tags(['env']))).toBe(false);
  });
  it('ForAllValues with a negated operator needs every value outside the list', () => {
    expect(run('ForAllValues:StringNotLike', ['secret*'], tags(['env', 'team']))).toBe(true);
    expect(run('ForAllValues:StringNotLike', ['secret*'], tags(['env', 'secret-x']))).toBe(false);
  });
  it('without a qualifier a positive operator matches if any request value matches, a negated one if none does', () => {
    expect(run('StringEquals', ['env'], tags(['cost', 'env']))).toBe(true);
    expect(run('StringNotEquals', ['env'], tags(['cost', 'env']))).toBe(false);
    expect(run('StringNotEquals', ['env'], tags(['cost']))).toBe(true);
  });
});

describe('unknown values in a partial context', () => {
  it('a key the context does not know makes the result unknown and is reported', () => {
    const evaluation = evaluateCondition({ StringEquals: { 'aws:SourceVpce': ['vpce-1'] } }, {});
    expect(evaluation.result).toBe('unknown');
    expect(evaluation.unknownKeys).toEqual(['aws:SourceVpce']);
  });
  it('unknown is not enough to hold, but a false key still decides the block', () => {
    const condition = { StringEquals: { 'aws:SourceVpce': ['vpce-1'], 'aws:PrincipalOrgID': ['o-1'] } };
    expect(evaluateCondition(condition, { values: { 'aws:PrincipalOrgID': 'o-2' } }).result).toBe(false);
    expect(evaluateCondition(condition, { values: { 'aws:PrincipalOrgID': 'o-1' } }).result).toBe('unknown');
  });
  it('a key listed as absent in a partial context is absent, not unknown', () => {
    expect(evaluateCondition({ StringEqualsIfExists: { 'aws:SourceVpce': ['vpce-1'] } }, { absentKeys: ['aws:sourcevpce'] }).result).toBe(true);
  });
  it('Null on an unknown key is unknown', () => {
    expect(evaluateCondition({ Null: { 'aws:SourceVpce': ['true'] } }, {}).result).toBe('unknown');
  });
  it('context key names are case-insensitive', () => {
    expect(evaluateCondition({ StringEquals: { 'aws:sourcevpce': ['vpce-1'] } }, completeContext({ 'AWS:SourceVpce': 'vpce-1' })).result).toBe(true);
  });
  it('an unknown variable in a value makes a possible match unknown', () => {
    expect(evaluateCondition({ StringLike: { 's3:prefix': ['home/${aws:username}/*'] } }, { values: { 's3:prefix': 'home/x/y' } }).result).toBe('unknown');
    expect(evaluateCondition({ StringLike: { 's3:prefix': ['home/${aws:username}/*'] } }, { values: { 's3:prefix': 'tmp/x/y' } }).result).toBe(false);
  });
  it('an operator AWS does not have is unknown and reported', () => {
    const evaluation = evaluateCondition({ StringSortOf: { k: ['v'] } }, completeContext({ k: 'v' }));
    expect(evaluation.result).toBe('unknown');
    expect(evaluation.unsupportedOperators).toEqual(['StringSortOf']);
  });
});
