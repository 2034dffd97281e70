/** CIS v3.0.0 4.14 (v5.0.0 4.14): VPC changes. The chain and the matching: ./cis-monitoring.ts. */
import type { Check } from '../types.js';
import { cisMonitoringCheck } from './cis-monitoring.js';

export const cloudwatch_alarm_vpc_changes: Check = cisMonitoringCheck({
  id: 'cloudwatch_alarm_vpc_changes',
  name: 'vpc-changes',
  cis: '4.14',
  severity: 'medium',
  watches: "VPC changes",
  terms: [
    "$.eventName = CreateVpc",
    "$.eventName = DeleteVpc",
    "$.eventName = ModifyVpcAttribute",
    "$.eventName = AcceptVpcPeeringConnection",
    "$.eventName = CreateVpcPeeringConnection",
    "$.eventName = DeleteVpcPeeringConnection",
    "$.eventName = RejectVpcPeeringConnection",
    "$.eventName = AttachClassicLinkVpc",
    "$.eventName = DetachClassicLinkVpc",
    "$.eventName = DisableVpcClassicLink",
    "$.eventName = EnableVpcClassicLink",
  ],
  pattern: "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }",
  risk: "A peering connection accepted from another account joins its network to yours; VPC changes reshape what can reach what.",
});
