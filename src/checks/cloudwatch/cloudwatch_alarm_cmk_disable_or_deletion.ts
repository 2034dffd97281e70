/** CIS v3.0.0 4.7 (v5.0.0 4.7): disabling or scheduled deletion of customer managed KMS keys. The chain and the matching: ./cis-monitoring.ts. */
import type { Check } from '../types.js';
import { cisMonitoringCheck } from './cis-monitoring.js';

export const cloudwatch_alarm_cmk_disable_or_deletion: Check = cisMonitoringCheck({
  id: 'cloudwatch_alarm_cmk_disable_or_deletion',
  name: 'cmk-disable-or-deletion',
  cis: '4.7',
  severity: 'medium',
  watches: "disabling or scheduled deletion of customer managed KMS keys",
  terms: [
    "$.eventSource = kms.amazonaws.com",
    "$.eventName = DisableKey",
    "$.eventName = ScheduleKeyDeletion",
  ],
  pattern: "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }",
  risk: "Data encrypted under a deleted key is lost for good: disabling or scheduling deletion of a key is sabotage or ransom unless someone meant it, and there are only the 7-30 days of the waiting period to notice.",
});
