import { describe, expect, it } from 'vitest';
import { InfraAuditError } from '../../errors.js';
import { GENERATED_TIME_ANCHOR, generateAccount, parseGenerateSpec } from './generate.js';
import { loadAccountText, validateAccount } from './load.js';
import type { SandboxAccount, SandboxBucket, SandboxSecurityGroup } from './model.js';

const FULL_SPEC = 'buckets=10000,roles=3000,users=500,security-groups=2000,db-instances=500';
const SMALL = { buckets: 300, roles: 200, users: 100, securityGroups: 200, dbInstances: 100 };

function specError(text: string): InfraAuditError {
  try {
    parseGenerateSpec(text);
  } catch (err) {
    if (err instanceof InfraAuditError) return err;
    throw err;
  }
  throw new Error(`expected "${text}" to be rejected`);
}

// Independent readings of the generated account: what a reviewer would count by hand.
type Statement = { Effect?: string; Principal?: unknown; Condition?: unknown };
const statementsOf = (doc: unknown): Statement[] => {
  const parsed = (typeof doc === 'string' ? JSON.parse(doc) : doc) as { Statement?: Statement | Statement[] };
  return ([] as Statement[]).concat(parsed.Statement ?? []);
};
const isWorld = (principal: unknown) => principal === '*' || (typeof principal === 'object' && principal !== null && (principal as { AWS?: unknown }).AWS === '*');
const publicByPolicy = (b: SandboxBucket) => statementsOf(b.Policy ?? {}).some((s) => s.Effect === 'Allow' && isWorld(s.Principal) && s.Condition === undefined);
const aclGrants = (b: SandboxBucket, permission: string) => (b.Acl?.Grants ?? []).some((g) => g.Grantee.URI === 'http://acs.amazonaws.com/groups/global/AllUsers' && g.Permission === permission);
const opensPort = (sg: SandboxSecurityGroup, port: number) =>
  (sg.IpPermissions ?? []).some(
    (p) =>
      (p.IpProtocol === '-1' || (p.IpProtocol === 'tcp' && (p.FromPort ?? 0) <= port && port <= (p.ToPort ?? 65535))) &&
      ((p.IpRanges ?? []).some((r) => r.CidrIp === '0.0.0.0/0') || (p.Ipv6Ranges ?? []).some((r) => r.CidrIpv6 === '::/0')),
  );
const allGroups = (a: SandboxAccount) => Object.values(a.Regions).flatMap((r) => r.EC2?.SecurityGroups ?? []);
const allDbs = (a: SandboxAccount) => Object.values(a.Regions).flatMap((r) => r.RDS?.DBInstances ?? []);
const DAY = 86_400_000;

describe('parseGenerateSpec', () => {
  it('reads every key, in any order, with missing kinds at zero', () => {
    expect(parseGenerateSpec(FULL_SPEC)).toEqual({ buckets: 10000, roles: 3000, users: 500, securityGroups: 2000, dbInstances: 500 });
    expect(parseGenerateSpec(' users=3 , buckets=7 ')).toEqual({ buckets: 7, roles: 0, users: 3, securityGroups: 0, dbInstances: 0 });
    expect(parseGenerateSpec('buckets=1,regions=eu-west-1+us-west-2').regions).toEqual(['eu-west-1', 'us-west-2']);
  });

  it('names the bad key or value in a clear error', () => {
    expect(specError('buckets=10,rolez=5').message).toContain('unknown key "rolez"');
    expect(specError('buckets=ten').message).toContain('buckets: "ten" is not a whole number');
    expect(specError('buckets=-1').message).toContain('buckets: "-1" is not a whole number');
    expect(specError('buckets=1,buckets=2').message).toContain('"buckets" is given twice');
    expect(specError('buckets').message).toContain('"buckets" is not key=value');
    expect(specError('').message).toContain('empty');
    expect(specError('buckets=1,regions=mars-1').message).toContain('"mars-1" is not an AWS region');
    expect(specError('buckets=9999999').message).toContain('more than');
    expect(specError('roles=x').code).toBe('USAGE');
    expect(specError('roles=x').hint).toContain('security-groups=');
  });
});

