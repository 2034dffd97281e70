/**
 * A large synthetic account for benchmarks and check tests: thousands of resources, almost all
 * clean, with a known number of planted misconfigurations of each kind, placed by a seeded RNG.
 *
 * Each resource carries at most one plant, so a plant's count is exact; a plant that by its
 * nature trips more than one check (a public ACL needs ACLs enabled and no Block Public
 * Access) counts toward each of them. Clean resources are configured fully, with near misses
 * (a Principal "*" narrowed by aws:SourceVpce, SSH open to 10.0.0.0/8 only) so a check that
 * fires on them is wrong. Dates are relative to a fixed TimeAnchor: the output depends only on
 * the seed, and ages stay right whenever the file is loaded.
 */
import { InfraAuditError } from '../../errors.js';
import { createRng, type Rng } from '../rng.js';
import { CIS_MONITORING_CONTROLS } from '../../checks/cloudwatch/cis-monitoring.js';
import { CHECKS } from '../../checks/registry.js';
import type { SandboxAccount, SandboxBucket, SandboxDBInstance, SandboxDBSnapshot, SandboxManagedPolicy, SandboxMetric, SandboxRegion, SandboxRole, SandboxSecurityGroup, SandboxUser } from './model.js';

export interface GenerateSpec {
  buckets: number;
  roles: number;
  users: number;
  securityGroups: number;
  dbInstances: number;
  /** Aurora DB clusters, each with a manual snapshot (issue 11); absent: none. */
  dbClusters?: number;
  /** Resources with a resource policy or a sharing list (issue 11); absent: none. */
  queues?: number;
  functions?: number;
  /** CloudTrail trails (issue 11): the first is the account's compliant multi-region trail; absent or 0: none. */
  trails?: number;
  /** KMS keys (issue 11): customer managed, with exposure and rotation plants; absent: none. */
  keys?: number;
  /** EC2 instances (issue 11), each with its root EBS volume: IMDSv1 and unencrypted-volume plants; absent: none. */
  instances?: number;
  /** EC2 launch templates (issue 12): IMDSv1 plants on the default version; near misses with the endpoint disabled; absent: none. */
  launchTemplates?: number;
  /** VPC endpoints and EC2 key pairs (issue 12, for drift): all clean; absent: none. */
  vpcEndpoints?: number;
  keyPairs?: number;
  /** EBS snapshots and AMIs the account owns (issue 11): public and cross-account sharing plants; absent: none. */
  ebsSnapshots?: number;
  images?: number;
  /** EFS file systems (issue 11): unencrypted plants; absent: none. */
  fileSystems?: number;
  /** SNS topics (issue 11), each with a confirmed subscription: public and cross-account policy plants; absent: none. */
  topics?: number;
  /** IAM server certificates (issue 11): expired plants; absent: none. */
  serverCertificates?: number;
  /**
   * 1: the account-wide security baseline a mature account has (issue 11): an external-access
   * analyzer, Security Hub and GuardDuty in every region, a security contact, a support role, and
   * the CIS 4.x metric filters and alarms on the first trail's log group. Planted in it: the last
   * region's GuardDuty detector is suspended (with two regions or more) and the AWS Organizations
   * filter (CIS 4.15) is missing. 0 or absent: none of it (each control fails on the account).
   */
  baseline?: number;
  /** ECR repositories (issue 11): exposure, scan-on-push and tag-mutability plants; absent: none. */
  repositories?: number;
  /** Secrets Manager secrets (issue 11): exposure and rotation plants, metadata only; absent: none. */
  secrets?: number;
  regions?: string[];
}

export interface GeneratedAccount {
  account: SandboxAccount;
  /** Check id → how many resources that check must flag. */
  planted: Record<string, number>;
  /** Check id → the ARNs (or, for the account itself, the account id) it must flag. */
  plantedResources: Record<string, string[]>;
}

const SPEC_KEYS = { buckets: 'buckets', roles: 'roles', users: 'users', 'security-groups': 'securityGroups', 'db-instances': 'dbInstances', 'db-clusters': 'dbClusters', queues: 'queues', functions: 'functions', trails: 'trails', keys: 'keys', repositories: 'repositories', secrets: 'secrets', instances: 'instances', 'launch-templates': 'launchTemplates', 'vpc-endpoints': 'vpcEndpoints', 'key-pairs': 'keyPairs', 'ebs-snapshots': 'ebsSnapshots', images: 'images', 'file-systems': 'fileSystems', topics: 'topics', 'server-certificates': 'serverCertificates', baseline: 'baseline' } as const;
const MAX_PER_KIND = 200_000;
const DEFAULT_REGIONS = ['us-east-1', 'eu-west-1'];
export const GENERATED_TIME_ANCHOR = '2026-01-01T00:00:00Z';

function specError(message: string): InfraAuditError {
  return new InfraAuditError('USAGE', `bad --generate spec: ${message}`, {
    hint: 'write key=count pairs separated by commas, e.g. buckets=10000,roles=3000,users=500,security-groups=2000,db-instances=500 (optionally db-clusters, queues, functions, trails, keys, repositories, secrets, instances, launch-templates, vpc-endpoints, key-pairs, ebs-snapshots, images, file-systems, topics, server-certificates, baseline=1 (needs trails=1 or more) and regions=us-east-1+eu-west-1)',
  });
}

/** Parse `buckets=10000,roles=3000,users=500,security-groups=2000,db-instances=500[,regions=a+b]`. */
export function parseGenerateSpec(text: string): GenerateSpec {
  const spec: GenerateSpec = { buckets: 0, roles: 0, users: 0, securityGroups: 0, dbInstances: 0 };
  const given = new Set<string>();
  const pairs = text.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
  if (pairs.length === 0) throw specError('it is empty');
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw specError(`"${pair}" is not key=value`);
    const key = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (given.has(key)) throw specError(`"${key}" is given twice`);
    given.add(key);
    if (key === 'regions') {
      const regions = value.split('+').map((r) => r.trim());
      const bad = regions.find((r) => !/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/.test(r));
      if (bad !== undefined) throw specError(`regions: "${bad}" is not an AWS region name such as us-east-1`);
      if (new Set(regions).size !== regions.length) throw specError(`regions: "${value}" names a region twice`);
      spec.regions = regions;
      continue;
    }
    if (!Object.hasOwn(SPEC_KEYS, key)) throw specError(`unknown key "${key}" (known: ${[...Object.keys(SPEC_KEYS), 'regions'].join(', ')})`);
    if (!/^\d+$/.test(value)) throw specError(`${key}: "${value}" is not a whole number`);
    const count = Number(value);
    if (count > MAX_PER_KIND) throw specError(`${key}: ${count} is more than the ${MAX_PER_KIND} the generator makes`);
    if (key === 'baseline' && count > 1) throw specError(`baseline: ${count} is not 0 or 1`);
    spec[SPEC_KEYS[key as keyof typeof SPEC_KEYS]] = count;
  }
  if (spec.baseline && !spec.trails) throw specError('baseline=1 needs trails=1 or more (the CIS 4.x filters watch the first trail\'s log group)');
  return spec;
}

// ---------------------------------------------------------------- plants

/** A plant: the fraction of resources that get it, and every check it trips. */
interface Plant {
  rate: number;
  checks: string[];
}

const BUCKET_PLANTS = {
  publicReadPolicy: { rate: 0.005, checks: ['s3_bucket_public_read', 's3_bucket_public_access_block'] },
  publicReadAcl: { rate: 0.003, checks: ['s3_bucket_public_read', 's3_bucket_public_access_block', 's3_bucket_acls_disabled'] },
  publicWriteAcl: { rate: 0.001, checks: ['s3_bucket_public_write', 's3_bucket_public_access_block', 's3_bucket_acls_disabled'] },
  noPublicAccessBlock: { rate: 0.01, checks: ['s3_bucket_public_access_block'] },
  noDefaultEncryption: { rate: 0.005, checks: ['s3_bucket_default_encryption'] },
  noVersioning: { rate: 0.02, checks: ['s3_bucket_versioning'] },
  noAccessLogging: { rate: 0.02, checks: ['s3_bucket_access_logging'] },
  noSecureTransport: { rate: 0.02, checks: ['s3_bucket_secure_transport'] },
  aclsEnabled: { rate: 0.01, checks: ['s3_bucket_acls_disabled'] },
} satisfies Record<string, Plant>;

