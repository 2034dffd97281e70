/** CIS v3.0.0 4.15 (v5.0.0 4.15): AWS Organizations changes. The chain and the matching: ./cis-monitoring.ts. */
import type { Check } from '../types.js';
import { cisMonitoringCheck } from './cis-monitoring.js';

export const cloudwatch_alarm_organizations_changes: Check = cisMonitoringCheck({
  id: 'cloudwatch_alarm_organizations_changes',
  name: 'organizations-changes',
  cis: '4.15',
  severity: 'medium',
  watches: "AWS Organizations changes",
  terms: [
    "$.eventSource = organizations.amazonaws.com",
    "$.eventName = AcceptHandshake",
    "$.eventName = AttachPolicy",
    "$.eventName = CreateAccount",
    "$.eventName = CreateOrganizationalUnit",
    "$.eventName = CreatePolicy",
    "$.eventName = DeclineHandshake",
    "$.eventName = DeleteOrganization",
    "$.eventName = DeleteOrganizationalUnit",
    "$.eventName = DeletePolicy",
    "$.eventName = DetachPolicy",
    "$.eventName = DisablePolicyType",
    "$.eventName = EnablePolicyType",
    "$.eventName = InviteAccountToOrganization",
    "$.eventName = LeaveOrganization",
    "$.eventName = MoveAccount",
    "$.eventName = RemoveAccountFromOrganization",
    "$.eventName = UpdatePolicy",
    "$.eventName = UpdateOrganizationalUnit",
  ],
  pattern: "{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = \"AcceptHandshake\") || ($.eventName = \"AttachPolicy\") || ($.eventName = \"CreateAccount\") || ($.eventName = \"CreateOrganizationalUnit\") || ($.eventName = \"CreatePolicy\") || ($.eventName = \"DeclineHandshake\") || ($.eventName = \"DeleteOrganization\") || ($.eventName = \"DeleteOrganizationalUnit\") || ($.eventName = \"DeletePolicy\") || ($.eventName = \"DetachPolicy\") || ($.eventName = \"DisablePolicyType\") || ($.eventName = \"EnablePolicyType\") || ($.eventName = \"InviteAccountToOrganization\") || ($.eventName = \"LeaveOrganization\") || ($.eventName = \"MoveAccount\") || ($.eventName = \"RemoveAccountFromOrganization\") || ($.eventName = \"UpdatePolicy\") || ($.eventName = \"UpdateOrganizationalUnit\")) }",
  risk: "Detaching a service control policy or moving an account out of the organisation removes guard rails for every account below; it should never happen unseen.",
});
