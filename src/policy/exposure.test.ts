import { describe, expect, it } from 'vitest';
import { describeExposure, judgePolicyExposure, judgeSharingExposure, type ExposureScope, type PolicyExposure } from './exposure.js';

const OWN = '111122223333';
const OTHER = '444455556666';
const THIRD = '777788889999';
const QUEUE = `arn:aws:sqs:us-east-1:${OWN}:orders`;
const SCOPE: ExposureScope = { accountId: OWN };

function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

function allow(extra: object = {}): object {
  return { Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: QUEUE, ...extra };
}

function judge(text: string | null, scope: ExposureScope = SCOPE): PolicyExposure {
  const result = judgePolicyExposure(text, scope);
  if (!result.ok) throw new Error(`policy did not parse: ${result.message}`);
  return result;
}

const withCondition = (operator: string, key: string, value: string | string[], scope?: ExposureScope) =>
  judge(policy(allow({ Condition: { [operator]: { [key]: value } } })), scope);

describe('who a statement opens the resource to', () => {
  it('Principal "*", {"AWS": "*"} and NotPrincipal are public', () => {
    expect(judge(policy(allow())).exposure).toBe('public');
    expect(judge(policy(allow({ Principal: { AWS: '*' } }))).exposure).toBe('public');
    expect(judge(policy({ Effect: 'Allow', NotPrincipal: { AWS: `arn:aws:iam::${OWN}:root` }, Action: 'sqs:*', Resource: QUEUE })).exposure).toBe('public');
  });
  it('another account (id, root or role) is cross-account; the audited account is not exposure', () => {
    const other = judge(policy(allow({ Principal: { AWS: [`arn:aws:iam::${OTHER}:root`, `arn:aws:iam::${THIRD}:role/reader`, OWN] } })));
    expect(other).toMatchObject({ exposure: 'cross-account', externalAccounts: [OTHER, THIRD] });
    expect(other.statements[0]?.principals).toEqual([`arn:aws:iam::${OTHER}:root`, `arn:aws:iam::${THIRD}:role/reader`]);
    expect(judge(policy(allow({ Principal: { AWS: `arn:aws:iam::${OWN}:role/app` } }))).exposure).toBe('none');
    expect(judge(policy(allow({ Principal: { AWS: OTHER } }))).externalAccounts).toEqual([OTHER]);
  });
  it('a service principal acts for the owner and is not exposure', () => {
    expect(judge(policy(allow({ Principal: { Service: 'events.amazonaws.com' } }))).exposure).toBe('none');
  });
  it('a Deny with everyone, or no policy at all, exposes nothing', () => {
    expect(judge(policy({ Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: QUEUE })).exposure).toBe('none');
    expect(judge(null).exposure).toBe('none');
  });
  it('public beats cross-account across statements, and each is evidence', () => {
    const mixed = judge(policy(allow({ Sid: 'Partner', Principal: { AWS: OTHER } }), allow({ Sid: 'World' })));
    expect(mixed.exposure).toBe('public');
    expect(mixed.statements.map((s) => [s.sid, s.exposure])).toEqual([
      ['Partner', 'cross-account'],
      ['World', 'public'],
    ]);
    expect(mixed.externalAccounts).toEqual([OTHER]);
  });
  it('malformed policy text is a parse failure, not "not exposed"', () => {
    const result = judgePolicyExposure('{"Statement": [{"Effect": "Maybe"}]}', SCOPE);
    expect(result.ok).toBe(false);
  });
});

