import type { CheckMetadata } from '../../findings/model.js';
import { finding } from '../finding.js';
import type { Check } from '../types.js';
import { forEachTrail, trailSubject } from './trails.js';

const metadata: CheckMetadata = {
  id: 'cloudtrail_log_file_validation',
  title: 'CloudTrail trail has log file validation enabled',
  failTitle: 'CloudTrail trail has log file validation off',
  severity: 'medium',
  service: 'cloudtrail',
  resourceType: 'AWS::CloudTrail::Trail',
  risk: 'Without digest files, a log file that was edited or deleted after delivery cannot be told from the original: an intruder with access to the bucket can remove the record of what they did.',
  remediation: 'Turn on log file validation for the trail; CloudTrail then delivers a signed digest file every hour.',
  remediationTerraform: `resource "aws_cloudtrail" "<name>" {
  # ...
  enable_log_file_validation = true
}`,
  cis: ['3.2'],
  terraformTypes: ['aws_cloudtrail'],
  references: ['https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html'],
};

export const cloudtrail_log_file_validation: Check = {
  metadata,
  reads: ['cloudtrail:DescribeTrails'],
  run: (snapshot) =>
    forEachTrail(metadata, snapshot, (trail) => {
      const enabled = trail.trail.LogFileValidationEnabled === true;
      return finding(metadata, snapshot, trailSubject(trail), enabled ? 'pass' : 'fail', `Trail ${trail.name} has log file validation ${enabled ? 'enabled' : 'off'}.`, { logFileValidationEnabled: enabled });
    }),
};
