import type { CheckMetadata } from '../../findings/model.js';
import { finding, firstError, readError } from '../finding.js';
import { forEachAuditedRegion } from '../regional-service.js';
import type { Check } from '../types.js';

const metadata: CheckMetadata = {
  id: 'guardduty_enabled',
  title: 'Amazon GuardDuty is enabled in every audited region',
  failTitle: 'Amazon GuardDuty is not enabled in the region',
  severity: 'medium',
  service: 'guardduty',
  resourceType: 'AWS::GuardDuty::Detector',
  risk: 'GuardDuty is what notices stolen credentials used from unusual places, crypto-mining instances and reconnaissance; a region without a detector is where an attacker works unseen.',
  remediation: 'Enable GuardDuty in each region (aws guardduty create-detector --enable --region <region>), ideally for the whole organization from a delegated administrator.',
  remediationTerraform: `resource "aws_guardduty_detector" "this" {
  enable = true
}
# one per region: a provider alias per region`,
  terraformTypes: ['aws_guardduty_detector'],
  references: ['https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_settingup.html'],
};

export const guardduty_enabled: Check = {
  metadata,
  reads: ['guardduty:GetDetector'],
  run: (snapshot) =>
    forEachAuditedRegion(metadata, snapshot, 'guardduty', snapshot.guardduty, (region, inventory, subject) => {
      if (inventory.detectors.error) return readError(metadata, snapshot, subject, `the GuardDuty detectors of ${region} (guardduty:ListDetectors)`, inventory.detectors.error);
      const detectors = inventory.detectors.value;
      const error = firstError(...detectors.map((d) => d.detector));
      if (error) return readError(metadata, snapshot, subject, `the GuardDuty detector of ${region} (guardduty:GetDetector)`, error);
      const states = detectors.map((d) => ({ detectorId: d.detectorId, status: d.detector.value!.status }));
      const enabled = states.find((d) => d.status === 'ENABLED');
      const shown = enabled ?? states[0];
      const at = shown ? { ...subject, resourceId: `${subject.resourceId}/${shown.detectorId}`, resourceName: shown.detectorId } : subject;
      if (enabled) return finding(metadata, snapshot, at, 'pass', `GuardDuty detector ${enabled.detectorId} is enabled in ${region}.`, { detectors: states });
      const why = shown ? `has GuardDuty detector ${shown.detectorId} ${shown.status.toLowerCase()}` : 'has no GuardDuty detector';
      return finding(metadata, snapshot, at, 'fail', `${region} ${why}.`, { detectors: states });
    }, (region) => ({ resourceId: `arn:${snapshot.partition}:guardduty:${region}:${snapshot.accountId}:detector`, resourceName: `GuardDuty in ${region}`, resourceType: metadata.resourceType })),
};
