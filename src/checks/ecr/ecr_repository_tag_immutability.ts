import type { CheckMetadata } from '../../findings/model.js';
import { finding } from '../finding.js';
import { forEachInRegions } from '../regional.js';
import type { Check } from '../types.js';

const metadata: CheckMetadata = {
  id: 'ecr_repository_tag_immutability',
  title: 'ECR repositories have immutable image tags',
  failTitle: 'ECR repository image tags are mutable',
  severity: 'medium',
  service: 'ecr',
  resourceType: 'AWS::ECR::Repository',
  risk: 'With mutable tags, anyone who can push can move a tag that deployments pull (v1.4.2, prod) to another image: the deployed code changes without a new tag to review or roll back to.',
  remediation: 'Make the repository\'s tags immutable, and deploy by a tag that is never reused (a version or commit) or by digest.',
  remediationTerraform: `resource "aws_ecr_repository" "<name>" {
  # ...
  image_tag_mutability = "IMMUTABLE"
}`,
  terraformTypes: ['aws_ecr_repository'],
  references: ['https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html'],
};

export const ecr_repository_tag_immutability: Check = {
  metadata,
  reads: ['ecr:DescribeRepositories'],
  run: (snapshot) =>
    forEachInRegions(metadata, snapshot, snapshot.ecr, 'ecr', (ecr) => ecr.repositories, 'the ECR repositories (ecr:DescribeRepositories)', (repo, region) => {
      // IMMUTABLE_WITH_EXCLUSION keeps every tag immutable except those its filters name on purpose.
      const mutability = repo.repository.imageTagMutability ?? 'MUTABLE';
      const subject = { region, resourceId: repo.arn, resourceName: repo.name };
      return mutability.startsWith('IMMUTABLE')
        ? finding(metadata, snapshot, subject, 'pass', `ECR repository ${repo.name} has immutable image tags (${mutability}).`, { imageTagMutability: mutability })
        : finding(metadata, snapshot, subject, 'fail', `ECR repository ${repo.name} has mutable image tags (${mutability}): a pushed tag can be moved to another image.`, { imageTagMutability: mutability });
    }),
};