describe('conditions that narrow, each with its near miss', () => {
  it('aws:SourceAccount pinned to the audited account closes it; to another account is cross-account; a wildcard is public', () => {
    expect(withCondition('StringEquals', 'aws:SourceAccount', OWN).exposure).toBe('none');
    expect(withCondition('StringEquals', 'aws:SourceAccount', OTHER)).toMatchObject({ exposure: 'cross-account', externalAccounts: [OTHER] });
    expect(withCondition('StringLike', 'aws:SourceAccount', '*').exposure).toBe('public');
  });
  it('aws:PrincipalAccount pinned closes it; IfExists does not', () => {
    expect(withCondition('StringEquals', 'aws:PrincipalAccount', OWN).exposure).toBe('none');
    expect(withCondition('StringEqualsIfExists', 'aws:PrincipalAccount', OWN).exposure).toBe('public');
  });
  it('the SNS default policy (AWS:SourceOwner = owner) is not exposed; a negated owner is public', () => {
    expect(withCondition('StringEquals', 'AWS:SourceOwner', OWN).exposure).toBe('none');
    expect(withCondition('StringNotEquals', 'AWS:SourceOwner', OWN).exposure).toBe('public');
  });
  it('kms:CallerAccount pins the calling account like aws:PrincipalAccount', () => {
    expect(withCondition('StringEquals', 'kms:CallerAccount', OWN).exposure).toBe('none');
    expect(withCondition('StringEquals', 'kms:CallerAccount', OTHER).externalAccounts).toEqual([OTHER]);
  });
  it('aws:PrincipalOrgID pins the organisation; a wildcard org is public; another org is outside when the audited one is known', () => {
    expect(withCondition('StringEquals', 'aws:PrincipalOrgID', 'o-mine12345').exposure).toBe('none');
    expect(withCondition('StringLike', 'aws:PrincipalOrgID', 'o-*').exposure).toBe('public');
    const scoped = { accountId: OWN, organizationId: 'o-mine12345' };
    expect(withCondition('StringEquals', 'aws:PrincipalOrgID', 'o-mine12345', scoped).exposure).toBe('none');
    expect(withCondition('StringEquals', 'aws:PrincipalOrgID', 'o-other6789', scoped)).toMatchObject({ exposure: 'cross-account', externalOrganizations: ['o-other6789'] });
  });
  it('aws:PrincipalOrgPaths pins by its organisation; a path without one is public', () => {
    expect(withCondition('ForAnyValue:StringLike', 'aws:PrincipalOrgPaths', 'o-mine12345/r-ab12/ou-ab12-1111/*').exposure).toBe('none');
    expect(withCondition('ForAnyValue:StringLike', 'aws:PrincipalOrgPaths', '*/r-ab12/*').exposure).toBe('public');
  });
  it('aws:SourceArn of the audited account closes it; of another account is cross-account; a wildcard ARN is public', () => {
    expect(withCondition('ArnEquals', 'aws:SourceArn', `arn:aws:sns:us-east-1:${OWN}:alerts`).exposure).toBe('none');
    expect(withCondition('ArnLike', 'aws:SourceArn', `arn:aws:sns:us-east-1:${OTHER}:*`)).toMatchObject({ exposure: 'cross-account', externalAccounts: [OTHER] });
    expect(withCondition('ArnLike', 'aws:SourceArn', 'arn:aws:sns:*').exposure).toBe('public');
  });
  it('aws:SourceArn naming one bucket (no account in the ARN) pins one resource', () => {
    expect(withCondition('ArnEquals', 'aws:SourceArn', 'arn:aws:s3:::acme-uploads').exposure).toBe('none');
    expect(withCondition('ArnLike', 'aws:SourceArn', 'arn:aws:s3:::*').exposure).toBe('public');
  });
  it('aws:SourceVpce pinned closes it; a wildcard endpoint or a negation does not', () => {
    expect(withCondition('StringEquals', 'aws:SourceVpce', 'vpce-1a2b3c4d').exposure).toBe('none');
    expect(withCondition('StringLike', 'aws:SourceVpce', 'vpce-*').exposure).toBe('public');
    expect(withCondition('StringNotEquals', 'aws:SourceVpce', 'vpce-1a2b3c4d').exposure).toBe('public');
  });
  it('aws:SourceVpc pinned closes it; one wildcard among the values opens it', () => {
    expect(withCondition('StringEquals', 'aws:SourceVpc', 'vpc-0a1b2c3d').exposure).toBe('none');
    expect(withCondition('StringLike', 'aws:SourceVpc', ['vpc-0a1b2c3d', '*']).exposure).toBe('public');
  });
  it('aws:SourceIp with private ranges closes it; a public range is public', () => {
    expect(withCondition('IpAddress', 'aws:SourceIp', ['10.0.0.0/8', '172.16.0.0/12']).exposure).toBe('none');
    expect(withCondition('IpAddress', 'aws:SourceIp', '203.0.113.0/24').exposure).toBe('public');
  });
  it('a condition that does not identify the caller leaves it public, with the reason as evidence', () => {
    const open = withCondition('Bool', 'aws:SecureTransport', 'true');
    expect(open.exposure).toBe('public');
    expect(open.statements[0]?.conditions[0]).toMatchObject({ key: 'aws:SecureTransport', narrows: false });
  });
  it('an inside pin closes even a cross-account principal (conditions AND)', () => {
    const closed = judge(policy(allow({ Principal: { AWS: OTHER }, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-mine12345' } } })));
    expect(closed.exposure).toBe('none');
    expect(closed.narrowed[0]?.narrowedBy[0]).toMatchObject({ key: 'aws:PrincipalOrgID', narrows: true });
  });
  it('pins to two different outside accounts AND to nobody', () => {
    const nobody = judge(policy(allow({ Condition: { StringEquals: { 'aws:SourceAccount': OTHER, 'aws:PrincipalAccount': THIRD } } })));
    expect(nobody.exposure).toBe('none');
  });
});

describe('Denies that remove outside access', () => {
  it('an unconditional Deny for everyone covering the actions removes the grant; one covering other actions does not', () => {
    const removed = judge(policy(allow(), { Sid: 'NoSend', Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: QUEUE }));
    expect(removed.exposure).toBe('none');
    expect(removed.removed[0]).toMatchObject({ sid: 'Open', deniedBy: { sid: 'NoSend' } });
    expect(judge(policy(allow(), { Effect: 'Deny', Principal: '*', Action: 'sqs:DeleteQueue', Resource: QUEUE })).exposure).toBe('public');
  });
  it('"Deny unless the caller is in the audited organisation" removes it; "Deny unless TLS" does not', () => {
    const orgGuard = { Effect: 'Deny', Principal: '*', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-mine12345' } } };
    expect(judge(policy(allow(), orgGuard)).exposure).toBe('none');
    const tls = { Effect: 'Deny', Principal: '*', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
    expect(judge(policy(allow(), tls)).exposure).toBe('public');
  });
  it('"Deny unless from another account" does not count as closing it', () => {
    const odd = { Effect: 'Deny', Principal: '*', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalAccount': OTHER } } };
    expect(judge(policy(allow(), odd)).exposure).toBe('public');
  });
});

describe('sharing lists and messages', () => {
  it('group "all" is public, another account is cross-account, the audited account alone is nothing', () => {
    expect(judgeSharingExposure({ public: true, accounts: [] }, SCOPE).exposure).toBe('public');
    expect(judgeSharingExposure({ public: false, accounts: [OTHER, OWN] }, SCOPE)).toEqual({ exposure: 'cross-account', externalAccounts: [OTHER], externalOrganizations: [] });
    expect(judgeSharingExposure({ public: false, accounts: [OWN] }, SCOPE).exposure).toBe('none');
  });
  it('an organisation share is outside unless it is the audited organisation', () => {
    const org = 'arn:aws:organizations::999999999999:organization/o-mine12345';
    expect(judgeSharingExposure({ public: false, accounts: [], organizations: [org] }, SCOPE).exposure).toBe('cross-account');
    expect(judgeSharingExposure({ public: false, accounts: [], organizations: [org] }, { accountId: OWN, organizationId: 'o-mine12345' }).exposure).toBe('none');
  });
  it('describes public and cross-account exposure with the statements as evidence', () => {
    expect(describeExposure(judge(policy(allow())))).toBe('is public: anyone can use it (statement "Open": sqs:SendMessage)');
    expect(describeExposure(judgeSharingExposure({ public: false, accounts: [OTHER] }, SCOPE))).toBe(`is open to account ${OTHER} outside the audited account`);
  });
});
