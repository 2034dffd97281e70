/**
 * The sandbox account file: one AWS account as JSON, with fields named as in the AWS API
 * responses, so that a person who knows AWS can write one without reading our code.
 *
 * Global services (S3, S3 Control, IAM, STS) sit at the top; regional ones (EC2, RDS,
 * CloudWatch) sit under `Regions.<region>`. The zod schema below is the single source:
 * the JSON Schema in `schemas/sandbox-account.schema.json` is generated from it.
 */
import { z } from 'zod';

const Timestamp = z.iso.datetime({ offset: true }).describe('ISO-8601 timestamp, e.g. 2026-01-31T12:00:00Z');
const AccountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');
const Region = z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, 'must be an AWS region name such as us-east-1');

/** A policy document: either the JSON object or the JSON string as AWS stores it. */
const PolicyDocument = z.union([z.record(z.string(), z.unknown()), z.string()]);

const Tag = z.strictObject({ Key: z.string().min(1).max(128), Value: z.string().max(256) });
const Tags = z.array(Tag);

// ---------------------------------------------------------------- S3

const PublicAccessBlockConfiguration = z.strictObject({
  BlockPublicAcls: z.boolean(),
  IgnorePublicAcls: z.boolean(),
  BlockPublicPolicy: z.boolean(),
  RestrictPublicBuckets: z.boolean(),
});

const Grantee = z.strictObject({
  Type: z.enum(['CanonicalUser', 'Group', 'AmazonCustomerByEmail']),
  ID: z.string().optional(),
  DisplayName: z.string().optional(),
  URI: z.string().optional(),
  EmailAddress: z.string().optional(),
});

const Grant = z.strictObject({
  Grantee,
  Permission: z.enum(['FULL_CONTROL', 'WRITE', 'WRITE_ACP', 'READ', 'READ_ACP']),
});

const Owner = z.strictObject({ ID: z.string(), DisplayName: z.string().optional() });

const S3Object = z
  .strictObject({
    Key: z.string().min(1),
    /** UTF-8 text body. */
    Body: z.string().optional(),
    /** Binary body, base64. */
    BodyBase64: z.string().optional(),
    /** For synthetic objects without a body: the size to report; the body is generated. */
    Size: z.number().int().nonnegative().optional(),
    ContentType: z.string().optional(),
    LastModified: Timestamp.optional(),
    StorageClass: z.string().optional(),
    Metadata: z.record(z.string(), z.string()).optional(),
  })
  .refine((o) => [o.Body, o.BodyBase64].filter((b) => b !== undefined).length <= 1, {
    message: 'give at most one of Body and BodyBase64',
  });

const Bucket = z.strictObject({
  Name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)'),
  CreationDate: Timestamp,
  /** The bucket's region (GetBucketLocation). Defaults to the account's first region. */
  Region: Region.optional(),
  Policy: PolicyDocument.optional(),
  Acl: z.strictObject({ Owner: Owner.optional(), Grants: z.array(Grant) }).optional(),
  PublicAccessBlock: PublicAccessBlockConfiguration.optional(),
  OwnershipControls: z
    .strictObject({
      Rules: z.array(
        z.strictObject({ ObjectOwnership: z.enum(['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter']) }),
      ),
    })
    .optional(),
  /** GetBucketEncryption's ServerSideEncryptionConfiguration. Absent: no default encryption. */
  ServerSideEncryptionConfiguration: z
    .strictObject({
      Rules: z.array(
        z.strictObject({
          ApplyServerSideEncryptionByDefault: z
            .strictObject({
              SSEAlgorithm: z.enum(['AES256', 'aws:kms', 'aws:kms:dsse']),
              KMSMasterKeyID: z.string().optional(),
            })
            .optional(),
          BucketKeyEnabled: z.boolean().optional(),
        }),
      ),
    })
    .optional(),
  /** GetBucketVersioning. Absent: never enabled. */
  Versioning: z
    .strictObject({
      Status: z.enum(['Enabled', 'Suspended']).optional(),
      MFADelete: z.enum(['Enabled', 'Disabled']).optional(),
    })
    .optional(),
  /** GetBucketLogging's LoggingEnabled. Absent: logging off. */
  LoggingEnabled: z.strictObject({ TargetBucket: z.string(), TargetPrefix: z.string() }).optional(),
  Tags: Tags.optional(),
  Objects: z.array(S3Object).optional(),
});

// ---------------------------------------------------------------- IAM

const AttachedPolicy = z.strictObject({ PolicyName: z.string(), PolicyArn: z.string() });
const InlinePolicy = z.strictObject({ PolicyName: z.string(), PolicyDocument });

const Role = z.strictObject({
  RoleName: z.string().min(1).max(64),
  RoleId: z.string().optional(),
  Arn: z.string().optional(),
  Path: z.string().optional(),
  CreateDate: Timestamp,
  Description: z.string().optional(),
  MaxSessionDuration: z.number().int().optional(),
  AssumeRolePolicyDocument: PolicyDocument,
  /** GetRole's RoleLastUsed. Absent: never used (in the tracking window). */
  RoleLastUsed: z.strictObject({ LastUsedDate: Timestamp.optional(), Region: z.string().optional() }).optional(),
  Tags: Tags.optional(),
  AttachedPolicies: z.array(AttachedPolicy).optional(),
  InlinePolicies: z.array(InlinePolicy).optional(),
});

const AccessKey = z.strictObject({
  AccessKeyId: z.string().regex(/^(AKIA|ASIA)[A-Z0-9]{12,}$/, 'must look like an AWS access key id (AKIA...)'),
  Status: z.enum(['Active', 'Inactive']),
  CreateDate: Timestamp,
  /** GetAccessKeyLastUsed. Absent: never used. */
  LastUsed: z
    .strictObject({ LastUsedDate: Timestamp.optional(), ServiceName: z.string().optional(), Region: z.string().optional() })
    .optional(),
});

const User = z.strictObject({
  UserName: z.string().min(1).max(64),
  UserId: z.string().optional(),
  Arn: z.string().optional(),
  Path: z.string().optional(),
  CreateDate: Timestamp,
  PasswordLastUsed: Timestamp.optional(),
  /** GetLoginProfile. Absent: no console password. */
  LoginProfile: z.strictObject({ CreateDate: Timestamp, PasswordResetRequired: z.boolean().optional() }).optional(),
  MFADevices: z.array(z.strictObject({ SerialNumber: z.string(), EnableDate: Timestamp })).optional(),
  AccessKeys: z.array(AccessKey).optional(),
  AttachedPolicies: z.array(AttachedPolicy).optional(),
  InlinePolicies: z.array(InlinePolicy).optional(),
  Tags: Tags.optional(),
});

/** An IAM group: GetGroup's group, its members (by user name), and its own policies. */
const Group = z.strictObject({
  GroupName: z.string().min(1).max(128),
  GroupId: z.string().optional(),
  Arn: z.string().optional(),
  Path: z.string().optional(),
  CreateDate: Timestamp,
  /** The names of the users in the group (GetGroup's Users). */
  Users: z.array(z.string()).optional(),
  AttachedPolicies: z.array(AttachedPolicy).optional(),
  InlinePolicies: z.array(InlinePolicy).optional(),
});

