/** CIS v3.0.0 4.2 (v5.0.0 4.2): console sign-ins without MFA. The chain and the matching: ./cis-monitoring.ts. */
import type { Check } from '../types.js';
import { cisMonitoringCheck } from './cis-monitoring.js';

export const cloudwatch_alarm_console_signin_without_mfa: Check = cisMonitoringCheck({
  id: 'cloudwatch_alarm_console_signin_without_mfa',
  name: 'console-signin-without-mfa',
  cis: '4.2',
  severity: 'medium',
  watches: "console sign-ins without MFA",
  terms: [
    "$.eventName = \"ConsoleLogin\"",
    "$.additionalEventData.MFAUsed != \"Yes\"",
  ],
  pattern: "{ ($.eventName = \"ConsoleLogin\") && ($.additionalEventData.MFAUsed != \"Yes\") }",
  risk: "A console sign-in without MFA is a password alone standing between an attacker and the account; an alarm on it catches both the missing MFA and a phished password in use.",
});
