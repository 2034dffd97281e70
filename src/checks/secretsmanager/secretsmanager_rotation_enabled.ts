import type { CheckMetadata } from '../../findings/model.js';
import { finding } from '../finding.js';
import { forEachInRegions } from '../regional.js';
import type { Check } from '../types.js';

const metadata: CheckMetadata = {
  id: 'secretsmanager_rotation_enabled',
  title: 'Secrets Manager secrets rotate automatically',
  failTitle: 'Secrets Manager secret does not rotate automatically',
  severity: 'medium',
  service: 'secretsmanager',
  resourceType: 'AWS::SecretsManager::Secret',
  risk: 'A secret that never rotates stays valid for as long as it exists: a copy that leaked (a log, a laptop, a former employee) keeps working.',
  remediation: 'Turn on automatic rotation with a rotation function (or the managed rotation of the owning service, such as RDS) and a schedule that fits the secret.',
  remediationTerraform: `resource "aws_secretsmanager_secret_rotation" "<name>" {
  secret_id           = aws_secretsmanager_secret.<name>.id
  rotation_lambda_arn = aws_lambda_function.<rotator>.arn
  rotation_rules {
    automatically_after_days = 30
  }
}`,
  terraformTypes: ['aws_secretsmanager_secret_rotation', 'aws_secretsmanager_secret'],
  references: ['https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html'],
};

export const secretsmanager_rotation_enabled: Check = {
  metadata,
  reads: ['secretsmanager:ListSecrets'],
  run: (snapshot) =>
    forEachInRegions(metadata, snapshot, snapshot.secretsmanager, 'secretsmanager', (sm) => sm.secrets, 'the secrets (secretsmanager:ListSecrets)', (secret, region) => {
      const subject = { region, resourceId: secret.arn, resourceName: secret.name };
      const rules = secret.secret.RotationRules;
      const evidence = {
        rotationEnabled: secret.secret.RotationEnabled === true,
        ...(rules?.AutomaticallyAfterDays ? { automaticallyAfterDays: rules.AutomaticallyAfterDays } : {}),
        ...(rules?.ScheduleExpression ? { scheduleExpression: rules.ScheduleExpression } : {}),
        ...(secret.secret.LastRotatedDate ? { lastRotatedDate: new Date(secret.secret.LastRotatedDate).toISOString() } : {}),
        ...(secret.secret.OwningService ? { owningService: secret.secret.OwningService } : {}),
      };
      if (secret.secret.RotationEnabled) {
        const every = rules?.AutomaticallyAfterDays ? ` every ${rules.AutomaticallyAfterDays} days` : rules?.ScheduleExpression ? ` on ${rules.ScheduleExpression}` : '';
        return finding(metadata, snapshot, subject, 'pass', `Secret ${secret.name} rotates automatically${every}.`, evidence);
      }
      return finding(metadata, snapshot, subject, 'fail', `Secret ${secret.name} has no automatic rotation.`, evidence);
    }),
};
