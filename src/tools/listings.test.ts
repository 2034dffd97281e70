/**
 * The reviewer's listings and get_resource, through a real MCP client over HTTP against the
 * sandbox serving the acme demo: each returns the planted items (examples/demo/PLANTED.md)
 * with the facts a reviewer needs, and not their clean near misses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from '../test-support/sandbox.js';
import { startMcpHarness, type McpHarness } from '../test-support/mcp.js';
import { demoAccount } from '../test-support/demo.js';
import { inputDigest } from '../server/create-server.js';

interface Role { name: string; lastUsed: string | null; daysSinceLastUsed: number | null; admin: unknown; adminVia: string[]; trust: Array<{ type: string; principal: string; conditions: string[] }>; attachedPolicies: string[] | null; inlinePolicies: string[] | null; errors: unknown[] }
interface User { name: string; consoleAccess: unknown; mfa: unknown; accessKeys: Array<{ accessKeyId: string; ageDays: number; status: string; daysSinceLastUsed: number | null }> | null; errors: unknown[] }
interface Group { groupId: string; name: string; openToWorld: boolean; worldOpenIngress: string[]; attachedInstances: unknown; instanceIds: string[]; rules: Array<{ direction: string; protocol: string; fromPort: number | null; source: string; openToWorld: boolean }> }
interface Db { id: string; publiclyAccessible: boolean; storageEncrypted: boolean; backupRetentionDays: number; deletionProtection: boolean; endpoint: { address: string; port?: number } | null; connections: { max: number | null; windowDays: number } | null; engine: string }

describe('listing tools on the demo account', () => {
  const env = useSandbox(demoAccount());
  let mcp: McpHarness;
  beforeAll(async () => {
    mcp = await startMcpHarness(env.endpoint);
  });
  afterAll(() => mcp.close());

  it('list_iam_roles: the role unused for a year, with its last-used age; the admin role; trust principals', async () => {
    const unused = await mcp.call<{ roles: Role[] }>('list_iam_roles', { unusedForDays: 90 });
    expect(unused.isError, unused.text).toBe(false);
    expect(unused.structured.roles.map((r) => r.name)).toEqual(['legacy-etl']);
    const etl = unused.structured.roles[0]!;
    expect(etl.daysSinceLastUsed).toBe(380);
    expect(etl.trust).toEqual([expect.objectContaining({ type: 'Service', principal: 'glue.amazonaws.com' })]);
    expect(unused.text).toMatch(/legacy-etl\tlast used \d{4}-\d\d-\d\d \(380 days ago\)/);

    const admins = await mcp.call<{ roles: Role[] }>('list_iam_roles', { admin: true });
    expect(admins.structured.roles.map((r) => [r.name, r.adminVia])).toEqual([['ci-deploy', ['ci-deploy-admin']]]);
    const oidc = admins.structured.roles[0]!.trust[0]!;
    expect(oidc.type).toBe('Federated');
    expect(oidc.conditions.join(' ')).toContain('token.actions.githubusercontent.com:sub');

    const all = await mcp.call<{ roles: Role[] }>('list_iam_roles');
    const app = all.structured.roles.find((r) => r.name === 'app-server')!;
    expect(app).toMatchObject({ admin: false, errors: [] });
    expect(app.daysSinceLastUsed).toBeLessThanOrEqual(1);
    expect(app.inlinePolicies?.length).toBeGreaterThan(0);
    const byTrust = await mcp.call<{ roles: Role[] }>('list_iam_roles', { trustContains: 'glue' });
    expect(byTrust.structured.roles.map((r) => r.name)).toEqual(['legacy-etl']);
  });

  it('list_iam_users: the console user without MFA, and the 200-day-old key', async () => {
    const noMfa = await mcp.call<{ users: User[] }>('list_iam_users', { consoleAccess: true, mfa: false });
    expect(noMfa.structured.users.map((u) => u.name)).toEqual(['bob']);
    expect(noMfa.text).toMatch(/^bob\tconsole \(password used 3d ago\)\tNO MFA/m);
    const withMfa = await mcp.call<{ users: User[] }>('list_iam_users', { consoleAccess: true, mfa: true });
    expect(withMfa.structured.users.map((u) => u.name).sort()).toEqual(['alice', 'carol']);

    const oldKeys = await mcp.call<{ users: User[] }>('list_iam_users', { keyOlderThanDays: 90 });
    expect(oldKeys.structured.users.map((u) => u.name)).toEqual(['ci-legacy']);
    expect(oldKeys.structured.users[0]!.accessKeys).toEqual([expect.objectContaining({ accessKeyId: '<redacted:aws-access-key-id>', accessKeyIdSuffix: 'ACY2', status: 'Active', ageDays: 200, daysSinceLastUsed: 2 })]);
  });

  it('list_security_groups: the group open to the world on 22, attached to the bastion; not its near misses', async () => {
    const ssh = await mcp.call<{ securityGroups: Group[] }>('list_security_groups', { openToWorld: true, port: 22 });
    expect(ssh.structured.securityGroups.map((g) => g.groupId)).toEqual(['sg-0e4a6c8b2d0f31975']);
    const bastion = ssh.structured.securityGroups[0]!;
    expect(bastion).toMatchObject({ name: 'acme-bastion', openToWorld: true, worldOpenIngress: ['tcp 22 from 0.0.0.0/0'], attachedInstances: 1, instanceIds: ['i-0a7c2e4f6b8d13579'] });
    expect(bastion.rules).toContainEqual(expect.objectContaining({ direction: 'ingress', protocol: 'tcp', fromPort: 22, source: '0.0.0.0/0', openToWorld: true }));
    expect(bastion.rules.some((r) => r.direction === 'egress')).toBe(true);

    // acme-app-servers admits 22 only from 10.20.0.0/16; acme-alb-public is world-open on 443 only.
    const port22 = await mcp.call<{ securityGroups: Group[] }>('list_security_groups', { port: 22 });
    expect(port22.structured.securityGroups.map((g) => g.name).sort()).toEqual(['acme-app-servers', 'acme-bastion']);
    const world = await mcp.call<{ securityGroups: Group[] }>('list_security_groups', { openToWorld: true });
    expect(world.structured.securityGroups.map((g) => g.name).sort()).toEqual(['acme-alb-public', 'acme-bastion', 'acme-reporting-db']);
  });

  it('list_db_instances: the public, idle instance with zero connections; the busy private one', async () => {
    const idle = await mcp.call<{ dbInstances: Db[] }>('list_db_instances', { publiclyAccessible: true, idle: true });
    expect(idle.structured.dbInstances.map((d) => d.id)).toEqual(['acme-reporting']);
    expect(idle.structured.dbInstances[0]).toMatchObject({ engine: 'postgres', publiclyAccessible: true, storageEncrypted: false, backupRetentionDays: 7, deletionProtection: true, connections: { max: 0, windowDays: 7 } });
    expect(idle.structured.dbInstances[0]!.endpoint?.port).toBe(5432);
    const busy = await mcp.call<{ dbInstances: Db[] }>('list_db_instances', { idle: false });
    expect(busy.structured.dbInstances.map((d) => [d.id, d.connections?.max, d.publiclyAccessible])).toEqual([['acme-app-prod', 38, false]]);
  });

  it('pages a listing with cursors that round-trip', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 20; i++) {
      const res = await mcp.call<{ securityGroups: Group[]; nextCursor?: string; total: number }>('list_security_groups', { limit: 3, ...(cursor ? { cursor } : {}) });
      expect(res.isError, res.text).toBe(false);
      seen.push(...res.structured.securityGroups.map((g) => g.groupId));
      cursor = res.structured.nextCursor;
      if (!cursor) break;
    }
    const all = await mcp.call<{ securityGroups: Group[] }>('list_security_groups', { limit: 100 });
    expect(seen).toEqual(all.structured.securityGroups.map((g) => g.groupId));
    expect(seen.length).toBe(8);
  });

  it('get_resource: attributes and findings for a DB instance by ARN', async () => {
    const res = await mcp.call<{ resource: { type: string; region: string }; attributes: Record<string, unknown>; findings: Array<{ checkId: string; status: string; evidence?: unknown }>; readErrors: unknown[]; terraform?: unknown }>('get_resource', {
      resource: 'arn:aws:rds:us-east-1:210987654321:db:acme-reporting',
    });
    expect(res.isError, res.text).toBe(false);
    expect(res.structured.resource).toMatchObject({ type: 'AWS::RDS::DBInstance', region: 'us-east-1' });
    expect(res.structured.attributes).toMatchObject({ DBInstanceIdentifier: 'acme-reporting', PubliclyAccessible: true, activity: { connectionsMax: 0 } });
    const failing = res.structured.findings.filter((f) => f.status === 'fail').map((f) => f.checkId).sort();
    expect(failing).toEqual(['rds_instance_auto_minor_version_upgrade', 'rds_instance_idle', 'rds_instance_multi_az', 'rds_instance_public_access', 'rds_instance_storage_encrypted']);
    expect(res.structured.findings.find((f) => f.checkId === 'rds_instance_public_access')?.evidence).toMatchObject({ publiclyAccessible: true });
    expect(res.structured.readErrors).toEqual([]);
    expect(res.structured.terraform).toBeUndefined();
  });

  it('get_resource: an Aurora cluster by ARN and a cluster snapshot by identifier, with their verdicts', async () => {
    type Res = { resource: { type: string; arn: string }; attributes: Record<string, unknown>; findings: Array<{ checkId: string; status: string }> };
    const cluster = await mcp.call<Res>('get_resource', { resource: 'arn:aws:rds:us-east-1:210987654321:cluster:acme-events-archive' });
    expect(cluster.isError, cluster.text).toBe(false);
    expect(cluster.structured.resource.type).toBe('AWS::RDS::DBCluster');
    expect(cluster.structured.attributes).toMatchObject({ DBClusterIdentifier: 'acme-events-archive', StorageEncrypted: false });
    expect(cluster.structured.findings.map((f) => `${f.status} ${f.checkId}`)).toEqual(['fail rds_cluster_storage_encrypted']);
    const snapshot = await mcp.call<Res>('get_resource', { resource: 'acme-events-archive-export' });
    expect(snapshot.structured.resource).toMatchObject({ type: 'AWS::RDS::DBClusterSnapshot', arn: 'arn:aws:rds:us-east-1:210987654321:cluster-snapshot:acme-events-archive-export' });
    expect(snapshot.structured.attributes).toMatchObject({ attributes: [{ AttributeName: 'restore', AttributeValues: ['all'] }] });
    expect(snapshot.structured.findings.map((f) => `${f.status} ${f.checkId}`)).toEqual(['fail rds_cluster_snapshot_public']);
  });

  it('get_resource: a launch template by id (its default version\'s verdict, the region\'s IMDS defaults; user data the marker only), a VPC endpoint by id and a key pair by ARN', async () => {
    type Res = { resource: { type: string; arn: string }; attributes: Record<string, unknown>; findings: Array<{ checkId: string; status: string }> };
    const legacy = await mcp.call<Res>('get_resource', { resource: 'lt-0b3d5f7a9c2e4b6d8' });
    expect(legacy.isError, legacy.text).toBe(false);
    expect(legacy.structured.resource).toMatchObject({ type: 'AWS::EC2::LaunchTemplate', arn: 'arn:aws:ec2:us-east-1:210987654321:launch-template/lt-0b3d5f7a9c2e4b6d8' });
    expect(legacy.structured.attributes).toMatchObject({ LaunchTemplateName: 'acme-legacy-worker', DefaultVersionNumber: 1, versions: [{ LaunchTemplateData: { UserData: '<redacted:sensitive>', MetadataOptions: { HttpTokens: 'optional' } } }] });
    expect(legacy.text).not.toContain(Buffer.from('invoice-renderer').toString('base64').slice(0, 12));
    expect(legacy.structured.findings.map((f) => `${f.status} ${f.checkId}`)).toEqual(['fail ec2_launch_template_imdsv2']);
    // us-east-1 sets no account-level IMDS default; eu-west-1 requires IMDSv2, which its template inherits.
    expect(legacy.structured.attributes.instanceMetadataDefaults).toEqual({});
    const eu = await mcp.call<Res>('get_resource', { resource: 'lt-0c4e6a8b0d2f4a6c9' });
    expect(eu.isError, eu.text).toBe(false);
    expect(eu.structured.attributes).toMatchObject({ LaunchTemplateName: 'acme-eu-export', instanceMetadataDefaults: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 } });
    expect(eu.structured.findings.map((f) => `${f.status} ${f.checkId}`)).toEqual(['pass ec2_launch_template_imdsv2']);
    const api = await mcp.call<Res>('get_resource', { resource: 'arn:aws:ec2:us-east-1:210987654321:launch-template/lt-0a2c4e6f8b1d3a5c7' });
    expect(api.structured.findings.map((f) => `${f.status} ${f.checkId}`)).toEqual(['pass ec2_launch_template_imdsv2']);
    const endpoint = await mcp.call<Res>('get_resource', { resource: 'vpce-0b6d8f0a2c4e61b39' });
    expect(endpoint.isError, endpoint.text).toBe(false);
    expect(endpoint.structured.attributes).toMatchObject({ ServiceName: 'com.amazonaws.us-east-1.secretsmanager', VpcEndpointType: 'Interface' });
    const key = await mcp.call<Res>('get_resource', { resource: 'arn:aws:ec2:us-east-1:210987654321:key-pair/acme-ops' });
    expect(key.isError, key.text).toBe(false);
    expect(key.structured.resource).toMatchObject({ type: 'AWS::EC2::KeyPair' });
    expect(key.structured.attributes).toMatchObject({ KeyName: 'acme-ops', KeyPairId: 'key-0b3d5f7a9c1e24680' });
  });

  it('get_resource: a network ACL by id, an EBS volume by ARN and a VPC, with their verdicts', async () => {
    type Res = { resource: { type: string; arn: string }; attributes: Record<string, unknown>; findings: Array<{ checkId: string; status: string }> };
    const acl = await mcp.call<Res>('get_resource', { resource: 'acl-0c3e5a7b9d1f24680' });
    expect(acl.isError, acl.text).toBe(false);
    expect(acl.structured.resource).toMatchObject({ type: 'AWS::EC2::NetworkAcl', arn: 'arn:aws:ec2:us-east-1:210987654321:network-acl/acl-0c3e5a7b9d1f24680' });
    expect(acl.structured.findings.map((f) => `${f.status} ${f.checkId}`)).toEqual(['fail ec2_nacl_open_admin_ports']);
    const volume = await mcp.call<Res>('get_resource', { resource: 'arn:aws:ec2:us-east-1:210987654321:volume/vol-0d4e5f60718293a41' });
    expect(volume.structured.attributes).toMatchObject({ VolumeId: 'vol-0d4e5f60718293a41', Encrypted: false });
    expect(volume.structured.findings.map((f) => `${f.status} ${f.checkId}`)).toEqual(['fail ec2_ebs_volume_encrypted']);
    const ami = await mcp.call<Res>('get_resource', { resource: 'arn:aws:ec2:us-east-1::image/ami-0c9f5e1a3d7b46802' });
    expect(ami.isError, ami.text).toBe(false);
    expect(ami.structured.attributes).toMatchObject({ Name: 'acme-base-2024-03', launchPermissions: [{ Group: 'all' }] });
    expect(ami.structured.findings.map((f) => `${f.status} ${f.checkId}`)).toEqual(['fail ec2_ami_public']);
    const snap = await mcp.call<Res>('get_resource', { resource: 'snap-0a7f3c9e1b5d24680' });
    expect(snap.structured.findings.map((f) => `${f.status} ${f.checkId}`)).toEqual(['fail ec2_ebs_snapshot_public']);
    const fs = await mcp.call<Res>('get_resource', { resource: 'fs-0b2d4f6a8c0e3579b' });
    expect(fs.isError, fs.text).toBe(false);
    expect(fs.structured.resource).toMatchObject({ type: 'AWS::EFS::FileSystem', arn: 'arn:aws:elasticfilesystem:us-east-1:210987654321:file-system/fs-0b2d4f6a8c0e3579b' });
    expect(fs.structured.findings.map((f) => `${f.status} ${f.checkId}`)).toEqual(['fail efs_encrypted']);
    const vpc = await mcp.call<Res>('get_resource', { resource: 'vpc-0e1c3a5f7b9d20468' });
    expect(vpc.structured.findings.map((f) => `${f.status} ${f.checkId}`)).toEqual(['fail vpc_flow_logs_enabled']);
  });

  it('get_resource: a bucket by name and a role by ARN, with their policies as JSON', async () => {
    const bucket = await mcp.call<{ resource: { arn: string }; attributes: { policy?: { Statement: unknown[] } }; findings: Array<{ checkId: string; status: string }> }>('get_resource', { resource: 'acme-marketing-site' });
    expect(bucket.structured.resource.arn).toBe('arn:aws:s3:::acme-marketing-site');
    expect(bucket.structured.attributes.policy?.Statement.length).toBeGreaterThan(0);
    expect(bucket.structured.findings).toContainEqual(expect.objectContaining({ checkId: 's3_bucket_public_read', status: 'fail' }));
    const role = await mcp.call<{ attributes: { assumeRolePolicyDocument: { Statement: unknown[] } }; findings: Array<{ checkId: string; status: string }> }>('get_resource', { resource: 'arn:aws:iam::210987654321:role/legacy-etl', includePass: false });
    expect(role.structured.attributes.assumeRolePolicyDocument.Statement.length).toBe(1);
    expect(role.structured.findings.map((f) => `${f.status} ${f.checkId}`)).toEqual(['fail iam_role_unused']);
    const sg = await mcp.call<{ attributes: { attachedTo: string[] } }>('get_resource', { resource: 'sg-0e4a6c8b2d0f31975' });
    expect(sg.structured.attributes.attachedTo).toEqual(['i-0a7c2e4f6b8d13579']);
  });

  it('get_resource: an IAM group by ARN or name, with its members and inline policies', async () => {
    const group = await mcp.call<{ resource: { type: string; arn: string }; attributes: { members: unknown; inlinePolicies: unknown } }>('get_resource', {
      resource: 'arn:aws:iam::210987654321:group/platform-breakglass',
    });
    expect(group.isError, group.text).toBe(false);
    expect(group.structured.resource).toMatchObject({ type: 'AWS::IAM::Group', arn: 'arn:aws:iam::210987654321:group/platform-breakglass' });
    expect(JSON.stringify(group.structured.attributes.members)).toContain('carol');
    expect(JSON.stringify(group.structured.attributes.inlinePolicies)).toContain('breakglass-admin');
    const byName = await mcp.call<{ resource: { type: string } }>('get_resource', { resource: 'offboarded' });
    expect(byName.structured.resource.type).toBe('AWS::IAM::Group');
  });

  it('get_resource: an IAM OIDC provider by ARN, with its URL, audiences and thumbprints', async () => {
    const arn = 'arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com';
    const provider = await mcp.call<{ resource: { type: string; arn: string }; attributes: { details: { url: string; clientIds: string[]; thumbprints: string[] } }; readErrors: unknown[] }>('get_resource', { resource: arn });
    expect(provider.isError, provider.text).toBe(false);
    expect(provider.structured.resource).toMatchObject({ type: 'AWS::IAM::OIDCProvider', arn });
    expect(provider.structured.attributes.details).toMatchObject({ url: 'token.actions.githubusercontent.com', clientIds: ['sts.amazonaws.com'] });
    expect(provider.structured.attributes.details.thumbprints).toHaveLength(2);
    expect(provider.structured.readErrors).toEqual([]);
  });

  it('get_resource: an SQS queue by ARN, with its policy as JSON and the exposure verdict', async () => {
    const queue = await mcp.call<{ resource: { type: string; region: string }; attributes: { policy?: { Statement: unknown[] } }; findings: Array<{ checkId: string; status: string }> }>('get_resource', {
      resource: 'arn:aws:sqs:us-east-1:210987654321:acme-partner-webhooks',
    });
    expect(queue.isError, queue.text).toBe(false);
    expect(queue.structured.resource).toMatchObject({ type: 'AWS::SQS::Queue', region: 'us-east-1' });
    expect(queue.structured.attributes.policy?.Statement).toHaveLength(1);
    expect(queue.structured.findings.map((f) => `${f.status} ${f.checkId}`)).toEqual(['fail sqs_queue_public']);
    const missing = await mcp.call('get_resource', { resource: 'arn:aws:sqs:us-east-1:210987654321:queue' });
    expect(missing.text).toMatch(/NOT_FOUND.*queue/);
  });

  it('get_resource: an ECR repository by ARN (a name with a slash), with its policy as JSON, tags and verdicts', async () => {
    type Res = { resource: { type: string; arn: string; region: string }; attributes: Record<string, unknown>; findings: Array<{ checkId: string; status: string }> };
    const arn = 'arn:aws:ecr:us-east-1:210987654321:repository/acme/web-frontend';
    const repo = await mcp.call<Res>('get_resource', { resource: arn });
    expect(repo.isError, repo.text).toBe(false);
    expect(repo.structured.resource).toMatchObject({ type: 'AWS::ECR::Repository', arn, region: 'us-east-1' });
    expect(repo.structured.attributes).toMatchObject({ repositoryName: 'acme/web-frontend', imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true }, policy: { Statement: [{ Sid: 'PublicPull' }] } });
    expect(repo.structured.findings.map((f) => `${f.status} ${f.checkId}`).sort()).toEqual(['fail ecr_repository_public', 'pass ecr_repository_scan_on_push', 'pass ecr_repository_tag_immutability']);
  });

  it('get_resource: a secret by full or partial ARN, metadata and policy only, never a value', async () => {
    type Res = { resource: { type: string; arn: string }; attributes: Record<string, unknown>; findings: Array<{ checkId: string; status: string }> };
    const arn = 'arn:aws:secretsmanager:us-east-1:210987654321:secret:acme/prod/partner-api-key-Qm3xT9';
    const secret = await mcp.call<Res>('get_resource', { resource: arn });
    expect(secret.isError, secret.text).toBe(false);
    expect(secret.structured.resource).toMatchObject({ type: 'AWS::SecretsManager::Secret', arn });
    expect(secret.structured.attributes).toMatchObject({ Name: 'acme/prod/partner-api-key', RotationEnabled: true, policy: { Statement: [{ Sid: 'PartnerReads' }, { Sid: 'PartnerRotates' }] } });
    expect(Object.keys(secret.structured.attributes)).not.toEqual(expect.arrayContaining(['SecretString']));
    expect(secret.text).not.toMatch(/SecretString|SecretBinary|SecretVersionsToStages/);
    expect(secret.structured.findings.map((f) => `${f.status} ${f.checkId}`).sort()).toEqual(['fail secretsmanager_secret_public', 'pass secretsmanager_rotation_enabled']);
    const partial = await mcp.call<Res>('get_resource', { resource: arn.slice(0, -7) });
    expect(partial.structured.resource.arn).toBe(arn);
  });

  it('get_resource: an IAM server certificate by name, and the security services of a region by ARN', async () => {
    type Res = { resource: { type: string; arn: string; region: string }; attributes: Record<string, unknown>; findings: Array<{ checkId: string; status: string }> };
    const cert = await mcp.call<Res>('get_resource', { resource: 'acme-api-2024' });
    expect(cert.isError, cert.text).toBe(false);
    expect(cert.structured.resource).toMatchObject({ type: 'AWS::IAM::ServerCertificate', arn: 'arn:aws:iam::210987654321:server-certificate/acme-api-2024' });
    expect(cert.structured.findings.map((f) => `${f.status} ${f.checkId}`)).toEqual(['fail iam_server_certificate_expired']);
    // eu-west-1 has only an unused-access analyzer: the region's service fails CIS 1.20.
    const analyzers = await mcp.call<Res>('get_resource', { resource: 'arn:aws:access-analyzer:eu-west-1:210987654321:analyzer' });
    expect(analyzers.isError, analyzers.text).toBe(false);
    expect(analyzers.structured.attributes).toMatchObject({ analyzers: [{ name: 'acme-unused-access', type: 'ACCOUNT_UNUSED_ACCESS' }] });
    expect(analyzers.structured.findings.map((f) => `${f.status} ${f.checkId}`)).toEqual(['fail accessanalyzer_enabled']);
    const analyzer = await mcp.call<Res>('get_resource', { resource: 'arn:aws:access-analyzer:us-east-1:210987654321:analyzer/acme-account' });
    expect(analyzer.structured.resource.type).toBe('AWS::AccessAnalyzer::Analyzer');
    expect(analyzer.structured.findings.map((f) => `${f.status} ${f.checkId}`)).toEqual(['pass accessanalyzer_enabled']);
    const hub = await mcp.call<Res>('get_resource', { resource: 'arn:aws:securityhub:eu-west-1:210987654321:hub/default' });
    expect(hub.isError, hub.text).toBe(false);
    expect(hub.structured.attributes).toEqual({ subscribed: false });
    expect(hub.structured.findings.map((f) => `${f.status} ${f.checkId}`)).toEqual(['fail securityhub_enabled']);
    const detector = await mcp.call<Res>('get_resource', { resource: 'arn:aws:guardduty:eu-west-1:210987654321:detector/3e9b1d7f5a2c4e6089b1d3f5a7c9e2b4' });
    expect(detector.isError, detector.text).toBe(false);
    expect(detector.structured.attributes).toMatchObject({ detectorId: '3e9b1d7f5a2c4e6089b1d3f5a7c9e2b4', detector: { status: 'DISABLED' } });
    expect(detector.structured.findings.map((f) => `${f.status} ${f.checkId}`)).toEqual(['fail guardduty_enabled']);
    const missing = await mcp.call('get_resource', { resource: 'arn:aws:guardduty:us-east-1:210987654321:detector/0000' });
    expect(missing.text).toMatch(/NOT_FOUND.*detector/);
  });

  it('get_resource: a multi-region CloudTrail trail by ARN, once, with its status, selectors, tags and findings', async () => {
    const arn = 'arn:aws:cloudtrail:us-east-1:210987654321:trail/acme-management';
    const res = await mcp.call<{ resource: { type: string; region: string }; attributes: Record<string, unknown>; findings: Array<{ checkId: string; status: string }> }>('get_resource', { resource: arn });
    expect(res.isError, res.text).toBe(false);
    expect(res.structured.resource).toMatchObject({ type: 'AWS::CloudTrail::Trail', region: 'us-east-1' });
    expect(res.structured.attributes).toMatchObject({ Name: 'acme-management', IsMultiRegionTrail: true, status: { isLogging: true } });
    expect(res.structured.attributes.tags).toEqual({});
    expect(res.structured.findings.map((f) => `${f.status} ${f.checkId}`).sort()).toEqual(['fail cloudtrail_bucket_access_logging', 'pass cloudtrail_kms_encryption', 'pass cloudtrail_log_file_validation']);
  });

  it('get_resource: a KMS key by key ARN or alias ARN, with its metadata, policy, rotation, aliases and verdicts', async () => {
    const arn = 'arn:aws:kms:us-east-1:210987654321:key/0e7d3c2b-91a4-4f58-8c6e-2a1b9d0f7e35';
    type KeyResult = { resource: { arn: string; type: string; region: string }; attributes: Record<string, unknown>; findings: Array<{ checkId: string; status: string }> };
    const res = await mcp.call<KeyResult>('get_resource', { resource: arn });
    expect(res.isError, res.text).toBe(false);
    expect(res.structured.resource).toMatchObject({ arn, type: 'AWS::KMS::Key', region: 'us-east-1' });
    expect(res.structured.attributes).toMatchObject({ keyId: '0e7d3c2b-91a4-4f58-8c6e-2a1b9d0f7e35', metadata: { KeyManager: 'CUSTOMER', KeySpec: 'SYMMETRIC_DEFAULT' }, rotation: { enabled: false }, aliases: ['alias/acme-rds'] });
    expect((res.structured.attributes.policy as { Statement: unknown[] }).Statement).toHaveLength(2);
    expect(res.structured.findings.map((f) => `${f.status} ${f.checkId}`).sort()).toEqual(['fail kms_key_rotation_enabled', 'pass kms_key_policy_public']);
    const byAlias = await mcp.call<KeyResult>('get_resource', { resource: 'arn:aws:kms:us-east-1:210987654321:alias/acme-rds' });
    expect(byAlias.structured.resource.arn).toBe(arn);
    const missing = await mcp.call('get_resource', { resource: 'arn:aws:kms:us-east-1:210987654321:alias/nope' });
    expect(missing.text).toMatch(/NOT_FOUND.*key/);
  });

  it('get_resource: an SNS topic by ARN, with its policy, subscriptions, tags and the exposure verdict', async () => {
    const arn = 'arn:aws:sns:us-east-1:210987654321:acme-partner-events';
    const res = await mcp.call<{ resource: { type: string }; attributes: { policy?: { Statement: unknown[] }; subscriptions?: unknown[]; tags?: unknown }; findings: Array<{ checkId: string; status: string }> }>('get_resource', { resource: arn });
    expect(res.isError, res.text).toBe(false);
    expect(res.structured.resource.type).toBe('AWS::SNS::Topic');
    expect(res.structured.attributes.policy?.Statement).toHaveLength(2);
    expect(res.structured.attributes.subscriptions).toHaveLength(1);
    expect(res.structured.attributes.tags).toEqual({});
    expect(res.structured.findings.map((f) => `${f.status} ${f.checkId}`)).toEqual(['fail sns_topic_public']);
  });

  it('get_resource: bad ARNs and unknown names are errors that say what is accepted', async () => {
    const table = await mcp.call('get_resource', { resource: 'arn:aws:dynamodb:us-east-1:210987654321:table/orders' });
    expect(table.isError).toBe(true);
    expect(table.text).toMatch(/INVALID_INPUT.*dynamodb[\s\S]*Hint: get_resource takes S3 buckets/);
    const short = await mcp.call('get_resource', { resource: 'arn:aws:s3' });
    expect(short.isError).toBe(true);
    expect(short.text).toContain('not a well-formed ARN');
    const object = await mcp.call('get_resource', { resource: 'arn:aws:s3:::acme-marketing-site/index.html' });
    expect(object.text).toContain('names an object, not a bucket');
    const junk = await mcp.call('get_resource', { resource: 'rm -rf /' });
    expect(junk.text).toContain('neither an ARN nor a resource name');
    const missing = await mcp.call('get_resource', { resource: 'no-such-thing' });
    expect(missing.isError).toBe(true);
    expect(missing.text).toMatch(/NOT_FOUND/);
    expect(missing.text).toContain(inputDigest('no-such-thing'));
    const foreign = await mcp.call('get_resource', { resource: 'arn:aws:iam::999999999999:role/legacy-etl' });
    expect(foreign.text).toMatch(/NOT_FOUND.*account 999999999999.*210987654321/);
  });
});