describe('generateAccount', () => {
  it('is deterministic for a seed, and a different seed gives a different account', () => {
    const a = generateAccount(SMALL, 42);
    const b = generateAccount(SMALL, 42);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const c = generateAccount(SMALL, 43);
    expect(JSON.stringify(c.account)).not.toBe(JSON.stringify(a.account));
    expect(c.account.TimeAnchor).toBe(GENERATED_TIME_ANCHOR);
  });

  it('builds the full-size account in seconds, with the requested counts, and it validates', () => {
    const started = performance.now();
    const { account, planted } = generateAccount(parseGenerateSpec(FULL_SPEC), 7);
    const elapsedMs = performance.now() - started;
    expect(elapsedMs).toBeLessThan(5_000);
    expect(account.S3!.Buckets).toHaveLength(10000);
    expect(account.IAM!.Roles).toHaveLength(3000);
    expect(account.IAM!.Users).toHaveLength(500);
    expect(allGroups(account)).toHaveLength(2000);
    expect(allDbs(account)).toHaveLength(500);
    expect(Object.keys(account.Regions)).toEqual(['us-east-1', 'eu-west-1']);
    expect(validateAccount(account).problems).toEqual([]);
    // Plants are a small known fraction: 0.5% of 10,000 buckets have a public-read policy.
    expect(planted.s3_bucket_public_read).toBe(50 + 30);
    expect(planted.iam_role_unused).toBe(150);
    expect(planted.rds_instance_public_access).toBe(10);
    expect(planted.s3_account_public_access_block).toBe(1);
  });

  it('reports planted counts that an independent count of the account confirms', () => {
    const { account, planted, plantedResources } = generateAccount(parseGenerateSpec(FULL_SPEC), 1234);
    const buckets = account.S3!.Buckets!;
    const publicRead = buckets.filter((b) => publicByPolicy(b) || aclGrants(b, 'READ'));
    expect(publicRead.length).toBe(planted.s3_bucket_public_read);
    expect(new Set(plantedResources.s3_bucket_public_read)).toEqual(new Set(publicRead.map((b) => `arn:aws:s3:::${b.Name}`)));
    expect(buckets.filter((b) => aclGrants(b, 'WRITE')).length).toBe(planted.s3_bucket_public_write);
    expect(buckets.filter((b) => !b.PublicAccessBlock).length).toBe(planted.s3_bucket_public_access_block);
    expect(buckets.filter((b) => b.Versioning?.Status !== 'Enabled').length).toBe(planted.s3_bucket_versioning);
    expect(buckets.filter((b) => b.OwnershipControls?.Rules[0]?.ObjectOwnership !== 'BucketOwnerEnforced').length).toBe(planted.s3_bucket_acls_disabled);
    // A near miss is present and not counted: Principal "*" narrowed by aws:SourceVpce.
    expect(buckets.some((b) => statementsOf(b.Policy ?? {}).some((s) => s.Effect === 'Allow' && isWorld(s.Principal) && s.Condition !== undefined))).toBe(true);

    const groups = allGroups(account);
    expect(groups.filter((g) => opensPort(g, 22)).length).toBe(planted.ec2_sg_open_ssh);
    expect(groups.filter((g) => opensPort(g, 3389)).length).toBe(planted.ec2_sg_open_rdp);
    expect(groups.some((g) => (g.IpPermissions ?? []).some((p) => p.FromPort === 22 && p.IpRanges?.[0]?.CidrIp === '10.0.0.0/8'))).toBe(true);

    const anchor = Date.parse(GENERATED_TIME_ANCHOR);
    const roles = account.IAM!.Roles!;
    expect(roles.filter((r) => !r.RoleLastUsed?.LastUsedDate || anchor - Date.parse(r.RoleLastUsed.LastUsedDate) > 90 * DAY).length).toBe(planted.iam_role_unused);
    const users = account.IAM!.Users!;
    expect(users.filter((u) => u.LoginProfile && !u.MFADevices?.length).length).toBe(planted.iam_user_console_mfa);
    expect(users.filter((u) => (u.AccessKeys ?? []).some((k) => k.Status === 'Active' && anchor - Date.parse(k.CreateDate) > 90 * DAY)).length).toBe(planted.iam_access_key_rotation);

    const dbs = allDbs(account);
    expect(dbs.filter((d) => d.PubliclyAccessible).length).toBe(planted.rds_instance_public_access);
    expect(dbs.filter((d) => !d.StorageEncrypted).length).toBe(planted.rds_instance_storage_encrypted);
    const idle = Object.values(account.Regions).flatMap((r) => r.CloudWatch?.Metrics ?? []).filter((m) => m.MetricName === 'DatabaseConnections' && m.Constant?.Value === 0);
    expect(idle.length).toBe(planted.rds_instance_idle);
    const snapshots = Object.values(account.Regions).flatMap((r) => r.RDS?.DBSnapshots ?? []);
    expect(snapshots.filter((s) => s.Attributes?.some((a) => a.AttributeName === 'restore' && a.AttributeValues.includes('all'))).length).toBe(planted.rds_snapshot_public);

    for (const [check, ids] of Object.entries(plantedResources)) {
      expect(planted[check], check).toBe(ids.length);
      expect(new Set(ids).size, `${check} names a resource twice`).toBe(ids.length);
    }
  });

  it('loads through the real loader, with ages kept relative to now', () => {
    const { account } = generateAccount({ ...SMALL, regions: ['eu-west-1'] }, 5);
    const now = new Date('2027-06-01T00:00:00Z');
    const loaded = loadAccountText(JSON.stringify(account), '<generated>', now);
    const shift = now.getTime() - Date.parse(GENERATED_TIME_ANCHOR);
    const role = account.IAM!.Roles![0]!;
    expect(Date.parse(loaded.IAM!.Roles![0]!.CreateDate)).toBe(Date.parse(role.CreateDate) + shift);
    expect(loaded.S3!.Buckets!.every((b) => b.Region === 'eu-west-1')).toBe(true);
  });

  it('makes an empty account for an all-zero spec', () => {
    const { account, planted } = generateAccount(parseGenerateSpec('buckets=0'), 1);
    expect(account.S3!.Buckets).toEqual([]);
    expect(validateAccount(account).problems).toEqual([]);
    // No trail is itself a finding; every region has a recorder, the last one stopped, and EBS
    // encryption by default off in the last region; the
    // account-wide services the generator leaves unset are gaps (per region where regional).
    const regions = Object.keys(account.Regions).length;
    expect(planted).toMatchObject({
      s3_account_public_access_block: 1,
      cloudtrail_multi_region_enabled: 1,
      cloudtrail_s3_data_events_write: 1,
      cloudtrail_s3_data_events_read: 1,
      config_recorder_enabled: 1,
      ec2_ebs_default_encryption: 1,
      account_security_contact: 1,
      iam_support_role: 1,
      cloudwatch_alarm_unauthorized_api_calls: 1,
      accessanalyzer_enabled: regions,
      guardduty_enabled: regions,
      securityhub_enabled: regions,
    });
    // Nothing per resource: an empty account has no resource to plant on.
    expect(Object.keys(planted).filter((check) => !/^(s3_account|cloudtrail_|config_|ec2_ebs_default|account_|iam_support|cloudwatch_alarm_|accessanalyzer_|guardduty_|securityhub_)/.test(check))).toEqual([]);
  });

  it('generates trails: one compliant multi-region trail, then single-region ones with exact plants, all delivering to one logged bucket', () => {
    const { account, planted, plantedResources } = generateAccount(parseGenerateSpec('buckets=20,trails=51'), 3);
    expect(validateAccount(account).problems).toEqual([]);
    const trails = Object.values(account.Regions).flatMap((r) => r.CloudTrail?.Trails ?? []);
    expect(trails).toHaveLength(51);
    expect(trails.filter((t) => t.IsMultiRegionTrail).map((t) => t.Name)).toEqual(['synth-org-trail']);
    expect(trails.filter((t) => !t.LogFileValidationEnabled)).toHaveLength(planted.cloudtrail_log_file_validation!);
    expect(trails.filter((t) => !t.KmsKeyId)).toHaveLength(planted.cloudtrail_kms_encryption!);
    expect(planted.cloudtrail_log_file_validation).toBe(10);
    expect(plantedResources.cloudtrail_multi_region_enabled).toBeUndefined();
    const bucket = account.S3!.Buckets!.find((b) => b.Name === trails[0]!.S3BucketName)!;
    expect(bucket.LoggingEnabled).toBeDefined();
    expect(account.S3!.Buckets).toHaveLength(21);
    expect(plantedResources.config_recorder_enabled).toEqual([`arn:aws:config:eu-west-1:${account.AccountId}:configuration-recorder/default`]);
  });
});