const ROLE_PLANTS = {
  adminPolicy: { rate: 0.005, checks: ['iam_policy_admin_star'] },
  inlineAdminPolicy: { rate: 0.005, checks: ['iam_inline_policy_admin_star'] },
  openTrust: { rate: 0.003, checks: ['iam_role_trust_open'] },
  unused: { rate: 0.05, checks: ['iam_role_unused'] },
} satisfies Record<string, Plant>;

const USER_PLANTS = {
  consoleWithoutMfa: { rate: 0.04, checks: ['iam_user_console_mfa'] },
  oldAccessKey: { rate: 0.06, checks: ['iam_access_key_rotation'] },
  unusedPassword: { rate: 0.04, checks: ['iam_credentials_unused'] },
  attachedPolicies: { rate: 0.03, checks: ['iam_user_attached_policies'] },
  twoActiveKeys: { rate: 0.02, checks: ['iam_user_single_active_key'] },
} satisfies Record<string, Plant>;

/** An all-ports rule opens SSH, RDP and the database ports too. */
const SG_PLANTS = {
  openSsh: { rate: 0.02, checks: ['ec2_sg_open_ssh'] },
  openRdp: { rate: 0.01, checks: ['ec2_sg_open_rdp'] },
  openDbPort: { rate: 0.01, checks: ['ec2_sg_open_db_ports'] },
  openAllPorts: { rate: 0.005, checks: ['ec2_sg_open_all_ports', 'ec2_sg_open_ssh', 'ec2_sg_open_rdp', 'ec2_sg_open_db_ports'] },
} satisfies Record<string, Plant>;

const DB_PLANTS = {
  publiclyAccessible: { rate: 0.02, checks: ['rds_instance_public_access'] },
  unencrypted: { rate: 0.02, checks: ['rds_instance_storage_encrypted'] },
  idle: { rate: 0.03, checks: ['rds_instance_idle'] },
  noBackups: { rate: 0.01, checks: ['rds_instance_backups'] },
  noDeletionProtection: { rate: 0.02, checks: ['rds_instance_deletion_protection'] },
  publicSnapshot: { rate: 0.01, checks: ['rds_snapshot_public'] },
  singleAz: { rate: 0.03, checks: ['rds_instance_multi_az'] },
  noMinorUpgrades: { rate: 0.02, checks: ['rds_instance_auto_minor_version_upgrade'] },
} satisfies Record<string, Plant>;

/** Aurora clusters: unencrypted storage, or a manual cluster snapshot that is public or shared with another account. */
const CLUSTER_PLANTS = {
  unencrypted: { rate: 0.03, checks: ['rds_cluster_storage_encrypted'] },
  publicSnapshot: { rate: 0.02, checks: ['rds_cluster_snapshot_public'] },
  sharedSnapshot: { rate: 0.02, checks: ['rds_cluster_snapshot_public'] },
} satisfies Record<string, Plant>;

/** A resource policy open to everyone, or to another account, for the exposure check `checkId`. */
const exposurePlants = (checkId: string) =>
  ({
    public: { rate: 0.01, checks: [checkId] },
    crossAccount: { rate: 0.01, checks: [checkId] },
  }) satisfies Record<string, Plant>;
/** Trails after the first (the compliant multi-region one): single-region, in each region in turn. */
const TRAIL_PLANTS = {
  noLogFileValidation: { rate: 0.2, checks: ['cloudtrail_log_file_validation'] },
  noKmsEncryption: { rate: 0.2, checks: ['cloudtrail_kms_encryption'] },
} satisfies Record<string, Plant>;

/** An instance with IMDSv1 allowed, or whose root volume is unencrypted. */
const INSTANCE_PLANTS = {
  imdsV1: { rate: 0.03, checks: ['ec2_instance_imdsv2'] },
  unencryptedVolume: { rate: 0.03, checks: ['ec2_ebs_volume_encrypted'] },
} satisfies Record<string, Plant>;

/** A launch template whose default version allows IMDSv1 (an older version may require IMDSv2: only the default counts). */
const LAUNCH_TEMPLATE_PLANTS = { imdsV1: { rate: 0.05, checks: ['ec2_launch_template_imdsv2'] } } satisfies Record<string, Plant>;

/** Shared with everyone (`all`) or with an account outside this one. */
const SHARING_PLANTS = (checkId: string) =>
  ({
    public: { rate: 0.01, checks: [checkId] },
    crossAccount: { rate: 0.01, checks: [checkId] },
  }) satisfies Record<string, Plant>;

const FILE_SYSTEM_PLANTS = { unencrypted: { rate: 0.05, checks: ['efs_encrypted'] } } satisfies Record<string, Plant>;
const CERTIFICATE_PLANTS = { expired: { rate: 0.1, checks: ['iam_server_certificate_expired'] } } satisfies Record<string, Plant>;

/** Exactly floor(n × rate) resources per plant, disjoint, at seeded positions; the rest clean (undefined). */
function assignPlants<K extends string>(n: number, plants: Record<K, Plant>, rng: Rng): (K | undefined)[] {
  const slots: (K | undefined)[] = [];
  for (const kind of Object.keys(plants) as K[]) for (let i = Math.floor(n * plants[kind].rate); i > 0; i--) slots.push(kind);
  while (slots.length < n) slots.push(undefined);
  for (let i = slots.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [slots[i], slots[j]] = [slots[j], slots[i]];
  }
  return slots;
}

// ---------------------------------------------------------------- helpers

const ANCHOR_MS = Date.parse(GENERATED_TIME_ANCHOR);
const DAY_MS = 86_400_000;
const WORDS = ['assets', 'logs', 'exports', 'backups', 'reports', 'media', 'artifacts', 'analytics', 'uploads', 'datasets', 'invoices', 'archive'];
const TEAMS = ['payments', 'search', 'growth', 'platform', 'data', 'identity', 'billing', 'mobile', 'ml', 'support'];

