/**
 * A failed read is never drift. For every type whose live objects come from a listing plus
 * per-object reads, the sandbox denies one per-object read of a managed instance's object (the
 * operation named, that object only): the instance is "could not check" with a reason naming the
 * failed read, and its object is neither missing, nor changed, nor also reported unmanaged.
 * One drift run over the wire, real SDK clients against the sandbox; one row per type.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox, TEST_CREDENTIALS } from '../test-support/sandbox.js';
import { AwsSession } from '../aws/session.js';
import { loadTerraformInputs, runDrift } from './run.js';
import type { DriftReport } from './model.js';

const ACCOUNT_ID = '111122223333';
const T0 = '2026-01-01T00:00:00Z';
const REGION = 'us-east-1';
const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
const READ_DOC = doc({ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' });
const TRUST = doc({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' });
const iamArn = (kind: string, name: string) => `arn:aws:iam::${ACCOUNT_ID}:${kind}/${name}`;
const regional = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT_ID}:${resource}`;
const queueUrl = (name: string) => `https://sqs.${REGION}.amazonaws.com/${ACCOUNT_ID}/${name}`;
const KEY_ID = '20000000-0000-4000-8000-000000000001';
const TEMPLATE_ID = 'lt-0d1f2e3a4b5c6d7e8';
const DETECTOR_ID = 'dtdetector0001';
const SECRET = regional('secretsmanager', 'secret:dt-secret-AbCdEf');
const SECRET_P = regional('secretsmanager', 'secret:dt-secret-p-GhIjKl');
const OIDC = iamArn('oidc-provider', 'login.example.com');
const ROLE_ARN = iamArn('role', 'dt-role');

interface Row {
  /** The state instance's address (`type.name`). */
  address: string;
  /** The live object's import id, as an unmanaged entry would name it. */
  importId: string;
  attributes: Record<string, unknown>;
  /** The per-object read that fails (`Operation:resource`). */
  deny: string;
  /** What the unchecked reason must say. */
  reason: RegExp;
}

const bucket = (name: string) => ({ id: name, bucket: name, arn: `arn:aws:s3:::${name}`, tags: {}, tags_all: {} });
const part = (name: string, extra: Record<string, unknown> = {}) => ({ id: name, bucket: name, ...extra });
const DENIED = /AccessDenied/;

