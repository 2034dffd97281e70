/** CIS v3.0.0 4.4 (v5.0.0 4.4): IAM policy changes. The chain and the matching: ./cis-monitoring.ts. */
import type { Check } from '../types.js';
import { cisMonitoringCheck } from './cis-monitoring.js';

export const cloudwatch_alarm_iam_policy_changes: Check = cisMonitoringCheck({
  id: 'cloudwatch_alarm_iam_policy_changes',
  name: 'iam-policy-changes',
  cis: '4.4',
  severity: 'medium',
  watches: "IAM policy changes",
  terms: [
    "$.eventName = DeleteGroupPolicy",
    "$.eventName = DeleteRolePolicy",
    "$.eventName = DeleteUserPolicy",
    "$.eventName = PutGroupPolicy",
    "$.eventName = PutRolePolicy",
    "$.eventName = PutUserPolicy",
    "$.eventName = CreatePolicy",
    "$.eventName = DeletePolicy",
    "$.eventName = CreatePolicyVersion",
    "$.eventName = DeletePolicyVersion",
    "$.eventName = AttachRolePolicy",
    "$.eventName = DetachRolePolicy",
    "$.eventName = AttachUserPolicy",
    "$.eventName = DetachUserPolicy",
    "$.eventName = AttachGroupPolicy",
    "$.eventName = DetachGroupPolicy",
  ],
  pattern: "{ ($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy) || ($.eventName = PutGroupPolicy) || ($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || ($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = CreatePolicyVersion) || ($.eventName = DeletePolicyVersion) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || ($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || ($.eventName = DetachGroupPolicy) }",
  risk: "Granting itself a policy is the first thing an intruder with some IAM rights does; an unwatched policy change is privilege escalation nobody notices.",
});