const ManagedPolicy = z.strictObject({
  PolicyName: z.string(),
  PolicyId: z.string().optional(),
  Arn: z.string().optional(),
  Path: z.string().optional(),
  Description: z.string().optional(),
  CreateDate: Timestamp,
  UpdateDate: Timestamp.optional(),
  /** True for AWS-managed policies (arn:aws:iam::aws:policy/...). */
  AwsManaged: z.boolean().optional(),
  DefaultVersionId: z.string().optional(),
  /** ListPolicyTags (and GetPolicy); ListPolicies leaves them out. */
  Tags: Tags.optional(),
  Versions: z
    .array(z.strictObject({ VersionId: z.string(), IsDefaultVersion: z.boolean(), CreateDate: Timestamp, Document: PolicyDocument }))
    .min(1),
});

const PasswordPolicy = z.strictObject({
  MinimumPasswordLength: z.number().int().optional(),
  RequireSymbols: z.boolean().optional(),
  RequireNumbers: z.boolean().optional(),
  RequireUppercaseCharacters: z.boolean().optional(),
  RequireLowercaseCharacters: z.boolean().optional(),
  AllowUsersToChangePassword: z.boolean().optional(),
  ExpirePasswords: z.boolean().optional(),
  MaxPasswordAge: z.number().int().optional(),
  PasswordReusePrevention: z.number().int().optional(),
  HardExpiry: z.boolean().optional(),
});

/** The root user, as the credential report describes it. */
const RootUser = z.strictObject({
  CreateDate: Timestamp,
  PasswordLastUsed: Timestamp.optional(),
  MFAActive: z.boolean(),
  /** Hardware MFA: no virtual MFA device is listed for root. Otherwise an active root MFA is a virtual device (ListVirtualMFADevices). */
  HardwareMFA: z.boolean().optional(),
  AccessKeys: z.array(AccessKey).max(2).optional(),
});

/** ListInstanceProfiles: a profile and the role it passes to instances (at most one). */
const InstanceProfile = z.strictObject({
  InstanceProfileName: z.string().min(1).max(128),
  InstanceProfileId: z.string().optional(),
  Arn: z.string().optional(),
  Path: z.string().optional(),
  CreateDate: Timestamp,
  Roles: z.array(z.string()).max(1).optional(),
  /** ListInstanceProfileTags; ListInstanceProfiles leaves them out. */
  Tags: Tags.optional(),
});

/** ListServerCertificates: an SSL/TLS certificate stored in IAM (metadata only). */
const ServerCertificate = z.strictObject({
  ServerCertificateName: z.string().min(1).max(128),
  ServerCertificateId: z.string().optional(),
  Arn: z.string().optional(),
  Path: z.string().optional(),
  UploadDate: Timestamp,
  Expiration: Timestamp,
  /** ListServerCertificateTags; ListServerCertificates leaves them out. */
  Tags: Tags.optional(),
});

/**
 * GetOpenIDConnectProvider: an OIDC identity provider (GitHub Actions, EKS, Google). `Url` as
 * created (`https://token.actions.githubusercontent.com`); IAM returns and keys it without the scheme.
 */
const OpenIDConnectProvider = z.strictObject({
  Url: z
    .string()
    .regex(/^(https:\/\/)?[a-z0-9.-]+(:\d+)?(\/[^\s]*)?$/i, 'must be an https URL such as https://token.actions.githubusercontent.com'),
  Arn: z.string().optional(),
  ClientIDList: z.array(z.string().min(1).max(255)).max(100).optional(),
  ThumbprintList: z.array(z.string().regex(/^[0-9a-fA-F]{40}$/, 'must be a 40-character hex SHA-1 thumbprint')).max(5).optional(),
  CreateDate: Timestamp,
  Tags: Tags.optional(),
});

const IAM = z.strictObject({
  AccountAlias: z.string().optional(),
  OpenIDConnectProviders: z.array(OpenIDConnectProvider).optional(),
  ServerCertificates: z.array(ServerCertificate).optional(),
  Roles: z.array(Role).optional(),
  InstanceProfiles: z.array(InstanceProfile).optional(),
  Users: z.array(User).optional(),
  Groups: z.array(Group).optional(),
  Policies: z.array(ManagedPolicy).optional(),
  /** GetAccountPasswordPolicy. Absent: NoSuchEntity (no policy set). */
  PasswordPolicy: PasswordPolicy.optional(),
  Root: RootUser.optional(),
});

// ---------------------------------------------------------------- EC2

const IpPermission = z.strictObject({
  IpProtocol: z.string().describe('tcp, udp, icmp, icmpv6, a protocol number, or -1 for all'),
  FromPort: z.number().int().optional(),
  ToPort: z.number().int().optional(),
  IpRanges: z.array(z.strictObject({ CidrIp: z.string(), Description: z.string().optional() })).optional(),
  Ipv6Ranges: z.array(z.strictObject({ CidrIpv6: z.string(), Description: z.string().optional() })).optional(),
  UserIdGroupPairs: z
    .array(z.strictObject({ GroupId: z.string(), UserId: z.string().optional(), Description: z.string().optional() }))
    .optional(),
  PrefixListIds: z.array(z.strictObject({ PrefixListId: z.string(), Description: z.string().optional() })).optional(),
});

const SecurityGroup = z.strictObject({
  GroupId: z.string().regex(/^sg-[0-9a-f]{8,17}$/, 'must look like sg-0123abcd'),
  GroupName: z.string(),
  Description: z.string().optional(),
  VpcId: z.string().optional(),
  IpPermissions: z.array(IpPermission).optional(),
  IpPermissionsEgress: z.array(IpPermission).optional(),
  Tags: Tags.optional(),
});

const Vpc = z.strictObject({
  VpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, 'must look like vpc-0123abcd'),
  CidrBlock: z.string(),
  IsDefault: z.boolean().optional(),
  State: z.enum(['pending', 'available']).optional(),
  Tags: Tags.optional(),
});

const Subnet = z.strictObject({
  SubnetId: z.string().regex(/^subnet-[0-9a-f]{8,17}$/, 'must look like subnet-0123abcd'),
  VpcId: z.string(),
  CidrBlock: z.string(),
  AvailabilityZone: z.string(),
  MapPublicIpOnLaunch: z.boolean().optional(),
  Tags: Tags.optional(),
});

const RouteTable = z.strictObject({
  RouteTableId: z.string().regex(/^rtb-[0-9a-f]{8,17}$/, 'must look like rtb-0123abcd'),
  VpcId: z.string(),
  Routes: z
    .array(
      z.strictObject({
        DestinationCidrBlock: z.string().optional(),
        DestinationIpv6CidrBlock: z.string().optional(),
        DestinationPrefixListId: z.string().optional(),
        GatewayId: z.string().optional(),
        NatGatewayId: z.string().optional(),
        TransitGatewayId: z.string().optional(),
        VpcPeeringConnectionId: z.string().optional(),
        NetworkInterfaceId: z.string().optional(),
        EgressOnlyInternetGatewayId: z.string().optional(),
        State: z.enum(['active', 'blackhole']).optional(),
      }),
    )
    .optional(),
  Associations: z
    .array(
      z.strictObject({
        RouteTableAssociationId: z.string().optional(),
        SubnetId: z.string().optional(),
        Main: z.boolean().optional(),
      }),
    )
    .optional(),
  Tags: Tags.optional(),
});

