/**
 * The inventory: everything the checks judge, fetched once per audited account.
 *
 * Every value read from AWS is a `Read<T>`: either `{ value }` or `{ error: { code, message } }`.
 * "Not configured" is a value (a bucket without a policy has `policy: { value: null }`); a read
 * that failed (AccessDenied, throttled past its retries, a timeout) is an error, kept per
 * resource and per field, so one denied GetBucketPolicy costs one bucket's policy verdicts
 * and a check that needed it says `error` instead of guessing.
 *
 * A part that was not collected (no selected check needed it) is `undefined`.
 * Shapes are the AWS SDK's own types where AWS has one.
 */
import type {
  Grant,
  LoggingEnabled,
  Owner,
  OwnershipControls,
  PublicAccessBlockConfiguration,
  ServerSideEncryptionConfiguration,
  Tag as S3Tag,
} from '@aws-sdk/client-s3';
import type { AttachedPolicy, PasswordPolicy, ServerCertificateMetadata } from '@aws-sdk/client-iam';
import type { Address, CreateVolumePermission, FlowLog, Image, Instance, InstanceMetadataDefaultsResponse, InternetGateway, KeyPairInfo, LaunchPermission, LaunchTemplate, LaunchTemplateVersion, NatGateway, NetworkAcl, NetworkInterface, RouteTable, SecurityGroup, Snapshot, Subnet, Volume, Vpc, VpcEndpoint } from '@aws-sdk/client-ec2';
import type { FileSystemDescription } from '@aws-sdk/client-efs';
import type { Repository } from '@aws-sdk/client-ecr';
import type { SecretListEntry } from '@aws-sdk/client-secrets-manager';
import type { DBCluster, DBClusterSnapshot, DBClusterSnapshotAttribute, DBInstance, DBSnapshot, DBSnapshotAttribute, DBSubnetGroup } from '@aws-sdk/client-rds';
import type { AdvancedEventSelector, EventSelector, Trail } from '@aws-sdk/client-cloudtrail';
import type { AnalyzerSummary } from '@aws-sdk/client-accessanalyzer';
import type { ConfigurationRecorder, ConfigurationRecorderStatus, DeliveryChannel } from '@aws-sdk/client-config-service';
import type { AliasListEntry, KeyMetadata } from '@aws-sdk/client-kms';
import type { LogGroup, MetricFilter } from '@aws-sdk/client-cloudwatch-logs';
import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';

export interface ReadError {
  code: string;
  message: string;
}

export type Read<T> = { value: T; error?: undefined } | { error: ReadError; value?: undefined };

export interface InventorySnapshot {
  accountId: string;
  /** aws, aws-cn, aws-us-gov: for building ARNs. */
  partition: string;
  /** Who ran the audit (sts:GetCallerIdentity). */
  callerArn: string;
  collectedAt: string;
  /** The regions audited. */
  regions: string[];
  s3?: S3Inventory;
  s3control?: S3ControlInventory;
  iam?: IamInventory;
  /** Keyed by region. */
  ec2?: Record<string, Ec2Inventory>;
  rds?: Record<string, RdsInventory>;
  cloudwatch?: Record<string, CloudWatchInventory>;
  sqs?: Record<string, SqsInventory>;
  lambda?: Record<string, LambdaInventory>;
  cloudtrail?: Record<string, CloudTrailInventory>;
  config?: Record<string, ConfigInventory>;
  accessanalyzer?: Record<string, AccessAnalyzerInventory>;
  securityhub?: Record<string, SecurityHubInventory>;
  guardduty?: Record<string, GuardDutyInventory>;
  account?: AccountInventory;
  kms?: Record<string, KmsInventory>;
  logs?: Record<string, LogsInventory>;
  sns?: Record<string, SnsInventory>;
  efs?: Record<string, EfsInventory>;
  ecr?: Record<string, EcrInventory>;
  secretsmanager?: Record<string, SecretsManagerInventory>;
}

// ---------------------------------------------------------------- S3

