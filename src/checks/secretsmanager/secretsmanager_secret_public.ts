import type { CheckMetadata } from '../../findings/model.js';
import { policyExposureFinding } from '../exposure.js';
import { forEachInRegions } from '../regional.js';
import type { Check } from '../types.js';

const metadata: CheckMetadata = {
  id: 'secretsmanager_secret_public',
  title: 'Secrets Manager secrets are not public or open to other accounts',
  failTitle: 'Secrets Manager secret is public or open to other accounts',
  severity: 'critical',
  service: 'secretsmanager',
  resourceType: 'AWS::SecretsManager::Secret',
  risk: 'A secret policy that allows everyone (or another account) lets outsiders read the secret (database passwords, API keys) wherever its KMS key lets them decrypt it, or, with write actions, replace it.',
  remediation:
    'Grant the secret to roles of this account by ARN; where another account must read it, name that account\'s role and pin it with aws:PrincipalOrgID, and never leave Principal "*" without a condition that pins the account, organisation or VPC endpoint.',
  remediationTerraform: `resource "aws_secretsmanager_secret_policy" "<name>" {
  secret_arn = aws_secretsmanager_secret.<name>.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "ReadFromOrganization"
      Effect    = "Allow"
      Principal = "*"
      Action    = "secretsmanager:GetSecretValue"
      Resource  = "*"
      Condition = { StringEquals = { "aws:PrincipalOrgID" = "<o-organization-id>" } }
    }]
  })
}`,
  terraformTypes: ['aws_secretsmanager_secret_policy', 'aws_secretsmanager_secret'],
  references: ['https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_resource-policies.html'],
};

export const secretsmanager_secret_public: Check = {
  metadata,
  reads: ['secretsmanager:GetResourcePolicy'],
  run: (snapshot) =>
    forEachInRegions(metadata, snapshot, snapshot.secretsmanager, 'secretsmanager', (sm) => sm.secrets, 'the secrets (secretsmanager:ListSecrets)', (secret, region) =>
      policyExposureFinding(
        metadata,
        snapshot,
        { region, resourceId: secret.arn, resourceName: secret.name },
        `secret ${secret.name}`,
        secret.policy,
        `the resource policy of secret ${secret.name} (secretsmanager:GetResourcePolicy)`,
      ),
    ),
};
