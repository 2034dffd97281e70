/**
 * The exact AWS operations this product may call, each with the IAM action(s) it needs.
 * This table is the read-only line in data form: the SDK guard refuses anything not in it
 * (an exact list, never a prefix match), and `infra-audit iam-policy` is generated from it.
 * Adding a row is a reviewed change to the product's authority; keep it to reads.
 */
import type { ServiceId } from './clients.js';

export interface ReadOperation {
  /** IAM actions the call needs (some S3 operations authorise under another name). */
  actions: string[];
  /** Why this read exists, for the reviewer of the generated policy. */
  purpose: string;
}

export const READ_OPERATIONS = {
  sts: {
    // GetCallerIdentity needs no permission; listed so the guard lets it through.
    GetCallerIdentity: { actions: [], purpose: 'resolve the identity the server runs as' },
  },
  s3: {
    ListBuckets: { actions: ['s3:ListAllMyBuckets'], purpose: 'list buckets' },
    GetBucketLocation: { actions: ['s3:GetBucketLocation'], purpose: 'bucket region' },
    GetBucketPolicy: { actions: ['s3:GetBucketPolicy'], purpose: 'bucket policy' },
    GetBucketPolicyStatus: { actions: ['s3:GetBucketPolicyStatus'], purpose: "AWS's own public verdict" },
    GetBucketAcl: { actions: ['s3:GetBucketAcl'], purpose: 'bucket ACL grants' },
    GetPublicAccessBlock: { actions: ['s3:GetBucketPublicAccessBlock'], purpose: 'bucket Block Public Access' },
    GetBucketOwnershipControls: { actions: ['s3:GetBucketOwnershipControls'], purpose: 'ACLs disabled or not' },
    GetBucketEncryption: { actions: ['s3:GetEncryptionConfiguration'], purpose: 'default encryption' },
    GetBucketVersioning: { actions: ['s3:GetBucketVersioning'], purpose: 'versioning and MFA delete' },
    GetBucketLogging: { actions: ['s3:GetBucketLogging'], purpose: 'server access logging' },
    GetBucketTagging: { actions: ['s3:GetBucketTagging'], purpose: 'tags' },
    ListObjectsV2: { actions: ['s3:ListBucket'], purpose: 'list objects of allowed buckets (data-plane tools, state backend)' },
    GetObject: { actions: ['s3:GetObject'], purpose: 'read objects of allowed buckets and the Terraform state object' },
    HeadObject: { actions: ['s3:GetObject'], purpose: 'object metadata' },
  },
  s3control: {
    GetPublicAccessBlock: { actions: ['s3:GetAccountPublicAccessBlock'], purpose: 'account Block Public Access' },
  },
  iam: {
    ListRoles: { actions: ['iam:ListRoles'], purpose: 'roles' },
    ListInstanceProfiles: { actions: ['iam:ListInstanceProfiles'], purpose: 'instance profiles (drift)' },
    ListInstanceProfileTags: { actions: ['iam:ListInstanceProfileTags'], purpose: 'instance profile tags (drift)' },
    ListOpenIDConnectProviders: { actions: ['iam:ListOpenIDConnectProviders'], purpose: 'OIDC identity providers (drift)' },
    GetOpenIDConnectProvider: { actions: ['iam:GetOpenIDConnectProvider'], purpose: 'OIDC provider URL, client ids, thumbprints and tags (drift)' },
    GetRole: { actions: ['iam:GetRole'], purpose: 'role last used' },
    ListAttachedRolePolicies: { actions: ['iam:ListAttachedRolePolicies'], purpose: 'role policies' },
    ListRolePolicies: { actions: ['iam:ListRolePolicies'], purpose: 'role inline policies' },
    GetRolePolicy: { actions: ['iam:GetRolePolicy'], purpose: 'role inline policy documents' },
    ListPolicies: { actions: ['iam:ListPolicies'], purpose: 'managed policies' },
    GetPolicy: { actions: ['iam:GetPolicy'], purpose: 'managed policy metadata' },
    GetPolicyVersion: { actions: ['iam:GetPolicyVersion'], purpose: 'managed policy documents' },
    ListPolicyTags: { actions: ['iam:ListPolicyTags'], purpose: 'customer-managed policy tags (drift)' },
    ListUsers: { actions: ['iam:ListUsers'], purpose: 'users' },
    ListUserTags: { actions: ['iam:ListUserTags'], purpose: 'user tags (drift)' },
    ListAttachedUserPolicies: { actions: ['iam:ListAttachedUserPolicies'], purpose: 'policies attached to users' },
    ListUserPolicies: { actions: ['iam:ListUserPolicies'], purpose: 'user inline policies' },
    GetUserPolicy: { actions: ['iam:GetUserPolicy'], purpose: 'user inline policy documents' },
    ListGroups: { actions: ['iam:ListGroups'], purpose: 'groups (their policies apply to their members)' },
    GetGroup: { actions: ['iam:GetGroup'], purpose: 'group members' },
    ListAttachedGroupPolicies: { actions: ['iam:ListAttachedGroupPolicies'], purpose: 'policies attached to groups' },
    ListGroupPolicies: { actions: ['iam:ListGroupPolicies'], purpose: 'group inline policies' },
    GetGroupPolicy: { actions: ['iam:GetGroupPolicy'], purpose: 'group inline policy documents' },
    ListMFADevices: { actions: ['iam:ListMFADevices'], purpose: 'MFA' },
    ListVirtualMFADevices: { actions: ['iam:ListVirtualMFADevices'], purpose: 'is root MFA a virtual device (CIS 1.6)' },
    ListEntitiesForPolicy: { actions: ['iam:ListEntitiesForPolicy'], purpose: 'who holds AWSSupportAccess (CIS 1.17)' },
    ListServerCertificates: { actions: ['iam:ListServerCertificates'], purpose: 'expired SSL/TLS certificates in IAM (CIS 1.19)' },
    ListServerCertificateTags: { actions: ['iam:ListServerCertificateTags'], purpose: 'server certificate tags (drift)' },
    ListAccessKeys: { actions: ['iam:ListAccessKeys'], purpose: 'access key age' },
    GetAccessKeyLastUsed: { actions: ['iam:GetAccessKeyLastUsed'], purpose: 'unused keys' },
    GetLoginProfile: { actions: ['iam:GetLoginProfile'], purpose: 'console access' },
    GetAccountPasswordPolicy: { actions: ['iam:GetAccountPasswordPolicy'], purpose: 'password policy' },
    GetAccountSummary: { actions: ['iam:GetAccountSummary'], purpose: 'root MFA and keys' },
    // Generates a report AWS keeps for 4 hours; it changes no configuration (AWS's SecurityAudit policy grants it).
    GenerateCredentialReport: { actions: ['iam:GenerateCredentialReport'], purpose: 'credential report' },
    GetCredentialReport: { actions: ['iam:GetCredentialReport'], purpose: 'credential report' },
    SimulatePrincipalPolicy: { actions: ['iam:SimulatePrincipalPolicy'], purpose: '--verify-readonly: can the server role write?' },
  },
  ec2: {
    DescribeRegions: { actions: ['ec2:DescribeRegions'], purpose: 'enabled regions' },
    DescribeVpcs: { actions: ['ec2:DescribeVpcs'], purpose: 'network context' },
    DescribeInternetGateways: { actions: ['ec2:DescribeInternetGateways'], purpose: 'internet gateways (drift)' },
    DescribeNatGateways: { actions: ['ec2:DescribeNatGateways'], purpose: 'NAT gateways (drift)' },
    DescribeAddresses: { actions: ['ec2:DescribeAddresses'], purpose: 'Elastic IP addresses (drift)' },
    DescribeSubnets: { actions: ['ec2:DescribeSubnets'], purpose: 'network context' },
    DescribeRouteTables: { actions: ['ec2:DescribeRouteTables'], purpose: 'internet-routed subnets' },
    DescribeSecurityGroups: { actions: ['ec2:DescribeSecurityGroups'], purpose: 'security group rules' },
    DescribeInstances: { actions: ['ec2:DescribeInstances'], purpose: 'instances, IMDSv2' },
    DescribeNetworkInterfaces: { actions: ['ec2:DescribeNetworkInterfaces'], purpose: 'security group usage' },
    DescribeNetworkAcls: { actions: ['ec2:DescribeNetworkAcls'], purpose: 'network ACL rules (CIS 5.1)' },
    DescribeFlowLogs: { actions: ['ec2:DescribeFlowLogs'], purpose: 'VPC flow logs (CIS 3.7)' },
    DescribeVolumes: { actions: ['ec2:DescribeVolumes'], purpose: 'EBS volume encryption' },
    GetEbsEncryptionByDefault: { actions: ['ec2:GetEbsEncryptionByDefault'], purpose: 'EBS encryption by default (CIS 2.2.1)' },
    GetInstanceMetadataDefaults: { actions: ['ec2:GetInstanceMetadataDefaults'], purpose: 'account-level IMDS defaults (launch templates that leave IMDSv2 unset)' },
    DescribeSnapshots: { actions: ['ec2:DescribeSnapshots'], purpose: "the account's own EBS snapshots" },
    DescribeSnapshotAttribute: { actions: ['ec2:DescribeSnapshotAttribute'], purpose: 'public or shared EBS snapshots (createVolumePermission)' },
    DescribeImages: { actions: ['ec2:DescribeImages'], purpose: "the account's own AMIs" },
    DescribeImageAttribute: { actions: ['ec2:DescribeImageAttribute'], purpose: 'public or shared AMIs (launchPermission)' },
    DescribeVpcEndpoints: { actions: ['ec2:DescribeVpcEndpoints'], purpose: 'VPC endpoints and their policies (drift)' },
    DescribeKeyPairs: { actions: ['ec2:DescribeKeyPairs'], purpose: 'key pairs (drift; no key material)' },
    DescribeLaunchTemplates: { actions: ['ec2:DescribeLaunchTemplates'], purpose: 'launch templates' },
    DescribeLaunchTemplateVersions: { actions: ['ec2:DescribeLaunchTemplateVersions'], purpose: 'launch templates\' latest and default versions (IMDS, encryption; user data compared by digest, never shown)' },
  },
  rds: {
    DescribeDBInstances: { actions: ['rds:DescribeDBInstances'], purpose: 'DB instances' },
    DescribeDBSnapshots: { actions: ['rds:DescribeDBSnapshots'], purpose: 'DB snapshots' },
    DescribeDBSubnetGroups: { actions: ['rds:DescribeDBSubnetGroups'], purpose: 'DB subnet groups (drift)' },
    ListTagsForResource: { actions: ['rds:ListTagsForResource'], purpose: 'DB subnet group tags (drift; DescribeDBSubnetGroups returns none)' },
    DescribeDBSnapshotAttributes: { actions: ['rds:DescribeDBSnapshotAttributes'], purpose: 'public snapshots' },
    DescribeDBClusters: { actions: ['rds:DescribeDBClusters'], purpose: 'DB clusters (encryption, drift)' },
    DescribeDBClusterSnapshots: { actions: ['rds:DescribeDBClusterSnapshots'], purpose: 'DB cluster snapshots' },
    DescribeDBClusterSnapshotAttributes: { actions: ['rds:DescribeDBClusterSnapshotAttributes'], purpose: 'public or shared cluster snapshots' },
  },
  cloudwatch: {
    GetMetricData: { actions: ['cloudwatch:GetMetricData'], purpose: 'idle databases' },
    GetMetricStatistics: { actions: ['cloudwatch:GetMetricStatistics'], purpose: 'idle databases' },
    DescribeAlarms: { actions: ['cloudwatch:DescribeAlarms'], purpose: 'alarms on the CIS 4.x metric filters' },
    ListTagsForResource: { actions: ['cloudwatch:ListTagsForResource'], purpose: 'alarm tags (drift)' },
  },
  // Services whose reads are being added (issue 11): empty until a collector needs them.
  cloudtrail: {
    DescribeTrails: { actions: ['cloudtrail:DescribeTrails'], purpose: 'trails (CIS 3.1-3.5, 3.8, 3.9, 4.x)' },
    GetTrailStatus: { actions: ['cloudtrail:GetTrailStatus'], purpose: 'is a trail logging' },
    GetEventSelectors: { actions: ['cloudtrail:GetEventSelectors'], purpose: 'management and S3 data events a trail records' },
    ListTags: { actions: ['cloudtrail:ListTags'], purpose: 'trail tags (drift)' },
  },
  config: {
    DescribeConfigurationRecorders: { actions: ['config:DescribeConfigurationRecorders'], purpose: 'AWS Config recorders (CIS 3.3)' },
    DescribeConfigurationRecorderStatus: { actions: ['config:DescribeConfigurationRecorderStatus'], purpose: 'is AWS Config recording' },
    DescribeDeliveryChannels: { actions: ['config:DescribeDeliveryChannels'], purpose: 'AWS Config delivery channels' },
  },
  kms: {
    ListKeys: { actions: ['kms:ListKeys'], purpose: 'KMS keys' },
    DescribeKey: { actions: ['kms:DescribeKey'], purpose: 'key manager, spec, state (CIS 3.6 applies to customer symmetric keys)' },
    GetKeyRotationStatus: { actions: ['kms:GetKeyRotationStatus'], purpose: 'key rotation (CIS 3.6)' },
    GetKeyPolicy: { actions: ['kms:GetKeyPolicy'], purpose: 'key policies (public or cross-account keys)' },
    ListAliases: { actions: ['kms:ListAliases'], purpose: 'key aliases (drift)' },
    ListResourceTags: { actions: ['kms:ListResourceTags'], purpose: 'key tags (drift)' },
  },
  logs: {
    DescribeLogGroups: { actions: ['logs:DescribeLogGroups'], purpose: 'log groups (CloudTrail delivery, drift)' },
    DescribeMetricFilters: { actions: ['logs:DescribeMetricFilters'], purpose: 'metric filters on the CloudTrail log group (CIS 4.1-4.15)' },
    ListTagsForResource: { actions: ['logs:ListTagsForResource'], purpose: 'log group tags (drift)' },
  },
  sns: {
    ListTopics: { actions: ['sns:ListTopics'], purpose: 'SNS topics' },
    GetTopicAttributes: { actions: ['sns:GetTopicAttributes'], purpose: 'topic policies (public or cross-account topics)' },
    ListSubscriptionsByTopic: { actions: ['sns:ListSubscriptionsByTopic'], purpose: 'confirmed subscribers of alarm topics (CIS 4.x)' },
    ListTagsForResource: { actions: ['sns:ListTagsForResource'], purpose: 'topic tags (drift)' },
  },
  sqs: {
    ListQueues: { actions: ['sqs:ListQueues'], purpose: 'SQS queues' },
    GetQueueAttributes: { actions: ['sqs:GetQueueAttributes'], purpose: 'queue policies (public or cross-account queues) and settings (drift)' },
    ListQueueTags: { actions: ['sqs:ListQueueTags'], purpose: 'queue tags (drift)' },
  },
  lambda: {
    // Lists configurations with environment variables in clear: the collector keeps only their names.
    ListFunctions: { actions: ['lambda:ListFunctions'], purpose: 'Lambda functions (environment values dropped at collection)' },
    GetPolicy: { actions: ['lambda:GetPolicy'], purpose: 'function resource policies (public or cross-account functions)' },
    ListFunctionUrlConfigs: { actions: ['lambda:ListFunctionUrlConfigs'], purpose: 'function URLs without authentication' },
    ListTags: { actions: ['lambda:ListTags'], purpose: 'function tags (drift)' },
  },
  ecr: {
    DescribeRepositories: { actions: ['ecr:DescribeRepositories'], purpose: 'ECR repositories (scan on push, tag immutability, encryption)' },
    GetRepositoryPolicy: { actions: ['ecr:GetRepositoryPolicy'], purpose: 'repository policies (public or cross-account repositories)' },
    ListTagsForResource: { actions: ['ecr:ListTagsForResource'], purpose: 'repository tags (drift)' },
  },
  secretsmanager: {
    // Metadata only: GetSecretValue and BatchGetSecretValue stay refused (SECRET_READS below).
    ListSecrets: { actions: ['secretsmanager:ListSecrets'], purpose: 'secret metadata (rotation, KMS key, tags), never values' },
    GetResourcePolicy: { actions: ['secretsmanager:GetResourcePolicy'], purpose: 'secret resource policies (public or cross-account secrets)' },
  },
  efs: {
    DescribeFileSystems: { actions: ['elasticfilesystem:DescribeFileSystems'], purpose: 'EFS file systems (encryption, CIS 2.4.1)' },
  },
  accessanalyzer: {
    ListAnalyzers: { actions: ['access-analyzer:ListAnalyzers'], purpose: 'IAM Access Analyzer in every region (CIS 1.20)' },
  },
  securityhub: {
    DescribeHub: { actions: ['securityhub:DescribeHub'], purpose: 'is Security Hub enabled (CIS 4.16)' },
  },
  guardduty: {
    ListDetectors: { actions: ['guardduty:ListDetectors'], purpose: 'GuardDuty detectors per region' },
    GetDetector: { actions: ['guardduty:GetDetector'], purpose: 'is the GuardDuty detector enabled' },
  },
  account: {
    GetAlternateContact: { actions: ['account:GetAlternateContact'], purpose: 'security contact registered (CIS 1.2)' },
  },
} satisfies Record<ServiceId, Record<string, ReadOperation>>;