export interface S3Inventory {
  buckets: Read<S3Bucket[]>;
  /** Buckets listed but left out because their region is outside the audited regions. */
  bucketsOutsideRegions?: number;
}

export interface S3Bucket {
  name: string;
  arn: string;
  creationDate?: Date;
  region: Read<string>;
  /** The policy JSON text; null: the bucket has no policy. */
  policy: Read<string | null>;
  acl: Read<{ owner?: Owner; grants: Grant[] }>;
  /** Bucket-level Block Public Access; null: not configured. */
  publicAccessBlock: Read<PublicAccessBlockConfiguration | null>;
  ownershipControls: Read<OwnershipControls | null>;
  /** Default encryption; null: none configured. */
  encryption: Read<ServerSideEncryptionConfiguration | null>;
  versioning: Read<{ status?: string; mfaDelete?: string }>;
  /** null: server access logging off. */
  logging: Read<LoggingEnabled | null>;
  tags: Read<S3Tag[]>;
}

export interface S3ControlInventory {
  /** Account-level Block Public Access; null: not configured. */
  publicAccessBlock: Read<PublicAccessBlockConfiguration | null>;
}

// ---------------------------------------------------------------- IAM

/** One row of the credential report, keyed by its CSV header (user, arn, mfa_active, ...). */
export type CredentialReportRow = Record<string, string>;

export interface IamInlinePolicy {
  policyName: string;
  /** The policy JSON text (URL-decoded). */
  document: string;
}

export interface IamAccessKey {
  accessKeyId: string;
  status: string;
  createDate?: Date;
  /** null: never used. */
  lastUsed: Read<{ lastUsedDate?: Date; serviceName?: string; region?: string }>;
}

export interface IamUser {
  userName: string;
  arn: string;
  path?: string;
  userId?: string;
  createDate?: Date;
  passwordLastUsed?: Date;
  /** null: no console password. */
  loginProfile: Read<{ createDate?: Date } | null>;
  mfaDevices: Read<Array<{ serialNumber: string; enableDate?: Date }>>;
  accessKeys: Read<IamAccessKey[]>;
  attachedPolicies: Read<AttachedPolicy[]>;
  inlinePolicies: Read<IamInlinePolicy[]>;
  /** iam:ListUserTags (ListUsers leaves tags out). */
  tags: Read<Array<{ Key?: string; Value?: string }>>;
}

export interface IamRole {
  roleName: string;
  arn: string;
  path?: string;
  description?: string;
  maxSessionDuration?: number;
  createDate?: Date;
  /** The trust policy JSON text (URL-decoded). */
  assumeRolePolicyDocument: string;
  /** From iam:GetRole. lastUsedDate absent: not used within IAM's tracking window. */
  lastUsed: Read<{ lastUsedDate?: Date; region?: string }>;
  /** From iam:GetRole (ListRoles leaves tags out). */
  tags: Read<Array<{ Key?: string; Value?: string }>>;
  attachedPolicies: Read<AttachedPolicy[]>;
  inlinePolicies: Read<IamInlinePolicy[]>;
}

export interface IamGroup {
  groupName: string;
  arn: string;
  path?: string;
  groupId?: string;
  createDate?: Date;
  /** iam:GetGroup: the user names of its members. */
  members: Read<string[]>;
  attachedPolicies: Read<AttachedPolicy[]>;
  inlinePolicies: Read<IamInlinePolicy[]>;
}

export interface IamManagedPolicy {
  arn: string;
  policyName: string;
  path?: string;
  awsManaged: boolean;
  attachmentCount: number;
  defaultVersionId?: string;
  /** The default version's JSON text (URL-decoded). */
  document: Read<string>;
  /** iam:ListPolicyTags (ListPolicies leaves tags out), for drift; customer-managed policies only: AWS-managed ones are never read. */
  tags?: Read<Array<{ Key?: string; Value?: string }>>;
}

