/** Access Analyzer, Security Hub, GuardDuty and the Account API through their real SDK clients. */
import { describe, expect, it } from 'vitest';
import { AccessAnalyzerClient, ListAnalyzersCommand, CreateAnalyzerCommand } from '@aws-sdk/client-accessanalyzer';
import { AccountClient, GetAlternateContactCommand, PutAlternateContactCommand } from '@aws-sdk/client-account';
import { DescribeHubCommand, EnableSecurityHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { GetDetectorCommand, GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { fetchStats, opCount, rejection, useSandbox } from '../../test-support/sandbox.js';

const ACCOUNT = '111122223333';
const account = {
  AccountId: ACCOUNT,
  Account: { AlternateContacts: { SECURITY: { Name: 'Sec Team', Title: 'CISO', EmailAddress: 'security@example.com', PhoneNumber: '+1-555-0100' } } },
  Regions: {
    'us-east-1': {
      AccessAnalyzer: { Analyzers: [{ name: 'account', type: 'ACCOUNT', status: 'ACTIVE', createdAt: '2025-01-01T00:00:00Z' }, { name: 'unused', type: 'ACCOUNT_UNUSED_ACCESS', status: 'ACTIVE', createdAt: '2025-01-02T00:00:00Z' }] },
      SecurityHub: { Hub: { SubscribedAt: '2025-02-01T00:00:00Z' } },
      GuardDuty: { Detectors: [{ DetectorId: 'abc123', Status: 'ENABLED', CreatedAt: '2025-03-01T00:00:00Z' }] },
    },
    'eu-west-1': { GuardDuty: { Detectors: [{ DetectorId: 'def456', Status: 'DISABLED', CreatedAt: '2025-03-01T00:00:00Z' }] } },
  },
};

describe('sandbox security services', () => {
  const env = useSandbox(account, { deny: ['GetDetector:arn:aws:guardduty:eu-west-1:*'] });

  it('Access Analyzer: lists analyzers with ARN and status, by type and page; none where none was created', async () => {
    const aa = new AccessAnalyzerClient(env.config('accessanalyzer'));
    const all = await aa.send(new ListAnalyzersCommand({}));
    expect(all.analyzers?.map((a) => [a.name, a.type, a.status, a.arn])).toEqual([
      ['account', 'ACCOUNT', 'ACTIVE', `arn:aws:access-analyzer:us-east-1:${ACCOUNT}:analyzer/account`],
      ['unused', 'ACCOUNT_UNUSED_ACCESS', 'ACTIVE', `arn:aws:access-analyzer:us-east-1:${ACCOUNT}:analyzer/unused`],
    ]);
    expect(all.analyzers?.[0]?.createdAt).toEqual(new Date('2025-01-01T00:00:00Z'));
    expect((await aa.send(new ListAnalyzersCommand({ type: 'ACCOUNT' }))).analyzers?.map((a) => a.name)).toEqual(['account']);
    const first = await aa.send(new ListAnalyzersCommand({ maxResults: 1 }));
    expect(first.analyzers?.map((a) => a.name)).toEqual(['account']);
    expect((await aa.send(new ListAnalyzersCommand({ maxResults: 1, nextToken: first.nextToken }))).analyzers?.map((a) => a.name)).toEqual(['unused']);
    expect((await new AccessAnalyzerClient(env.config('accessanalyzer', { region: 'eu-west-1' })).send(new ListAnalyzersCommand({}))).analyzers).toEqual([]);
    expect((await rejection(aa.send(new CreateAnalyzerCommand({ analyzerName: 'x', type: 'ACCOUNT' })))).name).toBe('AccessDeniedException');
  });

  it('Security Hub: describes the hub; InvalidAccessException where the region is not subscribed', async () => {
    const hub = await new SecurityHubClient(env.config('securityhub')).send(new DescribeHubCommand({}));
    expect([hub.HubArn, hub.SubscribedAt]).toEqual([`arn:aws:securityhub:us-east-1:${ACCOUNT}:hub/default`, '2025-02-01T00:00:00Z']);
    const off = await rejection(new SecurityHubClient(env.config('securityhub', { region: 'eu-west-1' })).send(new DescribeHubCommand({})));
    expect([off.name, off.$metadata.httpStatusCode, off.message]).toEqual(['InvalidAccessException', 401, `Account ${ACCOUNT} is not subscribed to AWS Security Hub`]);
    expect((await rejection(new SecurityHubClient(env.config('securityhub')).send(new EnableSecurityHubCommand({})))).name).toBe('AccessDeniedException');
  });

  it('GuardDuty: lists detector ids and gets each one; BadRequestException for an id not owned; AccessDenied by detector ARN', async () => {
    const gd = new GuardDutyClient(env.config('guardduty'));
    expect((await gd.send(new ListDetectorsCommand({}))).DetectorIds).toEqual(['abc123']);
    const detector = await gd.send(new GetDetectorCommand({ DetectorId: 'abc123' }));
    expect([detector.Status, detector.CreatedAt, detector.FindingPublishingFrequency]).toEqual(['ENABLED', '2025-03-01T00:00:00Z', 'SIX_HOURS']);
    const missing = await rejection(gd.send(new GetDetectorCommand({ DetectorId: 'nope' })));
    expect([missing.name, missing.$metadata.httpStatusCode]).toEqual(['BadRequestException', 400]);
    const eu = new GuardDutyClient(env.config('guardduty', { region: 'eu-west-1' }));
    expect((await eu.send(new ListDetectorsCommand({}))).DetectorIds).toEqual(['def456']);
    expect((await rejection(eu.send(new GetDetectorCommand({ DetectorId: 'def456' })))).name).toBe('AccessDeniedException');
  });

  it('Account: the SECURITY contact; ResourceNotFoundException for a type never set; writes refused', async () => {
    const acct = new AccountClient(env.config('account'));
    const security = await acct.send(new GetAlternateContactCommand({ AlternateContactType: 'SECURITY' }));
    expect(security.AlternateContact).toEqual({ AlternateContactType: 'SECURITY', Name: 'Sec Team', Title: 'CISO', EmailAddress: 'security@example.com', PhoneNumber: '+1-555-0100' });
    const billing = await rejection(acct.send(new GetAlternateContactCommand({ AlternateContactType: 'BILLING' })));
    expect([billing.name, billing.$metadata.httpStatusCode, billing.message]).toEqual(['ResourceNotFoundException', 404, 'No contact of the inputted alternate contact type found.']);
    const put = await rejection(acct.send(new PutAlternateContactCommand({ AlternateContactType: 'SECURITY', Name: 'x', Title: 'x', EmailAddress: 'x@example.com', PhoneNumber: '1' })));
    expect(put.name).toBe('AccessDeniedException');
    const stats = await fetchStats(env.endpoint);
    expect(opCount(stats, 'account', 'GetAlternateContact')).toBe(2);
    expect(opCount(stats, 'guardduty', 'GetDetector')).toBe(3);
  });
});
