/** CIS v3.0.0 4.9 (v5.0.0 4.9): AWS Config configuration changes. The chain and the matching: ./cis-monitoring.ts. */
import type { Check } from '../types.js';
import { cisMonitoringCheck } from './cis-monitoring.js';

export const cloudwatch_alarm_config_changes: Check = cisMonitoringCheck({
  id: 'cloudwatch_alarm_config_changes',
  name: 'config-changes',
  cis: '4.9',
  severity: 'medium',
  watches: "AWS Config configuration changes",
  terms: [
    "$.eventSource = config.amazonaws.com",
    "$.eventName = StopConfigurationRecorder",
    "$.eventName = DeleteDeliveryChannel",
    "$.eventName = PutDeliveryChannel",
    "$.eventName = PutConfigurationRecorder",
  ],
  pattern: "{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }",
  risk: "Stopping AWS Config erases the record of how resources changed; like stopping CloudTrail, it usually comes before something that should not be recorded.",
});