const ROWS: Row[] = [
  // S3: the bucket's own attributes (tags; a mirrored part) and each split resource.
  { address: 'aws_s3_bucket.tags', importId: 'dt-tags', attributes: bucket('dt-tags'), deny: 'GetBucketTagging:dt-tags', reason: /GetBucketTagging failed: AccessDenied/ },
  { address: 'aws_s3_bucket.mirror', importId: 'dt-mirror', attributes: { ...bucket('dt-mirror'), policy: '' }, deny: 'GetBucketPolicy:dt-mirror', reason: /GetBucketPolicy failed: AccessDenied/ },
  { address: 'aws_s3_bucket_policy.p', importId: 'dt-policy', attributes: part('dt-policy', { policy: JSON.stringify(READ_DOC) }), deny: 'GetBucketPolicy:dt-policy', reason: DENIED },
  { address: 'aws_s3_bucket_acl.p', importId: 'dt-acl', attributes: part('dt-acl'), deny: 'GetBucketAcl:dt-acl', reason: DENIED },
  { address: 'aws_s3_bucket_versioning.p', importId: 'dt-versioning', attributes: part('dt-versioning', { versioning_configuration: [{ status: 'Enabled', mfa_delete: '' }] }), deny: 'GetBucketVersioning:dt-versioning', reason: DENIED },
  { address: 'aws_s3_bucket_server_side_encryption_configuration.p', importId: 'dt-sse', attributes: part('dt-sse'), deny: 'GetBucketEncryption:dt-sse', reason: DENIED },
  { address: 'aws_s3_bucket_logging.p', importId: 'dt-logging', attributes: part('dt-logging', { target_bucket: 'dt-tags', target_prefix: '' }), deny: 'GetBucketLogging:dt-logging', reason: DENIED },
  { address: 'aws_s3_bucket_public_access_block.p', importId: 'dt-pab', attributes: part('dt-pab'), deny: 'GetPublicAccessBlock:dt-pab', reason: DENIED },
  { address: 'aws_s3_bucket_ownership_controls.p', importId: 'dt-own', attributes: part('dt-own'), deny: 'GetBucketOwnershipControls:dt-own', reason: DENIED },
  // IAM: the tags of a role, a user, a managed policy, an instance profile and a server certificate, a managed policy's document, and the parts of roles, users and groups.
  {
    address: 'aws_iam_role.r',
    importId: 'dt-role',
    attributes: { id: 'dt-role', name: 'dt-role', arn: ROLE_ARN, assume_role_policy: JSON.stringify(TRUST), description: '', max_session_duration: 3600, path: '/', tags: {}, tags_all: {} },
    deny: 'GetRole:dt-role',
    reason: /GetRole failed: AccessDenied/,
  },
  { address: 'aws_iam_role_policy.p', importId: 'dt-role-inline:p', attributes: { id: 'dt-role-inline:p', role: 'dt-role-inline', name: 'p', policy: JSON.stringify(READ_DOC) }, deny: 'GetRolePolicy:dt-role-inline', reason: DENIED },
  {
    address: 'aws_iam_role_policy_attachment.p',
    importId: `dt-role-attach/${iamArn('policy', 'dt-read')}`,
    attributes: { id: 'dt-role-attach-x', role: 'dt-role-attach', policy_arn: iamArn('policy', 'dt-read') },
    deny: 'ListAttachedRolePolicies:dt-role-attach',
    reason: DENIED,
  },
  {
    address: 'aws_iam_policy.p',
    importId: iamArn('policy', 'dt-doc'),
    attributes: { id: iamArn('policy', 'dt-doc'), arn: iamArn('policy', 'dt-doc'), name: 'dt-doc', path: '/', policy: JSON.stringify(READ_DOC) },
    deny: 'GetPolicyVersion:dt-doc',
    reason: /GetPolicyVersion failed: AccessDenied/,
  },
  {
    address: 'aws_iam_policy.t',
    importId: iamArn('policy', 'dt-ptags'),
    attributes: { id: iamArn('policy', 'dt-ptags'), arn: iamArn('policy', 'dt-ptags'), name: 'dt-ptags', path: '/', policy: JSON.stringify(READ_DOC), tags: {}, tags_all: {} },
    deny: 'ListPolicyTags:dt-ptags',
    reason: /ListPolicyTags failed: AccessDenied/,
  },
  {
    address: 'aws_iam_instance_profile.p',
    importId: 'dt-profile',
    attributes: { id: 'dt-profile', name: 'dt-profile', arn: iamArn('instance-profile', 'dt-profile'), path: '/', role: 'dt-role', tags: {}, tags_all: {} },
    deny: 'ListInstanceProfileTags:dt-profile',
    reason: /ListInstanceProfileTags failed: AccessDenied/,
  },
  {
    address: 'aws_iam_server_certificate.c',
    importId: 'dt-cert',
    attributes: { id: 'ASCADTCERT', name: 'dt-cert', arn: iamArn('server-certificate', 'dt-cert'), path: '/', tags: {}, tags_all: {} },
    deny: 'ListServerCertificateTags:dt-cert',
    reason: /ListServerCertificateTags failed: AccessDenied/,
  },
  { address: 'aws_iam_user.u', importId: 'dt-user', attributes: { id: 'dt-user', name: 'dt-user', arn: iamArn('user', 'dt-user'), path: '/', tags: {}, tags_all: {} }, deny: 'ListUserTags:dt-user', reason: /ListUserTags failed: AccessDenied/ },
  { address: 'aws_iam_user_policy.p', importId: 'dt-user-inline:p', attributes: { id: 'dt-user-inline:p', user: 'dt-user-inline', name: 'p', policy: JSON.stringify(READ_DOC) }, deny: 'GetUserPolicy:dt-user-inline', reason: DENIED },
  {
    address: 'aws_iam_user_policy_attachment.p',
    importId: `dt-user-attach/${iamArn('policy', 'dt-read')}`,
    attributes: { id: 'dt-user-attach-x', user: 'dt-user-attach', policy_arn: iamArn('policy', 'dt-read') },
    deny: 'ListAttachedUserPolicies:dt-user-attach',
    reason: DENIED,
  },
  { address: 'aws_iam_access_key.k', importId: 'AKIAEXAMPLEDT0000001', attributes: { id: 'AKIAEXAMPLEDT0000001', user: 'dt-user-key', status: 'Active', create_date: T0 }, deny: 'ListAccessKeys:dt-user-key', reason: DENIED },
  { address: 'aws_iam_group_policy.p', importId: 'dt-group:p', attributes: { id: 'dt-group:p', group: 'dt-group', name: 'p', policy: JSON.stringify(READ_DOC) }, deny: 'GetGroupPolicy:dt-group', reason: DENIED },
  {
    address: 'aws_iam_group_policy_attachment.p',
    importId: `dt-group-attach/${iamArn('policy', 'dt-read')}`,
    attributes: { id: 'dt-group-attach-x', group: 'dt-group-attach', policy_arn: iamArn('policy', 'dt-read') },
    deny: 'ListAttachedGroupPolicies:dt-group-attach',
    reason: DENIED,
  },
  { address: 'aws_iam_user_group_membership.m', importId: 'dt-user/dt-group-m', attributes: { id: 'terraform-x', user: 'dt-user', groups: ['dt-group-m'] }, deny: 'GetGroup:dt-group-m', reason: /GetGroup dt-group-m failed: AccessDenied/ },
  {
    address: 'aws_iam_openid_connect_provider.p',
    importId: OIDC,
    attributes: { id: OIDC, arn: OIDC, url: 'login.example.com', client_id_list: ['x'], thumbprint_list: [], tags: {}, tags_all: {} },
    deny: `GetOpenIDConnectProvider:${OIDC}`,
    reason: /GetOpenIDConnectProvider .* failed: AccessDenied/,
  },
  // KMS: the key policy of a key whose other reads succeed and match.
  {
    address: 'aws_kms_key.k',
    importId: KEY_ID,
    attributes: { id: KEY_ID, key_id: KEY_ID, arn: regional('kms', `key/${KEY_ID}`), description: 'dt', key_usage: 'ENCRYPT_DECRYPT', customer_master_key_spec: 'SYMMETRIC_DEFAULT', is_enabled: true, enable_key_rotation: false, policy: JSON.stringify(READ_DOC), tags: {}, tags_all: {} },
    deny: `GetKeyPolicy:${KEY_ID}`,
    reason: /GetKeyPolicy failed: AccessDenied/,
  },
  // SQS: the queue's attributes (its policy among them), and the policy resource.
  {
    address: 'aws_sqs_queue.q',
    importId: queueUrl('dt-queue'),
    attributes: { id: queueUrl('dt-queue'), url: queueUrl('dt-queue'), arn: regional('sqs', 'dt-queue'), name: 'dt-queue', visibility_timeout_seconds: 30, tags: {}, tags_all: {} },
    deny: 'GetQueueAttributes:dt-queue',
    reason: /GetQueueAttributes failed: AccessDenied/,
  },
  { address: 'aws_sqs_queue_policy.p', importId: queueUrl('dt-queue-p'), attributes: { id: queueUrl('dt-queue-p'), queue_url: queueUrl('dt-queue-p'), policy: JSON.stringify(READ_DOC) }, deny: 'GetQueueAttributes:dt-queue-p', reason: DENIED },
  // SNS: a topic's attributes, and the topic policy (from the same read).
  {
    address: 'aws_sns_topic.t',
    importId: regional('sns', 'dt-topic'),
    attributes: { id: regional('sns', 'dt-topic'), arn: regional('sns', 'dt-topic'), name: 'dt-topic', display_name: '', kms_master_key_id: '' },
    deny: 'GetTopicAttributes:dt-topic',
    reason: /GetTopicAttributes failed: AuthorizationError/,
  },
  {
    address: 'aws_sns_topic.tags',
    importId: regional('sns', 'dt-topic-tags'),
    attributes: { id: regional('sns', 'dt-topic-tags'), arn: regional('sns', 'dt-topic-tags'), name: 'dt-topic-tags', display_name: '', kms_master_key_id: '', tags: {}, tags_all: {} },
    deny: 'ListTagsForResource:dt-topic-tags',
    reason: /ListTagsForResource failed: AuthorizationError/,
  },
  { address: 'aws_sns_topic_policy.p', importId: regional('sns', 'dt-topic-p'), attributes: { id: regional('sns', 'dt-topic-p'), arn: regional('sns', 'dt-topic-p'), policy: JSON.stringify(READ_DOC) }, deny: 'GetTopicAttributes:dt-topic-p', reason: /GetTopicAttributes failed: AuthorizationError/ },
  // RDS: a DB subnet group's tags (ListTagsForResource: DescribeDBSubnetGroups returns none).
  {
    address: 'aws_db_subnet_group.g',
    importId: 'dt-subnets',
    attributes: { id: 'dt-subnets', name: 'dt-subnets', arn: regional('rds', 'subgrp:dt-subnets'), description: 'dt', subnet_ids: ['subnet-0dt'], tags: {}, tags_all: {} },
    deny: 'ListTagsForResource:dt-subnets',
    reason: /ListTagsForResource failed: AccessDenied/,
  },
  // Lambda: a function's tags, its policy (permissions) and its URL configuration.
  {
    address: 'aws_lambda_function.f',
    importId: 'dt-fn',
    attributes: {
      id: 'dt-fn', function_name: 'dt-fn', arn: regional('lambda', 'function:dt-fn'), role: ROLE_ARN, runtime: 'python3.12', handler: 'app.handler', description: '', timeout: 3, memory_size: 128,
      architectures: ['x86_64'], package_type: 'Zip', kms_key_arn: '', tracing_config: [{ mode: 'PassThrough' }], layers: [], tags: {}, tags_all: {},
    },
    deny: 'ListTags:dt-fn',
    reason: /ListTags failed: AccessDenied/,
  },
  { address: 'aws_lambda_permission.p', importId: 'dt-fn-perm/AllowS3', attributes: { id: 'AllowS3', function_name: 'dt-fn-perm', statement_id: 'AllowS3', action: 'lambda:InvokeFunction', principal: 's3.amazonaws.com' }, deny: 'GetPolicy:dt-fn-perm', reason: DENIED },
  { address: 'aws_lambda_function_url.u', importId: 'dt-fn-url', attributes: { id: 'dt-fn-url', function_name: 'dt-fn-url', authorization_type: 'NONE', invoke_mode: 'BUFFERED', cors: [] }, deny: 'ListFunctionUrlConfigs:dt-fn-url', reason: DENIED },
  // ECR: a repository's tags, and the repository policy.
  {
    address: 'aws_ecr_repository.r',
    importId: 'dt-repo',
    attributes: { id: 'dt-repo', name: 'dt-repo', arn: regional('ecr', 'repository/dt-repo'), image_tag_mutability: 'MUTABLE', image_scanning_configuration: [{ scan_on_push: false }], encryption_configuration: [{ encryption_type: 'AES256', kms_key: '' }], tags: {}, tags_all: {} },
    deny: 'ListTagsForResource:dt-repo',
    reason: /ListTagsForResource failed: AccessDenied/,
  },
  { address: 'aws_ecr_repository_policy.p', importId: 'dt-repo-p', attributes: { id: 'dt-repo-p', repository: 'dt-repo-p', policy: JSON.stringify(READ_DOC) }, deny: 'GetRepositoryPolicy:dt-repo-p', reason: DENIED },
  // Secrets Manager: a secret's resource policy, on the secret and as its own resource.
  {
    address: 'aws_secretsmanager_secret.s',
    importId: SECRET,
    attributes: { id: SECRET, arn: SECRET, name: 'dt-secret', description: '', kms_key_id: '', policy: '', tags: {}, tags_all: {} },
    deny: `GetResourcePolicy:${SECRET}`,
    reason: /GetResourcePolicy failed: AccessDenied/,
  },
  { address: 'aws_secretsmanager_secret_policy.p', importId: SECRET_P, attributes: { id: SECRET_P, secret_arn: SECRET_P, policy: JSON.stringify(READ_DOC) }, deny: `GetResourcePolicy:${SECRET_P}`, reason: DENIED },
  // CloudTrail: whether the trail is logging (GetTrailStatus).
  {
    address: 'aws_cloudtrail.t',
    importId: regional('cloudtrail', 'trail/dt-trail'),
    attributes: {
      id: regional('cloudtrail', 'trail/dt-trail'), arn: regional('cloudtrail', 'trail/dt-trail'), name: 'dt-trail', s3_bucket_name: 'dt-tags', s3_key_prefix: '', is_multi_region_trail: false,
      include_global_service_events: true, enable_log_file_validation: false, kms_key_id: '', cloud_watch_logs_group_arn: '', cloud_watch_logs_role_arn: '', is_organization_trail: false, enable_logging: true,
    },
    deny: 'GetTrailStatus:dt-trail',
    reason: /GetTrailStatus failed: AccessDenied/,
  },
  // CloudTrail: a trail's tags (ListTags; one call names up to 20 trails, and a denied one fails the call).
  {
    address: 'aws_cloudtrail.tags',
    importId: regional('cloudtrail', 'trail/dt-trail-tags'),
    attributes: {
      id: regional('cloudtrail', 'trail/dt-trail-tags'), arn: regional('cloudtrail', 'trail/dt-trail-tags'), name: 'dt-trail-tags', s3_bucket_name: 'dt-tags', s3_key_prefix: '', is_multi_region_trail: false,
      include_global_service_events: true, enable_log_file_validation: false, kms_key_id: '', cloud_watch_logs_group_arn: '', cloud_watch_logs_role_arn: '', is_organization_trail: false, enable_logging: true, tags: {}, tags_all: {},
    },
    deny: 'ListTags:dt-trail-tags',
    reason: /ListTags failed: AccessDenied/,
  },
  // CloudWatch Logs and CloudWatch: a log group's and an alarm's tags (ListTagsForResource).
  {
    address: 'aws_cloudwatch_log_group.g',
    importId: 'dt-log-group',
    attributes: { id: 'dt-log-group', name: 'dt-log-group', arn: regional('logs', 'log-group:dt-log-group'), retention_in_days: 0, kms_key_id: '', log_group_class: 'STANDARD', tags: {}, tags_all: {} },
    deny: 'ListTagsForResource:dt-log-group',
    reason: /ListTagsForResource failed: AccessDeniedException/,
  },
  {
    address: 'aws_cloudwatch_metric_alarm.a',
    importId: 'dt-alarm',
    attributes: {
      id: 'dt-alarm', alarm_name: 'dt-alarm', arn: regional('cloudwatch', 'alarm:dt-alarm'), metric_name: 'Errors', namespace: 'App', statistic: 'Sum', period: 300, evaluation_periods: 1, threshold: 1,
      comparison_operator: 'GreaterThanOrEqualToThreshold', treat_missing_data: 'missing', actions_enabled: true, alarm_actions: [], tags: {}, tags_all: {},
    },
    deny: 'ListTagsForResource:dt-alarm',
    reason: /ListTagsForResource failed: AccessDenied/,
  },
  // GuardDuty: the detector's settings (GetDetector).
  { address: 'aws_guardduty_detector.d', importId: DETECTOR_ID, attributes: { id: DETECTOR_ID, enable: true, tags: {}, tags_all: {} }, deny: `GetDetector:${DETECTOR_ID}`, reason: /GetDetector failed: AccessDenied/ },
  // EC2: a launch template's versions.
  {
    address: 'aws_launch_template.t',
    importId: TEMPLATE_ID,
    attributes: { id: TEMPLATE_ID, arn: regional('ec2', `launch-template/${TEMPLATE_ID}`), name: 'dt-template', default_version: 1, tags: {}, tags_all: {} },
    deny: `DescribeLaunchTemplateVersions:${TEMPLATE_ID}`,
    reason: /DescribeLaunchTemplateVersions failed/,
  },
];

