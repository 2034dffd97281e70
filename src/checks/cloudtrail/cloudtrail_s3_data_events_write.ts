import type { CheckMetadata } from '../../findings/model.js';
import type { Check } from '../types.js';
import { s3DataEventsVerdict } from './s3-data-events.js';

const metadata: CheckMetadata = {
  id: 'cloudtrail_s3_data_events_write',
  title: 'CloudTrail records S3 object-level write events for every bucket',
  failTitle: 'CloudTrail does not record S3 object-level write events for every bucket',
  severity: 'low',
  service: 'cloudtrail',
  resourceType: 'AWS::::Account',
  risk: 'Without object-level write events, nobody can tell who put, overwrote or deleted which object: ransomware that rewrites a bucket, or a planted file, leaves no record of its author.',
  remediation: 'Add a data event selector for AWS::S3::Object covering all buckets (WriteOnly or All) to a logging multi-region trail.',
  remediationTerraform: `resource "aws_cloudtrail" "<name>" {
  # ...
  is_multi_region_trail = true

  event_selector {
    read_write_type           = "WriteOnly"
    include_management_events = true

    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws:s3"]
    }
  }
}`,
  cis: ['3.8'],
  terraformTypes: ['aws_cloudtrail'],
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-cloudtrail-logging-for-s3.html'],
};

export const cloudtrail_s3_data_events_write: Check = {
  metadata,
  reads: ['cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors'],
  run: (snapshot) => s3DataEventsVerdict(metadata, snapshot, 'write'),
};
