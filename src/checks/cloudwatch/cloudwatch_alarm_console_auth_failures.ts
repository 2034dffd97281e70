/** CIS v3.0.0 4.6 (v5.0.0 4.6): console authentication failures. The chain and the matching: ./cis-monitoring.ts. */
import type { Check } from '../types.js';
import { cisMonitoringCheck } from './cis-monitoring.js';

export const cloudwatch_alarm_console_auth_failures: Check = cisMonitoringCheck({
  id: 'cloudwatch_alarm_console_auth_failures',
  name: 'console-auth-failures',
  cis: '4.6',
  severity: 'medium',
  watches: "console authentication failures",
  terms: [
    "$.eventName = ConsoleLogin",
    "$.errorMessage = \"Failed authentication\"",
  ],
  pattern: "{ ($.eventName = ConsoleLogin) && ($.errorMessage = \"Failed authentication\") }",
  risk: "A run of failed console sign-ins is password guessing or credential stuffing in progress.",
});
