import { z } from 'zod';
import { defineTool, READ_ONLY_LIVE } from '../../server/tool.js';
import { inventoryOperations } from '../../server/inventory-cache.js';
import { partReads } from '../../inventory/reads.js';
import { InfraAuditError } from '../../errors.js';
import { evaluateChecks } from '../../audit/evaluate.js';
import { CHECKS } from '../../checks/registry.js';
import { DEFAULT_CHECK_OPTIONS, type InventoryPart } from '../../checks/types.js';
import { attachments } from '../../checks/ec2/security-groups.js';
import type { AwsService } from '../../findings/model.js';
import type { CloudTrailTrail, InventorySnapshot, Read, ReadError } from '../../inventory/snapshot.js';
import { listingFailed, toJson } from '../listing.js';
import { FindingSchema, compactFinding, findingLine, type CompactFinding } from '../checks/findings-view.js';

type Service = Extract<AwsService, 's3' | 'iam' | 'ec2' | 'rds' | 'sqs' | 'lambda' | 'cloudtrail' | 'kms' | 'sns' | 'efs' | 'ecr' | 'secretsmanager' | 'accessanalyzer' | 'securityhub' | 'guardduty'>;
type Kind = 'bucket' | 'role' | 'user' | 'group' | 'policy' | 'security-group' | 'instance' | 'vpc' | 'subnet' | 'network-acl' | 'volume' | 'vpc-endpoint' | 'launch-template' | 'key-pair' | 'ebs-snapshot' | 'image' | 'db' | 'snapshot' | 'cluster' | 'cluster-snapshot' | 'queue' | 'function' | 'trail' | 'key' | 'topic' | 'file-system' | 'repository' | 'secret' | 'server-certificate' | 'oidc-provider' | 'analyzer' | 'hub' | 'detector';

const TYPES: Record<Kind, string> = {
  bucket: 'AWS::S3::Bucket',
  role: 'AWS::IAM::Role',
  user: 'AWS::IAM::User',
  group: 'AWS::IAM::Group',
  policy: 'AWS::IAM::ManagedPolicy',
  'security-group': 'AWS::EC2::SecurityGroup',
  instance: 'AWS::EC2::Instance',
  vpc: 'AWS::EC2::VPC',
  subnet: 'AWS::EC2::Subnet',
  'network-acl': 'AWS::EC2::NetworkAcl',
  volume: 'AWS::EC2::Volume',
  'vpc-endpoint': 'AWS::EC2::VPCEndpoint',
  'launch-template': 'AWS::EC2::LaunchTemplate',
  'key-pair': 'AWS::EC2::KeyPair',
  'ebs-snapshot': 'AWS::EC2::Snapshot',
  'file-system': 'AWS::EFS::FileSystem',
  image: 'AWS::EC2::Image',
  db: 'AWS::RDS::DBInstance',
  snapshot: 'AWS::RDS::DBSnapshot',
  cluster: 'AWS::RDS::DBCluster',
  'cluster-snapshot': 'AWS::RDS::DBClusterSnapshot',
  queue: 'AWS::SQS::Queue',
  function: 'AWS::Lambda::Function',
  trail: 'AWS::CloudTrail::Trail',
  key: 'AWS::KMS::Key',
  topic: 'AWS::SNS::Topic',
  repository: 'AWS::ECR::Repository',
  secret: 'AWS::SecretsManager::Secret',
  'server-certificate': 'AWS::IAM::ServerCertificate',
  'oidc-provider': 'AWS::IAM::OIDCProvider',
  analyzer: 'AWS::AccessAnalyzer::Analyzer',
  hub: 'AWS::SecurityHub::Hub',
  detector: 'AWS::GuardDuty::Detector',
};
const SERVICE_OF: Record<Kind, Service> = { bucket: 's3', role: 'iam', user: 'iam', group: 'iam', policy: 'iam', 'security-group': 'ec2', instance: 'ec2', vpc: 'ec2', subnet: 'ec2', 'network-acl': 'ec2', volume: 'ec2', 'vpc-endpoint': 'ec2', 'launch-template': 'ec2', 'key-pair': 'ec2', 'ebs-snapshot': 'ec2', image: 'ec2', db: 'rds', snapshot: 'rds', cluster: 'rds', 'cluster-snapshot': 'rds', queue: 'sqs', function: 'lambda', trail: 'cloudtrail', key: 'kms', topic: 'sns', 'file-system': 'efs', repository: 'ecr', secret: 'secretsmanager', 'server-certificate': 'iam', 'oidc-provider': 'iam', analyzer: 'accessanalyzer', hub: 'securityhub', detector: 'guardduty' };
const EC2_PREFIXES: Record<string, Kind> = { 'sg-': 'security-group', 'i-': 'instance', 'vpc-': 'vpc', 'subnet-': 'subnet', 'acl-': 'network-acl', 'vol-': 'volume', 'vpce-': 'vpc-endpoint', 'lt-': 'launch-template', 'key-': 'key-pair', 'snap-': 'ebs-snapshot', 'ami-': 'image', 'fs-': 'file-system' };
const SUPPORTED =
  'S3 buckets (arn:aws:s3:::NAME or the name), IAM roles, users, groups and managed policies (their ARN or name), EC2 security groups, instances, VPCs, subnets, network ACLs, VPC endpoints, launch templates (their latest and default versions, and the account-level IMDS defaults of their region; user data never shown), key pairs, EBS volumes and snapshots and AMIs (ARN or sg-/i-/vpc-/subnet-/acl-/vpce-/lt-/key-/vol-/snap-/ami- id), RDS DB instances, clusters and their snapshots (ARN or identifier), SQS queues and Lambda functions (ARN), CloudTrail trails (ARN), KMS keys (key or alias ARN), SNS topics (ARN), EFS file systems (ARN or fs- id), ECR repositories (ARN), Secrets Manager secrets (ARN, with or without its 6-character suffix; metadata only, never a value), IAM server certificates (ARN or name), IAM OIDC providers (ARN), IAM Access Analyzer analyzers, Security Hub hubs and GuardDuty detectors (ARN; an analyzer or detector ARN without a name or id shows the service in that region)';

