/**
 * CIS Amazon Web Services Foundations Benchmark v3.0.0: every control, with whether a tool can
 * decide it (automated) or a person must (manual), and its id in v5.0.0. Titles are ours, short.
 *
 * The v5.0.0 ids were looked up, not guessed: the v5.0.0 control lists of Prowler
 * (prowler/compliance/aws/cis_5.0_aws.json) and Steampipe (steampipe-mod-aws-compliance
 * cis_v500/section_*.pp) agree on them. `v5: null` means v5.0.0 dropped the control.
 */
import type { ComplianceControl } from './types.js';

export interface CisV3Control extends ComplianceControl {
  /** The same control's id in CIS v5.0.0, or null when v5.0.0 has no counterpart. */
  v5: string | null;
}

const A = 'automated' as const;
const M = 'manual' as const;

export const CIS_AWS_V3: readonly CisV3Control[] = [
  { id: '1.1', section: '1 Identity and Access Management', type: M, title: 'Account contact details are current', v5: '1.1' },
  { id: '1.2', section: '1 Identity and Access Management', type: A, title: 'Security contact information is registered', v5: '1.2' },
  { id: '1.3', section: '1 Identity and Access Management', type: M, title: 'Security questions are registered', v5: null },
  { id: '1.4', section: '1 Identity and Access Management', type: A, title: 'No access key exists for the root user', v5: '1.3' },
  { id: '1.5', section: '1 Identity and Access Management', type: A, title: 'MFA is enabled for the root user', v5: '1.4' },
  { id: '1.6', section: '1 Identity and Access Management', type: A, title: 'Hardware MFA is enabled for the root user', v5: '1.5' },
  { id: '1.7', section: '1 Identity and Access Management', type: A, title: 'The root user is not used for administrative and daily tasks', v5: '1.6' },
  { id: '1.8', section: '1 Identity and Access Management', type: A, title: 'Password policy requires a minimum length of 14 or more', v5: '1.7' },
  { id: '1.9', section: '1 Identity and Access Management', type: A, title: 'Password policy prevents password reuse', v5: '1.8' },
  { id: '1.10', section: '1 Identity and Access Management', type: A, title: 'MFA is enabled for every IAM user with a console password', v5: '1.9' },
  { id: '1.11', section: '1 Identity and Access Management', type: M, title: 'No access keys are created during initial setup of users with a console password', v5: '1.10' },
  { id: '1.12', section: '1 Identity and Access Management', type: A, title: 'Credentials unused for 45 days or more are disabled', v5: '1.11' },
  { id: '1.13', section: '1 Identity and Access Management', type: A, title: 'Each IAM user has at most one active access key', v5: '1.12' },
  { id: '1.14', section: '1 Identity and Access Management', type: A, title: 'Access keys are rotated every 90 days or less', v5: '1.13' },
  { id: '1.15', section: '1 Identity and Access Management', type: A, title: 'IAM users receive permissions only through groups', v5: '1.14' },
  { id: '1.16', section: '1 Identity and Access Management', type: A, title: 'No IAM policy granting full "*:*" administrative privileges is attached', v5: '1.15' },
  { id: '1.17', section: '1 Identity and Access Management', type: A, title: 'A support role exists to manage incidents with AWS Support', v5: '1.16' },
  { id: '1.18', section: '1 Identity and Access Management', type: M, title: 'IAM instance roles are used for AWS resource access from instances', v5: '1.17' },
  { id: '1.19', section: '1 Identity and Access Management', type: A, title: 'Expired SSL/TLS certificates stored in IAM are removed', v5: '1.18' },
  { id: '1.20', section: '1 Identity and Access Management', type: A, title: 'IAM Access Analyzer is enabled for all regions', v5: '1.19' },
  { id: '1.21', section: '1 Identity and Access Management', type: M, title: 'IAM users are managed centrally via identity federation or AWS Organizations', v5: '1.20' },
  { id: '1.22', section: '1 Identity and Access Management', type: M, title: 'Access to AWSCloudShellFullAccess is restricted', v5: '1.21' },
  { id: '2.1.1', section: '2 Storage', type: A, title: 'S3 bucket policy denies HTTP requests', v5: '2.1.1' },
  { id: '2.1.2', section: '2 Storage', type: M, title: 'MFA Delete is enabled on S3 buckets', v5: '2.1.2' },
  { id: '2.1.3', section: '2 Storage', type: M, title: 'All data in S3 has been discovered, classified and secured when necessary', v5: '2.1.3' },
  { id: '2.1.4', section: '2 Storage', type: A, title: 'S3 buckets are configured with Block Public Access (bucket and account)', v5: '2.1.4' },
  { id: '2.2.1', section: '2 Storage', type: A, title: 'EBS volume encryption is enabled in all regions', v5: '5.1.1' },
  { id: '2.3.1', section: '2 Storage', type: A, title: 'RDS instances have encryption at rest enabled', v5: '2.2.1' },
  { id: '2.3.2', section: '2 Storage', type: A, title: 'Auto minor version upgrade is enabled for RDS instances', v5: '2.2.2' },
  { id: '2.3.3', section: '2 Storage', type: A, title: 'RDS instances are not publicly accessible', v5: '2.2.3' },
  { id: '2.4.1', section: '2 Storage', type: A, title: 'EFS file systems are encrypted', v5: '2.3.1' },
  { id: '3.1', section: '3 Logging', type: A, title: 'CloudTrail is enabled in all regions', v5: '3.1' },
  { id: '3.2', section: '3 Logging', type: A, title: 'CloudTrail log file validation is enabled', v5: '3.2' },
  { id: '3.3', section: '3 Logging', type: A, title: 'AWS Config is enabled in all regions', v5: '3.3' },
  { id: '3.4', section: '3 Logging', type: A, title: 'S3 bucket access logging is enabled on the CloudTrail S3 bucket', v5: '3.4' },
  { id: '3.5', section: '3 Logging', type: A, title: 'CloudTrail logs are encrypted at rest with KMS CMKs', v5: '3.5' },
  { id: '3.6', section: '3 Logging', type: A, title: 'Rotation is enabled for customer-created symmetric CMKs', v5: '3.6' },
  { id: '3.7', section: '3 Logging', type: A, title: 'VPC flow logging is enabled in all VPCs', v5: '3.7' },
  { id: '3.8', section: '3 Logging', type: A, title: 'Object-level logging for write events is enabled for S3 buckets', v5: '3.8' },
  { id: '3.9', section: '3 Logging', type: A, title: 'Object-level logging for read events is enabled for S3 buckets', v5: '3.9' },
  { id: '4.1', section: '4 Monitoring', type: A, title: 'A log metric filter and alarm exist for unauthorized API calls', v5: '4.1' },
  { id: '4.2', section: '4 Monitoring', type: A, title: 'A log metric filter and alarm exist for console sign-in without MFA', v5: '4.2' },
  { id: '4.3', section: '4 Monitoring', type: A, title: 'A log metric filter and alarm exist for usage of the root account', v5: '4.3' },
  { id: '4.4', section: '4 Monitoring', type: A, title: 'A log metric filter and alarm exist for IAM policy changes', v5: '4.4' },
  { id: '4.5', section: '4 Monitoring', type: A, title: 'A log metric filter and alarm exist for CloudTrail configuration changes', v5: '4.5' },
  { id: '4.6', section: '4 Monitoring', type: A, title: 'A log metric filter and alarm exist for console authentication failures', v5: '4.6' },
  { id: '4.7', section: '4 Monitoring', type: A, title: 'A log metric filter and alarm exist for disabling or scheduled deletion of CMKs', v5: '4.7' },
  { id: '4.8', section: '4 Monitoring', type: A, title: 'A log metric filter and alarm exist for S3 bucket policy changes', v5: '4.8' },
  { id: '4.9', section: '4 Monitoring', type: A, title: 'A log metric filter and alarm exist for AWS Config configuration changes', v5: '4.9' },
  { id: '4.10', section: '4 Monitoring', type: A, title: 'A log metric filter and alarm exist for security group changes', v5: '4.10' },
  { id: '4.11', section: '4 Monitoring', type: A, title: 'A log metric filter and alarm exist for network ACL changes', v5: '4.11' },
  { id: '4.12', section: '4 Monitoring', type: A, title: 'A log metric filter and alarm exist for network gateway changes', v5: '4.12' },
  { id: '4.13', section: '4 Monitoring', type: A, title: 'A log metric filter and alarm exist for route table changes', v5: '4.13' },
  { id: '4.14', section: '4 Monitoring', type: A, title: 'A log metric filter and alarm exist for VPC changes', v5: '4.14' },
  { id: '4.15', section: '4 Monitoring', type: A, title: 'A log metric filter and alarm exist for AWS Organizations changes', v5: '4.15' },
  { id: '4.16', section: '4 Monitoring', type: A, title: 'AWS Security Hub is enabled', v5: '4.16' },
  { id: '5.1', section: '5 Networking', type: A, title: 'No network ACL allows ingress from 0.0.0.0/0 to remote administration ports', v5: '5.2' },
  { id: '5.2', section: '5 Networking', type: A, title: 'No security group allows ingress from 0.0.0.0/0 to remote administration ports', v5: '5.3' },
  { id: '5.3', section: '5 Networking', type: A, title: 'No security group allows ingress from ::/0 to remote administration ports', v5: '5.4' },
  { id: '5.4', section: '5 Networking', type: A, title: 'The default security group of every VPC restricts all traffic', v5: '5.5' },
  { id: '5.5', section: '5 Networking', type: M, title: 'Routing tables for VPC peering are least access', v5: '5.6' },
  { id: '5.6', section: '5 Networking', type: A, title: 'The EC2 metadata service allows only IMDSv2', v5: '5.7' },
];
