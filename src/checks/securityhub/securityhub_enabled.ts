import type { CheckMetadata } from '../../findings/model.js';
import { finding, readError } from '../finding.js';
import { forEachAuditedRegion } from '../regional-service.js';
import type { Check } from '../types.js';

const metadata: CheckMetadata = {
  id: 'securityhub_enabled',
  title: 'AWS Security Hub is enabled in every audited region',
  failTitle: 'AWS Security Hub is not enabled in the region',
  severity: 'medium',
  service: 'securityhub',
  resourceType: 'AWS::SecurityHub::Hub',
  risk: 'Security Hub gathers the findings of GuardDuty, Inspector, Macie, Access Analyzer and its own controls per region; without it, nobody sees them in one place and regressions go unnoticed.',
  remediation: 'Enable Security Hub in each region (aws securityhub enable-security-hub --region <region>), ideally from a delegated administrator account for the whole organization.',
  remediationTerraform: `resource "aws_securityhub_account" "this" {}
# one per region: a provider alias per region`,
  cis: ['4.16'],
  terraformTypes: ['aws_securityhub_account'],
  references: ['https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-settingup.html'],
};

export const securityhub_enabled: Check = {
  metadata,
  reads: ['securityhub:DescribeHub'],
  run: (snapshot) =>
    forEachAuditedRegion(metadata, snapshot, 'securityhub', snapshot.securityhub, (region, inventory, subject) => {
      if (inventory.hub.error) return readError(metadata, snapshot, subject, `the Security Hub of ${region} (securityhub:DescribeHub)`, inventory.hub.error);
      const hub = inventory.hub.value;
      if (!hub) return finding(metadata, snapshot, subject, 'fail', `${region} is not subscribed to Security Hub.`, { subscribed: false });
      return finding(metadata, snapshot, subject, 'pass', `Security Hub is enabled in ${region} (since ${hub.subscribedAt ?? 'an unknown date'}).`, { subscribed: true, hubArn: hub.hubArn, subscribedAt: hub.subscribedAt });
    }, (region) => ({ resourceId: `arn:${snapshot.partition}:securityhub:${region}:${snapshot.accountId}:hub/default`, resourceName: `Security Hub in ${region}`, resourceType: metadata.resourceType })),
};
