/** CIS v3.0.0 4.5 (v5.0.0 4.5): CloudTrail configuration changes. The chain and the matching: ./cis-monitoring.ts. */
import type { Check } from '../types.js';
import { cisMonitoringCheck } from './cis-monitoring.js';

export const cloudwatch_alarm_cloudtrail_config_changes: Check = cisMonitoringCheck({
  id: 'cloudwatch_alarm_cloudtrail_config_changes',
  name: 'cloudtrail-config-changes',
  cis: '4.5',
  severity: 'high',
  watches: "CloudTrail configuration changes",
  terms: [
    "$.eventName = CreateTrail",
    "$.eventName = UpdateTrail",
    "$.eventName = DeleteTrail",
    "$.eventName = StartLogging",
    "$.eventName = StopLogging",
  ],
  pattern: "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }",
  risk: "Stopping or re-pointing a trail is how an intruder blinds the audit log before acting; the change itself must raise an alarm.",
});