interface Wanted {
  kinds: Kind[];
  /** The name, id, or (IAM) the full ARN to match. */
  name: string;
  arn?: string;
  region?: string;
  accountId?: string;
}

function invalid(message: string): InfraAuditError {
  return new InfraAuditError('INVALID_INPUT', message, { hint: `get_resource takes ${SUPPORTED}` });
}

export function parseResource(input: string): Wanted {
  if (!input.startsWith('arn:')) {
    if (!/^[\w+=,.@-]{1,255}$/.test(input)) throw invalid(`"${input}" is neither an ARN nor a resource name or id`);
    const prefixed = Object.entries(EC2_PREFIXES).find(([p]) => input.startsWith(p) && /^[a-z]+-[0-9a-f]{8,17}$/.test(input));
    return prefixed ? { kinds: [prefixed[1]], name: input } : { kinds: ['bucket', 'role', 'user', 'group', 'policy', 'server-certificate', 'db', 'snapshot', 'cluster', 'cluster-snapshot'], name: input };
  }
  const parts = input.split(':');
  if (parts.length < 6) throw invalid(`"${input}" is not a well-formed ARN (arn:partition:service:region:account:resource)`);
  const [, , service, region, accountId] = parts as [string, string, string, string, string];
  const resource = parts.slice(5).join(':');
  const base = { ...(region ? { region } : {}), ...(accountId ? { accountId } : {}) };
  if (service === 's3') {
    if (resource.includes('/')) throw invalid(`"${input}" names an object, not a bucket; give the bucket ARN`);
    return { kinds: ['bucket'], name: resource, ...base };
  }
  // An SNS topic's ARN ends in its name, with no resource type.
  if (service === 'sns' && /^[\w-]{1,256}(\.fifo)?$/.test(resource)) return { kinds: ['topic'], name: resource, ...base };
  // An SQS queue's ARN ends in its name, with no resource type.
  if (service === 'sqs' && /^[\w-]{1,80}(\.fifo)?$/.test(resource)) return { kinds: ['queue'], name: resource, ...base };
  // arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]
  const fn = service === 'lambda' ? /^function:([A-Za-z0-9_-]{1,64})(?::[^:]+)?$/.exec(resource) : null;
  if (fn) return { kinds: ['function'], name: fn[1]!, ...base };
  // arn:aws:ecr:REGION:ACCOUNT:repository/NAME, where NAME may hold slashes (team/api).
  if (service === 'ecr' && resource.startsWith('repository/') && resource.length > 'repository/'.length) return { kinds: ['repository'], name: resource.slice('repository/'.length), arn: input, ...base };
  // arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-AbCdEf (the suffix may be left out).
  if (service === 'secretsmanager' && resource.startsWith('secret:') && resource.length > 'secret:'.length) return { kinds: ['secret'], name: resource.slice('secret:'.length), arn: input, ...base };
  // The per-region security services: one resource each (a hub), or the service in the region when the ARN names no analyzer or detector.
  if (service === 'access-analyzer' && (resource === 'analyzer' || resource.startsWith('analyzer/'))) return { kinds: ['analyzer'], name: resource.slice('analyzer/'.length), ...base };
  if (service === 'securityhub' && (resource === 'hub/default' || resource === 'hub')) return { kinds: ['hub'], name: 'default', ...base };
  if (service === 'guardduty' && (resource === 'detector' || resource.startsWith('detector/'))) return { kinds: ['detector'], name: resource.slice('detector/'.length), ...base };
  // arn:aws:iam::ACCOUNT:oidc-provider/HOST[/PATH]: the URL, slashes and all, names it.
  if (service === 'iam' && resource.startsWith('oidc-provider/') && resource.length > 'oidc-provider/'.length) return { kinds: ['oidc-provider'], name: resource.slice('oidc-provider/'.length), arn: input, ...base };
  const [type, ...rest] = resource.split(service === 'rds' ? ':' : '/');
  const last = rest.at(-1);
  if (!type || !last) throw invalid(`"${input}" has no resource id after the resource type`);
  if (service === 'iam' && (type === 'role' || type === 'user' || type === 'group' || type === 'policy' || type === 'server-certificate')) return { kinds: [type], name: last, arn: input, ...base };
  if (service === 'ec2' && (type === 'security-group' || type === 'instance' || type === 'vpc' || type === 'subnet' || type === 'network-acl' || type === 'volume' || type === 'vpc-endpoint' || type === 'launch-template')) return { kinds: [type], name: last, ...base };
  // A key pair's ARN ends in its name: arn:aws:ec2:REGION:ACCOUNT:key-pair/NAME.
  if (service === 'ec2' && type === 'key-pair') return { kinds: ['key-pair'], name: rest.join('/'), ...base };
  if (service === 'elasticfilesystem' && type === 'file-system') return { kinds: ['file-system'], name: last, ...base };
  // Snapshot and AMI ARNs name no account: arn:aws:ec2:REGION::snapshot/snap-…, arn:aws:ec2:REGION::image/ami-….
  if (service === 'ec2' && (type === 'snapshot' || type === 'image')) return { kinds: [type === 'snapshot' ? 'ebs-snapshot' : 'image'], name: last, ...base };
  if (service === 'rds' && (type === 'db' || type === 'snapshot' || type === 'cluster' || type === 'cluster-snapshot')) return { kinds: [type], name: last, ...base };
  // A multi-region trail is listed in every region: its ARN names it, whichever region lists it.
  if (service === 'cloudtrail' && type === 'trail') return { kinds: ['trail'], name: last, arn: input, ...(accountId ? { accountId } : {}) };
  // A KMS key by its ARN, or by the ARN of an alias that points at it.
  if (service === 'kms' && type === 'key') return { kinds: ['key'], name: last, ...base };
  if (service === 'kms' && type === 'alias') return { kinds: ['key'], name: resource, ...base };
  throw invalid(`get_resource does not know ${service} resources of type "${type}"`);
}

