import type { CheckMetadata } from '../../findings/model.js';
import { policyExposureFinding } from '../exposure.js';
import { forEachInRegions } from '../regional.js';
import type { Check } from '../types.js';

const metadata: CheckMetadata = {
  id: 'ecr_repository_public',
  title: 'ECR repositories are not public or open to other accounts',
  failTitle: 'ECR repository is public or open to other accounts',
  severity: 'high',
  service: 'ecr',
  resourceType: 'AWS::ECR::Repository',
  risk: 'A repository policy that allows everyone (or another account) lets outsiders pull the images, with the code, configuration and credentials baked into them; with push actions it lets them replace an image that production runs.',
  remediation:
    'Grant pulls to principals of this account, or to the outside roles that need them by ARN; pin "*" with aws:PrincipalOrgID (or aws:SourceAccount for a service principal) instead of leaving it open, and never grant ecr:PutImage or ecr:*.',
  remediationTerraform: `resource "aws_ecr_repository_policy" "<name>" {
  repository = aws_ecr_repository.<name>.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "PullFromOrganization"
      Effect    = "Allow"
      Principal = "*"
      Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
      Condition = { StringEquals = { "aws:PrincipalOrgID" = "<o-organization-id>" } }
    }]
  })
}`,
  terraformTypes: ['aws_ecr_repository_policy', 'aws_ecr_repository'],
  references: ['https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html'],
};

export const ecr_repository_public: Check = {
  metadata,
  reads: ['ecr:GetRepositoryPolicy'],
  run: (snapshot) =>
    forEachInRegions(metadata, snapshot, snapshot.ecr, 'ecr', (ecr) => ecr.repositories, 'the ECR repositories (ecr:DescribeRepositories)', (repo, region) =>
      policyExposureFinding(
        metadata,
        snapshot,
        { region, resourceId: repo.arn, resourceName: repo.name },
        `ECR repository ${repo.name}`,
        repo.policy,
        `the policy of repository ${repo.name} (ecr:GetRepositoryPolicy)`,
      ),
    ),
};