export function generateAccount(spec: GenerateSpec, seed: number): GeneratedAccount {
  const rng = createRng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
  const daysAgo = (lo: number, hi: number) => new Date(ANCHOR_MS - int(lo, hi) * DAY_MS - int(0, 86_399) * 1000).toISOString();
  const hex = (length: number) => Array.from({ length }, () => Math.floor(rng() * 16).toString(16)).join('');
  // A random prefix keeps ids realistic; the counter keeps them unique.
  const idFor = (prefix: string, i: number) => `${prefix}-${hex(8)}${i.toString(16).padStart(9, '0')}`;

  const regions = spec.regions?.length ? spec.regions : DEFAULT_REGIONS;
  const accountId = String(int(100_000_000_000, 999_999_999_999));
  const plantedResources: Record<string, string[]> = {};
  const record = (plant: Plant | undefined, resourceId: string) => {
    for (const check of plant?.checks ?? []) (plantedResources[check] ??= []).push(resourceId);
  };
  const regional: Record<string, Required<Pick<SandboxRegion, 'EC2' | 'RDS' | 'CloudWatch'>> & Pick<SandboxRegion, 'SQS' | 'Lambda' | 'CloudTrail' | 'Config' | 'KMS' | 'ECR' | 'SecretsManager' | 'EFS' | 'SNS' | 'Logs' | 'AccessAnalyzer' | 'SecurityHub' | 'GuardDuty'>> = {};
  // With two regions or more, the last one holds the account-level plants of the regional services.
  const lastRegion = regions.length > 1 ? regions[regions.length - 1] : undefined;
  for (const region of regions) regional[region] = { EC2: { EbsEncryptionByDefault: region !== lastRegion, Vpcs: [], SecurityGroups: [] }, RDS: { DBInstances: [], DBSnapshots: [] }, CloudWatch: { Metrics: [] } };
  if (lastRegion) record({ rate: 1, checks: ['ec2_ebs_default_encryption'] }, accountId);

  /**
   * The resource policy of a resource with an exposure plant (or none): public (Principal "*",
   * no condition), another account by name, or clean: no policy, a role of this account, or
   * Principal "*" narrowed to this account, its organisation or a VPC endpoint (the near misses).
   */
  const outsideAccount = '444455556666';
  const exposurePolicy = (kind: 'public' | 'crossAccount' | undefined, resource: string, action: string): Record<string, unknown> | undefined => {
    const grant = (extra: object) => ({ Version: '2012-10-17', Statement: [{ Sid: 'Grant', Effect: 'Allow', Action: action, Resource: resource, ...extra }] });
    if (kind === 'public') return grant({ Principal: '*' });
    if (kind === 'crossAccount') return grant({ Principal: { AWS: `arn:aws:iam::${outsideAccount}:root` } });
    const roll = rng();
    if (roll < 0.4) return undefined;
    if (roll < 0.6) return grant({ Principal: { AWS: `arn:aws:iam::${accountId}:role/${pick(TEAMS)}-worker` } });
    if (roll < 0.75) return grant({ Principal: '*', Condition: { StringEquals: { 'aws:SourceAccount': accountId } } });
    if (roll < 0.9) return grant({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': `o-${hex(10)}` } } });
    return grant({ Principal: '*', Condition: { StringEquals: { 'aws:SourceVpce': `vpce-${hex(17)}` } } });
  };

  // Account-level Block Public Access is left off: without it the planted public buckets are public.
  record({ rate: 1, checks: ['s3_account_public_access_block'] }, accountId);

  // ---- S3
  const buckets: SandboxBucket[] = [];
  assignPlants(spec.buckets, BUCKET_PLANTS, rng).forEach((kind, i) => {
    const region = regions[i % regions.length]!;
    const name = `synth-${pick(TEAMS)}-${pick(WORDS)}-${i.toString().padStart(6, '0')}`;
    const arn = `arn:aws:s3:::${name}`;
    const statements: object[] = [];
    if (kind !== 'noSecureTransport')
      statements.push({ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [arn, `${arn}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    if (kind === 'publicReadPolicy') statements.push({ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${arn}/*` });
    else if (rng() < 0.05)
      statements.push({ Sid: 'ReadFromVpcEndpoint', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${arn}/*`, Condition: { StringEquals: { 'aws:SourceVpce': `vpce-${hex(17)}` } } });
    const publicAcl = kind === 'publicReadAcl' || kind === 'publicWriteAcl';
    const bucket: SandboxBucket = { Name: name, CreationDate: daysAgo(30, 2500), Region: region };
    if (statements.length) bucket.Policy = { Version: '2012-10-17', Statement: statements };
    if (!(publicAcl || kind === 'publicReadPolicy' || kind === 'noPublicAccessBlock'))
      bucket.PublicAccessBlock = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
    if (publicAcl || kind === 'aclsEnabled') {
      // ACLs in force: either no ownership controls (a bucket from before April 2023) or a setting that keeps them.
      if (kind === 'aclsEnabled' && rng() < 0.5) bucket.OwnershipControls = { Rules: [{ ObjectOwnership: pick(['ObjectWriter', 'BucketOwnerPreferred'] as const) }] };
      const owner = { ID: hex(64), DisplayName: 'synth-owner' };
      const grants: NonNullable<SandboxBucket['Acl']>['Grants'] = [{ Grantee: { Type: 'CanonicalUser', ID: owner.ID }, Permission: 'FULL_CONTROL' }];
      if (publicAcl) grants.push({ Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: kind === 'publicReadAcl' ? 'READ' : 'WRITE' });
      bucket.Acl = { Owner: owner, Grants: grants };
    } else bucket.OwnershipControls = { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] };
    if (kind !== 'noDefaultEncryption')
      bucket.ServerSideEncryptionConfiguration = {
        Rules: [rng() < 0.5 ? { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } } : { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: `arn:aws:kms:${region}:${accountId}:key/${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}` }, BucketKeyEnabled: true }],
      };
    // Never enabled (absent) or suspended: both leave new writes unversioned.
    if (kind !== 'noVersioning') bucket.Versioning = { Status: 'Enabled' };
    else if (rng() < 0.5) bucket.Versioning = { Status: 'Suspended' };
    // Logs go to a central log-archive account, as AWS Control Tower sets it up.
    if (kind !== 'noAccessLogging') bucket.LoggingEnabled = { TargetBucket: `aws-controltower-s3-access-logs-999988887777-${region}`, TargetPrefix: `${name}/` };
    bucket.Tags = [{ Key: 'team', Value: name.split('-')[1]! }, { Key: 'managed-by', Value: 'synthetic' }];
    buckets.push(bucket);
    record(kind && BUCKET_PLANTS[kind], arn);
  });

  // ---- IAM: a few scoped policies every clean principal shares, and one admin policy per plant.
  const policies: SandboxManagedPolicy[] = [];
  const policyArn = (name: string) => `arn:aws:iam::${accountId}:policy/${name}`;
  const managedPolicy = (name: string, statement: object[]): SandboxManagedPolicy => {
    const created = daysAgo(100, 1500);
    return { PolicyName: name, Arn: policyArn(name), CreateDate: created, Versions: [{ VersionId: 'v1', IsDefaultVersion: true, CreateDate: created, Document: { Version: '2012-10-17', Statement: statement } }] };
  };
  const scoped = TEAMS.map((team) =>
    managedPolicy(`${team}-app-access`, [
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::synth-${team}-*/*` },
      { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'], Resource: `arn:aws:dynamodb:*:${accountId}:table/${team}-*` },
    ]),
  );
  policies.push(...scoped);
  const adminDocument = [{ Effect: 'Allow', Action: '*', Resource: '*' }];

  const roles: SandboxRole[] = [];
  assignPlants(spec.roles, ROLE_PLANTS, rng).forEach((kind, i) => {
    const team = pick(TEAMS);
    const name = `${team}-${pick(['api', 'worker', 'etl', 'lambda', 'batch', 'deploy'])}-${i.toString().padStart(5, '0')}`;
    const arn = `arn:aws:iam::${accountId}:role/${name}`;
    const policy = scoped[TEAMS.indexOf(team)]!;
    const role: SandboxRole = {
      RoleName: name,
      Arn: arn,
      CreateDate: daysAgo(400, 1800),
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          kind === 'openTrust'
            ? { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }
            : rng() < 0.1
              ? { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${int(100_000_000_000, 999_999_999_999)}:root` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': hex(20) } } }
              : { Effect: 'Allow', Principal: { Service: pick(['ec2.amazonaws.com', 'lambda.amazonaws.com', 'ecs-tasks.amazonaws.com']) }, Action: 'sts:AssumeRole' },
        ],
      },
      RoleLastUsed: kind === 'unused' ? (rng() < 0.5 ? {} : { LastUsedDate: daysAgo(200, 700), Region: pick(regions) }) : { LastUsedDate: daysAgo(0, 20), Region: pick(regions) },
      AttachedPolicies: [{ PolicyName: policy.PolicyName, PolicyArn: policy.Arn! }],
      Tags: [{ Key: 'team', Value: team }],
    };
    if (kind === 'adminPolicy') {
      const admin = managedPolicy(`${name}-admin`, adminDocument);
      policies.push(admin);
      role.AttachedPolicies!.push({ PolicyName: admin.PolicyName, PolicyArn: admin.Arn! });
      record(ROLE_PLANTS.adminPolicy, admin.Arn!);
    } else if (kind === 'inlineAdminPolicy') {
      role.InlinePolicies = [{ PolicyName: 'break-glass', PolicyDocument: { Version: '2012-10-17', Statement: adminDocument } }];
    }
    roles.push(role);
    if (kind !== 'adminPolicy') record(kind && ROLE_PLANTS[kind], arn);
  });

  const users: SandboxUser[] = [];
  const accessKeyId = (i: number, k: number) => `AKIA${hex(6).toUpperCase()}${(i * 2 + k).toString(36).toUpperCase().padStart(10, '0')}`;
  assignPlants(spec.users, USER_PLANTS, rng).forEach((kind, i) => {
    const name = `${pick(['alice', 'bob', 'carol', 'dan', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy'])}.${pick(TEAMS)}.${i}`;
    const arn = `arn:aws:iam::${accountId}:user/${name}`;
    const user: SandboxUser = { UserName: name, Arn: arn, CreateDate: daysAgo(600, 2000), Tags: [{ Key: 'team', Value: name.split('.')[1]! }] };
    const hasConsole = kind === 'consoleWithoutMfa' || kind === 'unusedPassword' || (kind !== 'oldAccessKey' && kind !== 'twoActiveKeys' && rng() < 0.6);
    if (hasConsole) {
      user.LoginProfile = { CreateDate: user.CreateDate };
      user.PasswordLastUsed = kind === 'unusedPassword' ? daysAgo(200, 500) : daysAgo(0, 14);
      if (kind !== 'consoleWithoutMfa') user.MFADevices = [{ SerialNumber: `arn:aws:iam::${accountId}:mfa/${name}`, EnableDate: user.CreateDate }];
    } else {
      const old = kind === 'oldAccessKey';
      user.AccessKeys = [{ AccessKeyId: accessKeyId(i, 0), Status: 'Active', CreateDate: old ? daysAgo(120, 900) : daysAgo(1, 80), LastUsed: { LastUsedDate: daysAgo(0, 7), ServiceName: 's3', Region: pick(regions) } }];
      // A rotation begun and never finished: the new key made, the old one still active (both recent enough to pass rotation).
      if (kind === 'twoActiveKeys') user.AccessKeys.push({ AccessKeyId: accessKeyId(i, 1), Status: 'Active', CreateDate: daysAgo(1, 10), LastUsed: { LastUsedDate: daysAgo(0, 1), ServiceName: 's3', Region: pick(regions) } });
    }
    if (kind === 'attachedPolicies') user.AttachedPolicies = [{ PolicyName: scoped[0]!.PolicyName, PolicyArn: scoped[0]!.Arn! }];
    users.push(user);
    record(kind && USER_PLANTS[kind], arn);
  });

  // ---- EC2: one VPC per region, whose first clean group is its rule-less default SG.
  const vpcIds = new Map<string, string>();
  const defaultSgIds = new Map<string, string>();
  assignPlants(spec.securityGroups, SG_PLANTS, rng).forEach((kind, i) => {
    const region = regions[i % regions.length]!;
    const ec2 = regional[region]!.EC2;
    let vpcId = vpcIds.get(region);
    if (!vpcId) {
      vpcId = idFor('vpc', vpcIds.size);
      vpcIds.set(region, vpcId);
      ec2.Vpcs!.push({ VpcId: vpcId, CidrBlock: `10.${vpcIds.size}.0.0/16`, State: 'available', Tags: [{ Key: 'Name', Value: `synth-${region}` }] });
      // Clean: a flow log of all traffic, and a default ACL that denies SSH and RDP from the internet before its allow-all.
      // Planted, with two regions or more: the last region's VPC has no flow log, and a custom ACL that admits SSH from anywhere.
      if (region === lastRegion) {
        record({ rate: 1, checks: ['vpc_flow_logs_enabled'] }, `arn:aws:ec2:${region}:${accountId}:vpc/${vpcId}`);
        const aclId = idFor('acl', 1000 + vpcIds.size);
        (ec2.NetworkAcls ??= []).push({
          NetworkAclId: aclId,
          VpcId: vpcId,
          IsDefault: false,
          Entries: [{ RuleNumber: 100, Protocol: '6', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0', PortRange: { From: 22, To: 22 } }, { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: true, CidrBlock: '0.0.0.0/0' }],
          Tags: [{ Key: 'Name', Value: 'synth-bastion-subnets' }],
        });
        record({ rate: 1, checks: ['ec2_nacl_open_admin_ports'] }, `arn:aws:ec2:${region}:${accountId}:network-acl/${aclId}`);
      } else (ec2.FlowLogs ??= []).push({ FlowLogId: idFor('fl', vpcIds.size), ResourceId: vpcId, TrafficType: 'ALL', LogDestinationType: 's3', LogDestination: `arn:aws:s3:::synth-flow-logs-${accountId}`, CreationTime: daysAgo(400, 800) });
      const deny = (RuleNumber: number, port: number) => ({ RuleNumber, Protocol: '6', RuleAction: 'deny' as const, Egress: false, CidrBlock: '0.0.0.0/0', PortRange: { From: port, To: port } });
      (ec2.NetworkAcls ??= []).push({
        NetworkAclId: idFor('acl', vpcIds.size),
        VpcId: vpcId,
        IsDefault: true,
        Entries: [deny(50, 22), deny(60, 3389), { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0' }, { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: true, CidrBlock: '0.0.0.0/0' }],
      });
    }
    const groupId = idFor('sg', i);
    const arn = `arn:aws:ec2:${region}:${accountId}:security-group/${groupId}`;
    const anyIpv4 = [{ CidrIp: '0.0.0.0/0' }];
    const world = (from: number, to = from) => ({ IpProtocol: 'tcp', FromPort: from, ToPort: to, ...(rng() < 0.25 ? { Ipv6Ranges: [{ CidrIpv6: '::/0' }] } : { IpRanges: anyIpv4 }) });
    const ingress: NonNullable<SandboxSecurityGroup['IpPermissions']> = [];
    const isDefault = !defaultSgIds.has(region) && kind === undefined;
    if (isDefault) defaultSgIds.set(region, groupId);
    else {
      // Near misses every clean group may carry: HTTPS to the world, SSH from the private range only.
      if (rng() < 0.5) ingress.push({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: anyIpv4 });
      if (rng() < 0.3) ingress.push({ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }] });
      if (rng() < 0.3) ingress.push({ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: groupId }] });
      if (kind === 'openSsh') ingress.push(world(22));
      if (kind === 'openRdp') ingress.push(world(3389));
      if (kind === 'openDbPort') ingress.push(world(pick([3306, 5432, 1433, 1521, 27017, 6379])));
      if (kind === 'openAllPorts') ingress.push({ IpProtocol: '-1', IpRanges: anyIpv4 });
    }
    ec2.SecurityGroups!.push({
      GroupId: groupId,
      GroupName: isDefault ? 'default' : `${pick(TEAMS)}-${pick(['web', 'api', 'db', 'cache', 'batch'])}-${i}`,
      Description: isDefault ? 'default VPC security group' : 'synthetic security group',
      VpcId: vpcId,
      IpPermissions: ingress,
      IpPermissionsEgress: isDefault ? [] : [{ IpProtocol: '-1', IpRanges: anyIpv4 }],
    });
    record(kind && SG_PLANTS[kind], arn);
  });

  // ---- EC2 instances, each with its root volume; in the region's VPC (behind its first clean group) when there is one.
  assignPlants(spec.instances ?? 0, INSTANCE_PLANTS, rng).forEach((kind, i) => {
    const region = regions[i % regions.length]!;
    const ec2 = regional[region]!.EC2;
    const instanceId = idFor('i', i);
    const volumeId = idFor('vol', i);
    const name = `${pick(TEAMS)}-${pick(['api', 'worker', 'batch', 'bastion', 'cache'])}-${i}`;
    const launched = daysAgo(5, 900);
    const vpcId = vpcIds.get(region);
    const groupId = defaultSgIds.get(region);
    (ec2.Instances ??= []).push({
      InstanceId: instanceId,
      InstanceType: pick(['t3.medium', 'm7g.large', 'c7g.xlarge']),
      State: { Name: rng() < 0.9 ? 'running' : 'stopped' },
      LaunchTime: launched,
      ...(vpcId ? { VpcId: vpcId } : {}),
      ...(groupId ? { SecurityGroups: [{ GroupId: groupId, GroupName: 'default' }] } : {}),
      PrivateIpAddress: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      MetadataOptions: { HttpTokens: kind === 'imdsV1' ? 'optional' : 'required', HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 2 },
      Tags: [{ Key: 'Name', Value: name }],
    });
    const encrypted = kind !== 'unencryptedVolume';
    (ec2.Volumes ??= []).push({
      VolumeId: volumeId,
      Size: pick([8, 20, 100]),
      AvailabilityZone: `${region}a`,
      VolumeType: 'gp3',
      Encrypted: encrypted,
      ...(encrypted ? { KmsKeyId: `arn:aws:kms:${region}:${accountId}:key/${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}` } : {}),
      State: 'in-use',
      CreateTime: launched,
      Attachments: [{ InstanceId: instanceId, Device: '/dev/xvda', State: 'attached', DeleteOnTermination: true }],
      Tags: [{ Key: 'Name', Value: `${name}-root` }],
    });
    if (kind === 'imdsV1') record(INSTANCE_PLANTS.imdsV1, `arn:aws:ec2:${region}:${accountId}:instance/${instanceId}`);
    if (kind === 'unencryptedVolume') record(INSTANCE_PLANTS.unencryptedVolume, `arn:aws:ec2:${region}:${accountId}:volume/${volumeId}`);
  });

  // ---- Launch templates: clean ones require IMDSv2 (a near miss: the endpoint disabled, tokens optional);
  // a plant's default version allows IMDSv1 while its latest version, not the default, requires IMDSv2.
  assignPlants(spec.launchTemplates ?? 0, LAUNCH_TEMPLATE_PLANTS, rng).forEach((kind, i) => {
    const region = regions[i % regions.length]!;
    const ec2 = regional[region]!.EC2;
    const id = idFor('lt', i);
    const created = daysAgo(30, 900);
    const groupId = defaultSgIds.get(region);
    const data = (tokens: 'optional' | 'required', endpoint: 'enabled' | 'disabled') => ({
      ImageId: idFor('ami', 100_000 + i),
      InstanceType: pick(['t3.medium', 'm7g.large', 'c7g.xlarge']),
      ...(groupId ? { SecurityGroupIds: [groupId] } : {}),
      MetadataOptions: { HttpTokens: tokens, HttpEndpoint: endpoint, HttpPutResponseHopLimit: 2 },
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeSize: pick([8, 20, 100]), VolumeType: 'gp3' as const } }],
    });
    const nearMiss = kind === undefined && rng() < 0.2;
    const versions =
      kind === 'imdsV1'
        ? [{ VersionNumber: 1, CreateTime: created, LaunchTemplateData: data('optional', 'enabled') }, { VersionNumber: 2, CreateTime: created, LaunchTemplateData: data('required', 'enabled') }]
        : [{ VersionNumber: 1, CreateTime: created, LaunchTemplateData: nearMiss ? data('optional', 'disabled') : data('required', 'enabled') }];
    (ec2.LaunchTemplates ??= []).push({ LaunchTemplateId: id, LaunchTemplateName: `${pick(TEAMS)}-${pick(['api', 'worker', 'batch'])}-${i}`, CreateTime: created, DefaultVersionNumber: 1, Versions: versions, Tags: [{ Key: 'team', Value: pick(TEAMS) }] });
    if (kind === 'imdsV1') record(LAUNCH_TEMPLATE_PLANTS.imdsV1, `arn:aws:ec2:${region}:${accountId}:launch-template/${id}`);
  });

  // ---- VPC endpoints (in the region's VPC) and key pairs, for drift: nothing to flag.
  for (let i = 0; i < (spec.vpcEndpoints ?? 0); i++) {
    const region = regions[i % regions.length]!;
    const vpcId = vpcIds.get(region) ?? idFor('vpc', 9000 + i);
    const service = pick(['s3', 'dynamodb', 'secretsmanager', 'kms', 'sqs']);
    const gateway = service === 's3' || service === 'dynamodb';
    (regional[region]!.EC2.VpcEndpoints ??= []).push({
      VpcEndpointId: idFor('vpce', i),
      VpcId: vpcId,
      ServiceName: `com.amazonaws.${region}.${service}`,
      VpcEndpointType: gateway ? 'Gateway' : 'Interface',
      ...(gateway ? {} : { PrivateDnsEnabled: true, SubnetIds: [idFor('subnet', 9000 + i)] }),
      CreationTimestamp: daysAgo(30, 900),
      Tags: [{ Key: 'Name', Value: `synth-${service}-${i}` }],
    });
  }
  for (let i = 0; i < (spec.keyPairs ?? 0); i++) {
    const region = regions[i % regions.length]!;
    (regional[region]!.EC2.KeyPairs ??= []).push({
      KeyPairId: idFor('key', i),
      KeyName: `${pick(TEAMS)}-key-${i}`,
      KeyType: rng() < 0.3 ? 'ed25519' : 'rsa',
      KeyFingerprint: Array.from({ length: 16 }, () => hex(2)).join(':'),
      CreateTime: daysAgo(30, 900),
    });
  }

  /** Who may use a snapshot or image: planted public or another account; clean: nobody, or this account itself (a near miss). */
  const sharing = (kind: 'public' | 'crossAccount' | undefined) =>
    kind === 'public' ? [{ Group: 'all' as const }] : kind === 'crossAccount' ? [{ UserId: outsideAccount }] : rng() < 0.2 ? [{ UserId: accountId }] : [];

  // ---- EBS snapshots the account owns.
  const EBS_SNAPSHOT_PLANTS = SHARING_PLANTS('ec2_ebs_snapshot_public');
  assignPlants(spec.ebsSnapshots ?? 0, EBS_SNAPSHOT_PLANTS, rng).forEach((kind, i) => {
    const region = regions[i % regions.length]!;
    const snapshotId = idFor('snap', i);
    (regional[region]!.EC2.Snapshots ??= []).push({
      SnapshotId: snapshotId,
      VolumeId: idFor('vol', 1_000_000 + i),
      VolumeSize: pick([8, 20, 100, 500]),
      StartTime: daysAgo(1, 700),
      State: 'completed',
      Description: `${pick(TEAMS)} nightly backup`,
      Encrypted: rng() < 0.8,
      CreateVolumePermissions: sharing(kind),
    });
    record(kind && EBS_SNAPSHOT_PLANTS[kind], `arn:aws:ec2:${region}::snapshot/${snapshotId}`);
  });

  // ---- AMIs the account owns.
  const IMAGE_PLANTS = SHARING_PLANTS('ec2_ami_public');
  assignPlants(spec.images ?? 0, IMAGE_PLANTS, rng).forEach((kind, i) => {
    const region = regions[i % regions.length]!;
    const imageId = idFor('ami', i);
    (regional[region]!.EC2.Images ??= []).push({
      ImageId: imageId,
      Name: `synth-${pick(TEAMS)}-base-${i.toString().padStart(5, '0')}`,
      CreationDate: daysAgo(1, 900),
      State: 'available',
      Architecture: pick(['x86_64', 'arm64'] as const),
      RootDeviceName: '/dev/xvda',
      LaunchPermissions: sharing(kind),
    });
    record(kind && IMAGE_PLANTS[kind], `arn:aws:ec2:${region}::image/${imageId}`);
  });

  // ---- EFS file systems.
  assignPlants(spec.fileSystems ?? 0, FILE_SYSTEM_PLANTS, rng).forEach((kind, i) => {
    const region = regions[i % regions.length]!;
    const id = `fs-${hex(8)}${i.toString(16).padStart(9, '0')}`;
    const encrypted = kind !== 'unencrypted';
    ((regional[region]!.EFS ??= { FileSystems: [] }).FileSystems ??= []).push({
      FileSystemId: id,
      Name: `${pick(TEAMS)}-shared-${i}`,
      CreationTime: daysAgo(30, 1500),
      LifeCycleState: 'available',
      Encrypted: encrypted,
      ...(encrypted ? { KmsKeyId: `arn:aws:kms:${region}:${accountId}:key/${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}` } : {}),
      PerformanceMode: 'generalPurpose',
      ThroughputMode: pick(['bursting', 'elastic'] as const),
      NumberOfMountTargets: int(1, 3),
    });
    record(kind && FILE_SYSTEM_PLANTS[kind], `arn:aws:elasticfilesystem:${region}:${accountId}:file-system/${id}`);
  });

  // ---- RDS, each with its connection history.
  assignPlants(spec.dbInstances, DB_PLANTS, rng).forEach((kind, i) => {
    const region = regions[i % regions.length]!;
    const { RDS, CloudWatch } = regional[region]!;
    const engine = pick(['postgres', 'mysql'] as const);
    const id = `${pick(TEAMS)}-${engine === 'postgres' ? 'pg' : 'mysql'}-${i.toString().padStart(4, '0')}`;
    const arn = `arn:aws:rds:${region}:${accountId}:db:${id}`;
    const encrypted = kind !== 'unencrypted';
    const db: SandboxDBInstance = {
      DBInstanceIdentifier: id,
      DBInstanceArn: arn,
      DBInstanceClass: pick(['db.t4g.medium', 'db.m6g.large', 'db.r6g.xlarge']),
      Engine: engine,
      EngineVersion: engine === 'postgres' ? '16.4' : '8.0.39',
      DBInstanceStatus: 'available',
      Endpoint: { Address: `${id}.${hex(12)}.${region}.rds.amazonaws.com`, Port: engine === 'postgres' ? 5432 : 3306 },
      AllocatedStorage: pick([20, 100, 500]),
      InstanceCreateTime: daysAgo(100, 1500),
      PubliclyAccessible: kind === 'publiclyAccessible',
      StorageEncrypted: encrypted,
      ...(encrypted ? { KmsKeyId: `arn:aws:kms:${region}:${accountId}:key/${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}` } : {}),
      BackupRetentionPeriod: kind === 'noBackups' ? 0 : pick([7, 14, 35]),
      DeletionProtection: kind !== 'noDeletionProtection',
      MultiAZ: kind !== 'singleAz',
      AutoMinorVersionUpgrade: kind !== 'noMinorUpgrades',
      VpcSecurityGroups: defaultSgIds.has(region) ? [{ VpcSecurityGroupId: defaultSgIds.get(region)!, Status: 'active' }] : [],
      TagList: [{ Key: 'team', Value: id.split('-')[0]! }],
    };
    RDS.DBInstances!.push(db);
    const connections: SandboxMetric = {
      Namespace: 'AWS/RDS',
      MetricName: 'DatabaseConnections',
      Dimensions: [{ Name: 'DBInstanceIdentifier', Value: id }],
      Unit: 'Count',
      Constant: { Value: kind === 'idle' ? 0 : int(2, 80), Since: daysAgo(60, 90) },
    };
    CloudWatch.Metrics!.push(connections);
    const snapshot = (suffix: string, attributes: SandboxDBSnapshot['Attributes']): SandboxDBSnapshot => ({
      DBSnapshotIdentifier: `${id}-${suffix}`,
      DBInstanceIdentifier: id,
      DBSnapshotArn: `arn:aws:rds:${region}:${accountId}:snapshot:${id}-${suffix}`,
      SnapshotCreateTime: daysAgo(1, 60),
      Engine: engine,
      SnapshotType: 'manual',
      Status: 'available',
      Encrypted: encrypted,
      Attributes: attributes,
    });
    if (kind === 'publicSnapshot') {
      const snap = snapshot('pre-migration', [{ AttributeName: 'restore', AttributeValues: ['all'] }]);
      RDS.DBSnapshots!.push(snap);
      record(DB_PLANTS.publicSnapshot, snap.DBSnapshotArn!);
    } else {
      // Near miss: a manual snapshot that is shared with no one (sharing outside the account is a finding).
      if (rng() < 0.1) RDS.DBSnapshots!.push(snapshot('private-dr', [{ AttributeName: 'restore', AttributeValues: [] }]));
      record(kind && DB_PLANTS[kind], arn);
    }
  });

  // ---- Aurora clusters, each with one manual snapshot: shared with the account itself (a near miss), or planted.
  assignPlants(spec.dbClusters ?? 0, CLUSTER_PLANTS, rng).forEach((kind, i) => {
    const region = regions[i % regions.length]!;
    const RDS = regional[region]!.RDS;
    const id = `${pick(TEAMS)}-aurora-${i.toString().padStart(4, '0')}`;
    const arn = `arn:aws:rds:${region}:${accountId}:cluster:${id}`;
    const encrypted = kind !== 'unencrypted';
    const kmsKeyId = `arn:aws:kms:${region}:${accountId}:key/${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
    (RDS.DBClusters ??= []).push({
      DBClusterIdentifier: id,
      DBClusterArn: arn,
      Engine: 'aurora-postgresql',
      EngineVersion: '16.4',
      Port: 5432,
      ClusterCreateTime: daysAgo(100, 1500),
      StorageEncrypted: encrypted,
      ...(encrypted ? { KmsKeyId: kmsKeyId } : {}),
      BackupRetentionPeriod: pick([7, 14, 35]),
      DeletionProtection: true,
      MultiAZ: true,
      TagList: [{ Key: 'team', Value: id.split('-')[0]! }],
    });
    const restore = kind === 'publicSnapshot' ? ['all'] : kind === 'sharedSnapshot' ? ['999988887777'] : rng() < 0.5 ? [accountId] : [];
    const snapshotArn = `arn:aws:rds:${region}:${accountId}:cluster-snapshot:${id}-manual`;
    (RDS.DBClusterSnapshots ??= []).push({
      DBClusterSnapshotIdentifier: `${id}-manual`,
      DBClusterIdentifier: id,
      DBClusterSnapshotArn: snapshotArn,
      SnapshotCreateTime: daysAgo(1, 60),
      Engine: 'aurora-postgresql',
      SnapshotType: 'manual',
      StorageEncrypted: encrypted,
      Attributes: [{ AttributeName: 'restore', AttributeValues: restore }],
    });
    if (kind === 'unencrypted') record(CLUSTER_PLANTS.unencrypted, arn);
    else if (kind) record(CLUSTER_PLANTS[kind], snapshotArn);
  });

  // ---- SQS queues, each with at most one exposure plant.
  const QUEUE_PLANTS = exposurePlants('sqs_queue_public');
  assignPlants(spec.queues ?? 0, QUEUE_PLANTS, rng).forEach((kind, i) => {
    const region = regions[i % regions.length]!;
    const name = `${pick(TEAMS)}-${pick(['events', 'jobs', 'webhooks', 'notifications'])}-${i.toString().padStart(5, '0')}`;
    const arn = `arn:aws:sqs:${region}:${accountId}:${name}`;
    const policy = exposurePolicy(kind, arn, 'sqs:SendMessage');
    ((regional[region]!.SQS ??= { Queues: [] }).Queues ??= []).push({ QueueName: name, ...(policy ? { Policy: policy } : {}) });
    record(kind && QUEUE_PLANTS[kind], arn);
  });

  // ---- KMS keys: a public or cross-account key policy, or rotation off; near misses are asymmetric keys (rotation does not apply).
  const KEY_PLANTS = { ...exposurePlants('kms_key_policy_public'), rotationOff: { rate: 0.05, checks: ['kms_key_rotation_enabled'] } } satisfies Record<string, Plant>;
  assignPlants(spec.keys ?? 0, KEY_PLANTS, rng).forEach((kind, i) => {
    const region = regions[i % regions.length]!;
    const keyId = `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${i.toString(16).padStart(12, '0')}`;
    const arn = `arn:aws:kms:${region}:${accountId}:key/${keyId}`;
    const policy = exposurePolicy(kind === 'rotationOff' ? undefined : kind, '*', 'kms:Decrypt');
    const asymmetric = kind === undefined && rng() < 0.1;
    ((regional[region]!.KMS ??= { Keys: [] }).Keys ??= []).push({
      KeyId: keyId,
      Description: `${pick(TEAMS)} data key`,
      CreationDate: daysAgo(30, 1500),
      ...(asymmetric ? { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' as const } : { KeyRotationEnabled: kind !== 'rotationOff' }),
      ...(policy ? { Policy: policy } : {}),
      Aliases: [`alias/synth-${i.toString().padStart(5, '0')}`],
    });
    record(kind && KEY_PLANTS[kind], arn);
  });

  // ---- ECR repositories: a public or cross-account policy, scan on push off, or mutable tags.
  const REPOSITORY_PLANTS = {
    ...exposurePlants('ecr_repository_public'),
    noScanOnPush: { rate: 0.05, checks: ['ecr_repository_scan_on_push'] },
    mutableTags: { rate: 0.05, checks: ['ecr_repository_tag_immutability'] },
  } satisfies Record<string, Plant>;
  assignPlants(spec.repositories ?? 0, REPOSITORY_PLANTS, rng).forEach((kind, i) => {
    const region = regions[i % regions.length]!;
    const name = `${pick(TEAMS)}/${pick(['api', 'worker', 'web', 'jobs'])}-${i.toString().padStart(5, '0')}`;
    const arn = `arn:aws:ecr:${region}:${accountId}:repository/${name}`;
    // Repository policies name no Resource: the repository is implied.
    const granted = exposurePolicy(kind === 'public' || kind === 'crossAccount' ? kind : undefined, '*', 'ecr:BatchGetImage') as { Statement: Array<Record<string, unknown>> } | undefined;
    const statements = granted?.Statement.map(({ Resource: _resource, ...statement }) => statement);
    ((regional[region]!.ECR ??= { Repositories: [] }).Repositories ??= []).push({
      repositoryName: name,
      createdAt: daysAgo(30, 1500),
      // IMMUTABLE_WITH_EXCLUSION now and then: immutable but for the tags its filters name.
      imageTagMutability: kind === 'mutableTags' ? 'MUTABLE' : rng() < 0.1 ? 'IMMUTABLE_WITH_EXCLUSION' : 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: kind !== 'noScanOnPush' },
      ...(statements ? { Policy: { Version: '2012-10-17', Statement: statements } } : {}),
    });
    record(kind && REPOSITORY_PLANTS[kind], arn);
  });

  // ---- Secrets Manager secrets: a public or cross-account policy, or no rotation; never a value.
  const SECRET_PLANTS = { ...exposurePlants('secretsmanager_secret_public'), noRotation: { rate: 0.05, checks: ['secretsmanager_rotation_enabled'] } } satisfies Record<string, Plant>;
  assignPlants(spec.secrets ?? 0, SECRET_PLANTS, rng).forEach((kind, i) => {
    const region = regions[i % regions.length]!;
    const team = pick(TEAMS);
    const name = `${team}/${pick(['db', 'api-key', 'oauth', 'smtp'])}-${i.toString().padStart(5, '0')}`;
    const arn = `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-${hex(6)}`;
    const policy = exposurePolicy(kind === 'noRotation' ? undefined : kind, '*', 'secretsmanager:GetSecretValue');
    const rotated = kind !== 'noRotation';
    ((regional[region]!.SecretsManager ??= { Secrets: [] }).Secrets ??= []).push({
      Name: name,
      ARN: arn,
      CreatedDate: daysAgo(30, 1500),
      ...(rotated
        ? { RotationEnabled: true, RotationLambdaARN: `arn:aws:lambda:${region}:${accountId}:function:${team}-rotator`, RotationRules: { AutomaticallyAfterDays: pick([7, 30, 90]) }, LastRotatedDate: daysAgo(1, 7) }
        : rng() < 0.5 ? { RotationEnabled: false } : {}),
      ...(policy ? { Policy: policy } : {}),
      Tags: [{ Key: 'team', Value: team }],
    });
    record(kind && SECRET_PLANTS[kind], arn);
  });

  // ---- Lambda functions: a public or cross-account policy, or a URL without authentication.
  const FUNCTION_PLANTS = { ...exposurePlants('lambda_function_public'), urlWithoutAuth: { rate: 0.01, checks: ['lambda_function_url_public'] } } satisfies Record<string, Plant>;
  assignPlants(spec.functions ?? 0, FUNCTION_PLANTS, rng).forEach((kind, i) => {
    const region = regions[i % regions.length]!;
    const team = pick(TEAMS);
    const name = `${team}-${pick(['api', 'worker', 'cron', 'resize', 'webhook'])}-${i.toString().padStart(5, '0')}`;
    const arn = `arn:aws:lambda:${region}:${accountId}:function:${name}`;
    const policy = exposurePolicy(kind === 'urlWithoutAuth' ? undefined : kind, arn, 'lambda:InvokeFunction');
    const url = kind === 'urlWithoutAuth' ? { AuthType: 'NONE' as const } : rng() < 0.1 ? { AuthType: 'AWS_IAM' as const } : undefined;
    ((regional[region]!.Lambda ??= { Functions: [] }).Functions ??= []).push({
      FunctionName: name,
      Runtime: pick(['nodejs20.x', 'python3.12', 'java21']),
      Role: `arn:aws:iam::${accountId}:role/${team}-lambda`,
      LastModified: daysAgo(1, 400),
      Environment: { Variables: { TEAM: team, LOG_LEVEL: 'info' } },
      ...(policy ? { Policy: policy } : {}),
      ...(url ? { FunctionUrl: url } : {}),
    });
    record(kind && FUNCTION_PLANTS[kind], arn);
  });

  // ---- SNS topics, each with a confirmed email subscription: a public or cross-account policy planted.
  const TOPIC_PLANTS = exposurePlants('sns_topic_public');
  assignPlants(spec.topics ?? 0, TOPIC_PLANTS, rng).forEach((kind, i) => {
    const region = regions[i % regions.length]!;
    const team = pick(TEAMS);
    const name = `${team}-${pick(['events', 'alerts', 'notifications', 'fanout'])}-${i.toString().padStart(5, '0')}`;
    const arn = `arn:aws:sns:${region}:${accountId}:${name}`;
    const policy = exposurePolicy(kind, arn, 'sns:Subscribe');
    ((regional[region]!.SNS ??= { Topics: [] }).Topics ??= []).push({
      Name: name,
      ...(policy ? { Policy: policy } : {}),
      Subscriptions: [{ Protocol: 'email', Endpoint: `${team}@synth.example`, Id: `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${i.toString(16).padStart(12, '0')}` }],
    });
    record(kind && TOPIC_PLANTS[kind], arn);
  });

  // ---- CloudTrail: one compliant multi-region trail, then single-region ones; all deliver to one logged bucket.
  const trailCount = spec.trails ?? 0;
  if (trailCount === 0) {
    // No trail at all: the account-level CloudTrail controls fail.
    for (const check of ['cloudtrail_multi_region_enabled', 'cloudtrail_s3_data_events_write', 'cloudtrail_s3_data_events_read']) record({ rate: 1, checks: [check] }, accountId);
  } else {
    const trailBucket = `synth-cloudtrail-${accountId}`;
    const bucketArn = `arn:aws:s3:::${trailBucket}`;
    buckets.push({
      Name: trailBucket,
      CreationDate: daysAgo(1500, 2000),
      Region: regions[0]!,
      Policy: {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [bucketArn, `${bucketArn}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
          { Sid: 'CloudTrailWrite', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: `${bucketArn}/AWSLogs/${accountId}/*`, Condition: { StringEquals: { 'aws:SourceAccount': accountId } } },
        ],
      },
      PublicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      Versioning: { Status: 'Enabled' },
      LoggingEnabled: { TargetBucket: `aws-controltower-s3-access-logs-999988887777-${regions[0]}`, TargetPrefix: `${trailBucket}/` },
    });
    const key = (region: string) => `arn:aws:kms:${region}:${accountId}:key/${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
    const home = regions[0]!;
    (regional[home]!.CloudTrail ??= { Trails: [] }).Trails!.push({
      Name: 'synth-org-trail',
      S3BucketName: trailBucket,
      IsMultiRegionTrail: true,
      LogFileValidationEnabled: true,
      KmsKeyId: key(home),
      IsLogging: true,
      // With the baseline, its events also go to the log group the CIS 4.x metric filters watch.
      ...(spec.baseline ? { CloudWatchLogsLogGroupArn: `arn:aws:logs:${home}:${accountId}:log-group:synth-org-trail:*`, CloudWatchLogsRoleArn: `arn:aws:iam::${accountId}:role/cloudtrail-to-cloudwatch` } : {}),
      // Management events through the default-equivalent selector, S3 object reads and writes of every bucket.
      EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }],
    });
    assignPlants(trailCount - 1, TRAIL_PLANTS, rng).forEach((kind, i) => {
      const region = regions[(i + 1) % regions.length]!;
      const name = `${pick(TEAMS)}-trail-${i.toString().padStart(4, '0')}`;
      // Near misses: advanced selectors that narrow to one bucket's objects, stopped or not.
      (regional[region]!.CloudTrail ??= { Trails: [] }).Trails!.push({
        Name: name,
        S3BucketName: trailBucket,
        S3KeyPrefix: name,
        IsMultiRegionTrail: false,
        LogFileValidationEnabled: kind !== 'noLogFileValidation',
        ...(kind === 'noKmsEncryption' ? {} : { KmsKeyId: key(region) }),
        IsLogging: rng() < 0.9,
        AdvancedEventSelectors: [
          { Name: 'management', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['false'] }] },
          { Name: 'one bucket', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'resources.ARN', StartsWith: [`arn:aws:s3:::${pick(buckets).Name}/`] }] },
        ],
      });
      record(kind && TRAIL_PLANTS[kind], `arn:aws:cloudtrail:${region}:${accountId}:trail/${name}`);
    });
  }

  // ---- AWS Config: a recorder in every region; with two or more regions, the last one's is stopped.
  regions.forEach((region, i) => {
    const stopped = regions.length > 1 && i === regions.length - 1;
    regional[region]!.Config = {
      ConfigurationRecorders: [
        { name: 'default', roleARN: `arn:aws:iam::${accountId}:role/aws-config-recorder`, recordingGroup: { allSupported: true, includeGlobalResourceTypes: i === 0 }, Status: { recording: !stopped, lastStatus: 'Success' } },
      ],
      DeliveryChannels: [{ name: 'default', s3BucketName: `aws-controltower-logs-999988887777-${region}` }],
    };
    if (stopped) record({ rate: 1, checks: ['config_recorder_enabled'] }, `arn:aws:config:${region}:${accountId}:configuration-recorder/default`);
  });

  // ---- The security baseline: security services everywhere, a security contact, a support role, CIS 4.x monitoring.
  const baselineRoles: SandboxRole[] = [];
  if (spec.baseline) {
    const home = regions[0]!;
    const since = daysAgo(300, 900);
    regions.forEach((region, i) => {
      const r = regional[region]!;
      r.AccessAnalyzer = { Analyzers: [{ name: 'synth-account', type: 'ACCOUNT', status: 'ACTIVE', createdAt: since }] };
      r.SecurityHub = { Hub: { SubscribedAt: since, AutoEnableControls: true } };
      const detectorId = `${hex(16)}${i.toString(16).padStart(16, '0')}`;
      const suspended = region === lastRegion;
      r.GuardDuty = { Detectors: [{ DetectorId: detectorId, Status: suspended ? 'DISABLED' : 'ENABLED', CreatedAt: since, FindingPublishingFrequency: 'SIX_HOURS' }] };
      if (suspended) record({ rate: 1, checks: ['guardduty_enabled'] }, `arn:aws:guardduty:${region}:${accountId}:detector/${detectorId}`);
    });
    // The AWS managed policy, as IAM lists it among the account's policies once it is attached.
    policies.push({
      PolicyName: 'AWSSupportAccess',
      Arn: 'arn:aws:iam::aws:policy/AWSSupportAccess',
      AwsManaged: true,
      CreateDate: '2015-02-06T18:41:11Z',
      Versions: [{ VersionId: 'v1', IsDefaultVersion: true, CreateDate: '2015-02-06T18:41:11Z', Document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['support:*'], Resource: '*' }] } }],
    });
    baselineRoles.push({
      RoleName: 'incident-response',
      Arn: `arn:aws:iam::${accountId}:role/incident-response`,
      CreateDate: since,
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }] },
      RoleLastUsed: { LastUsedDate: daysAgo(0, 20), Region: home },
      AttachedPolicies: [{ PolicyName: 'AWSSupportAccess', PolicyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess' }],
    });
    // CIS 4.1-4.14 on the first trail's log group, each alarm to a topic with a confirmed subscriber; 4.15 (Organizations) is missing.
    const topicArn = `arn:aws:sns:${home}:${accountId}:synth-security-alerts`;
    ((regional[home]!.SNS ??= { Topics: [] }).Topics ??= []).push({ Name: 'synth-security-alerts', Subscriptions: [{ Protocol: 'email', Endpoint: 'security@synth.example', Id: `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}` }] });
    const filters: NonNullable<NonNullable<SandboxRegion['Logs']>['LogGroups']>[number]['MetricFilters'] = [];
    const alarms: NonNullable<NonNullable<SandboxRegion['CloudWatch']>['Alarms']> = [];
    // The 4.x checks register their controls as the registry loads them.
    for (const checkId of CHECKS.map((c) => c.metadata.id)) {
      const control = CIS_MONITORING_CONTROLS.get(checkId);
      if (!control) continue;
      if (checkId === 'cloudwatch_alarm_organizations_changes') {
        record({ rate: 1, checks: [checkId] }, accountId);
        continue;
      }
      const name = `cis-${checkId.replace('cloudwatch_alarm_', '').replaceAll('_', '-')}`;
      filters!.push({ filterName: name, filterPattern: control.pattern, metricTransformations: [{ metricName: name, metricNamespace: 'CISBenchmark', metricValue: '1' }], creationTime: since });
      alarms.push({ AlarmName: name, AlarmDescription: `CIS ${control.cis}: ${control.watches}`, MetricName: name, Namespace: 'CISBenchmark', Statistic: 'Sum', Period: 300, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching', AlarmActions: [topicArn] });
    }
    ((regional[home]!.Logs ??= { LogGroups: [] }).LogGroups ??= []).push({ logGroupName: 'synth-org-trail', creationTime: since, retentionInDays: 365, MetricFilters: filters });
    (regional[home]!.CloudWatch.Alarms ??= []).push(...alarms);
  }

  // ---- IAM server certificates: some expired (left in IAM after renewal), the rest valid.
  const serverCertificates: NonNullable<NonNullable<SandboxAccount['IAM']>['ServerCertificates']> = [];
  assignPlants(spec.serverCertificates ?? 0, CERTIFICATE_PLANTS, rng).forEach((kind, i) => {
    const name = `synth-${pick(TEAMS)}-tls-${i.toString().padStart(4, '0')}`;
    const arn = `arn:aws:iam::${accountId}:server-certificate/${name}`;
    const expired = kind === 'expired';
    serverCertificates.push({ ServerCertificateName: name, Arn: arn, UploadDate: daysAgo(400, 800), Expiration: expired ? daysAgo(1, 300) : new Date(ANCHOR_MS + int(30, 700) * DAY_MS).toISOString() });
    record(kind && CERTIFICATE_PLANTS[kind], arn);
  });

  const account: SandboxAccount = {
    Description: `Synthetic account (seed ${seed}): ${spec.buckets} buckets, ${spec.roles} roles, ${spec.users} users, ${spec.securityGroups} security groups, ${spec.dbInstances} DB instances`,
    AccountId: accountId,
    TimeAnchor: GENERATED_TIME_ANCHOR,
    Regions: Object.fromEntries(regions.map((r) => [r, regional[r]!])),
    S3: { Buckets: buckets },
    IAM: {
      AccountAlias: `synth-${seed}`,
      Roles: [...roles, ...baselineRoles],
      ...(serverCertificates.length ? { ServerCertificates: serverCertificates } : {}),
      Users: users,
      Policies: policies,
      PasswordPolicy: { MinimumPasswordLength: 14, RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true, AllowUsersToChangePassword: true, ExpirePasswords: true, MaxPasswordAge: 90, PasswordReusePrevention: 24 },
      Root: { CreateDate: daysAgo(2000, 2500), MFAActive: true, HardwareMFA: true, AccessKeys: [] },
    },
    ...(spec.baseline ? { Account: { AlternateContacts: { SECURITY: { Name: 'Security team', Title: 'Security operations', EmailAddress: 'security@synth.example', PhoneNumber: '+1-555-0100' } } } } : {}),
  };
  // Account-wide services the generator does not set up are gaps, as in a new account: each is
  // planted on the resource id its check reports (the account, or the service per region).
  if (!spec.baseline) for (const [check, ids] of Object.entries(accountGaps(accountId, regions))) (plantedResources[check] ??= []).push(...ids);
  const planted = Object.fromEntries(Object.entries(plantedResources).map(([check, ids]) => [check, ids.length]));
  return { account, planted, plantedResources };
}

/** CIS 4.1-4.15: a metric filter, an alarm and a subscribed topic per pattern; none are generated. */
const MONITORING_CHECKS = [
  'unauthorized_api_calls',
  'console_signin_without_mfa',
  'root_account_usage',
  'iam_policy_changes',
  'cloudtrail_config_changes',
  'console_auth_failures',
  'cmk_disable_or_deletion',
  's3_bucket_policy_changes',
  'config_changes',
  'security_group_changes',
  'nacl_changes',
  'network_gateway_changes',
  'route_table_changes',
  'vpc_changes',
  'organizations_changes',
].map((name) => `cloudwatch_alarm_${name}`);

/** The findings a generated account gets for the account-wide services it leaves unset. */
function accountGaps(accountId: string, regions: readonly string[]): Record<string, string[]> {
  return {
    account_security_contact: [accountId],
    iam_support_role: [accountId],
    ...Object.fromEntries(MONITORING_CHECKS.map((check) => [check, [accountId]])),
    accessanalyzer_enabled: regions.map((r) => `arn:aws:access-analyzer:${r}:${accountId}:analyzer`),
    guardduty_enabled: regions.map((r) => `arn:aws:guardduty:${r}:${accountId}:detector`),
    securityhub_enabled: regions.map((r) => `arn:aws:securityhub:${r}:${accountId}:hub/default`),
  };
}
