/** CIS v3.0.0 4.10 (v5.0.0 4.10): security group changes. The chain and the matching: ./cis-monitoring.ts. */
import type { Check } from '../types.js';
import { cisMonitoringCheck } from './cis-monitoring.js';

export const cloudwatch_alarm_security_group_changes: Check = cisMonitoringCheck({
  id: 'cloudwatch_alarm_security_group_changes',
  name: 'security-group-changes',
  cis: '4.10',
  severity: 'medium',
  watches: "security group changes",
  terms: [
    "$.eventName = AuthorizeSecurityGroupIngress",
    "$.eventName = AuthorizeSecurityGroupEgress",
    "$.eventName = RevokeSecurityGroupIngress",
    "$.eventName = RevokeSecurityGroupEgress",
    "$.eventName = CreateSecurityGroup",
    "$.eventName = DeleteSecurityGroup",
  ],
  pattern: "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }",
  risk: "A port opened to the internet \"for a minute\" is how databases and SSH end up exposed; a security group change should never go unseen.",
});
