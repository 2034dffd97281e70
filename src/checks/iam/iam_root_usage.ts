import type { CheckMetadata } from '../../findings/model.js';
import { ROOT_USER } from '../../inventory/collectors/credential-report.js';
import { accountSubject, daysBetween, finding, notCollected, readError } from '../finding.js';
import type { Check } from '../types.js';

/**
 * CIS 1.7 asks that the root user not be used for everyday work and audits it from the credential
 * report's last-use dates without fixing a window. Root is needed for a handful of rare tasks
 * (support plan, account closure); any use within this many days is worth a look.
 */
export const ROOT_USAGE_DAYS = 90;

const metadata: CheckMetadata = {
  id: 'iam_root_usage',
  title: `The root user has not been used in the last ${ROOT_USAGE_DAYS} days`,
  failTitle: `The root user was used within the last ${ROOT_USAGE_DAYS} days`,
  severity: 'medium',
  service: 'iam',
  resourceType: 'AWS::IAM::User',
  risk: 'Root cannot be limited by any IAM policy: everyday use of it exposes the one credential that owns the account, and leaves no per-person trail of who did what.',
  remediation: 'Find out who signed in as root (CloudTrail ConsoleLogin with userIdentity.type Root) and why; give that person an IAM Identity Center or IAM role for the task, delete root access keys, and keep the root password and MFA in a safe.',
  remediationTerraform: `# Root use cannot be switched off with Terraform; alert on it instead (CIS 4.3):
resource "aws_cloudwatch_log_metric_filter" "root_usage" {
  name           = "root-usage"
  log_group_name = "<cloudtrail_log_group>"
  pattern        = "{ $.userIdentity.type = \\"Root\\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \\"AwsServiceEvent\\" }"
  metric_transformation {
    name      = "RootUsage"
    namespace = "CISBenchmark"
    value     = "1"
  }
}`,
  cis: ['1.7'],
  terraformTypes: ['aws_cloudwatch_log_metric_filter'],
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/root-user-tasks.html'],
};

/** A credential report date column: an ISO time, or N/A / no_information / not_supported. */
function reportDate(value: string | undefined): Date | undefined {
  if (!value || !/^\d{4}-/.test(value)) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time);
}

export const iam_root_usage: Check = {
  metadata,
  reads: ['iam:GetCredentialReport'],
  run(snapshot, options) {
    if (!snapshot.iam) return [notCollected(metadata, snapshot, 'iam')];
    const subject = { ...accountSubject(snapshot), resourceId: `arn:${snapshot.partition}:iam::${snapshot.accountId}:root`, resourceName: 'root', resourceType: 'AWS::IAM::User' };
    const report = snapshot.iam.credentialReport;
    if (report.error) return [readError(metadata, snapshot, subject, 'the credential report (iam:GetCredentialReport)', report.error)];
    const row = report.value.find((r) => r.user === ROOT_USER);
    if (!row) return [readError(metadata, snapshot, subject, 'the root user', { code: 'NoRootRow', message: 'the credential report has no <root_account> row' })];
    const uses = [
      { credential: 'password', at: reportDate(row.password_last_used) },
      { credential: 'access key 1', at: reportDate(row.access_key_1_last_used_date) },
      { credential: 'access key 2', at: reportDate(row.access_key_2_last_used_date) },
    ].flatMap((u) => (u.at ? [{ credential: u.credential, lastUsed: u.at.toISOString(), daysAgo: daysBetween(u.at, options.now) }] : []));
    const recent = uses.filter((u) => u.daysAgo <= ROOT_USAGE_DAYS).sort((a, b) => a.daysAgo - b.daysAgo);
    const evidence = { thresholdDays: ROOT_USAGE_DAYS, lastUses: uses };
    if (recent.length === 0) {
      const last = uses.sort((a, b) => a.daysAgo - b.daysAgo)[0];
      return [finding(metadata, snapshot, subject, 'pass', last ? `The root user was last used ${last.daysAgo} days ago (${last.credential}).` : 'The root user has no recorded use.', evidence)];
    }
    const latest = recent[0]!;
    return [finding(metadata, snapshot, subject, 'fail', `The root user's ${latest.credential} was used ${latest.daysAgo} day${latest.daysAgo === 1 ? '' : 's'} ago.`, evidence)];
  },
};
