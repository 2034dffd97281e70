/** CIS v3.0.0 4.11 (v5.0.0 4.11): network ACL changes. The chain and the matching: ./cis-monitoring.ts. */
import type { Check } from '../types.js';
import { cisMonitoringCheck } from './cis-monitoring.js';

export const cloudwatch_alarm_nacl_changes: Check = cisMonitoringCheck({
  id: 'cloudwatch_alarm_nacl_changes',
  name: 'nacl-changes',
  cis: '4.11',
  severity: 'medium',
  watches: "network ACL changes",
  terms: [
    "$.eventName = CreateNetworkAcl",
    "$.eventName = CreateNetworkAclEntry",
    "$.eventName = DeleteNetworkAcl",
    "$.eventName = DeleteNetworkAclEntry",
    "$.eventName = ReplaceNetworkAclEntry",
    "$.eventName = ReplaceNetworkAclAssociation",
  ],
  pattern: "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }",
  risk: "Network ACLs are the subnet-wide firewall: an opened entry exposes every instance of the subnet at once.",
});
