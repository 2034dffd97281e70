import type { CheckMetadata } from '../../findings/model.js';
import type { Check } from '../types.js';
import { s3DataEventsVerdict } from './s3-data-events.js';

const metadata: CheckMetadata = {
  id: 'cloudtrail_s3_data_events_read',
  title: 'CloudTrail records S3 object-level read events for every bucket',
  failTitle: 'CloudTrail does not record S3 object-level read events for every bucket',
  severity: 'low',
  service: 'cloudtrail',
  resourceType: 'AWS::::Account',
  risk: 'Without object-level read events, nobody can tell who downloaded which object: a data exfiltration from S3 cannot be scoped or even confirmed.',
  remediation: 'Add a data event selector for AWS::S3::Object covering all buckets (ReadOnly or All) to a logging multi-region trail.',
  remediationTerraform: `resource "aws_cloudtrail" "<name>" {
  # ...
  is_multi_region_trail = true

  event_selector {
    read_write_type           = "ReadOnly"
    include_management_events = true

    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws:s3"]
    }
  }
}`,
  cis: ['3.9'],
  terraformTypes: ['aws_cloudtrail'],
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-cloudtrail-logging-for-s3.html'],
};

export const cloudtrail_s3_data_events_read: Check = {
  metadata,
  reads: ['cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors'],
  run: (snapshot) => s3DataEventsVerdict(metadata, snapshot, 'read'),
};
