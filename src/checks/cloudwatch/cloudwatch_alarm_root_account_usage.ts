/** CIS v3.0.0 4.3 (v5.0.0 4.3): uses of the root user. The chain and the matching: ./cis-monitoring.ts. */
import type { Check } from '../types.js';
import { cisMonitoringCheck } from './cis-monitoring.js';

export const cloudwatch_alarm_root_account_usage: Check = cisMonitoringCheck({
  id: 'cloudwatch_alarm_root_account_usage',
  name: 'root-account-usage',
  cis: '4.3',
  severity: 'high',
  watches: "uses of the root user",
  terms: [
    "$.userIdentity.type = \"Root\"",
    "$.userIdentity.invokedBy NOT EXISTS",
    "$.eventType != \"AwsServiceEvent\"",
  ],
  pattern: "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }",
  risk: "The root user can do anything and cannot be limited by policies; any use of it outside a documented break-glass procedure needs to be seen at once.",
});
