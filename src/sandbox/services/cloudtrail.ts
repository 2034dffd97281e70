/**
 * CloudTrail as the current SDK speaks it: awsJson1_1, X-Amz-Target
 * `CloudTrail_20131101.<Op>` (AWS also takes `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.<Op>`).
 * Serves DescribeTrails, GetTrailStatus and GetEventSelectors over `Regions.<r>.CloudTrail.Trails`.
 *
 * A trail lives in its home region; a multi-region trail is also listed in every other region
 * of the account (a "shadow trail"), where it can be named by ARN only, as in CloudTrail.
 */
import type { SandboxAccount, SandboxTrail } from '../account/model.js';
import { AwsError, type ServiceContext } from '../types.js';
import { jsonService, stringParam, type Json } from './json-service.js';

interface PlacedTrail {
  trail: SandboxTrail;
  home: string;
  arn: string;
}

export function trailArn(account: SandboxAccount, home: string, name: string): string {
  return `arn:aws:cloudtrail:${home}:${account.AccountId}:trail/${name}`;
}

/** The trails visible from `region`: its own, and the multi-region trails of the other regions. */
function visibleTrails(ctx: ServiceContext): PlacedTrail[] {
  const out: PlacedTrail[] = [];
  for (const [home, resources] of Object.entries(ctx.account.Regions)) {
    for (const trail of resources.CloudTrail?.Trails ?? []) {
      if (home === ctx.region || trail.IsMultiRegionTrail) out.push({ trail, home, arn: trailArn(ctx.account, home, trail.Name) });
    }
  }
  return out;
}

const notFound = (ctx: ServiceContext, name: string) =>
  new AwsError({
    code: 'TrailNotFoundException',
    message: `Unknown trail: ${name.startsWith('arn:') ? name : trailArn(ctx.account, ctx.region, name)} for the user: ${ctx.account.AccountId}`,
    status: 400,
  });

/** A trail named by name (its home region only) or by ARN (any region that lists it). */
function findTrail(ctx: ServiceContext, name: string | undefined, param: string): PlacedTrail {
  if (!name) throw new AwsError({ code: 'InvalidTrailNameException', message: `${param} is required.`, status: 400 });
  const visible = visibleTrails(ctx);
  const found = name.startsWith('arn:') ? visible.find((t) => t.arn === name) : visible.find((t) => t.home === ctx.region && t.trail.Name === name);
  if (!found) throw notFound(ctx, name);
  return found;
}

function describe(t: PlacedTrail): Json {
  const { trail } = t;
  return {
    Name: trail.Name,
    S3BucketName: trail.S3BucketName,
    S3KeyPrefix: trail.S3KeyPrefix,
    SnsTopicName: trail.SnsTopicARN?.split(':').pop(),
    SnsTopicARN: trail.SnsTopicARN,
    IncludeGlobalServiceEvents: trail.IncludeGlobalServiceEvents ?? true,
    IsMultiRegionTrail: trail.IsMultiRegionTrail,
    HomeRegion: t.home,
    TrailARN: t.arn,
    LogFileValidationEnabled: trail.LogFileValidationEnabled,
    CloudWatchLogsLogGroupArn: trail.CloudWatchLogsLogGroupArn,
    CloudWatchLogsRoleArn: trail.CloudWatchLogsRoleArn,
    KmsKeyId: trail.KmsKeyId,
    HasCustomEventSelectors: !!(trail.EventSelectors || trail.AdvancedEventSelectors),
    HasInsightSelectors: false,
    IsOrganizationTrail: trail.IsOrganizationTrail ?? false,
  };
}

const DEFAULT_SELECTORS = [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }];

export const cloudtrailModule = jsonService({
  name: 'cloudtrail',
  signingName: 'cloudtrail',
  targets: ['CloudTrail_20131101', 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101'],
  version: '1.1',
  clientPackage: '@aws-sdk/client-cloudtrail',
  title: 'CloudTrail',
  internalError: 'InternalFailure',
  throttling: { code: 'ThrottlingException', message: 'Rate exceeded', status: 400 },
  resources(operation, body, ctx) {
    const name = operation === 'GetEventSelectors' ? body.TrailName : operation === 'GetTrailStatus' ? body.Name : undefined;
    if (typeof name !== 'string' || !name) return [];
    return [name.startsWith('arn:') ? name : trailArn(ctx.account, ctx.region, name)];
  },
  operations: {
    DescribeTrails(body, { ctx }) {
      const names = body.trailNameList;
      if (names !== undefined && (!Array.isArray(names) || !names.every((n) => typeof n === 'string')))
        throw new AwsError({ code: 'InvalidTrailNameException', message: 'trailNameList must be a list of trail names or ARNs.', status: 400 });
      const includeShadow = body.includeShadowTrails !== false;
      let trails = visibleTrails(ctx).filter((t) => includeShadow || t.home === ctx.region);
      // Names that match nothing are left out, as CloudTrail does; an empty list means all.
      if (Array.isArray(names) && names.length > 0) trails = trails.filter((t) => (names as string[]).some((n) => n === t.arn || (n === t.trail.Name && t.home === ctx.region)));
      return { trailList: trails.map(describe) };
    },
    GetTrailStatus(body, { ctx }) {
      const { trail } = findTrail(ctx, stringParam(body, 'Name'), 'Name');
      const delivered = trail.LatestDeliveryTime ? Date.parse(trail.LatestDeliveryTime) / 1000 : undefined;
      return { IsLogging: trail.IsLogging, LatestDeliveryTime: delivered };
    },
    GetEventSelectors(body, { ctx }) {
      const t = findTrail(ctx, stringParam(body, 'TrailName'), 'TrailName');
      if (t.trail.AdvancedEventSelectors) return { TrailARN: t.arn, AdvancedEventSelectors: t.trail.AdvancedEventSelectors };
      return { TrailARN: t.arn, EventSelectors: t.trail.EventSelectors ?? DEFAULT_SELECTORS };
    },
  },
});