/**
 * One read by name, "service:Operation" (e.g. 's3:GetBucketPolicy'): only rows of the table
 * above type-check, so a check cannot declare a read the product may not make.
 */
export type AwsRead = { [S in ServiceId]: `${S}:${Extract<keyof (typeof READ_OPERATIONS)[S], string>}` }[ServiceId];

/** The table, indexable by any string (callers look up what an SDK command names). */
const TABLE: Record<ServiceId, Record<string, ReadOperation>> = READ_OPERATIONS;

/**
 * Reads that return secrets: refused even though they are reads, with their own error, so
 * that adding one to the table above by mistake still cannot expose a secret.
 * (kms:Decrypt is deliberately absent: S3 needs it on the caller's behalf to serve an
 * SSE-KMS encrypted state or object, and no tool calls KMS directly.)
 */
export const SECRET_READS: Record<string, string> = {
  'secretsmanager:GetSecretValue': 'returns a secret value',
  'secretsmanager:BatchGetSecretValue': 'returns secret values',
  'ssm:GetParameter': 'returns parameter values, decrypted with WithDecryption',
  'ssm:GetParameters': 'returns parameter values, decrypted with WithDecryption',
  'ssm:GetParametersByPath': 'returns parameter values, decrypted with WithDecryption',
  'ssm:GetParameterHistory': 'returns past parameter values',
  'ec2:GetPasswordData': 'returns Windows administrator passwords',
  'lambda:GetFunction': "returns the function's environment variables and a code download link",
  'lambda:GetFunctionConfiguration': "returns the function's environment variables",
  'rds:DownloadDBLogFilePortion': 'returns database logs that may hold credentials',
  'ecr:GetAuthorizationToken': 'returns a registry credential',
  'sts:GetSessionToken': 'mints credentials',
  'sts:GetFederationToken': 'mints credentials',
  'iam:GetSSHPublicKey': 'returns key material',
};