describe('generated resources with a resource policy', () => {
  it('plants public and cross-account queues at known rates, beside narrowed near misses, and validates', () => {
    const { account, planted, plantedResources } = generateAccount(parseGenerateSpec('queues=1000'), 11);
    expect(validateAccount(account).problems).toEqual([]);
    const queues = Object.entries(account.Regions).flatMap(([region, r]) => (r.SQS?.Queues ?? []).map((q) => ({ region, ...q })));
    expect(queues).toHaveLength(1000);
    const open = queues.filter((q) => statementsOf(q.Policy ?? {}).some((s) => s.Effect === 'Allow' && s.Condition === undefined && (isWorld(s.Principal) || JSON.stringify(s.Principal).includes('444455556666'))));
    expect(planted.sqs_queue_public).toBe(20);
    expect(new Set(plantedResources.sqs_queue_public)).toEqual(new Set(open.map((q) => `arn:aws:sqs:${q.region}:${account.AccountId}:${q.QueueName}`)));
    expect(queues.some((q) => statementsOf(q.Policy ?? {}).some((s) => isWorld(s.Principal) && s.Condition !== undefined))).toBe(true);
    expect(parseGenerateSpec('buckets=1')).not.toHaveProperty('queues');
  });

  it('plants public and cross-account KMS key policies and keys that do not rotate', () => {
    const { account, planted, plantedResources } = generateAccount(parseGenerateSpec('keys=400,regions=us-east-1'), 13);
    expect(validateAccount(account).problems).toEqual([]);
    const keys = account.Regions['us-east-1']!.KMS!.Keys!;
    expect(keys).toHaveLength(400);
    const arn = (id: string) => `arn:aws:kms:us-east-1:${account.AccountId}:key/${id}`;
    const openPolicy = keys.filter((k) => statementsOf(k.Policy ?? {}).some((s) => s.Condition === undefined && (isWorld(s.Principal) || JSON.stringify(s.Principal).includes('444455556666'))));
    expect(planted.kms_key_policy_public).toBe(8);
    expect(new Set(plantedResources.kms_key_policy_public)).toEqual(new Set(openPolicy.map((k) => arn(k.KeyId))));
    expect(planted.kms_key_rotation_enabled).toBe(20);
    expect(new Set(plantedResources.kms_key_rotation_enabled)).toEqual(new Set(keys.filter((k) => k.KeyRotationEnabled === false).map((k) => arn(k.KeyId))));
    expect(keys.some((k) => k.KeySpec === 'RSA_2048')).toBe(true);
    expect(new Set(keys.map((k) => k.KeyId)).size).toBe(400);
  });

  it('plants public and cross-account function policies and unauthenticated function URLs', () => {
    const { account, planted, plantedResources } = generateAccount(parseGenerateSpec('functions=500,regions=us-east-1'), 12);
    expect(validateAccount(account).problems).toEqual([]);
    const functions = account.Regions['us-east-1']!.Lambda!.Functions!;
    expect(functions).toHaveLength(500);
    const arn = (name: string) => `arn:aws:lambda:us-east-1:${account.AccountId}:function:${name}`;
    const openPolicy = functions.filter((f) => statementsOf(f.Policy ?? {}).some((s) => s.Condition === undefined && (isWorld(s.Principal) || JSON.stringify(s.Principal).includes('444455556666'))));
    expect(new Set(plantedResources.lambda_function_public)).toEqual(new Set(openPolicy.map((f) => arn(f.FunctionName))));
    expect(planted.lambda_function_public).toBe(10);
    expect(new Set(plantedResources.lambda_function_url_public)).toEqual(new Set(functions.filter((f) => f.FunctionUrl?.AuthType === 'NONE').map((f) => arn(f.FunctionName))));
    expect(functions.some((f) => f.FunctionUrl?.AuthType === 'AWS_IAM')).toBe(true);
  });

  it('plants public and cross-account repositories, repositories that do not scan on push or keep tags mutable, and validates', () => {
    const { account, planted, plantedResources } = generateAccount(parseGenerateSpec('repositories=400,regions=us-east-1'), 14);
    expect(validateAccount(account).problems).toEqual([]);
    const repos = account.Regions['us-east-1']!.ECR!.Repositories!;
    expect(repos).toHaveLength(400);
    const arn = (name: string) => `arn:aws:ecr:us-east-1:${account.AccountId}:repository/${name}`;
    const open = repos.filter((r) => statementsOf(r.Policy ?? {}).some((s) => s.Condition === undefined && (isWorld(s.Principal) || JSON.stringify(s.Principal).includes('444455556666'))));
    expect(planted.ecr_repository_public).toBe(8);
    expect(new Set(plantedResources.ecr_repository_public)).toEqual(new Set(open.map((r) => arn(r.repositoryName))));
    expect(new Set(plantedResources.ecr_repository_scan_on_push)).toEqual(new Set(repos.filter((r) => !r.imageScanningConfiguration?.scanOnPush).map((r) => arn(r.repositoryName))));
    expect(new Set(plantedResources.ecr_repository_tag_immutability)).toEqual(new Set(repos.filter((r) => r.imageTagMutability === 'MUTABLE').map((r) => arn(r.repositoryName))));
    expect(planted.ecr_repository_tag_immutability).toBe(20);
    expect(repos.some((r) => r.imageTagMutability === 'IMMUTABLE_WITH_EXCLUSION')).toBe(true);
    expect(repos.some((r) => statementsOf(r.Policy ?? {}).some((s) => isWorld(s.Principal) && s.Condition !== undefined))).toBe(true);
  });

  it('plants public and cross-account secrets and secrets that never rotate, with metadata only', () => {
    const { account, planted, plantedResources } = generateAccount(parseGenerateSpec('secrets=400,regions=us-east-1'), 15);
    expect(validateAccount(account).problems).toEqual([]);
    const secrets = account.Regions['us-east-1']!.SecretsManager!.Secrets!;
    expect(secrets).toHaveLength(400);
    const open = secrets.filter((s) => statementsOf(s.Policy ?? {}).some((st) => st.Condition === undefined && (isWorld(st.Principal) || JSON.stringify(st.Principal).includes('444455556666'))));
    expect(planted.secretsmanager_secret_public).toBe(8);
    expect(new Set(plantedResources.secretsmanager_secret_public)).toEqual(new Set(open.map((s) => s.ARN)));
    expect(new Set(plantedResources.secretsmanager_rotation_enabled)).toEqual(new Set(secrets.filter((s) => !s.RotationEnabled).map((s) => s.ARN)));
    expect(planted.secretsmanager_rotation_enabled).toBe(20);
    expect(new Set(secrets.map((s) => s.ARN)).size).toBe(400);
  });
});

