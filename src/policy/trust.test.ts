import { describe, expect, it } from 'vitest';
import { analyzeTrustPolicy, type TrustFinding } from './trust.js';

const OWN = '111122223333';
const GITHUB = `arn:aws:iam::${OWN}:oidc-provider/token.actions.githubusercontent.com`;

function trust(statement: object): TrustFinding[] {
  const result = analyzeTrustPolicy({ Version: '2012-10-17', Statement: [statement] }, OWN);
  if (!Array.isArray(result)) throw new Error(result.message);
  return result;
}

const assume = (principal: unknown, extra: object = {}): object => ({ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...extra });

describe('analyzeTrustPolicy', () => {
  it('service principals are fine', () => {
    expect(trust(assume({ Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com'] }))).toEqual([]);
  });
  it('the own account and its roles are fine', () => {
    expect(trust(assume({ AWS: [`arn:aws:iam::${OWN}:root`, `arn:aws:iam::${OWN}:role/ci`] }))).toEqual([]);
  });
  it('Principal "*" or {"AWS": "*"} is open to anyone', () => {
    expect(trust(assume('*'))[0]).toMatchObject({ kind: 'anyPrincipal', principal: '*' });
    expect(trust(assume({ AWS: '*' }))[0]?.kind).toBe('anyPrincipal');
  });
  it('Principal "*" pinned to an organisation is fine', () => {
    expect(trust(assume('*', { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } }))).toEqual([]);
  });
  it('Principal "*" with only an external id is still open: anyone can send it', () => {
    const found = trust(assume('*', { Condition: { StringEquals: { 'sts:ExternalId': 'secret' } } }));
    expect(found[0]?.kind).toBe('anyPrincipal');
    expect(found[0]?.conditions[0]?.narrows).toBe(false);
  });
  it('NotPrincipal with Allow is open to anyone', () => {
    expect(trust({ Effect: 'Allow', NotPrincipal: { AWS: `arn:aws:iam::${OWN}:root` }, Action: 'sts:AssumeRole' })[0]?.kind).toBe('anyPrincipal');
  });
  it('a foreign account root without a condition is flagged', () => {
    const found = trust(assume({ AWS: 'arn:aws:iam::444455556666:root' }));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'foreignAccountWithoutCondition', principal: 'arn:aws:iam::444455556666:root' });
  });
  it('a foreign bare account id is flagged too', () => {
    expect(trust(assume({ AWS: '444455556666' }))[0]?.kind).toBe('foreignAccountWithoutCondition');
  });
  it('a foreign account with sts:ExternalId is fine', () => {
    expect(trust(assume({ AWS: '444455556666' }, { Condition: { StringEquals: { 'sts:ExternalId': 'a1b2c3' } } }))).toEqual([]);
  });
  it('a foreign account with a wildcard external id is flagged', () => {
    expect(trust(assume({ AWS: '444455556666' }, { Condition: { StringLike: { 'sts:ExternalId': '*' } } }))[0]?.kind).toBe('foreignAccountWithoutCondition');
  });
  it('a foreign account with MFA required is fine; MFA "false" is not a requirement', () => {
    expect(trust(assume({ AWS: '444455556666' }, { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }))).toEqual([]);
    expect(trust(assume({ AWS: '444455556666' }, { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } }))).toHaveLength(1);
  });
  it('a specific role of a foreign account is a deliberate trust, not flagged', () => {
    expect(trust(assume({ AWS: 'arn:aws:iam::444455556666:role/deployer' }))).toEqual([]);
  });
  it('statements that do not grant sts:AssumeRole* are ignored', () => {
    expect(trust({ Effect: 'Allow', Principal: '*', Action: 'sts:TagSession' })).toEqual([]);
    expect(trust({ Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole' })).toEqual([]);
  });

  describe('web identity federation', () => {
    const github = (condition?: object): object => ({
      Effect: 'Allow',
      Principal: { Federated: GITHUB },
      Action: 'sts:AssumeRoleWithWebIdentity',
      ...(condition ? { Condition: condition } : {}),
    });
    it('GitHub OIDC without any condition is flagged', () => {
      expect(trust(github())[0]).toMatchObject({ kind: 'federatedWithoutSubjectCondition', principal: GITHUB });
    });
    it('GitHub OIDC with only the audience is flagged: every repository has that audience', () => {
      const found = trust(github({ StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } }));
      expect(found[0]?.kind).toBe('federatedWithoutSubjectCondition');
      expect(found[0]?.reason).toContain('token.actions.githubusercontent.com:sub');
    });
    it('GitHub OIDC pinned to a repository or an organisation is fine', () => {
      expect(trust(github({ StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:acme/infra:ref:refs/heads/main' } }))).toEqual([]);
      expect(trust(github({ StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/*' } }))).toEqual([]);
    });
    it('GitHub OIDC with a subject that any owner matches is flagged', () => {
      expect(trust(github({ StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:*' } }))).toHaveLength(1);
      expect(trust(github({ StringLike: { 'token.actions.githubusercontent.com:sub': '*' } }))).toHaveLength(1);
      expect(trust(github({ StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme*/*' } }))).toHaveLength(1);
    });
    it('a subject condition that also holds when absent (IfExists) is flagged', () => {
      expect(trust(github({ StringEqualsIfExists: { 'token.actions.githubusercontent.com:sub': 'repo:acme/infra:ref:refs/heads/main' } }))).toHaveLength(1);
    });
    it('other OIDC providers need their sub or aud condition', () => {
      const eks = `arn:aws:iam::${OWN}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC123`;
      const statement = (condition?: object): object => ({ Effect: 'Allow', Principal: { Federated: eks }, Action: 'sts:AssumeRoleWithWebIdentity', ...(condition ? { Condition: condition } : {}) });
      expect(trust(statement())).toHaveLength(1);
      expect(trust(statement({ StringEquals: { 'oidc.eks.us-east-1.amazonaws.com/id/ABC123:sub': 'system:serviceaccount:app:web' } }))).toEqual([]);
    });
    it('Cognito identity pools are pinned by their audience', () => {
      const statement = (condition?: object): object => ({ Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity', ...(condition ? { Condition: condition } : {}) });
      expect(trust(statement({ StringEquals: { 'cognito-identity.amazonaws.com:aud': 'us-east-1:12345678-abcd' } }))).toEqual([]);
      expect(trust(statement())).toHaveLength(1);
    });
    it('SAML providers of the account are not flagged', () => {
      expect(trust({ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${OWN}:saml-provider/Okta` }, Action: 'sts:AssumeRoleWithSAML' })).toEqual([]);
    });
  });

  it('a malformed document is a parse failure', () => {
    const result = analyzeTrustPolicy('{"Statement":', OWN);
    expect(Array.isArray(result)).toBe(false);
  });
});