const liveBucket = (Name: string, extra: Record<string, unknown> = {}) => ({ Name, CreationDate: T0, Region: REGION, ...extra });
const READ_POLICY = { PolicyName: 'dt-read', PolicyArn: iamArn('policy', 'dt-read') };

const ACCOUNT = {
  AccountId: ACCOUNT_ID,
  S3: {
    Buckets: [
      liveBucket('dt-tags'),
      // Its tags unreadable, its policy widened in the console.
      liveBucket('dt-changed', { Policy: doc({ Sid: 'Read', Effect: 'Allow', Action: 's3:*', Resource: '*' }) }),
      liveBucket('dt-mirror', { Policy: READ_DOC }),
      liveBucket('dt-policy', { Policy: READ_DOC }),
      liveBucket('dt-acl'),
      liveBucket('dt-versioning', { Versioning: { Status: 'Enabled' } }),
      liveBucket('dt-sse'),
      liveBucket('dt-logging', { LoggingEnabled: { TargetBucket: 'dt-tags', TargetPrefix: '' } }),
      liveBucket('dt-pab', { PublicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }),
      liveBucket('dt-own', { OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } }),
    ],
  },
  IAM: {
    Roles: [
      { RoleName: 'dt-role', Path: '/', CreateDate: T0, MaxSessionDuration: 3600, AssumeRolePolicyDocument: TRUST },
      { RoleName: 'dt-role-inline', Path: '/', CreateDate: T0, AssumeRolePolicyDocument: TRUST, InlinePolicies: [{ PolicyName: 'p', PolicyDocument: READ_DOC }] },
      { RoleName: 'dt-role-attach', Path: '/', CreateDate: T0, AssumeRolePolicyDocument: TRUST, AttachedPolicies: [READ_POLICY] },
    ],
    Users: [
      { UserName: 'dt-user', CreateDate: T0 },
      { UserName: 'dt-user-inline', CreateDate: T0, InlinePolicies: [{ PolicyName: 'p', PolicyDocument: READ_DOC }] },
      { UserName: 'dt-user-attach', CreateDate: T0, AttachedPolicies: [READ_POLICY] },
      { UserName: 'dt-user-key', CreateDate: T0, AccessKeys: [{ AccessKeyId: 'AKIAEXAMPLEDT0000001', Status: 'Active', CreateDate: T0 }] },
    ],
    Groups: [
      { GroupName: 'dt-group', CreateDate: T0, InlinePolicies: [{ PolicyName: 'p', PolicyDocument: READ_DOC }] },
      { GroupName: 'dt-group-attach', CreateDate: T0, AttachedPolicies: [READ_POLICY] },
      { GroupName: 'dt-group-m', CreateDate: T0, Users: ['dt-user'] },
    ],
    Policies: ['dt-read', 'dt-doc', 'dt-ptags'].map((PolicyName) => ({ PolicyName, CreateDate: T0, Versions: [{ VersionId: 'v1', IsDefaultVersion: true, CreateDate: T0, Document: READ_DOC }] })),
    OpenIDConnectProviders: [{ Url: 'https://login.example.com', ClientIDList: ['x'], CreateDate: T0 }],
    InstanceProfiles: [{ InstanceProfileName: 'dt-profile', CreateDate: T0, Roles: ['dt-role'] }],
    ServerCertificates: [{ ServerCertificateName: 'dt-cert', UploadDate: T0, Expiration: '2027-01-01T00:00:00Z' }],
  },
  Regions: {
    [REGION]: {
      RDS: { DBSubnetGroups: [{ DBSubnetGroupName: 'dt-subnets', DBSubnetGroupDescription: 'dt', VpcId: 'vpc-0dt', SubnetIds: ['subnet-0dt'] }] },
      KMS: { Keys: [{ KeyId: KEY_ID, Description: 'dt', CreationDate: T0, KeyRotationEnabled: false, Policy: READ_DOC }] },
      SQS: { Queues: [{ QueueName: 'dt-queue' }, { QueueName: 'dt-queue-p', Policy: READ_DOC }] },
      SNS: { Topics: [{ Name: 'dt-topic' }, { Name: 'dt-topic-tags' }, { Name: 'dt-topic-p', Policy: READ_DOC }] },
      Logs: { LogGroups: [{ logGroupName: 'dt-log-group', creationTime: T0 }] },
      CloudWatch: {
        Alarms: [{ AlarmName: 'dt-alarm', MetricName: 'Errors', Namespace: 'App', Statistic: 'Sum' as const, Period: 300, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' as const }],
      },
      Lambda: {
        Functions: [
          { FunctionName: 'dt-fn', Role: ROLE_ARN, Runtime: 'python3.12', Handler: 'app.handler', Timeout: 3, MemorySize: 128, LastModified: T0 },
          { FunctionName: 'dt-fn-perm', Role: ROLE_ARN, LastModified: T0, Policy: doc({ Sid: 'AllowS3', Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'lambda:InvokeFunction', Resource: regional('lambda', 'function:dt-fn-perm') }) },
          { FunctionName: 'dt-fn-url', Role: ROLE_ARN, LastModified: T0, FunctionUrl: { AuthType: 'NONE' } },
        ],
      },
      ECR: { Repositories: [{ repositoryName: 'dt-repo', createdAt: T0 }, { repositoryName: 'dt-repo-p', createdAt: T0, Policy: READ_DOC }] },
      SecretsManager: {
        Secrets: [
          { Name: 'dt-secret', ARN: SECRET, CreatedDate: T0 },
          { Name: 'dt-secret-p', ARN: SECRET_P, CreatedDate: T0, Policy: READ_DOC },
        ],
      },
      CloudTrail: {
        Trails: [
          { Name: 'dt-trail', S3BucketName: 'dt-tags', IsMultiRegionTrail: false, LogFileValidationEnabled: false, IsLogging: true },
          { Name: 'dt-trail-tags', S3BucketName: 'dt-tags', IsMultiRegionTrail: false, LogFileValidationEnabled: false, IsLogging: true },
        ],
      },
      GuardDuty: { Detectors: [{ DetectorId: DETECTOR_ID, Status: 'ENABLED', CreatedAt: T0 }] },
      EC2: { LaunchTemplates: [{ LaunchTemplateId: TEMPLATE_ID, LaunchTemplateName: 'dt-template', CreateTime: T0, Versions: [{ VersionNumber: 1, LaunchTemplateData: { InstanceType: 't3.micro' } }] }] },
    },
  },
};

const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';
const STATE = {
  version: 4,
  terraform_version: '1.9.8',
  serial: 1,
  lineage: 'unreadable-test',
  outputs: {},
  resources: [
    ...ROWS.map((row) => {
      const [type, name] = row.address.split('.') as [string, string];
      return { mode: 'managed', type, name, provider: PROVIDER, instances: [{ schema_version: 0, attributes: row.attributes }] };
    }),
    { mode: 'managed', type: 'aws_s3_bucket', name: 'changed', provider: PROVIDER, instances: [{ schema_version: 0, attributes: { ...bucket('dt-changed'), policy: JSON.stringify(READ_DOC) } }] },
  ],
};

describe('drift when the per-object read of a managed instance fails', () => {
  const env = useSandbox(ACCOUNT, { deny: [...ROWS.map((row) => row.deny), 'GetBucketTagging:dt-changed'] });
  let report: DriftReport;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drift-unreadable-'));
    writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify(STATE));
    const inputs = await loadTerraformInputs({ statePaths: [path.join(dir, 'terraform.tfstate')], env: {} });
    const session = new AwsSession({ endpointUrl: env.endpoint, credentials: TEST_CREDENTIALS, region: REGION, retry: { maxAttempts: 1 } });
    report = await runDrift(inputs, session, { regions: [REGION] });
  });

  it('every type of the table is compared by drift (none unsupported)', () => {
    expect(report.unsupportedTypes).toEqual([]);
    expect(report.summary.stateInstances).toBe(ROWS.length + 1);
  });

  it('what could be read and differs is still drift: the policy widened beside unreadable tags', () => {
    const changed = report.entries.filter((e) => e.terraformAddress === 'aws_s3_bucket.changed');
    expect(changed.map((e) => [e.kind, e.diffs?.map((d) => d.path)])).toEqual([['changed', ['policy']]]);
    expect(report.unchecked.map((u) => u.terraformAddress)).not.toContain('aws_s3_bucket.changed');
  });

  it.each(ROWS.map((row) => [row.address, row] as const))('%s: unchecked with the failed read, neither missing, changed nor unmanaged', (address, row) => {
    const type = address.split('.')[0]!;
    expect(report.unchecked.filter((u) => u.terraformAddress === address)).toEqual([{ terraformAddress: address, resourceType: type, reason: expect.stringMatching(row.reason) }]);
    expect(report.entries.filter((e) => e.terraformAddress === address)).toEqual([]);
    expect(report.entries.filter((e) => e.kind === 'unmanaged' && e.resourceType === type && e.importId === row.importId)).toEqual([]);
    // The read failed, and the report says which one.
    expect(report.errors.map((e) => `${e.scope} ${e.message}`).join('\n')).toContain(row.deny.split(':')[0]!);
  });
});
