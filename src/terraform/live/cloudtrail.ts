/**
 * CloudTrail trails. Compared: where the trail delivers and what it records as a person sets it
 * (bucket, prefix, multi-region, global events, log file validation, KMS key, CloudWatch Logs
 * group and role, organization trail), whether it is logging, and its tags (ListTags in the
 * trail's home region: DescribeTrails returns none). Not compared: event selectors (their
 * provider shape needs its own normalisation).
 */
import type { CloudTrailTrail } from '../../inventory/snapshot.js';
import { readValue, stringAttr, unreadParts } from './inventory.js';
import { indexedType } from './monitoring.js';
import type { LiveTypeSpec } from './types.js';

const orDefault = (name: string, fallback: unknown) => (a: Record<string, unknown>) => a[name] ?? fallback;
const blankAs = (name: string) => (a: Record<string, unknown>) => (typeof a[name] === 'string' ? a[name] : '');

export const trail: LiveTypeSpec = indexedType<CloudTrailTrail>({
  type: 'aws_cloudtrail',
  importIdFormat: 'trail ARN',
  index: (live) => live.trails,
  // The provider's id is the trail's ARN (the name in states written by older providers).
  keyOf: (a) => stringAttr(a, 'arn') ?? (stringAttr(a, 'id')?.startsWith('arn:') ? stringAttr(a, 'id') : undefined),
  importId: (t) => t.arn,
  resourceId: (t) => t.arn,
  name: (t) => t.name,
  compared: [
    { path: 's3_bucket_name', kind: 'value', live: (t) => t.trail.S3BucketName ?? '' },
    { path: 's3_key_prefix', kind: 'value', normalize: blankAs('s3_key_prefix'), live: (t) => t.trail.S3KeyPrefix ?? '' },
    { path: 'is_multi_region_trail', kind: 'value', normalize: orDefault('is_multi_region_trail', false), live: (t) => t.trail.IsMultiRegionTrail ?? false },
    { path: 'include_global_service_events', kind: 'value', normalize: orDefault('include_global_service_events', true), live: (t) => t.trail.IncludeGlobalServiceEvents ?? true },
    { path: 'enable_log_file_validation', kind: 'value', normalize: orDefault('enable_log_file_validation', false), live: (t) => t.trail.LogFileValidationEnabled ?? false },
    { path: 'kms_key_id', kind: 'value', normalize: blankAs('kms_key_id'), live: (t) => t.trail.KmsKeyId ?? '' },
    { path: 'cloud_watch_logs_group_arn', kind: 'value', normalize: blankAs('cloud_watch_logs_group_arn'), live: (t) => t.trail.CloudWatchLogsLogGroupArn ?? '' },
    { path: 'cloud_watch_logs_role_arn', kind: 'value', normalize: blankAs('cloud_watch_logs_role_arn'), live: (t) => t.trail.CloudWatchLogsRoleArn ?? '' },
    { path: 'is_organization_trail', kind: 'value', normalize: orDefault('is_organization_trail', false), live: (t) => t.trail.IsOrganizationTrail ?? false },
    // Undefined (not compared) when GetTrailStatus failed.
    { path: 'enable_logging', kind: 'value', normalize: orDefault('enable_logging', true), live: (t) => (t.status ? readValue(t.status)?.isLogging : undefined) },
    // Undefined (not compared) when ListTags failed, or for another account's (organization) trail.
    { path: 'tags', kind: 'tags', live: (t) => (t.tags ? readValue(t.tags) : undefined) },
  ],
  stub: (t) => ({ name: t.name, s3_bucket_name: t.trail.S3BucketName ?? '' }),
  enumerable: (t) => t.status !== undefined,
  unread: (t) => unreadParts([t.status, 'GetTrailStatus', ['enable_logging']], [t.tags, 'ListTags', ['tags']]),
});

export const CLOUDTRAIL_TYPES: readonly LiveTypeSpec[] = [trail];
