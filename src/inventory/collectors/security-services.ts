/**
 * The account's security services: IAM Access Analyzer analyzers, the Security Hub hub and
 * GuardDuty detectors per region, and the Account API's SECURITY alternate contact. Each
 * service's "there is none" answer is a value (null), never an error: Security Hub's
 * InvalidAccessException "not subscribed", Account's ResourceNotFoundException.
 */
import { paginateListAnalyzers, type AnalyzerSummary } from '@aws-sdk/client-accessanalyzer';
import { GetAlternateContactCommand } from '@aws-sdk/client-account';
import { DescribeHubCommand } from '@aws-sdk/client-securityhub';
import { GetDetectorCommand, paginateListDetectors } from '@aws-sdk/client-guardduty';
import { collectPages } from '../../aws/paginate.js';
import { read, type CollectorContext, type CollectorReads } from '../context.js';
import type { AccessAnalyzerInventory, AccountInventory, GuardDutyInventory, SecurityHubInventory } from '../snapshot.js';

export const ACCESS_ANALYZER_READS = { 'accessanalyzer:ListAnalyzers': [] } satisfies CollectorReads;
export const SECURITY_HUB_READS = { 'securityhub:DescribeHub': [] } satisfies CollectorReads;
export const GUARDDUTY_READS = { 'guardduty:ListDetectors': [], 'guardduty:GetDetector': ['guardduty:ListDetectors'] } satisfies CollectorReads;
export const ACCOUNT_READS = { 'account:GetAlternateContact': [] } satisfies CollectorReads;

export async function collectAccessAnalyzer(ctx: CollectorContext, region: string): Promise<AccessAnalyzerInventory> {
  const client = ctx.session.client('accessanalyzer', region);
  const analyzers = await read(ctx, { service: 'accessanalyzer', region, operation: 'ListAnalyzers' }, () =>
    collectPages(paginateListAnalyzers({ client }, {}), (p) => p.analyzers as AnalyzerSummary[] | undefined),
  );
  ctx.progress?.({ service: 'accessanalyzer', region, done: true });
  return { analyzers };
}

/** Security Hub answers InvalidAccessException both for "not subscribed" and for other refusals: only the first means "off". */
const NOT_SUBSCRIBED = 'SecurityHubNotSubscribed';

export async function collectSecurityHub(ctx: CollectorContext, region: string): Promise<SecurityHubInventory> {
  const client = ctx.session.client('securityhub', region);
  const hub = await read(
    ctx,
    { service: 'securityhub', region, operation: 'DescribeHub' },
    async () => {
      try {
        const out = await client.send(new DescribeHubCommand({}));
        return { hubArn: out.HubArn ?? '', subscribedAt: out.SubscribedAt, autoEnableControls: out.AutoEnableControls, controlFindingGenerator: out.ControlFindingGenerator };
      } catch (err) {
        const e = err as { name?: string; message?: string };
        if (e.name === 'InvalidAccessException' && /not subscribed/i.test(e.message ?? '')) throw Object.assign(new Error(e.message), { name: NOT_SUBSCRIBED });
        throw err;
      }
    },
    [NOT_SUBSCRIBED],
  );
  ctx.progress?.({ service: 'securityhub', region, done: true });
  return { hub };
}

export async function collectGuardDuty(ctx: CollectorContext, region: string): Promise<GuardDutyInventory> {
  const client = ctx.session.client('guardduty', region);
  const listed = await read(ctx, { service: 'guardduty', region, operation: 'ListDetectors' }, () => collectPages(paginateListDetectors({ client }, {}), (p) => p.DetectorIds));
  const detectors: GuardDutyInventory['detectors'] = listed.error
    ? listed
    : {
        value: await Promise.all(
          listed.value.map(async (detectorId) => ({
            detectorId,
            detector: await read(ctx, { service: 'guardduty', region, operation: 'GetDetector', resource: detectorId }, async () => {
              const out = await client.send(new GetDetectorCommand({ DetectorId: detectorId }));
              return { status: out.Status ?? '', findingPublishingFrequency: out.FindingPublishingFrequency, createdAt: out.CreatedAt, tags: out.Tags ?? {} };
            }),
          })),
        ),
      };
  ctx.progress?.({ service: 'guardduty', region, done: true });
  return { detectors };
}

export async function collectAccount(ctx: CollectorContext): Promise<AccountInventory> {
  // The Account API is global, served from us-east-1 in the aws partition.
  const client = ctx.session.client('account', 'us-east-1');
  const securityContact = await read(
    ctx,
    { service: 'account', region: 'global', operation: 'GetAlternateContact', resource: 'SECURITY' },
    async () => {
      const c = (await client.send(new GetAlternateContactCommand({ AlternateContactType: 'SECURITY' }))).AlternateContact;
      return { name: c?.Name ?? '', title: c?.Title ?? '', emailAddress: c?.EmailAddress ?? '', phoneNumber: c?.PhoneNumber ?? '' };
    },
    ['ResourceNotFoundException'],
  );
  ctx.progress?.({ service: 'account', region: 'global', done: true });
  return { securityContact };
}
