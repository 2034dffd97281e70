/**
 * Findings: the contract between the checks, the reports, the MCP tools and the agent.
 * The JSON form of `Finding` is the product's public output contract (docs/findings.md,
 * schemas/findings.schema.json): add fields, never rename or remove them.
 */

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Higher is worse; used for --fail-on and sorting. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(severity);
}

export type FindingStatus = 'pass' | 'fail' | 'error';

export type AwsService = 's3' | 'iam' | 'ec2' | 'rds' | 'cloudwatch' | 'sts' | 'sqs' | 'lambda' | 'cloudtrail' | 'config' | 'kms' | 'logs' | 'sns' | 'accessanalyzer' | 'securityhub' | 'guardduty' | 'account' | 'efs' | 'ecr' | 'secretsmanager';

/** A check's metadata, kept as data beside its pure `run` function. */
export interface CheckMetadata {
  /** Stable id, equal to the check's file name: e.g. s3_bucket_public_read. */
  id: string;
  /** What a pass looks like: "RDS instance storage is encrypted". */
  title: string;
  /** What a failure looks like, the headline of a failed finding: "RDS instance storage is not encrypted". */
  failTitle: string;
  severity: Severity;
  service: AwsService;
  /** AWS resource type in CloudFormation naming, e.g. AWS::S3::Bucket. */
  resourceType: string;
  /** What can go wrong, for a reader deciding whether to care. */
  risk: string;
  /** What to do, in words. */
  remediation: string;
  /** The fix as Terraform HCL (AWS provider v5), with placeholders in angle brackets. */
  remediationTerraform: string;
  /** CIS AWS Foundations Benchmark v3.0.0 control ids, where one maps. */
  cis?: string[];
  /** Terraform resource types this check concerns (for linking findings to config). */
  terraformTypes: string[];
  /** Links to AWS documentation. */
  references?: string[];
}

export interface Finding {
  checkId: string;
  /** The check's title: what a pass looks like. */
  title: string;
  /** On failed findings: the check's failure title, which reports show as the headline. */
  failTitle?: string;
  status: FindingStatus;
  severity: Severity;
  accountId: string;
  region: string;
  service: AwsService;
  resourceType: string;
  /** The ARN where one exists, else the AWS id. */
  resourceId: string;
  resourceName?: string;
  /** One sentence: what was found (fail), that all is well (pass), or what could not be read (error). */
  message: string;
  /** Structured evidence: the attribute values or policy statements the verdict rests on. */
  evidence?: Record<string, unknown>;
  remediation: string;
  remediationTerraform?: string;
  cis?: string[];
  /** Terraform address of the managed resource, when a state knows it. */
  terraformAddress?: string;
  /** File and line of the declaring config, when config was given. */
  terraformFile?: string;
  terraformLine?: number;
  /** Set when a suppression applies: the finding is kept but does not fail the run. */
  suppressed?: { reason: string; expires: string };
}

/** The line a report heads a finding with: a failure reads as a failure, not as the check's pass title. */
export function findingHeadline(finding: Pick<Finding, 'status' | 'title' | 'failTitle'>): string {
  return finding.status === 'fail' ? (finding.failTitle ?? finding.title) : finding.title;
}
