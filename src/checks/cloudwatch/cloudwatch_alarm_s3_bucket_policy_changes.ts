/** CIS v3.0.0 4.8 (v5.0.0 4.8): S3 bucket policy changes. The chain and the matching: ./cis-monitoring.ts. */
import type { Check } from '../types.js';
import { cisMonitoringCheck } from './cis-monitoring.js';

export const cloudwatch_alarm_s3_bucket_policy_changes: Check = cisMonitoringCheck({
  id: 'cloudwatch_alarm_s3_bucket_policy_changes',
  name: 's3-bucket-policy-changes',
  cis: '4.8',
  severity: 'medium',
  watches: "S3 bucket policy changes",
  terms: [
    "$.eventSource = s3.amazonaws.com",
    "$.eventName = PutBucketAcl",
    "$.eventName = PutBucketPolicy",
    "$.eventName = PutBucketCors",
    "$.eventName = PutBucketLifecycle",
    "$.eventName = PutBucketReplication",
    "$.eventName = DeleteBucketPolicy",
    "$.eventName = DeleteBucketCors",
    "$.eventName = DeleteBucketLifecycle",
    "$.eventName = DeleteBucketReplication",
  ],
  pattern: "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }",
  risk: "A bucket made public or replicated elsewhere by a policy or ACL change is the classic data leak; the change must be seen when it happens, not at the next audit.",
});
