/** CIS v3.0.0 4.12 (v5.0.0 4.12): network gateway changes. The chain and the matching: ./cis-monitoring.ts. */
import type { Check } from '../types.js';
import { cisMonitoringCheck } from './cis-monitoring.js';

export const cloudwatch_alarm_network_gateway_changes: Check = cisMonitoringCheck({
  id: 'cloudwatch_alarm_network_gateway_changes',
  name: 'network-gateway-changes',
  cis: '4.12',
  severity: 'medium',
  watches: "network gateway changes",
  terms: [
    "$.eventName = CreateCustomerGateway",
    "$.eventName = DeleteCustomerGateway",
    "$.eventName = AttachInternetGateway",
    "$.eventName = CreateInternetGateway",
    "$.eventName = DeleteInternetGateway",
    "$.eventName = DetachInternetGateway",
  ],
  pattern: "{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }",
  risk: "An internet gateway attached to a private VPC, or a customer gateway added, opens a path in or out of the network that routing alone then decides.",
});