/** The SDK client name (e.g. S3ControlClient) to our service id. */
export const CLIENT_SERVICE: Record<string, ServiceId | string> = {
  STSClient: 'sts',
  S3Client: 's3',
  S3ControlClient: 's3control',
  IAMClient: 'iam',
  EC2Client: 'ec2',
  RDSClient: 'rds',
  CloudWatchClient: 'cloudwatch',
  SecretsManagerClient: 'secretsmanager',
  SSMClient: 'ssm',
  LambdaClient: 'lambda',
  KMSClient: 'kms',
  ECRClient: 'ecr',
  CloudTrailClient: 'cloudtrail',
  ConfigServiceClient: 'config',
  CloudWatchLogsClient: 'logs',
  SNSClient: 'sns',
  SQSClient: 'sqs',
  EFSClient: 'efs',
  AccessAnalyzerClient: 'accessanalyzer',
  SecurityHubClient: 'securityhub',
  GuardDutyClient: 'guardduty',
  AccountClient: 'account',
};

/** Every IAM action the given operations need, sorted and unique. */
export function iamActionsFor(operations: ReadonlyArray<{ service: ServiceId; operation: string }>): string[] {
  const actions = new Set<string>();
  for (const { service, operation } of operations) {
    const row = TABLE[service]?.[operation];
    if (!row) throw new Error(`not a known read operation: ${service}:${operation}`);
    row.actions.forEach((a) => actions.add(a));
  }
  return [...actions].sort();
}

export function allReadOperations(): Array<{ service: ServiceId; operation: string }> {
  return Object.entries(TABLE).flatMap(([service, ops]) =>
    Object.keys(ops).map((operation) => ({ service: service as ServiceId, operation })),
  );
}