interface Located {
  kind: Kind;
  arn: string;
  id: string;
  region: string;
  attributes: Record<string, unknown>;
  /** Other resource ids whose verdicts are about this resource (a region's security service). */
  findingsOf?: string[];
}

/** Read wrappers become their value; a failed read is left out of the attributes and reported. */
function unwrapReads(item: object, errors: Array<{ attribute: string } & ReadError>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    const read = value as Read<unknown> | undefined;
    const isRead = !!read && typeof read === 'object' && !Array.isArray(read) && !(read instanceof Date) && Object.keys(read).length === 1 && ('value' in read || 'error' in read);
    if (!isRead) out[key] = /Document$|^document$|^policy$/.test(key) && typeof value === 'string' ? parseJson(value) : value;
    else if (read.error) errors.push({ attribute: key, ...read.error });
    else out[key] = key === 'policy' && typeof read.value === 'string' ? parseJson(read.value) : key === 'inlinePolicies' ? toJson(read.value) : read.value;
  }
  return out;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function locate(snapshot: InventorySnapshot, wanted: Wanted, listingErrors: Array<{ what: string; error: ReadError }>): Located[] {
  const found: Located[] = [];
  const list = <T>(what: string, read: Read<T[]> | undefined): T[] => {
    if (read?.error) listingErrors.push({ what, error: read.error });
    return read?.value ?? [];
  };
  const regional = <I>(part: Record<string, I> | undefined) => Object.entries(part ?? {}).filter(([r]) => !wanted.region || r === wanted.region);
  for (const kind of wanted.kinds) {
    const push = (arn: string, id: string, region: string, attributes: Record<string, unknown>, findingsOf?: string[]) => found.push({ kind, arn, id, region, attributes, ...(findingsOf ? { findingsOf } : {}) });
    if (kind === 'bucket') for (const b of list('the bucket list (s3:ListBuckets)', snapshot.s3?.buckets)) if (b.name === wanted.name) push(b.arn, b.name, b.region.value ?? 'global', { ...b });
    if (kind === 'role') for (const r of list('the IAM roles (iam:ListRoles)', snapshot.iam?.roles)) if (wanted.arn ? r.arn === wanted.arn : r.roleName === wanted.name) push(r.arn, r.roleName, 'global', { ...r });
    if (kind === 'user') for (const u of list('the IAM users (iam:ListUsers)', snapshot.iam?.users)) if (wanted.arn ? u.arn === wanted.arn : u.userName === wanted.name) push(u.arn, u.userName, 'global', { ...u });
    if (kind === 'group') for (const g of list('the IAM groups (iam:ListGroups)', snapshot.iam?.groups)) if (wanted.arn ? g.arn === wanted.arn : g.groupName === wanted.name) push(g.arn, g.groupName, 'global', { ...g });
    if (kind === 'server-certificate')
      for (const c of list('the server certificates (iam:ListServerCertificates)', snapshot.iam?.serverCertificates)) if (wanted.arn ? c.Arn === wanted.arn : c.ServerCertificateName === wanted.name) push(c.Arn ?? wanted.name, c.ServerCertificateName ?? wanted.name, 'global', { ...c });
    if (kind === 'oidc-provider')
      for (const p of list('the OIDC providers (iam:ListOpenIDConnectProviders)', snapshot.iam?.openIdConnectProviders)) if (p.arn === wanted.arn) push(p.arn, wanted.name, 'global', { arn: p.arn, details: p.details });
    if (kind === 'policy') for (const p of list('the managed policies (iam:ListPolicies)', snapshot.iam?.policies)) if (wanted.arn ? p.arn === wanted.arn : p.policyName === wanted.name) push(p.arn, p.policyName, 'global', { ...p });
    for (const [region, ec2] of regional(snapshot.ec2)) {
      const arn = (type: string, id: string) => `arn:${snapshot.partition}:ec2:${region}:${snapshot.accountId}:${type}/${id}`;
      if (kind === 'security-group') {
        for (const sg of list(`the security groups in ${region}`, ec2.securityGroups)) {
          if (sg.GroupId === wanted.name) push(arn(kind, wanted.name), wanted.name, region, { ...sg, attachedTo: attachments(sg, ec2) });
        }
      }
      if (kind === 'instance') for (const i of list(`the instances in ${region}`, ec2.instances)) if (i.InstanceId === wanted.name) push(arn(kind, wanted.name), wanted.name, region, { ...i });
      if (kind === 'vpc') for (const v of list(`the VPCs in ${region}`, ec2.vpcs)) if (v.VpcId === wanted.name) push(arn(kind, wanted.name), wanted.name, region, { ...v });
      if (kind === 'subnet') for (const s of list(`the subnets in ${region}`, ec2.subnets)) if (s.SubnetId === wanted.name) push(s.SubnetArn ?? arn(kind, wanted.name), wanted.name, region, { ...s });
      if (kind === 'network-acl') for (const a of list(`the network ACLs in ${region}`, ec2.networkAcls)) if (a.NetworkAclId === wanted.name) push(arn(kind, wanted.name), wanted.name, region, { ...a });
      if (kind === 'volume') for (const v of list(`the EBS volumes in ${region}`, ec2.volumes)) if (v.VolumeId === wanted.name) push(arn(kind, wanted.name), wanted.name, region, { ...v });
      if (kind === 'vpc-endpoint') for (const e of list(`the VPC endpoints in ${region}`, ec2.vpcEndpoints)) if (e.VpcEndpointId === wanted.name) push(arn(kind, wanted.name), wanted.name, region, { ...e });
      if (kind === 'launch-template')
        for (const t of list(`the launch templates in ${region}`, ec2.launchTemplates))
          if (t.template.LaunchTemplateId === wanted.name)
            push(arn(kind, wanted.name), wanted.name, region, {
              ...t.template,
              versions: t.versions.error ? t.versions : { value: t.versions.value.map((v) => v.version) },
              // The region's account-level IMDS defaults: what a launch gets for an option the template leaves unset.
              instanceMetadataDefaults: ec2.instanceMetadataDefaults,
            });
      // A key pair by id (key-…) or, from its ARN, by name.
      if (kind === 'key-pair')
        for (const k of list(`the key pairs in ${region}`, ec2.keyPairs)) if (k.KeyPairId === wanted.name || k.KeyName === wanted.name) push(arn(kind, k.KeyName ?? wanted.name), k.KeyName ?? wanted.name, region, { ...k });
      const shared = (type: string) => `arn:${snapshot.partition}:ec2:${region}::${type}/${wanted.name}`;
      if (kind === 'ebs-snapshot')
        for (const x of list(`the EBS snapshots in ${region}`, ec2.snapshots)) if (x.snapshot.SnapshotId === wanted.name) push(shared('snapshot'), wanted.name, region, { ...x.snapshot, createVolumePermissions: x.createVolumePermissions });
      if (kind === 'image') for (const x of list(`the AMIs in ${region}`, ec2.images)) if (x.image.ImageId === wanted.name) push(shared('image'), wanted.name, region, { ...x.image, launchPermissions: x.launchPermissions });
    }
    for (const [region, rds] of regional(snapshot.rds)) {
      if (kind === 'db') {
        for (const db of list(`the DB instances in ${region}`, rds.dbInstances)) {
          if (db.DBInstanceIdentifier !== wanted.name) continue;
          const activity = snapshot.cloudwatch?.[region]?.dbActivity;
          const metrics = activity?.error ? { error: activity.error } : (activity?.value?.[wanted.name] ?? { error: { code: 'NotCollected', message: 'no CloudWatch result for this instance' } });
          const window = snapshot.cloudwatch?.[region]?.window;
          push(db.DBInstanceArn ?? `arn:${snapshot.partition}:rds:${region}:${snapshot.accountId}:db:${wanted.name}`, wanted.name, region, { ...db, activity: metrics, ...(window ? { activityWindow: window } : {}) });
        }
      }
      if (kind === 'snapshot') {
        for (const s of list(`the DB snapshots in ${region}`, rds.dbSnapshots)) {
          if (s.snapshot.DBSnapshotIdentifier === wanted.name) push(s.snapshot.DBSnapshotArn ?? wanted.name, wanted.name, region, { ...s.snapshot, attributes: s.attributes });
        }
      }
      if (kind === 'cluster') {
        for (const c of list(`the DB clusters in ${region}`, rds.dbClusters)) if (c.DBClusterIdentifier === wanted.name) push(c.DBClusterArn ?? wanted.name, wanted.name, region, { ...c });
      }
      if (kind === 'cluster-snapshot') {
        for (const s of list(`the DB cluster snapshots in ${region}`, rds.dbClusterSnapshots)) {
          if (s.snapshot.DBClusterSnapshotIdentifier === wanted.name) push(s.snapshot.DBClusterSnapshotArn ?? wanted.name, wanted.name, region, { ...s.snapshot, attributes: s.attributes });
        }
      }
    }
    for (const [region, sqs] of regional(snapshot.sqs)) {
      if (kind === 'queue') for (const q of list(`the SQS queues in ${region}`, sqs.queues)) if (q.name === wanted.name) push(q.arn, q.name, region, { ...q });
    }
    for (const [region, efs] of regional(snapshot.efs)) {
      if (kind === 'file-system') for (const f of list(`the EFS file systems in ${region}`, efs.fileSystems)) if (f.FileSystemId === wanted.name) push(f.FileSystemArn ?? wanted.name, wanted.name, region, { ...f });
    }
    for (const [region, lambda] of regional(snapshot.lambda)) {
      // The environment is names and markers only: the collector never keeps a value.
      if (kind === 'function') for (const f of list(`the Lambda functions in ${region}`, lambda.functions)) if (f.name === wanted.name) push(f.arn, f.name, region, { ...f });
    }
    for (const [region, kms] of regional(snapshot.kms)) {
      if (kind !== 'key') continue;
      const aliases = kms.aliases.value ?? [];
      const target = wanted.name.startsWith('alias/') ? aliases.find((a) => a.AliasName === wanted.name)?.TargetKeyId : wanted.name;
      for (const k of list(`the KMS keys in ${region} (kms:ListKeys)`, kms.keys)) {
        if (k.keyId === target) push(k.arn, k.keyId, region, { ...k, aliases: aliases.filter((a) => a.TargetKeyId === k.keyId).map((a) => a.AliasName) });
      }
    }
    for (const [region, sns] of regional(snapshot.sns)) {
      if (kind === 'topic') for (const t of list(`the SNS topics in ${region} (sns:ListTopics)`, sns.topics)) if (t.name === wanted.name) push(t.arn, t.name, region, { ...t, policy: t.attributes.value?.Policy ?? null });
    }
    for (const [region, ecr] of regional(snapshot.ecr)) {
      if (kind === 'repository') for (const r of list(`the ECR repositories in ${region} (ecr:DescribeRepositories)`, ecr.repositories)) if (r.name === wanted.name) push(r.arn, r.name, region, { ...r.repository, policy: r.policy, tags: r.tags });
    }
    for (const [region, sm] of regional(snapshot.secretsmanager)) {
      // Metadata and the resource policy: the inventory never holds a secret value.
      if (kind === 'secret') for (const s of list(`the secrets in ${region} (secretsmanager:ListSecrets)`, sm.secrets)) if (s.arn === wanted.arn || s.arn.slice(0, -7) === wanted.arn) push(s.arn, s.name, region, { ...s.secret, policy: s.policy });
    }
    for (const [region, aa] of regional(snapshot.accessanalyzer)) {
      if (kind !== 'analyzer') continue;
      const service = `arn:${snapshot.partition}:access-analyzer:${region}:${snapshot.accountId}:analyzer`;
      if (!wanted.name) push(service, 'analyzer', region, { analyzers: aa.analyzers }, [service]);
      else for (const a of list(`the analyzers in ${region} (access-analyzer:ListAnalyzers)`, aa.analyzers)) if (a.name === wanted.name) push(a.arn ?? `${service}/${a.name}`, a.name, region, { ...a }, [service]);
    }
    for (const [region, sh] of regional(snapshot.securityhub)) {
      // An unsubscribed region has no hub, and that is what its verdict is about: shown as subscribed false.
      if (kind === 'hub') push(`arn:${snapshot.partition}:securityhub:${region}:${snapshot.accountId}:hub/default`, 'default', region, sh.hub.error ? { hub: sh.hub } : { subscribed: sh.hub.value !== null, ...(sh.hub.value ?? {}) });
    }
    for (const [region, gd] of regional(snapshot.guardduty)) {
      if (kind !== 'detector') continue;
      const service = `arn:${snapshot.partition}:guardduty:${region}:${snapshot.accountId}:detector`;
      if (!wanted.name) push(service, 'detector', region, { detectors: gd.detectors }, [service, ...(gd.detectors.value ?? []).map((d) => `${service}/${d.detectorId}`)]);
      else for (const d of list(`the GuardDuty detectors in ${region} (guardduty:ListDetectors)`, gd.detectors)) if (d.detectorId === wanted.name) push(`${service}/${d.detectorId}`, d.detectorId, region, { detectorId: d.detectorId, detector: d.detector }, [service]);
    }
    if (kind === 'trail') {
      // Each trail once: the entry that holds its status and selectors.
      const trails = new Map<string, CloudTrailTrail>();
      for (const [region, cloudtrail] of regional(snapshot.cloudtrail))
        for (const t of list(`the trails in ${region} (cloudtrail:DescribeTrails)`, cloudtrail.trails)) if (t.arn === wanted.arn && (!trails.has(t.arn) || t.status)) trails.set(t.arn, t);
      for (const t of trails.values()) push(t.arn, t.name, t.homeRegion, { ...t.trail, ...(t.status ? { status: t.status } : {}), ...(t.eventSelectors ? { eventSelectors: t.eventSelectors } : {}), ...(t.tags ? { tags: t.tags } : {}) });
    }
  }
  return found;
}