export interface IamInventory {
  credentialReport: Read<CredentialReportRow[]>;
  accountSummary: Read<Record<string, number>>;
  /** null: no password policy set (IAM defaults apply). */
  passwordPolicy: Read<PasswordPolicy | null>;
  users: Read<IamUser[]>;
  roles: Read<IamRole[]>;
  /** Groups, with their members and their own policies (their members get those policies). */
  groups: Read<IamGroup[]>;
  /** Customer-managed policies, and AWS-managed ones attached to something. */
  policies: Read<IamManagedPolicy[]>;
  instanceProfiles: Read<IamInstanceProfile[]>;
  /** ListVirtualMFADevices (assigned or not): whose MFA is a virtual device; root's shows as arn:...:root. */
  virtualMfaDevices: Read<Array<{ serialNumber: string; userArn?: string; enableDate?: Date }>>;
  /** ListEntitiesForPolicy on AWSSupportAccess: who can open AWS Support cases (CIS 1.17). */
  supportAccess: Read<{ policyArn: string; roles: string[]; users: string[]; groups: string[] }>;
  /** ListServerCertificates: SSL/TLS certificates stored in IAM (CIS 1.19). */
  serverCertificates: Read<IamServerCertificate[]>;
  /** ListOpenIDConnectProviders, each read with GetOpenIDConnectProvider. */
  openIdConnectProviders: Read<IamOidcProvider[]>;
}

/** A certificate's metadata as ListServerCertificates returns it, and its tags. */
export type IamServerCertificate = ServerCertificateMetadata & {
  /** iam:ListServerCertificateTags (ListServerCertificates leaves tags out), for drift. */
  tags: Read<Array<{ Key?: string; Value?: string }>>;
};

export interface IamOidcProvider {
  arn: string;
  /** GetOpenIDConnectProvider: the URL as IAM returns it (no scheme), client ids, thumbprints, tags. */
  details: Read<{ url: string; clientIds: string[]; thumbprints: string[]; createDate?: Date; tags: Array<{ Key?: string; Value?: string }> }>;
}

export interface IamInstanceProfile {
  name: string;
  arn: string;
  path: string;
  /** The role names it passes to instances (at most one). */
  roles: string[];
  /** iam:ListInstanceProfileTags (ListInstanceProfiles leaves tags out), for drift. */
  tags: Read<Array<{ Key?: string; Value?: string }>>;
}

// ---------------------------------------------------------------- EC2, RDS, CloudWatch (per region)

export interface Ec2Inventory {
  securityGroups: Read<SecurityGroup[]>;
  instances: Read<Instance[]>;
  vpcs: Read<Vpc[]>;
  subnets: Read<Subnet[]>;
  routeTables: Read<RouteTable[]>;
  networkInterfaces: Read<NetworkInterface[]>;
  internetGateways: Read<InternetGateway[]>;
  natGateways: Read<NatGateway[]>;
  /** Elastic IP addresses. */
  addresses: Read<Address[]>;
  /** Network ACLs with their entries (the catch-all deny rules included, as AWS lists them). */
  networkAcls: Read<NetworkAcl[]>;
  /** VPC, subnet and network interface flow logs. */
  flowLogs: Read<FlowLog[]>;
  /** EBS volumes. */
  volumes: Read<Volume[]>;
  /** GetEbsEncryptionByDefault: is every new volume in the region encrypted? */
  ebsEncryptionByDefault: Read<boolean>;
  /** This account's EBS snapshots (DescribeSnapshots OwnerIds self), each with who may create volumes from it. */
  snapshots: Read<Ec2Snapshot[]>;
  /** This account's AMIs (DescribeImages Owners self), each with who may launch it. */
  images: Read<Ec2Image[]>;
  /** VPC endpoints, each with its policy (AWS's full-access default when none was given). */
  vpcEndpoints: Read<VpcEndpoint[]>;
  /** Key pairs: name, id, type, fingerprint and tags (never the public key: it is not asked for). */
  keyPairs: Read<KeyPairInfo[]>;
  /** Launch templates, each with its latest and default versions. */
  launchTemplates: Read<Ec2LaunchTemplate[]>;
  /**
   * GetInstanceMetadataDefaults: the region's account-level IMDS defaults, which a launch gets for
   * the options its parameters or launch template leave unset (an option with no account-level
   * preference is absent). Absent from snapshots written before it was read.
   */
  instanceMetadataDefaults?: Read<InstanceMetadataDefaultsResponse>;
}

