/**
 * CIS 1.2 (security contact), 1.20 (Access Analyzer in every region), 4.16 (Security Hub) and
 * guardduty_enabled: a compliant region beside a near miss, and `error` when the read is denied.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from '../../test-support/sandbox.js';
import { auditSandbox } from '../../test-support/audit.js';

const ACCOUNT = '111122223333';
const CHECKS = ['account_security_contact', 'accessanalyzer_enabled', 'securityhub_enabled', 'guardduty_enabled'];
const CREATED = '2025-01-01T00:00:00Z';
const contact = { Name: 'Security team', Title: 'Security', EmailAddress: 'security@example.com', PhoneNumber: '+1-555-0100' };

const account = (withContact: boolean) => ({
  AccountId: ACCOUNT,
  // A billing contact only: not a security contact.
  Account: { AlternateContacts: withContact ? { SECURITY: contact } : { BILLING: contact } },
  Regions: {
    'us-east-1': {
      AccessAnalyzer: { Analyzers: [{ name: 'account', type: 'ACCOUNT', status: 'ACTIVE', createdAt: CREATED }] },
      SecurityHub: { Hub: { SubscribedAt: CREATED } },
      GuardDuty: { Detectors: [{ DetectorId: 'aaa111', Status: 'ENABLED', CreatedAt: CREATED }] },
    },
    'eu-west-1': {
      // Near misses: an analyzer, but of unused access only; a detector, but suspended.
      AccessAnalyzer: { Analyzers: [{ name: 'unused', type: 'ACCOUNT_UNUSED_ACCESS', status: 'ACTIVE', createdAt: CREATED }] },
      GuardDuty: { Detectors: [{ DetectorId: 'bbb222', Status: 'DISABLED', CreatedAt: CREATED }] },
    },
    'ap-southeast-2': {
      // An external-access analyzer still being created is not active yet; no detector at all.
      AccessAnalyzer: { Analyzers: [{ name: 'account', type: 'ACCOUNT', status: 'CREATING', createdAt: CREATED }] },
    },
  },
});
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const statusByRegion = (audit: Awaited<ReturnType<typeof auditSandbox>>, checkId: string) =>
  Object.fromEntries(audit.findings.filter((f) => f.checkId === checkId).map((f) => [f.region, f.status]));

describe('security contact, Access Analyzer, Security Hub and GuardDuty', () => {
  const registered = useSandbox(account(true));
  const unregistered = useSandbox(account(false));
  let audit: Awaited<ReturnType<typeof auditSandbox>>;
  beforeAll(async () => {
    audit = await auditSandbox(registered.endpoint, { regions: REGIONS, checks: [CHECKS.join(',')] });
  });

  it('reads every region once, with no error', () => {
    expect(audit.errors).toEqual([]);
    expect(audit.stats.byOperation['accessanalyzer:ListAnalyzers']).toBe(3);
    expect(audit.stats.byOperation['securityhub:DescribeHub']).toBe(3);
    expect(audit.stats.byOperation['guardduty:GetDetector']).toBe(2);
    expect(audit.stats.byOperation['account:GetAlternateContact']).toBe(1);
  });

  it('1.2: passes a registered security contact without copying it; fails when only a billing contact is set', async () => {
    const pass = audit.verdict('account_security_contact', ACCOUNT);
    expect(pass.status).toBe('pass');
    expect(JSON.stringify(pass)).not.toContain('security@example.com');
    const other = await auditSandbox(unregistered.endpoint, { regions: ['us-east-1'], checks: ['account_security_contact'] });
    expect(other.verdict('account_security_contact', ACCOUNT).status).toBe('fail');
  });

  it('1.20: an active account analyzer passes; only an unused-access analyzer, or one still creating, fails', () => {
    expect(statusByRegion(audit, 'accessanalyzer_enabled')).toEqual({ 'us-east-1': 'pass', 'eu-west-1': 'fail', 'ap-southeast-2': 'fail' });
  });

  it('4.16: a subscribed region passes; InvalidAccessException "not subscribed" is a fail, not an error', () => {
    expect(statusByRegion(audit, 'securityhub_enabled')).toEqual({ 'us-east-1': 'pass', 'eu-west-1': 'fail', 'ap-southeast-2': 'fail' });
    expect(audit.findings.find((f) => f.checkId === 'securityhub_enabled' && f.region === 'eu-west-1')?.message).toBe('eu-west-1 is not subscribed to Security Hub.');
  });

  it('guardduty_enabled: ENABLED passes; a suspended detector and no detector fail', () => {
    expect(statusByRegion(audit, 'guardduty_enabled')).toEqual({ 'us-east-1': 'pass', 'eu-west-1': 'fail', 'ap-southeast-2': 'fail' });
    const suspended = audit.findings.find((f) => f.checkId === 'guardduty_enabled' && f.region === 'eu-west-1')!;
    expect([suspended.resourceId, suspended.message]).toEqual([`arn:aws:guardduty:eu-west-1:${ACCOUNT}:detector/bbb222`, 'eu-west-1 has GuardDuty detector bbb222 disabled.']);
  });
});

describe('security services when their reads are denied', () => {
  const env = useSandbox(account(true), { deny: ['GetAlternateContact:*', 'ListAnalyzers:*', 'DescribeHub:*', 'GetDetector:*'] });

  it('says error, never pass or fail', async () => {
    const audit = await auditSandbox(env.endpoint, { regions: ['us-east-1', 'eu-west-1'], checks: [CHECKS.join(',')] });
    expect(audit.verdict('account_security_contact', ACCOUNT).status).toBe('error');
    for (const id of ['accessanalyzer_enabled', 'securityhub_enabled', 'guardduty_enabled']) expect(statusByRegion(audit, id), id).toEqual({ 'us-east-1': 'error', 'eu-west-1': 'error' });
  });
});
