/** CIS v3.0.0 4.1 (v5.0.0 4.1): unauthorized API calls. The chain and the matching: ./cis-monitoring.ts. */
import type { Check } from '../types.js';
import { cisMonitoringCheck } from './cis-monitoring.js';

export const cloudwatch_alarm_unauthorized_api_calls: Check = cisMonitoringCheck({
  id: 'cloudwatch_alarm_unauthorized_api_calls',
  name: 'unauthorized-api-calls',
  cis: '4.1',
  severity: 'medium',
  watches: "unauthorized API calls",
  terms: [
    "$.errorCode = \"*UnauthorizedOperation\"",
    "$.errorCode = \"AccessDenied*\"",
  ],
  pattern: "{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") && ($.sourceIPAddress != \"delivery.logs.amazonaws.com\") && ($.eventName != \"HeadBucket\") }",
  risk: "Repeated AccessDenied and UnauthorizedOperation errors are how a stolen credential probing for what it can do shows up; without an alarm nobody sees the probing until something succeeds.",
});