const Instance = z.strictObject({
  InstanceId: z.string().regex(/^i-[0-9a-f]{8,17}$/, 'must look like i-0123abcd'),
  InstanceType: z.string(),
  ImageId: z.string().optional(),
  /** The EC2 key pair the instance was launched with. */
  KeyName: z.string().optional(),
  State: z.strictObject({ Name: z.enum(['pending', 'running', 'shutting-down', 'terminated', 'stopping', 'stopped']) }),
  LaunchTime: Timestamp,
  VpcId: z.string().optional(),
  SubnetId: z.string().optional(),
  PrivateIpAddress: z.string().optional(),
  PublicIpAddress: z.string().optional(),
  SecurityGroups: z.array(z.strictObject({ GroupId: z.string(), GroupName: z.string().optional() })).optional(),
  IamInstanceProfile: z.strictObject({ Arn: z.string() }).optional(),
  MetadataOptions: z
    .strictObject({
      HttpTokens: z.enum(['optional', 'required']),
      HttpEndpoint: z.enum(['enabled', 'disabled']).optional(),
      HttpPutResponseHopLimit: z.number().int().optional(),
    })
    .optional(),
  Tags: Tags.optional(),
});

const NetworkInterface = z.strictObject({
  NetworkInterfaceId: z.string().regex(/^eni-[0-9a-f]{8,17}$/, 'must look like eni-0123abcd'),
  SubnetId: z.string().optional(),
  VpcId: z.string().optional(),
  Description: z.string().optional(),
  InterfaceType: z.string().optional(),
  Status: z.string().optional(),
  PrivateIpAddress: z.string().optional(),
  Groups: z.array(z.strictObject({ GroupId: z.string(), GroupName: z.string().optional() })).optional(),
  Attachment: z.strictObject({ InstanceId: z.string().optional(), Status: z.string().optional() }).optional(),
  Association: z.strictObject({ PublicIp: z.string().optional() }).optional(),
});

const InternetGateway = z.strictObject({
  InternetGatewayId: z.string().regex(/^igw-[0-9a-f]{8,17}$/, 'must look like igw-0123abcd'),
  /** The VPC it is attached to; absent: detached. */
  VpcId: z.string().optional(),
  Tags: Tags.optional(),
});

const NatGateway = z.strictObject({
  NatGatewayId: z.string().regex(/^nat-[0-9a-f]{8,17}$/, 'must look like nat-0123abcd'),
  SubnetId: z.string(),
  VpcId: z.string(),
  State: z.enum(['pending', 'failed', 'available', 'deleting', 'deleted']).optional(),
  ConnectivityType: z.enum(['public', 'private']).optional(),
  AllocationId: z.string().optional(),
  PublicIp: z.string().optional(),
  PrivateIp: z.string().optional(),
  NetworkInterfaceId: z.string().optional(),
  CreateTime: Timestamp,
  Tags: Tags.optional(),
});

/** An Elastic IP address (DescribeAddresses). */
const Address = z.strictObject({
  AllocationId: z.string().regex(/^eipalloc-[0-9a-f]{8,17}$/, 'must look like eipalloc-0123abcd'),
  PublicIp: z.string(),
  Domain: z.enum(['vpc', 'standard']).optional(),
  AssociationId: z.string().optional(),
  InstanceId: z.string().optional(),
  NetworkInterfaceId: z.string().optional(),
  PrivateIpAddress: z.string().optional(),
  Tags: Tags.optional(),
});

/** A network ACL entry (DescribeNetworkAcls). AWS adds the catch-all deny rules (32767, 32768) itself. */
const NetworkAclEntry = z.strictObject({
  RuleNumber: z.number().int().min(1).max(32766),
  Protocol: z.string().describe('-1 for all, or a protocol number: 6 (tcp), 17 (udp), 1 (icmp), 58 (icmpv6)'),
  RuleAction: z.enum(['allow', 'deny']),
  Egress: z.boolean(),
  CidrBlock: z.string().optional(),
  Ipv6CidrBlock: z.string().optional(),
  PortRange: z.strictObject({ From: z.number().int(), To: z.number().int() }).optional(),
  IcmpTypeCode: z.strictObject({ Type: z.number().int(), Code: z.number().int() }).optional(),
});

const NetworkAcl = z.strictObject({
  NetworkAclId: z.string().regex(/^acl-[0-9a-f]{8,17}$/, 'must look like acl-0123abcd'),
  VpcId: z.string(),
  /** The VPC's default network ACL (made by AWS with the VPC). */
  IsDefault: z.boolean().optional(),
  Entries: z.array(NetworkAclEntry).optional(),
  /** The subnets the ACL applies to. */
  Associations: z.array(z.strictObject({ SubnetId: z.string(), NetworkAclAssociationId: z.string().optional() })).optional(),
  Tags: Tags.optional(),
});

const FlowLog = z.strictObject({
  FlowLogId: z.string().regex(/^fl-[0-9a-f]{8,17}$/, 'must look like fl-0123abcd'),
  /** The VPC, subnet or network interface it records. */
  ResourceId: z.string(),
  TrafficType: z.enum(['ACCEPT', 'REJECT', 'ALL']),
  LogDestinationType: z.enum(['cloud-watch-logs', 's3', 'kinesis-data-firehose']).optional(),
  LogDestination: z.string().optional(),
  LogGroupName: z.string().optional(),
  DeliverLogsPermissionArn: z.string().optional(),
  FlowLogStatus: z.enum(['ACTIVE']).optional(),
  DeliverLogsStatus: z.enum(['SUCCESS', 'FAILED']).optional(),
  LogFormat: z.string().optional(),
  MaxAggregationInterval: z.union([z.literal(60), z.literal(600)]).optional(),
  CreationTime: Timestamp,
  Tags: Tags.optional(),
});

const Volume = z.strictObject({
  VolumeId: z.string().regex(/^vol-[0-9a-f]{8,17}$/, 'must look like vol-0123abcd'),
  Size: z.number().int().positive(),
  AvailabilityZone: z.string(),
  VolumeType: z.enum(['standard', 'io1', 'io2', 'gp2', 'gp3', 'sc1', 'st1']).optional(),
  Iops: z.number().int().optional(),
  Throughput: z.number().int().optional(),
  Encrypted: z.boolean(),
  KmsKeyId: z.string().optional(),
  SnapshotId: z.string().optional(),
  State: z.enum(['creating', 'available', 'in-use', 'deleting', 'deleted', 'error']).optional(),
  CreateTime: Timestamp,
  MultiAttachEnabled: z.boolean().optional(),
  Attachments: z
    .array(z.strictObject({ InstanceId: z.string(), Device: z.string(), State: z.enum(['attaching', 'attached', 'detaching', 'detached']).optional(), DeleteOnTermination: z.boolean().optional() }))
    .optional(),
  Tags: Tags.optional(),
});

/** An EBS snapshot this account owns (DescribeSnapshots OwnerIds self). */
const EbsSnapshot = z.strictObject({
  SnapshotId: z.string().regex(/^snap-[0-9a-f]{8,17}$/, 'must look like snap-0123abcd'),
  VolumeId: z.string().optional(),
  VolumeSize: z.number().int().positive(),
  StartTime: Timestamp,
  State: z.enum(['pending', 'completed', 'error', 'recoverable', 'recovering']).optional(),
  Description: z.string().optional(),
  Encrypted: z.boolean(),
  KmsKeyId: z.string().optional(),
  /** DescribeSnapshotAttribute createVolumePermission: {Group: "all"} makes it public, {UserId} shares it with an account. */
  CreateVolumePermissions: z.array(z.strictObject({ Group: z.literal('all').optional(), UserId: z.string().optional() })).optional(),
  Tags: Tags.optional(),
});