export interface Ec2LaunchTemplate {
  template: LaunchTemplate;
  /** DescribeLaunchTemplateVersions $Latest and $Default: one version when they are the same. */
  versions: Read<Ec2LaunchTemplateVersion[]>;
}

export interface Ec2LaunchTemplateVersion {
  /** The version with its UserData replaced by the redaction marker. */
  version: LaunchTemplateVersion;
  /** The user data concealed (`{user_data: marker}` with its keyed digest, `{}` when none): compared, never shown. */
  userData: Record<string, string>;
}

export interface Ec2Snapshot {
  snapshot: Snapshot;
  /** DescribeSnapshotAttribute createVolumePermission: [{Group: "all"}] is public. */
  createVolumePermissions: Read<CreateVolumePermission[]>;
}

export interface Ec2Image {
  image: Image;
  /** DescribeImageAttribute launchPermission: [{Group: "all"}] is public. */
  launchPermissions: Read<LaunchPermission[]>;
}

export interface RdsSnapshot {
  snapshot: DBSnapshot;
  /** DescribeDBSnapshotAttributes; read for manual snapshots only (automated ones cannot be shared). */
  attributes: Read<DBSnapshotAttribute[]>;
}

export interface RdsClusterSnapshot {
  snapshot: DBClusterSnapshot;
  /** DescribeDBClusterSnapshotAttributes; read for manual snapshots only (automated ones cannot be shared). */
  attributes: Read<DBClusterSnapshotAttribute[]>;
}

/** A DB subnet group as DescribeDBSubnetGroups returns it, and its tags. */
export type RdsSubnetGroup = DBSubnetGroup & {
  /** rds:ListTagsForResource on the group's ARN (DescribeDBSubnetGroups returns no tags), for drift. */
  tags: Read<Array<{ Key?: string; Value?: string }>>;
};

export interface RdsInventory {
  dbInstances: Read<DBInstance[]>;
  dbSnapshots: Read<RdsSnapshot[]>;
  dbSubnetGroups: Read<RdsSubnetGroup[]>;
  dbClusters: Read<DBCluster[]>;
  dbClusterSnapshots: Read<RdsClusterSnapshot[]>;
}

/** One DB instance's activity over the idle window, from daily CloudWatch statistics. */
export interface DbActivity {
  /** Highest DatabaseConnections seen in any day of the window; null: no datapoints. */
  connectionsMax: number | null;
  connectionsDatapoints: number;
  /** Mean of the daily CPUUtilization averages; null: no datapoints. */
  cpuAverage: number | null;
}

export interface CloudWatchInventory {
  window: { start: Date; end: Date; days: number };
  /** Keyed by DBInstanceIdentifier. */
  dbActivity: Read<Record<string, Read<DbActivity>>>;
  /** DescribeAlarms: the region's metric alarms, each with its tags. */
  alarms: Read<TaggedAlarm[]>;
}

/** A metric alarm as DescribeAlarms describes it, with ListTagsForResource's tags (DescribeAlarms has none). */
export type TaggedAlarm = MetricAlarm & { tags: Read<Record<string, string>> };

// ---------------------------------------------------------------- SQS (per region)

export interface SqsQueue {
  name: string;
  url: string;
  /** arn:aws:sqs:<region>:<account>:<name>, from the queue URL. */
  arn: string;
  /** GetQueueAttributes "Policy": the JSON text; null: the queue has no resource policy. */
  policy: Read<string | null>;
  /** The rest of GetQueueAttributes "All" (VisibilityTimeout, RedrivePolicy, …), as SQS answers them: strings. */
  attributes: Read<Record<string, string>>;
  /** ListQueueTags. */
  tags: Read<Record<string, string>>;
}

export interface SqsInventory {
  queues: Read<SqsQueue[]>;
}

// ---------------------------------------------------------------- Lambda (per region)

