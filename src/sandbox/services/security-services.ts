/**
 * The account's security services over restJson1, each as its SDK client speaks it:
 * IAM Access Analyzer ListAnalyzers, Security Hub DescribeHub, GuardDuty ListDetectors and
 * GetDetector (regional), and the Account API's GetAlternateContact (global), with each
 * service's own "there is none" answer: Security Hub's InvalidAccessException for a region not
 * subscribed, GuardDuty's BadRequestException for a detector id the account does not own,
 * Account's ResourceNotFoundException for a contact type never set.
 */
import { AwsError } from '../types.js';
import { regionResources } from './regional.js';
import { restJsonService, restPage } from './rest-json-service.js';

const ANALYZER_TYPES = ['ACCOUNT', 'ORGANIZATION', 'ACCOUNT_UNUSED_ACCESS', 'ORGANIZATION_UNUSED_ACCESS', 'ACCOUNT_INTERNAL_ACCESS', 'ORGANIZATION_INTERNAL_ACCESS'];

export const accessAnalyzerModule = restJsonService({
  name: 'accessanalyzer',
  signingName: 'access-analyzer',
  actionPrefix: 'access-analyzer',
  clientPackage: '@aws-sdk/client-accessanalyzer',
  serve: {
    ListAnalyzers({ req, ctx }) {
      const type = req.query.get('type');
      if (type !== null && !ANALYZER_TYPES.includes(type)) throw new AwsError({ code: 'ValidationException', message: `Invalid type: ${type}`, status: 400 });
      const analyzers = (regionResources(ctx)?.AccessAnalyzer?.Analyzers ?? []).filter((a) => type === null || a.type === type);
      const { page, nextToken } = restPage(req, 'ListAnalyzers', analyzers, 'maxResults', 100, 1000);
      return {
        analyzers: page.map((a) => ({
          arn: a.arn ?? `arn:aws:access-analyzer:${ctx.region}:${ctx.account.AccountId}:analyzer/${a.name}`,
          name: a.name,
          type: a.type,
          createdAt: a.createdAt,
          status: a.status,
          tags: a.tags ?? {},
        })),
        nextToken,
      };
    },
  },
});

export const securityHubModule = restJsonService({
  name: 'securityhub',
  signingName: 'securityhub',
  actionPrefix: 'securityhub',
  clientPackage: '@aws-sdk/client-securityhub',
  resources: ({ ctx }) => [`arn:aws:securityhub:${ctx.region}:${ctx.account.AccountId}:hub/default`],
  serve: {
    DescribeHub({ ctx }) {
      const hub = regionResources(ctx)?.SecurityHub?.Hub;
      if (!hub) throw new AwsError({ code: 'InvalidAccessException', message: `Account ${ctx.account.AccountId} is not subscribed to AWS Security Hub`, status: 401 });
      return {
        HubArn: hub.HubArn ?? `arn:aws:securityhub:${ctx.region}:${ctx.account.AccountId}:hub/default`,
        SubscribedAt: hub.SubscribedAt,
        AutoEnableControls: hub.AutoEnableControls ?? true,
        ControlFindingGenerator: hub.ControlFindingGenerator ?? 'SECURITY_CONTROL',
      };
    },
  },
});

export const guardDutyModule = restJsonService({
  name: 'guardduty',
  signingName: 'guardduty',
  actionPrefix: 'guardduty',
  clientPackage: '@aws-sdk/client-guardduty',
  resources: ({ labels, ctx }) => (labels.DetectorId ? [`arn:aws:guardduty:${ctx.region}:${ctx.account.AccountId}:detector/${labels.DetectorId}`] : []),
  serve: {
    ListDetectors({ req, ctx }) {
      const detectors = regionResources(ctx)?.GuardDuty?.Detectors ?? [];
      const { page, nextToken } = restPage(req, 'ListDetectors', detectors, 'maxResults', 50, 50);
      return { detectorIds: page.map((d) => d.DetectorId), nextToken };
    },
    GetDetector({ labels, ctx }) {
      const detector = (regionResources(ctx)?.GuardDuty?.Detectors ?? []).find((d) => d.DetectorId === labels.DetectorId);
      if (!detector) {
        throw new AwsError({ code: 'BadRequestException', message: 'The request is rejected because the input detectorId is not owned by the current account.', status: 400 });
      }
      return {
        createdAt: detector.CreatedAt,
        updatedAt: detector.UpdatedAt ?? detector.CreatedAt,
        findingPublishingFrequency: detector.FindingPublishingFrequency ?? 'SIX_HOURS',
        serviceRole: `arn:aws:iam::${ctx.account.AccountId}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
        status: detector.Status,
        tags: detector.Tags ?? {},
      };
    },
  },
});

const CONTACT_TYPES = ['BILLING', 'OPERATIONS', 'SECURITY'] as const;

export const accountModule = restJsonService({
  name: 'account',
  signingName: 'account',
  actionPrefix: 'account',
  clientPackage: '@aws-sdk/client-account',
  global: true,
  resources: ({ ctx }) => [`arn:aws:account::${ctx.account.AccountId}:account`],
  serve: {
    GetAlternateContact({ body, ctx }) {
      const type = body.AlternateContactType;
      if (typeof type !== 'string' || !(CONTACT_TYPES as readonly string[]).includes(type)) {
        throw new AwsError({ code: 'ValidationException', message: 'Invalid AlternateContactType: must be one of BILLING, OPERATIONS, SECURITY', status: 400 });
      }
      // Another account's contacts need AWS Organizations; this sandbox account is standalone.
      if (body.AccountId !== undefined && body.AccountId !== ctx.account.AccountId) {
        throw new AwsError({ code: 'AccessDeniedException', message: 'The management account can only be managed using the standalone context from the management account.', status: 403 });
      }
      const contact = ctx.account.Account?.AlternateContacts?.[type as (typeof CONTACT_TYPES)[number]];
      if (!contact) throw new AwsError({ code: 'ResourceNotFoundException', message: 'No contact of the inputted alternate contact type found.', status: 404 });
      return { AlternateContact: { AlternateContactType: type, ...contact } };
    },
  },
});