/** An AMI this account owns (DescribeImages Owners self). */
const Image = z.strictObject({
  ImageId: z.string().regex(/^ami-[0-9a-f]{8,17}$/, 'must look like ami-0123abcd'),
  Name: z.string(),
  Description: z.string().optional(),
  CreationDate: Timestamp,
  State: z.enum(['pending', 'available', 'invalid', 'deregistered', 'transient', 'failed', 'error', 'disabled']).optional(),
  Architecture: z.enum(['i386', 'x86_64', 'arm64', 'x86_64_mac', 'arm64_mac']).optional(),
  RootDeviceName: z.string().optional(),
  /** The snapshots behind the image's block devices. */
  BlockDeviceSnapshots: z.array(z.string()).optional(),
  /** DescribeImageAttribute launchPermission: {Group: "all"} makes it public; a UserId, OrganizationArn or OrganizationalUnitArn shares it. */
  LaunchPermissions: z
    .array(z.strictObject({ Group: z.literal('all').optional(), UserId: z.string().optional(), OrganizationArn: z.string().optional(), OrganizationalUnitArn: z.string().optional() }))
    .optional(),
  Tags: Tags.optional(),
});

/** A VPC endpoint (DescribeVpcEndpoints). Without a PolicyDocument AWS answers its default full-access policy. */
const VpcEndpoint = z.strictObject({
  VpcEndpointId: z.string().regex(/^vpce-[0-9a-f]{8,17}$/, 'must look like vpce-0123abcd'),
  VpcId: z.string(),
  ServiceName: z.string().describe('e.g. com.amazonaws.us-east-1.s3'),
  VpcEndpointType: z.enum(['Interface', 'Gateway', 'GatewayLoadBalancer']).optional().describe('absent: Gateway'),
  State: z.enum(['pendingAcceptance', 'pending', 'available', 'deleting', 'deleted', 'rejected', 'failed', 'expired']).optional(),
  PolicyDocument: PolicyDocument.optional(),
  PrivateDnsEnabled: z.boolean().optional(),
  RouteTableIds: z.array(z.string()).optional(),
  SubnetIds: z.array(z.string()).optional(),
  /** The security groups of an Interface endpoint. */
  Groups: z.array(z.strictObject({ GroupId: z.string(), GroupName: z.string().optional() })).optional(),
  CreationTimestamp: Timestamp,
  Tags: Tags.optional(),
});

/** An EC2 key pair (DescribeKeyPairs). The public key itself is not kept: AWS returns it only when asked. */
const KeyPair = z.strictObject({
  KeyPairId: z.string().regex(/^key-[0-9a-f]{8,17}$/, 'must look like key-0123abcd'),
  KeyName: z.string().min(1).max(255),
  KeyType: z.enum(['rsa', 'ed25519']).optional().describe('absent: rsa'),
  KeyFingerprint: z.string(),
  CreateTime: Timestamp,
  Tags: Tags.optional(),
});

/** What a launch template version launches (DescribeLaunchTemplateVersions' LaunchTemplateData): the parts a security review reads. */
const LaunchTemplateData = z.strictObject({
  ImageId: z.string().optional(),
  InstanceType: z.string().optional(),
  KeyName: z.string().optional(),
  /** Base64, as AWS keeps it. It can hold secrets: the product compares it by keyed digest and never shows it. */
  UserData: z.string().optional(),
  IamInstanceProfile: z.strictObject({ Arn: z.string().optional(), Name: z.string().optional() }).optional(),
  SecurityGroupIds: z.array(z.string()).optional(),
  EbsOptimized: z.boolean().optional(),
  /** Absent: the instance gets the account's (or AMI's) default, which allows IMDSv1 unless changed. */
  MetadataOptions: z
    .strictObject({
      HttpTokens: z.enum(['optional', 'required']).optional(),
      HttpEndpoint: z.enum(['enabled', 'disabled']).optional(),
      HttpPutResponseHopLimit: z.number().int().min(1).max(64).optional(),
    })
    .optional(),
  BlockDeviceMappings: z
    .array(
      z.strictObject({
        DeviceName: z.string(),
        Ebs: z
          .strictObject({
            Encrypted: z.boolean().optional(),
            KmsKeyId: z.string().optional(),
            VolumeSize: z.number().int().positive().optional(),
            VolumeType: z.enum(['standard', 'io1', 'io2', 'gp2', 'gp3', 'sc1', 'st1']).optional(),
            DeleteOnTermination: z.boolean().optional(),
          })
          .optional(),
      }),
    )
    .optional(),
});

/** A launch template (DescribeLaunchTemplates) with its versions (DescribeLaunchTemplateVersions); the latest is the highest number. */
const LaunchTemplate = z.strictObject({
  LaunchTemplateId: z.string().regex(/^lt-[0-9a-f]{8,17}$/, 'must look like lt-0123abcd'),
  LaunchTemplateName: z.string().min(3).max(128),
  CreateTime: Timestamp,
  /** Absent: the lowest version number (the first version made). */
  DefaultVersionNumber: z.number().int().positive().optional(),
  Versions: z
    .array(z.strictObject({ VersionNumber: z.number().int().positive(), VersionDescription: z.string().optional(), CreateTime: Timestamp.optional(), LaunchTemplateData }))
    .min(1),
  Tags: Tags.optional(),
});

const EC2 = z.strictObject({
  LaunchTemplates: z.array(LaunchTemplate).optional(),
  VpcEndpoints: z.array(VpcEndpoint).optional(),
  KeyPairs: z.array(KeyPair).optional(),
  Snapshots: z.array(EbsSnapshot).optional(),
  Images: z.array(Image).optional(),
  /** GetEbsEncryptionByDefault for the region. Absent: false, as AWS starts. */
  EbsEncryptionByDefault: z.boolean().optional(),
  /**
   * GetInstanceMetadataDefaults for the region: the account-level IMDS defaults that new instances
   * get where their launch parameters (or launch template) leave an option unset. Absent, or an
   * option absent: no account-level preference, as AWS starts.
   */
  InstanceMetadataDefaults: z
    .strictObject({
      HttpTokens: z.enum(['optional', 'required']).optional(),
      HttpPutResponseHopLimit: z.number().int().min(1).max(64).optional(),
      HttpEndpoint: z.enum(['enabled', 'disabled']).optional(),
      InstanceMetadataTags: z.enum(['enabled', 'disabled']).optional(),
    })
    .optional(),
  NetworkAcls: z.array(NetworkAcl).optional(),
  FlowLogs: z.array(FlowLog).optional(),
  Volumes: z.array(Volume).optional(),
  InternetGateways: z.array(InternetGateway).optional(),
  NatGateways: z.array(NatGateway).optional(),
  Addresses: z.array(Address).optional(),
  Vpcs: z.array(Vpc).optional(),
  Subnets: z.array(Subnet).optional(),
  RouteTables: z.array(RouteTable).optional(),
  SecurityGroups: z.array(SecurityGroup).optional(),
  Instances: z.array(Instance).optional(),
  NetworkInterfaces: z.array(NetworkInterface).optional(),
});

// ---------------------------------------------------------------- RDS

