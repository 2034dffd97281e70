import type { CheckMetadata } from '../../findings/model.js';
import type { Check } from '../types.js';
import { accountTrailVerdict, managementCoverage, trailDetails } from './trails.js';

const metadata: CheckMetadata = {
  id: 'cloudtrail_multi_region_enabled',
  title: 'A multi-region CloudTrail trail is logging all management events',
  failTitle: 'CloudTrail has no multi-region trail logging all management events',
  severity: 'high',
  service: 'cloudtrail',
  resourceType: 'AWS::::Account',
  risk: 'Without a logging multi-region trail recording read and write management events, API activity in some regions (or of some kinds) leaves no record: an intruder working in an unused region, or reading secrets, is invisible to any investigation.',
  remediation: 'Create (or fix) one trail with IsMultiRegionTrail on, logging started, and an event selector recording all management events, read and write, with no event source excluded.',
  remediationTerraform: `resource "aws_cloudtrail" "<name>" {
  name                          = "<name>"
  s3_bucket_name                = aws_s3_bucket.<trail_bucket>.id
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_logging                = true
  enable_log_file_validation    = true
  kms_key_id                    = aws_kms_key.<trail_key>.arn

  event_selector {
    read_write_type           = "All"
    include_management_events = true
  }
}`,
  cis: ['3.1'],
  terraformTypes: ['aws_cloudtrail'],
  references: ['https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html'],
};

export const cloudtrail_multi_region_enabled: Check = {
  metadata,
  reads: ['cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors'],
  run: (snapshot) =>
    accountTrailVerdict(
      metadata,
      snapshot,
      (trail) => {
        if (!trail.trail.IsMultiRegionTrail) return { meets: false, why: 'single-region' };
        const details = trailDetails(trail);
        if ('error' in details) return details;
        if (!details.isLogging) return { meets: false, why: 'logging is stopped' };
        const coverage = managementCoverage(details.selectors);
        if (!coverage.read || !coverage.write) return { meets: false, why: `records ${coverage.read ? 'only read' : coverage.write ? 'only write' : 'no'} management events in full` };
        return { meets: true, why: 'multi-region, logging, all management events' };
      },
      {
        pass: (trail) => `Trail ${trail.name} is multi-region, logging, and records all management events, read and write.`,
        fail: 'No trail is multi-region, logging and recording all management events (read and write).',
      },
    ),
};
