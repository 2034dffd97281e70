import type { CheckMetadata } from '../../findings/model.js';
import { finding } from '../finding.js';
import { forEachInRegions } from '../regional.js';
import type { Check } from '../types.js';

const metadata: CheckMetadata = {
  id: 'ecr_repository_scan_on_push',
  title: 'ECR repositories scan images on push',
  failTitle: 'ECR repository does not scan images on push',
  severity: 'medium',
  service: 'ecr',
  resourceType: 'AWS::ECR::Repository',
  risk: 'Without a scan on push, an image with known vulnerable packages is pushed and deployed without anyone being told.',
  remediation: 'Turn on scan on push for the repository (or enhanced scanning for the registry, with Amazon Inspector, which scans continuously).',
  remediationTerraform: `resource "aws_ecr_repository" "<name>" {
  # ...
  image_scanning_configuration {
    scan_on_push = true
  }
}`,
  terraformTypes: ['aws_ecr_repository'],
  references: ['https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-basic.html'],
};

export const ecr_repository_scan_on_push: Check = {
  metadata,
  reads: ['ecr:DescribeRepositories'],
  run: (snapshot) =>
    forEachInRegions(metadata, snapshot, snapshot.ecr, 'ecr', (ecr) => ecr.repositories, 'the ECR repositories (ecr:DescribeRepositories)', (repo, region) => {
      const scanOnPush = repo.repository.imageScanningConfiguration?.scanOnPush === true;
      const subject = { region, resourceId: repo.arn, resourceName: repo.name };
      return scanOnPush
        ? finding(metadata, snapshot, subject, 'pass', `ECR repository ${repo.name} scans images on push.`, { scanOnPush })
        : finding(metadata, snapshot, subject, 'fail', `ECR repository ${repo.name} does not scan images on push.`, { scanOnPush });
    }),
};