const DBInstance = z.strictObject({
  DBInstanceIdentifier: z.string().regex(/^[a-zA-Z][a-zA-Z0-9-]{0,62}$/, 'must be a valid DB instance identifier'),
  DBInstanceArn: z.string().optional(),
  DBInstanceClass: z.string(),
  Engine: z.string(),
  EngineVersion: z.string().optional(),
  DBInstanceStatus: z.string().optional(),
  /** The Aurora cluster the instance belongs to. */
  DBClusterIdentifier: z.string().optional(),
  MasterUsername: z.string().optional(),
  DBName: z.string().optional(),
  Endpoint: z.strictObject({ Address: z.string(), Port: z.number().int(), HostedZoneId: z.string().optional() }).optional(),
  AllocatedStorage: z.number().int().optional(),
  InstanceCreateTime: Timestamp,
  PubliclyAccessible: z.boolean(),
  StorageEncrypted: z.boolean(),
  KmsKeyId: z.string().optional(),
  BackupRetentionPeriod: z.number().int().nonnegative(),
  DeletionProtection: z.boolean(),
  MultiAZ: z.boolean().optional(),
  AutoMinorVersionUpgrade: z.boolean().optional(),
  IAMDatabaseAuthenticationEnabled: z.boolean().optional(),
  VpcSecurityGroups: z.array(z.strictObject({ VpcSecurityGroupId: z.string(), Status: z.string().optional() })).optional(),
  DBSubnetGroup: z
    .strictObject({
      DBSubnetGroupName: z.string(),
      VpcId: z.string().optional(),
      Subnets: z
        .array(
          z.strictObject({
            SubnetIdentifier: z.string(),
            SubnetAvailabilityZone: z.strictObject({ Name: z.string() }).optional(),
            SubnetStatus: z.string().optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  TagList: Tags.optional(),
});

const DBSnapshot = z.strictObject({
  DBSnapshotIdentifier: z.string(),
  DBInstanceIdentifier: z.string(),
  DBSnapshotArn: z.string().optional(),
  SnapshotCreateTime: Timestamp,
  Engine: z.string().optional(),
  SnapshotType: z.enum(['manual', 'automated', 'awsbackup']).optional(),
  Status: z.string().optional(),
  Encrypted: z.boolean(),
  KmsKeyId: z.string().optional(),
  /** DescribeDBSnapshotAttributes: e.g. [{AttributeName: "restore", AttributeValues: ["all"]}] for a public snapshot. */
  Attributes: z.array(z.strictObject({ AttributeName: z.string(), AttributeValues: z.array(z.string()) })).optional(),
  TagList: Tags.optional(),
});

/** DescribeDBSubnetGroups (which returns no tags). */
const DBSubnetGroup = z.strictObject({
  DBSubnetGroupName: z.string().min(1).max(255),
  DBSubnetGroupDescription: z.string(),
  VpcId: z.string(),
  SubnetIds: z.array(z.string()),
  DBSubnetGroupArn: z.string().optional(),
  /** ListTagsForResource on the group's ARN (arn:aws:rds:REGION:ACCOUNT:subgrp:NAME). */
  TagList: Tags.optional(),
});

/** An Aurora (or Multi-AZ) DB cluster, as DescribeDBClusters returns it. */
const DBCluster = z.strictObject({
  DBClusterIdentifier: z.string().regex(/^[a-zA-Z][a-zA-Z0-9-]{0,62}$/, 'must be a valid DB cluster identifier'),
  DBClusterArn: z.string().optional(),
  Engine: z.string(),
  EngineVersion: z.string().optional(),
  Status: z.string().optional(),
  DatabaseName: z.string().optional(),
  MasterUsername: z.string().optional(),
  Port: z.number().int().optional(),
  ClusterCreateTime: Timestamp,
  StorageEncrypted: z.boolean(),
  KmsKeyId: z.string().optional(),
  BackupRetentionPeriod: z.number().int().nonnegative(),
  DeletionProtection: z.boolean(),
  MultiAZ: z.boolean().optional(),
  PubliclyAccessible: z.boolean().optional(),
  AutoMinorVersionUpgrade: z.boolean().optional(),
  IAMDatabaseAuthenticationEnabled: z.boolean().optional(),
  /** The DB subnet group's name. */
  DBSubnetGroup: z.string().optional(),
  VpcSecurityGroups: z.array(z.strictObject({ VpcSecurityGroupId: z.string(), Status: z.string().optional() })).optional(),
  DBClusterMembers: z.array(z.strictObject({ DBInstanceIdentifier: z.string(), IsClusterWriter: z.boolean() })).optional(),
  TagList: Tags.optional(),
});

const DBClusterSnapshot = z.strictObject({
  DBClusterSnapshotIdentifier: z.string(),
  DBClusterIdentifier: z.string(),
  DBClusterSnapshotArn: z.string().optional(),
  SnapshotCreateTime: Timestamp,
  Engine: z.string().optional(),
  SnapshotType: z.enum(['manual', 'automated', 'awsbackup']).optional(),
  Status: z.string().optional(),
  StorageEncrypted: z.boolean(),
  KmsKeyId: z.string().optional(),
  /** DescribeDBClusterSnapshotAttributes: [{AttributeName: "restore", AttributeValues: ["all"]}] for a public snapshot. */
  Attributes: z.array(z.strictObject({ AttributeName: z.string(), AttributeValues: z.array(z.string()) })).optional(),
  TagList: Tags.optional(),
});

const RDS = z.strictObject({
  DBSubnetGroups: z.array(DBSubnetGroup).optional(),
  DBInstances: z.array(DBInstance).optional(),
  DBSnapshots: z.array(DBSnapshot).optional(),
  DBClusters: z.array(DBCluster).optional(),
  DBClusterSnapshots: z.array(DBClusterSnapshot).optional(),
});

// ---------------------------------------------------------------- CloudWatch

const Metric = z
  .strictObject({
    Namespace: z.string(),
    MetricName: z.string(),
    Dimensions: z.array(z.strictObject({ Name: z.string(), Value: z.string() })),
    Unit: z.string().optional(),
    /** Explicit datapoints. */
    Datapoints: z.array(z.strictObject({ Timestamp, Value: z.number() })).optional(),
    /** A constant series: this value in every period from `Since` on (for long idle or busy histories). */
    Constant: z.strictObject({ Value: z.number(), Since: Timestamp }).optional(),
  })
  .refine((m) => (m.Datapoints === undefined) !== (m.Constant === undefined), {
    message: 'give exactly one of Datapoints and Constant',
  });

/** A metric alarm (DescribeAlarms MetricAlarms). */
const MetricAlarm = z.strictObject({
  AlarmName: z.string().min(1).max(255),
  AlarmDescription: z.string().optional(),
  MetricName: z.string(),
  Namespace: z.string(),
  Statistic: z.enum(['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum']).optional(),
  Dimensions: z.array(z.strictObject({ Name: z.string(), Value: z.string() })).optional(),
  Period: z.number().int().positive().optional(),
  EvaluationPeriods: z.number().int().positive().optional(),
  Threshold: z.number().optional(),
  ComparisonOperator: z.enum(['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold']).optional(),
  TreatMissingData: z.enum(['breaching', 'notBreaching', 'ignore', 'missing']).optional(),
  ActionsEnabled: z.boolean().optional(),
  /** ARNs notified in ALARM: SNS topics, mostly. */
  AlarmActions: z.array(z.string()).optional(),
  OKActions: z.array(z.string()).optional(),
  InsufficientDataActions: z.array(z.string()).optional(),
  StateValue: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']).optional(),
  Tags: z.record(z.string(), z.string()).optional().describe("The alarm's tags, as ListTagsForResource returns them on its ARN (DescribeAlarms returns none)"),
});

const CloudWatch = z.strictObject({ Metrics: z.array(Metric).optional(), Alarms: z.array(MetricAlarm).optional() });

// ---------------------------------------------------------------- CloudWatch Logs, SNS

/** A metric filter of a log group (DescribeMetricFilters). */
const MetricFilter = z.strictObject({
  filterName: z.string().min(1).max(512),
  filterPattern: z.string().max(1024),
  metricTransformations: z
    .array(z.strictObject({ metricName: z.string(), metricNamespace: z.string(), metricValue: z.string(), defaultValue: z.number().optional() }))
    .min(1)
    .max(1),
  creationTime: Timestamp.optional(),
});

const LogGroup = z.strictObject({
  logGroupName: z.string().regex(/^[.\-_/#A-Za-z0-9]{1,512}$/, 'must be 1-512 of letters, digits, . - _ / #'),
  creationTime: Timestamp,
  /** Absent: never expire. */
  retentionInDays: z.number().int().positive().optional(),
  kmsKeyId: z.string().optional(),
  logGroupClass: z.enum(['STANDARD', 'INFREQUENT_ACCESS']).optional(),
  MetricFilters: z.array(MetricFilter).optional(),
  Tags: z.record(z.string(), z.string()).optional().describe("The log group's tags, as ListTagsForResource returns them on its ARN without the trailing :* (DescribeLogGroups returns none)"),
});

const Logs = z.strictObject({ LogGroups: z.array(LogGroup).optional() });

/** A subscription of a topic; `Confirmed: false` is listed as PendingConfirmation. */
const Subscription = z.strictObject({
  Protocol: z.enum(['email', 'email-json', 'sms', 'sqs', 'lambda', 'http', 'https', 'application', 'firehose']),
  Endpoint: z.string(),
  Confirmed: z.boolean().optional(),
  /** The subscription id (the part after the topic ARN); made up from the position when absent. */
  Id: z.string().optional(),
  Owner: AccountId.optional(),
});

const Topic = z.strictObject({
  Name: z.string().regex(/^[A-Za-z0-9_-]{1,256}(\.fifo)?$/, 'must be 1-256 letters, digits, hyphens or underscores (".fifo" for a FIFO topic)'),
  DisplayName: z.string().optional(),
  /** GetTopicAttributes "Policy". Absent: SNS's default policy (the owner account only). */
  Policy: PolicyDocument.optional(),
  KmsMasterKeyId: z.string().optional(),
  Subscriptions: z.array(Subscription).optional(),
  Tags: z.record(z.string(), z.string()).optional().describe("The topic's tags, as ListTagsForResource returns them on its ARN"),
});

const SNS = z.strictObject({ Topics: z.array(Topic).optional() });

// ---------------------------------------------------------------- SQS

const Queue = z.strictObject({
  QueueName: z.string().regex(/^[A-Za-z0-9_-]{1,80}(\.fifo)?$/, 'must be 1-80 letters, digits, hyphens or underscores (".fifo" for a FIFO queue)'),
  /** GetQueueAttributes "Policy". Absent: the queue has no resource policy. */
  Policy: PolicyDocument.optional(),
  /** Other queue attributes as GetQueueAttributes returns them (strings), e.g. {"KmsMasterKeyId": "alias/aws/sqs"}. */
  Attributes: z.record(z.string(), z.string()).optional(),
  Tags: z.record(z.string(), z.string()).optional(),
});

const SQS = z.strictObject({ Queues: z.array(Queue).optional() });
// ---------------------------------------------------------------- CloudTrail, AWS Config

/** CloudTrail's basic event selectors (GetEventSelectors EventSelectors). */
const EventSelector = z.strictObject({
  ReadWriteType: z.enum(['ReadOnly', 'WriteOnly', 'All']).optional(),
  IncludeManagementEvents: z.boolean().optional(),
  DataResources: z.array(z.strictObject({ Type: z.string(), Values: z.array(z.string()) })).optional(),
  ExcludeManagementEventSources: z.array(z.string()).optional(),
});

/** CloudTrail's advanced event selectors (GetEventSelectors AdvancedEventSelectors). */
const AdvancedEventSelector = z.strictObject({
  Name: z.string().optional(),
  FieldSelectors: z.array(
    z.strictObject({
      Field: z.string().describe('eventCategory, resources.type, resources.ARN, readOnly, eventName, eventSource, ...'),
      Equals: z.array(z.string()).optional(),
      StartsWith: z.array(z.string()).optional(),
      EndsWith: z.array(z.string()).optional(),
      NotEquals: z.array(z.string()).optional(),
      NotStartsWith: z.array(z.string()).optional(),
      NotEndsWith: z.array(z.string()).optional(),
    }),
  ),
});

/** A trail, listed under its home region (a multi-region trail also shows in every other region). */
const Trail = z
  .strictObject({
    Name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/, 'must be a valid trail name'),
    S3BucketName: z.string(),
    S3KeyPrefix: z.string().optional(),
    SnsTopicARN: z.string().optional(),
    IncludeGlobalServiceEvents: z.boolean().optional(),
    IsMultiRegionTrail: z.boolean(),
    IsOrganizationTrail: z.boolean().optional(),
    LogFileValidationEnabled: z.boolean(),
    CloudWatchLogsLogGroupArn: z.string().optional(),
    CloudWatchLogsRoleArn: z.string().optional(),
    /** The KMS key ARN the logs are encrypted with. Absent: SSE-S3 only. */
    KmsKeyId: z.string().optional(),
    /** GetTrailStatus IsLogging. */
    IsLogging: z.boolean(),
    LatestDeliveryTime: Timestamp.optional(),
    /** Basic selectors. Absent (and no advanced ones): the default, all management events, read and write. */
    EventSelectors: z.array(EventSelector).optional(),
    AdvancedEventSelectors: z.array(AdvancedEventSelector).optional(),
    Tags: Tags.optional().describe("The trail's tags, as ListTags returns them in the trail's home region (DescribeTrails returns none)"),
  })
  .refine((t) => !(t.EventSelectors && t.AdvancedEventSelectors), { message: 'give at most one of EventSelectors and AdvancedEventSelectors' });

const CloudTrail = z.strictObject({ Trails: z.array(Trail).optional() });

const ConfigurationRecorder = z.strictObject({
  name: z.string(),
  roleARN: z.string().optional(),
  recordingGroup: z
    .strictObject({
      allSupported: z.boolean().optional(),
      includeGlobalResourceTypes: z.boolean().optional(),
      resourceTypes: z.array(z.string()).optional(),
      exclusionByResourceTypes: z.strictObject({ resourceTypes: z.array(z.string()) }).optional(),
      recordingStrategy: z.strictObject({ useOnly: z.enum(['ALL_SUPPORTED_RESOURCE_TYPES', 'INCLUSION_BY_RESOURCE_TYPES', 'EXCLUSION_BY_RESOURCE_TYPES']) }).optional(),
    })
    .optional(),
  /** How often changes are recorded. Absent: continuous, no overrides (as AWS reports it). */
  recordingMode: z
    .strictObject({
      recordingFrequency: z.enum(['CONTINUOUS', 'DAILY']),
      recordingModeOverrides: z
        .array(z.strictObject({ description: z.string().optional(), resourceTypes: z.array(z.string()).min(1), recordingFrequency: z.enum(['CONTINUOUS', 'DAILY']) }))
        .max(1)
        .optional(),
    })
    .optional(),
  /** DescribeConfigurationRecorderStatus. */
  Status: z.strictObject({
    recording: z.boolean(),
    lastStatus: z.enum(['Pending', 'Success', 'Failure']).optional(),
    lastErrorCode: z.string().optional(),
    lastStartTime: Timestamp.optional(),
  }),
});

const DeliveryChannel = z.strictObject({
  name: z.string(),
  s3BucketName: z.string().optional(),
  s3KeyPrefix: z.string().optional(),
  snsTopicARN: z.string().optional(),
  s3KmsKeyArn: z.string().optional(),
  configSnapshotDeliveryProperties: z.strictObject({ deliveryFrequency: z.enum(['One_Hour', 'Three_Hours', 'Six_Hours', 'Twelve_Hours', 'TwentyFour_Hours']) }).optional(),
});

const Config = z.strictObject({
  ConfigurationRecorders: z.array(ConfigurationRecorder).max(1, 'AWS Config allows one configuration recorder per region').optional(),
  DeliveryChannels: z.array(DeliveryChannel).max(1, 'AWS Config allows one delivery channel per region').optional(),
});

// ---------------------------------------------------------------- Lambda

const LambdaFunction = z.strictObject({
  FunctionName: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, hyphens or underscores'),
  Runtime: z.string().optional(),
  /** The execution role's ARN. */
  Role: z.string(),
  Handler: z.string().optional(),
  Description: z.string().optional(),
  Timeout: z.number().int().optional(),
  MemorySize: z.number().int().optional(),
  LastModified: Timestamp,
  PackageType: z.enum(['Zip', 'Image']).optional(),
  Architectures: z.array(z.enum(['x86_64', 'arm64'])).optional(),
  KMSKeyArn: z.string().optional(),
  /** ListFunctions returns these values in clear; the audit keeps only their names. */
  Environment: z.strictObject({ Variables: z.record(z.string(), z.string()) }).optional(),
  /** The VPC the function's network interfaces are in (its VpcId is the first subnet's VPC). Absent: no VPC. */
  VpcConfig: z
    .strictObject({
      SubnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, 'must look like subnet-0123abcd')).max(16),
      SecurityGroupIds: z.array(z.string().regex(/^sg-[0-9a-f]{8,17}$/, 'must look like sg-0123abcd')).max(5),
      Ipv6AllowedForDualStack: z.boolean().optional(),
    })
    .optional(),
  /** Layer version ARNs, in the order Lambda applies them (at most 5). */
  Layers: z.array(z.string().regex(/^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:layer:[A-Za-z0-9_-]+:\d+$/, 'must be a layer version ARN')).max(5).optional(),
  /** GetPolicy: the function's resource-based policy. Absent: none (ResourceNotFoundException). */
  Policy: PolicyDocument.optional(),
  /** ListFunctionUrlConfigs: the function URL of $LATEST, if one is configured. */
  FunctionUrl: z
    .strictObject({
      AuthType: z.enum(['NONE', 'AWS_IAM']),
      InvokeMode: z.enum(['BUFFERED', 'RESPONSE_STREAM']).optional(),
      Cors: z
        .strictObject({
          AllowOrigins: z.array(z.string()).optional(),
          AllowMethods: z.array(z.string()).optional(),
          AllowHeaders: z.array(z.string()).optional(),
          AllowCredentials: z.boolean().optional(),
          MaxAge: z.number().int().optional(),
        })
        .optional(),
    })
    .optional(),
  Tags: z.record(z.string(), z.string()).optional(),
});

const Lambda = z.strictObject({ Functions: z.array(LambdaFunction).optional() });

// ---------------------------------------------------------------- KMS

/** A KMS key of the region, as DescribeKey describes it, with its rotation, policy, aliases and tags. */
const KmsKey = z.strictObject({
  /** A key id (UUID, or `mrk-…` for a multi-Region key). */
  KeyId: z.string().regex(/^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/, 'must be a KMS key id (a UUID, or mrk-…)'),
  Description: z.string().optional(),
  /** CUSTOMER: made by the account; AWS: an AWS managed key (aws/s3, aws/rds, …). */
  KeyManager: z.enum(['CUSTOMER', 'AWS']).optional(),
  KeyUsage: z.enum(['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT']).optional(),
  KeySpec: z.string().optional().describe('SYMMETRIC_DEFAULT (default), RSA_2048, ECC_NIST_P256, HMAC_256, …'),
  KeyState: z.enum(['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport', 'Unavailable', 'Creating', 'Updating']).optional(),
  Origin: z.enum(['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE']).optional(),
  MultiRegion: z.boolean().optional(),
  CreationDate: Timestamp,
  DeletionDate: Timestamp.optional(),
  /** GetKeyRotationStatus. AWS managed keys always rotate; asymmetric and HMAC keys cannot. */
  KeyRotationEnabled: z.boolean().optional(),
  RotationPeriodInDays: z.number().int().min(90).max(2560).optional(),
  /** GetKeyPolicy "default". Absent: the default key policy (the account's root may use the key). */
  Policy: PolicyDocument.optional(),
  /** Alias names that point at this key (`alias/…`). */
  Aliases: z.array(z.string().regex(/^alias\/[A-Za-z0-9/_-]{1,250}$/, 'must be alias/ followed by letters, digits, /, _ or -')).optional(),
  /** ListResourceTags (TagKey/TagValue in the API). */
  Tags: z.record(z.string(), z.string()).optional(),
});

const KMS = z.strictObject({ Keys: z.array(KmsKey).optional() });

// ---------------------------------------------------------------- EFS

const FileSystem = z.strictObject({
  FileSystemId: z.string().regex(/^fs-[0-9a-f]{8,40}$/, 'must look like fs-0123abcd'),
  Name: z.string().optional(),
  CreationToken: z.string().optional(),
  CreationTime: Timestamp,
  LifeCycleState: z.enum(['creating', 'available', 'updating', 'deleting', 'deleted', 'error']).optional(),
  Encrypted: z.boolean(),
  KmsKeyId: z.string().optional(),
  PerformanceMode: z.enum(['generalPurpose', 'maxIO']).optional(),
  ThroughputMode: z.enum(['bursting', 'provisioned', 'elastic']).optional(),
  SizeInBytes: z.number().int().nonnegative().optional(),
  NumberOfMountTargets: z.number().int().nonnegative().optional(),
  Tags: Tags.optional(),
});

const EFS = z.strictObject({ FileSystems: z.array(FileSystem).optional() });

// ---------------------------------------------------------------- ECR

/** A private repository of the region's registry, as DescribeRepositories describes it. */
const EcrRepository = z.strictObject({
  repositoryName: z
    .string()
    .regex(/^(?=.{2,256}$)((?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*)$/, 'must be 2-256 lowercase letters, digits and . _ - / (a namespace/name path)'),
  createdAt: Timestamp,
  imageTagMutability: z.enum(['MUTABLE', 'IMMUTABLE', 'MUTABLE_WITH_EXCLUSION', 'IMMUTABLE_WITH_EXCLUSION']).optional(),
  imageScanningConfiguration: z.strictObject({ scanOnPush: z.boolean() }).optional(),
  /** Absent: AES256 (ECR's default). */
  encryptionConfiguration: z.strictObject({ encryptionType: z.enum(['AES256', 'KMS', 'KMS_DSSE']), kmsKey: z.string().optional() }).optional(),
  /** GetRepositoryPolicy. Absent: no repository policy (RepositoryPolicyNotFoundException). */
  Policy: PolicyDocument.optional(),
  /** ListTagsForResource. */
  Tags: Tags.optional(),
});

const ECR = z.strictObject({ Repositories: z.array(EcrRepository).optional() });

// ---------------------------------------------------------------- Secrets Manager

/**
 * A secret's metadata, as ListSecrets lists it. There is deliberately no field for a secret value:
 * the sandbox has none to give, and the audit never asks (GetSecretValue is refused).
 */
const Secret = z.strictObject({
  /** Letters, digits and /_+=.@-; a service's own secrets add `!` (RDS names its master user secrets rds!db-…). */
  Name: z.string().regex(/^[A-Za-z0-9/_+=.@!-]{1,512}$/, 'must be 1-512 letters, digits or /_+=.@-'),
  /** Default: arn:aws:secretsmanager:<region>:<account>:secret:<Name>-<6 characters>, as AWS adds a random suffix. */
  ARN: z.string().regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+-[A-Za-z0-9]{6}$/, 'must be a secret ARN ending in -<6 characters>').optional(),
  Description: z.string().optional(),
  /** The KMS key (id, ARN or alias) the secret is encrypted with. Absent: aws/secretsmanager. */
  KmsKeyId: z.string().optional(),
  RotationEnabled: z.boolean().optional(),
  RotationLambdaARN: z.string().optional(),
  RotationRules: z
    .strictObject({ AutomaticallyAfterDays: z.number().int().min(1).max(1000).optional(), Duration: z.string().optional(), ScheduleExpression: z.string().optional() })
    .optional(),
  CreatedDate: Timestamp,
  LastChangedDate: Timestamp.optional(),
  LastRotatedDate: Timestamp.optional(),
  LastAccessedDate: Timestamp.optional(),
  /** Scheduled for deletion: listed only with IncludePlannedDeletion. */
  DeletedDate: Timestamp.optional(),
  /** A secret made and managed by another service (rds, appflow, ...). */
  OwningService: z.string().optional(),
  /** GetResourcePolicy. Absent: the secret has no resource policy. */
  Policy: PolicyDocument.optional(),
  Tags: Tags.optional(),
});

const SecretsManager = z.strictObject({ Secrets: z.array(Secret).optional() });

// ---------------------------------------------------------------- IAM Access Analyzer, Security Hub, GuardDuty, Account

/** ListAnalyzers: an IAM Access Analyzer analyzer of the region. */
const Analyzer = z.strictObject({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,254}$/, 'must be a valid analyzer name'),
  type: z.enum(['ACCOUNT', 'ORGANIZATION', 'ACCOUNT_UNUSED_ACCESS', 'ORGANIZATION_UNUSED_ACCESS', 'ACCOUNT_INTERNAL_ACCESS', 'ORGANIZATION_INTERNAL_ACCESS']),
  status: z.enum(['ACTIVE', 'CREATING', 'DISABLED', 'FAILED']),
  createdAt: Timestamp,
  arn: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
});

const AccessAnalyzer = z.strictObject({ Analyzers: z.array(Analyzer).optional() });

/** DescribeHub. Absent Hub: the region is not subscribed to Security Hub (InvalidAccessException). */
const SecurityHub = z.strictObject({
  Hub: z
    .strictObject({
      SubscribedAt: Timestamp,
      HubArn: z.string().optional(),
      AutoEnableControls: z.boolean().optional(),
      ControlFindingGenerator: z.enum(['STANDARD_CONTROL', 'SECURITY_CONTROL']).optional(),
    })
    .optional(),
});

/** ListDetectors and GetDetector: at most one detector per region. */
const GuardDuty = z.strictObject({
  Detectors: z
    .array(
      z.strictObject({
        DetectorId: z.string().regex(/^[a-z0-9]{1,300}$/, 'must be a lowercase alphanumeric detector id'),
        Status: z.enum(['ENABLED', 'DISABLED']),
        CreatedAt: Timestamp,
        UpdatedAt: Timestamp.optional(),
        FindingPublishingFrequency: z.enum(['FIFTEEN_MINUTES', 'ONE_HOUR', 'SIX_HOURS']).optional(),
        Tags: z.record(z.string(), z.string()).optional(),
      }),
    )
    .max(1, 'GuardDuty allows one detector per region')
    .optional(),
});

const AlternateContact = z.strictObject({ Name: z.string(), Title: z.string(), EmailAddress: z.string(), PhoneNumber: z.string() });

/** The Account API: alternate contacts (GetAlternateContact). An absent type answers ResourceNotFoundException. */
const Account = z.strictObject({
  AlternateContacts: z
    .strictObject({ SECURITY: AlternateContact.optional(), BILLING: AlternateContact.optional(), OPERATIONS: AlternateContact.optional() })
    .optional(),
});

// ---------------------------------------------------------------- the account

const RegionResources = z.strictObject({
  EC2: EC2.optional(),
  EFS: EFS.optional(),
  ECR: ECR.optional(),
  SecretsManager: SecretsManager.optional(),
  RDS: RDS.optional(),
  CloudWatch: CloudWatch.optional(),
  SQS: SQS.optional(),
  Lambda: Lambda.optional(),
  CloudTrail: CloudTrail.optional(),
  Config: Config.optional(),
  KMS: KMS.optional(),
  AccessAnalyzer: AccessAnalyzer.optional(),
  SecurityHub: SecurityHub.optional(),
  GuardDuty: GuardDuty.optional(),
  Logs: Logs.optional(),
  SNS: SNS.optional(),
});

export const SandboxAccountSchema = z
  .strictObject({
    $schema: z.string().optional(),
    /** Free text shown by `infra-audit sandbox`. */
    Description: z.string().optional(),
    AccountId,
    /**
     * When set, every timestamp in the file is shifted by (sandbox start time - TimeAnchor),
     * so that "an access key 200 days old" stays 200 days old whenever the demo runs.
     */
    TimeAnchor: Timestamp.optional(),
    /** The identity GetCallerIdentity returns. Defaults to an assumed audit role in this account. */
    CallerIdentity: z.strictObject({ Arn: z.string(), UserId: z.string() }).optional(),
    /** Enabled regions, each with its regional resources. The first is the default region. */
    Regions: z.record(Region, RegionResources).refine((r) => Object.keys(r).length > 0, {
      message: 'name at least one region',
    }),
    S3: z
      .strictObject({
        /** S3 Control GetPublicAccessBlock (account level). Absent: not configured. */
        AccountPublicAccessBlock: PublicAccessBlockConfiguration.optional(),
        Buckets: z.array(Bucket).optional(),
      })
      .optional(),
    IAM: IAM.optional(),
    Account: Account.optional(),
  })
  .describe('An AWS account served by `infra-audit sandbox`');

export type SandboxAccount = z.infer<typeof SandboxAccountSchema>;
export type SandboxBucket = z.infer<typeof Bucket>;
export type SandboxS3Object = z.infer<typeof S3Object>;
export type SandboxRole = z.infer<typeof Role>;
export type SandboxUser = z.infer<typeof User>;
export type SandboxGroup = z.infer<typeof Group>;
export type SandboxAccessKey = z.infer<typeof AccessKey>;
export type SandboxManagedPolicy = z.infer<typeof ManagedPolicy>;
export type SandboxRegion = z.infer<typeof RegionResources>;
export type SandboxSecurityGroup = z.infer<typeof SecurityGroup>;
export type SandboxInstance = z.infer<typeof Instance>;
export type SandboxDBInstance = z.infer<typeof DBInstance>;
export type SandboxDBSnapshot = z.infer<typeof DBSnapshot>;
export type SandboxDBCluster = z.infer<typeof DBCluster>;
export type SandboxDBClusterSnapshot = z.infer<typeof DBClusterSnapshot>;
export type SandboxMetric = z.infer<typeof Metric>;
export type SandboxQueue = z.infer<typeof Queue>;
export type SandboxLambdaFunction = z.infer<typeof LambdaFunction>;
export type SandboxTrail = z.infer<typeof Trail>;
export type SandboxConfig = z.infer<typeof Config>;
export type SandboxKmsKey = z.infer<typeof KmsKey>;
export type SandboxEcrRepository = z.infer<typeof EcrRepository>;
export type SandboxSecret = z.infer<typeof Secret>;
export type SandboxLogGroup = z.infer<typeof LogGroup>;
export type SandboxTopic = z.infer<typeof Topic>;
export type SandboxMetricAlarm = z.infer<typeof MetricAlarm>;
export type PublicAccessBlock = z.infer<typeof PublicAccessBlockConfiguration>;