describe('generated EC2, EFS, SNS and IAM certificate resources', () => {
  const arnOf = (account: SandboxAccount, region: string, kind: string, id: string) => `arn:aws:ec2:${region}:${account.AccountId}:${kind}/${id}`;

  it('gives every instance a root volume, planting IMDSv1 and unencrypted volumes at known rates', () => {
    const { account, planted, plantedResources } = generateAccount(parseGenerateSpec('instances=300,security-groups=10'), 21);
    expect(validateAccount(account).problems).toEqual([]);
    const perRegion = Object.entries(account.Regions).map(([region, r]) => ({ region, instances: r.EC2?.Instances ?? [], volumes: r.EC2?.Volumes ?? [] }));
    const instances = perRegion.flatMap((r) => r.instances.map((i) => ({ region: r.region, ...i })));
    const volumes = perRegion.flatMap((r) => r.volumes.map((v) => ({ region: r.region, ...v })));
    expect([instances.length, volumes.length]).toEqual([300, 300]);
    expect(new Set(volumes.map((v) => v.Attachments?.[0]?.InstanceId))).toEqual(new Set(instances.map((i) => i.InstanceId)));
    expect(planted.ec2_instance_imdsv2).toBe(9);
    expect(new Set(plantedResources.ec2_instance_imdsv2)).toEqual(new Set(instances.filter((i) => i.MetadataOptions?.HttpTokens !== 'required').map((i) => arnOf(account, i.region, 'instance', i.InstanceId))));
    expect(new Set(plantedResources.ec2_ebs_volume_encrypted)).toEqual(new Set(volumes.filter((v) => !v.Encrypted).map((v) => arnOf(account, v.region, 'volume', v.VolumeId))));
    // Instances sit in their region's VPC, behind its rule-less default group.
    expect(instances.every((i) => i.VpcId === account.Regions[i.region]!.EC2!.Vpcs![0]!.VpcId)).toBe(true);
  });

  it('shares EBS snapshots and AMIs publicly or with an outside account at known rates; sharing with the account itself is a near miss', () => {
    const { account, planted, plantedResources } = generateAccount(parseGenerateSpec('ebs-snapshots=500,images=500,regions=us-east-1'), 22);
    expect(validateAccount(account).problems).toEqual([]);
    const ec2 = account.Regions['us-east-1']!.EC2!;
    const exposed = (permissions: Array<{ Group?: string; UserId?: string }> | undefined) => (permissions ?? []).some((p) => p.Group === 'all' || (p.UserId !== undefined && p.UserId !== account.AccountId));
    expect([ec2.Snapshots!.length, ec2.Images!.length]).toEqual([500, 500]);
    expect([planted.ec2_ebs_snapshot_public, planted.ec2_ami_public]).toEqual([10, 10]);
    expect(new Set(plantedResources.ec2_ebs_snapshot_public)).toEqual(new Set(ec2.Snapshots!.filter((s) => exposed(s.CreateVolumePermissions)).map((s) => `arn:aws:ec2:us-east-1::snapshot/${s.SnapshotId}`)));
    expect(new Set(plantedResources.ec2_ami_public)).toEqual(new Set(ec2.Images!.filter((i) => exposed(i.LaunchPermissions)).map((i) => `arn:aws:ec2:us-east-1::image/${i.ImageId}`)));
    expect(ec2.Images!.some((i) => i.LaunchPermissions?.some((p) => p.UserId === account.AccountId))).toBe(true);
  });

  it('plants unencrypted file systems, open topics and expired server certificates', () => {
    const { account, planted, plantedResources } = generateAccount(parseGenerateSpec('file-systems=100,topics=400,server-certificates=50,regions=us-east-1'), 23);
    expect(validateAccount(account).problems).toEqual([]);
    const region = account.Regions['us-east-1']!;
    const fileSystems = region.EFS!.FileSystems!;
    expect(planted.efs_encrypted).toBe(5);
    expect(new Set(plantedResources.efs_encrypted)).toEqual(new Set(fileSystems.filter((f) => !f.Encrypted).map((f) => `arn:aws:elasticfilesystem:us-east-1:${account.AccountId}:file-system/${f.FileSystemId}`)));
    const topics = region.SNS!.Topics!;
    const open = topics.filter((t) => statementsOf(t.Policy ?? {}).some((s) => s.Condition === undefined && (isWorld(s.Principal) || JSON.stringify(s.Principal).includes('444455556666'))));
    expect(planted.sns_topic_public).toBe(8);
    expect(new Set(plantedResources.sns_topic_public)).toEqual(new Set(open.map((t) => `arn:aws:sns:us-east-1:${account.AccountId}:${t.Name}`)));
    expect(topics.every((t) => t.Subscriptions?.length === 1)).toBe(true);
    const certificates = account.IAM!.ServerCertificates!;
    const anchor = Date.parse(GENERATED_TIME_ANCHOR);
    expect(planted.iam_server_certificate_expired).toBe(5);
    expect(new Set(plantedResources.iam_server_certificate_expired)).toEqual(new Set(certificates.filter((c) => Date.parse(c.Expiration) < anchor).map((c) => c.Arn)));
  });

  it('with two regions, plants the last one\'s VPC without a flow log and with an ACL open to SSH', () => {
    const { account, plantedResources } = generateAccount(parseGenerateSpec('security-groups=20,regions=us-east-1+eu-west-1'), 24);
    const [east, west] = [account.Regions['us-east-1']!.EC2!, account.Regions['eu-west-1']!.EC2!];
    expect([east.FlowLogs?.length, west.FlowLogs?.length ?? 0]).toEqual([1, 0]);
    expect(plantedResources.vpc_flow_logs_enabled).toEqual([arnOf(account, 'eu-west-1', 'vpc', west.Vpcs![0]!.VpcId)]);
    const openAcl = west.NetworkAcls!.find((a) => !a.IsDefault)!;
    expect(openAcl.Entries!.some((e) => !e.Egress && e.RuleAction === 'allow' && e.CidrBlock === '0.0.0.0/0' && e.PortRange?.From === 22)).toBe(true);
    expect(plantedResources.ec2_nacl_open_admin_ports).toEqual([arnOf(account, 'eu-west-1', 'network-acl', openAcl.NetworkAclId)]);
    expect([east.EbsEncryptionByDefault, west.EbsEncryptionByDefault]).toEqual([true, false]);
  });

  it('with baseline=1, sets up the account-wide controls instead of planting them as gaps, but for its two plants', () => {
    const { account, plantedResources } = generateAccount(parseGenerateSpec('trails=1,baseline=1,regions=us-east-1+eu-west-1'), 25);
    expect(validateAccount(account).problems).toEqual([]);
    for (const gap of ['account_security_contact', 'iam_support_role', 'accessanalyzer_enabled', 'securityhub_enabled', 'cloudwatch_alarm_unauthorized_api_calls']) expect(plantedResources[gap]).toBeUndefined();
    const west = account.Regions['eu-west-1']!.GuardDuty!.Detectors![0]!;
    expect(plantedResources.guardduty_enabled).toEqual([`arn:aws:guardduty:eu-west-1:${account.AccountId}:detector/${west.DetectorId}`]);
    expect(plantedResources.cloudwatch_alarm_organizations_changes).toEqual([account.AccountId]);
    const filters = account.Regions['us-east-1']!.Logs!.LogGroups![0]!.MetricFilters!;
    expect(filters).toHaveLength(14);
    expect(account.Regions['us-east-1']!.CloudWatch!.Alarms!.map((a) => a.MetricName).sort()).toEqual(filters.map((f) => f.metricTransformations[0]!.metricName).sort());
  });

  it('refuses a baseline without a trail, or other than 0 or 1', () => {
    expect(specError('baseline=1').message).toContain('needs trails=1');
    expect(specError('trails=1,baseline=2').message).toContain('not 0 or 1');
  });
});
