/** CIS v3.0.0 4.13 (v5.0.0 4.13): route table changes. The chain and the matching: ./cis-monitoring.ts. */
import type { Check } from '../types.js';
import { cisMonitoringCheck } from './cis-monitoring.js';

export const cloudwatch_alarm_route_table_changes: Check = cisMonitoringCheck({
  id: 'cloudwatch_alarm_route_table_changes',
  name: 'route-table-changes',
  cis: '4.13',
  severity: 'medium',
  watches: "route table changes",
  terms: [
    "$.eventName = CreateRoute",
    "$.eventName = CreateRouteTable",
    "$.eventName = ReplaceRoute",
    "$.eventName = ReplaceRouteTableAssociation",
    "$.eventName = DeleteRouteTable",
    "$.eventName = DeleteRoute",
    "$.eventName = DisassociateRouteTable",
  ],
  pattern: "{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }",
  risk: "A route to an internet gateway turns a private subnet public; a route to a peer or appliance can send traffic through someone else's hands.",
});
