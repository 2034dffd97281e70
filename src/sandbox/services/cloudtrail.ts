/**
 * CloudTrail as the current SDK speaks it: awsJson1_1, X-Amz-Target
 * `CloudTrail_20131101.<Op>` (AWS also takes `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.<Op>`).
 * Serves DescribeTrails, GetTrailStatus, GetEventSelectors and ListTags (a trail's `Tags`, up to
 * 20 trail ARNs a call) over `Regions.<r>.CloudTrail.Trails`.
 *
 * A trail lives in its home region; a multi-region trail is also listed in every other region
 * of the account (a "shadow trail"), where it can be named by ARN only, as in CloudTrail. Its
 * tags, though, are listed in its home region only: elsewhere ListTags answers
 * CloudTrailARNInvalidException (the region in the ARN is wrong), as CloudTrail does.
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
    if (operation === 'ListTags') return Array.isArray(body.ResourceIdList) ? body.ResourceIdList.filter((id): id is string => typeof id === 'string') : [];
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
    ListTags(body, { ctx }) {
      const ids = body.ResourceIdList;
      if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string'))
        throw new AwsError({ code: 'InvalidParameterException', message: 'ResourceIdList must be a non-empty list of trail ARNs.', status: 400 });
      if (ids.length > 20) throw new AwsError({ code: 'InvalidParameterException', message: 'ResourceIdList can contain at most 20 ARNs.', status: 400 });
      return { ResourceTagList: (ids as string[]).map((id) => ({ ResourceId: id, TagsList: ownTrail(ctx, id).trail.Tags ?? [] })) };
    },
  },
});

/** A trail of this region named by ARN, for tagging: another account's or region's ARN is CloudTrailARNInvalidException. */
function ownTrail(ctx: ServiceContext, arn: string): PlacedTrail {
  const m = /^arn:aws[a-z-]*:cloudtrail:([a-z0-9-]+):(\d{12}):trail\/(.+)$/.exec(arn);
  if (!m) throw new AwsError({ code: 'CloudTrailARNInvalidException', message: `Invalid ARN: ${arn}`, status: 400 });
  if (m[2] !== ctx.account.AccountId)
    throw new AwsError({ code: 'CloudTrailARNInvalidException', message: `AccountID in ARN is wrong, you can only access resources with AccountID ${ctx.account.AccountId}.`, status: 400 });
  if (m[1] !== ctx.region) throw new AwsError({ code: 'CloudTrailARNInvalidException', message: `Region in ARN is wrong, you can only access resources in region ${ctx.region}.`, status: 400 });
  const found = visibleTrails(ctx).find((t) => t.home === ctx.region && t.trail.Name === m[3]);
  if (!found) throw new AwsError({ code: 'ResourceNotFoundException', message: `Resource not found: ${arn}`, status: 400 });
  return found;
}