export interface LambdaFunctionUrl {
  url: string;
  /** NONE: anyone on the internet may call the URL; AWS_IAM: only signed requests. */
  authType: string;
  invokeMode?: string;
  /** The alias the URL is on; undefined: the function itself ($LATEST). */
  qualifier?: string;
  cors?: { allowOrigins?: string[]; allowCredentials?: boolean; allowMethods?: string[]; allowHeaders?: string[]; exposeHeaders?: string[]; maxAge?: number };
}

export interface LambdaFunction {
  name: string;
  arn: string;
  runtime?: string;
  role?: string;
  handler?: string;
  description?: string;
  timeout?: number;
  memorySize?: number;
  architectures?: string[];
  kmsKeyArn?: string;
  tracingMode?: string;
  packageType?: string;
  lastModified?: string;
  /**
   * The environment as names only: ListFunctions returns the values in clear, and they often
   * hold credentials, so the collector replaces each value with the redaction marker before the
   * function enters the snapshot (a keyed digest rides along in memory only, for drift to compare
   * by: see redact/secret-digest.ts). null: no environment.
   */
  environment: { variables: Record<string, string> } | null;
  /** The function's VPC attachment; null: not in a VPC. Undefined in snapshots written before it was kept. */
  vpcConfig?: { subnetIds: string[]; securityGroupIds: string[]; vpcId?: string } | null;
  /** Layer version ARNs, in the order Lambda applies them. Undefined in snapshots written before they were kept. */
  layers?: string[];
  /** GetPolicy: the resource-based policy JSON text; null: none. */
  policy: Read<string | null>;
  /** ListFunctionUrlConfigs: the function URLs ($LATEST and aliases); [] when none. */
  urls: Read<LambdaFunctionUrl[]>;
  /** ListTags. */
  tags: Read<Record<string, string>>;
}

export interface LambdaInventory {
  functions: Read<LambdaFunction[]>;
}

// ---------------------------------------------------------------- CloudTrail, AWS Config (per region)

export interface CloudTrailTrail {
  /** The trail's ARN: one trail listed in several regions (multi-region) is one trail. */
  arn: string;
  name: string;
  homeRegion: string;
  /** DescribeTrails' description of the trail. */
  trail: Trail;
  /**
   * GetTrailStatus and GetEventSelectors, read once per trail: where the trail is listed in its
   * home region (or, when the home region is not audited, wherever it is listed). Undefined on
   * the copies of a multi-region trail listed in the other audited regions.
   */
  status?: Read<{ isLogging: boolean; latestDeliveryTime?: Date }>;
  eventSelectors?: Read<{ basic: EventSelector[]; advanced: AdvancedEventSelector[] }>;
  /** ListTags, in the trail's home region, on the same entry as `status` (a trail of another account: undefined). */
  tags?: Read<Record<string, string>>;
}

export interface CloudTrailInventory {
  /** The trails DescribeTrails lists in this region: its own and the multi-region ones. */
  trails: Read<CloudTrailTrail[]>;
}

export interface ConfigInventory {
  recorders: Read<ConfigurationRecorder[]>;
  recorderStatus: Read<ConfigurationRecorderStatus[]>;
  deliveryChannels: Read<DeliveryChannel[]>;
}

// ---------------------------------------------------------------- KMS (per region)

export interface KmsKey {
  keyId: string;
  arn: string;
  /** DescribeKey. */
  metadata: Read<KeyMetadata>;
  /**
   * GetKeyRotationStatus, read only where rotation is the customer's choice: customer managed,
   * symmetric, key material from KMS, not pending deletion. null: rotation does not apply (AWS
   * managed keys rotate on their own; asymmetric, HMAC and imported keys cannot).
   */
  rotation: Read<KmsRotation>;
  /** GetKeyPolicy "default": the key policy's JSON text (every key has one). */
  policy: Read<string>;
  /** ListResourceTags, customer managed keys only (AWS managed keys carry none). */
  tags: Read<KmsTag[]>;
}

export type KmsRotation = { enabled: boolean; periodDays?: number } | null;
export interface KmsTag {
  TagKey?: string;
  TagValue?: string;
}