const ReadErrorWithAttribute = z.object({ attribute: z.string(), code: z.string(), message: z.string() });

export const getResource = defineTool({
  name: 'get_resource',
  toolset: 'account',
  title: 'Get one resource with its findings',
  description:
    'For one resource, by ARN or by name/id (bucket, IAM role/user/policy, security group, instance, VPC, subnet, network ACL, EBS volume or snapshot, AMI, DB instance, cluster or snapshot, SQS queue, Lambda function, CloudTrail trail, KMS key, SNS topic, EFS file system, ECR repository, Secrets Manager secret (metadata and policy, never a value), IAM server certificate, Access Analyzer analyzer, Security Hub hub, GuardDuty detector): its live attributes as the audit read them, and every check verdict on it with evidence and the Terraform fix. ' +
    'An attribute that could not be read is absent from attributes and listed in readErrors (null means "not configured"). Read-only.',
  inputSchema: z.strictObject({
    resource: z.string().min(1).max(2048).describe('An ARN (arn:aws:s3:::my-bucket, arn:aws:iam::123456789012:role/x, arn:aws:rds:us-east-1:123456789012:db:x) or a name/id (my-bucket, sg-0123abcd, i-0123abcd)'),
    includePass: z.boolean().default(true).describe('Include the checks that passed on this resource'),
    refresh: z.boolean().default(false).describe('Re-read from AWS instead of the inventory cached for this session'),
  }),
  outputSchema: z.object({
    resource: z.object({ arn: z.string(), id: z.string(), type: z.string(), service: z.string(), region: z.string() }),
    attributes: z.record(z.string(), z.unknown()),
    readErrors: z.array(ReadErrorWithAttribute),
    findings: z.array(FindingSchema),
    inventoryCollectedAt: z.string(),
    terraform: z
      .looseObject({
        address: z.string().optional(),
        file: z.string().optional(),
        line: z.number().int().optional(),
        attributes: z.record(z.string(), z.unknown()).optional(),
      })
      .optional()
      .describe('The Terraform view of the same resource (state address, config location, state attributes), when Terraform state or config is configured'),
  }),
  annotations: READ_ONLY_LIVE,
  awsOperations: inventoryOperations(partReads('s3', 's3control', 'iam', 'ec2', 'rds', 'cloudwatch', 'sqs', 'lambda', 'cloudtrail', 'kms', 'sns', 'efs', 'ecr', 'secretsmanager', 'accessanalyzer', 'securityhub', 'guardduty')),
  async handler(args, ctx) {
    const wanted = parseResource(args.resource.trim());
    const services = new Set(wanted.kinds.map((k) => SERVICE_OF[k]));
    const checks = CHECKS.filter((c) => services.has(c.metadata.service as Service));
    // Every attribute the resource's collector knows, and what its checks judge.
    const reads = [...partReads(...(services as Set<InventoryPart>)), ...checks.flatMap((c) => c.reads)];
    const view = await ctx.session.inventory.get({ reads, regions: wanted.region ? [wanted.region] : undefined, refresh: args.refresh });
    const { snapshot } = view;
    if (wanted.accountId && wanted.accountId !== snapshot.accountId) {
      throw new InfraAuditError('NOT_FOUND', `${args.resource} is in account ${wanted.accountId}; this server audits account ${snapshot.accountId}`, { hint: 'whoami shows the account this server reads' });
    }
    const listingErrors: Array<{ what: string; error: ReadError }> = [];
    const found = locate(snapshot, wanted, listingErrors);
    if (found.length === 0) {
      if (listingErrors.length) throw listingFailed(listingErrors[0]!.what, listingErrors[0]!.error);
      throw new InfraAuditError('NOT_FOUND', `no ${wanted.kinds.join(', ')} "${wanted.name}" in account ${snapshot.accountId}${wanted.region ? ` region ${wanted.region}` : ` (regions ${view.regions.join(', ') || 'global only'})`}`, {
        hint: 'check the name; list_s3_buckets, list_iam_roles, list_iam_users, list_security_groups and list_db_instances list what exists',
      });
    }
    if (found.length > 1) {
      throw new InfraAuditError('INVALID_INPUT', `"${args.resource}" matches ${found.length} resources: ${found.map((f) => f.arn).join(', ')}`, { hint: 'pass the ARN of the one you mean' });
    }
    const item = found[0]!;
    const readErrors: Array<{ attribute: string } & ReadError> = [];
    const attributes = toJson(unwrapReads(item.attributes, readErrors)) as Record<string, unknown>;
    const options = { ...DEFAULT_CHECK_OPTIONS, now: new Date() };
    // One check at a time, keeping this resource's verdicts only: the service's other verdicts
    // (a pass per bucket of a large account) never exist all at once. A pass here keeps its own
    // message and evidence: there are a handful, one per check on the resource.
    // In slices (audit/evaluate.ts): the server answers other calls meanwhile, and the time limit stops it.
    const findings: CompactFinding[] = [];
    await evaluateChecks(
      checks.filter((check) => check.metadata.service === SERVICE_OF[item.kind]),
      snapshot,
      options,
      (_check, judged) => {
        for (const f of judged) {
          if ((f.resourceId === item.arn || item.findingsOf?.includes(f.resourceId)) && (args.includePass || f.status !== 'pass')) findings.push(compactFinding(f, true));
        }
      },
      { signal: ctx.signal },
    );
    const resource = { arn: item.arn, id: item.id, type: TYPES[item.kind], service: SERVICE_OF[item.kind], region: item.region };
    const text = [
      `${resource.type} ${item.arn} [${item.region}], inventory read ${view.collectedAt}.`,
      `Attributes: ${JSON.stringify(attributes)}`,
      ...(readErrors.length ? [`Could not read: ${readErrors.map((e) => `${e.attribute} (${e.code}: ${e.message})`).join('; ')}`] : []),
      `Findings (${findings.length}):`,
      ...findings.map(findingLine),
    ].join('\n');
    return { structured: { resource, attributes, readErrors: readErrors.map((e) => ({ attribute: e.attribute, code: e.code, message: e.message })), findings, inventoryCollectedAt: view.collectedAt }, text };
  },
});