export interface KmsInventory {
  /** ListKeys: every key of the region, AWS managed ones included. */
  keys: Read<KmsKey[]>;
  /** ListAliases: the region's aliases that point at a key. */
  aliases: Read<AliasListEntry[]>;
}

// ---------------------------------------------------------------- Access Analyzer, Security Hub, GuardDuty (per region), Account

export interface AccessAnalyzerInventory {
  /** ListAnalyzers: every analyzer of the region, of every type. */
  analyzers: Read<AnalyzerSummary[]>;
}

export interface SecurityHubInventory {
  /** DescribeHub; null: the region is not subscribed to Security Hub. */
  hub: Read<{ hubArn: string; subscribedAt?: string; autoEnableControls?: boolean; controlFindingGenerator?: string } | null>;
}

export interface GuardDutyDetector {
  detectorId: string;
  /** GetDetector. */
  detector: Read<{ status: string; findingPublishingFrequency?: string; createdAt?: string; tags: Record<string, string> }>;
}

export interface GuardDutyInventory {
  /** ListDetectors, each read with GetDetector; [] when GuardDuty was never enabled in the region. */
  detectors: Read<GuardDutyDetector[]>;
}

export interface AccountInventory {
  /** GetAlternateContact SECURITY; null: no security contact registered. */
  securityContact: Read<{ name: string; title: string; emailAddress: string; phoneNumber: string } | null>;
}

// ---------------------------------------------------------------- CloudWatch Logs, SNS (per region)

export interface LogsInventory {
  logGroups: Read<TaggedLogGroup[]>;
  /** Every metric filter of the region, each naming its log group. */
  metricFilters: Read<MetricFilter[]>;
}

/** A log group as DescribeLogGroups describes it, with ListTagsForResource's tags (DescribeLogGroups has none). */
export type TaggedLogGroup = LogGroup & { tags: Read<Record<string, string>> };

export interface SnsSubscription {
  /** `PendingConfirmation` until the endpoint confirms. */
  subscriptionArn: string;
  protocol: string;
  endpoint: string;
  owner?: string;
}

export interface SnsTopic {
  arn: string;
  name: string;
  /** GetTopicAttributes: Policy (JSON text), Owner, DisplayName, KmsMasterKeyId, ... */
  attributes: Read<Record<string, string>>;
  subscriptions: Read<SnsSubscription[]>;
  /** ListTagsForResource. */
  tags: Read<Record<string, string>>;
}

export interface SnsInventory {
  topics: Read<SnsTopic[]>;
}

// ---------------------------------------------------------------- EFS (per region)

export interface EfsInventory {
  /** DescribeFileSystems. */
  fileSystems: Read<FileSystemDescription[]>;
}

// ---------------------------------------------------------------- ECR (per region)

export interface EcrRepository {
  name: string;
  arn: string;
  /** DescribeRepositories: URI, tag mutability, scan on push, encryption, creation time. */
  repository: Repository;
  /** GetRepositoryPolicy: the policy JSON text; null: none (RepositoryPolicyNotFoundException). */
  policy: Read<string | null>;
  /** ListTagsForResource. */
  tags: Read<Array<{ Key?: string; Value?: string }>>;
}

export interface EcrInventory {
  repositories: Read<EcrRepository[]>;
}

// ---------------------------------------------------------------- Secrets Manager (per region)

/**
 * A secret's metadata as ListSecrets lists it, minus SecretVersionsToStages. Never a value: the
 * audit has no read that returns one (GetSecretValue is refused by the read-only guard).
 */
export type SecretMetadata = Omit<SecretListEntry, 'SecretVersionsToStages'>;

export interface SecretsManagerSecret {
  name: string;
  arn: string;
  secret: SecretMetadata;
  /** GetResourcePolicy: the policy JSON text; null: the secret has no resource policy. */
  policy: Read<string | null>;
}

export interface SecretsManagerInventory {
  /** ListSecrets (secrets scheduled for deletion left out, as AWS lists them by default). */
  secrets: Read<SecretsManagerSecret[]>;
}
