/**
 * Drift for VPC endpoints and key pairs, over the wire against the sandbox, with states shaped as
 * `terraform apply` writes them: in sync (a policy the provider normalised, sets in another
 * order, AWS's default policy kept as computed, default tags), changed per compared attribute,
 * missing, and unmanaged with import blocks in the provider's id format (endpoint id; key name).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox, TEST_CREDENTIALS } from '../test-support/sandbox.js';
import { AwsSession } from '../aws/session.js';
import { collectLive, loadTerraformInputs, runDrift } from './run.js';
import { stateFromLive } from '../bench/drift.js';
import { parseHcl } from '../terraform/config/hcl.js';
import type { DriftReport } from './model.js';

const ACCOUNT_ID = '111122223333';
const VPC = 'vpc-0a0000000000000a1';
const T0 = '2026-01-01T00:00:00Z';
const endpointArn = (id: string) => `arn:aws:ec2:us-east-1:${ACCOUNT_ID}:vpc-endpoint/${id}`;
const keyArn = (name: string) => `arn:aws:ec2:us-east-1:${ACCOUNT_ID}:key-pair/${name}`;
const FULL_ACCESS = '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}';
const artifacts = { Sid: 'Artifacts', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-artifacts/*' };
const anyBucket = { Sid: 'AnyBucket', Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' };
const FP = (n: number) => `1f:51:ae:28:bf:89:e9:d8:1f:25:5d:37:2d:7d:b8:ca:9f:f5:f1:${String(n).padStart(2, '0')}`;

const ACCOUNT = {
  AccountId: ACCOUNT_ID,
  Regions: {
    'us-east-1': {
      EC2: {
        Vpcs: [{ VpcId: VPC, CidrBlock: '10.0.0.0/16' }],
        VpcEndpoints: [
          // In sync: AWS answers the policy with its own key order and one-element lists unwrapped; route tables in another order.
          { VpcEndpointId: 'vpce-0a0000000000000a1', VpcId: VPC, ServiceName: 'com.amazonaws.us-east-1.s3', RouteTableIds: ['rtb-0a0000000000000a2', 'rtb-0a0000000000000a1'], PolicyDocument: { Statement: [{ Resource: artifacts.Resource, Action: artifacts.Action, Principal: '*', Effect: 'Allow', Sid: 'Artifacts' }], Version: '2012-10-17' }, CreationTimestamp: T0, Tags: [{ Key: 'Name', Value: 's3' }, { Key: 'env', Value: 'prod' }] },
          // In sync with no policy set: AWS's full-access default, kept in state as computed.
          { VpcEndpointId: 'vpce-0a0000000000000a2', VpcId: VPC, ServiceName: 'com.amazonaws.us-east-1.dynamodb', RouteTableIds: ['rtb-0a0000000000000a1'], CreationTimestamp: T0 },
          // Console edits: a statement opening every bucket, private DNS off, a subnet and a group added, a tag changed.
          {
            VpcEndpointId: 'vpce-0a0000000000000a3',
            VpcId: VPC,
            ServiceName: 'com.amazonaws.us-east-1.secretsmanager',
            VpcEndpointType: 'Interface' as const,
            PrivateDnsEnabled: false,
            SubnetIds: ['subnet-0a0000000000000a1', 'subnet-0a0000000000000a2'],
            Groups: [{ GroupId: 'sg-0a0000000000000a1' }, { GroupId: 'sg-0a0000000000000a9' }],
            PolicyDocument: { Version: '2012-10-17', Statement: [artifacts, anyBucket] },
            CreationTimestamp: T0,
            Tags: [{ Key: 'Name', Value: 'secrets-renamed' }],
          },
          // Deleted: lingers in the listing, gone.
          { VpcEndpointId: 'vpce-0a0000000000000a4', VpcId: VPC, ServiceName: 'com.amazonaws.us-east-1.sqs', State: 'deleted' as const, CreationTimestamp: T0 },
          // Made by hand.
          { VpcEndpointId: 'vpce-0a0000000000000a5', VpcId: VPC, ServiceName: 'com.amazonaws.us-east-1.kms', VpcEndpointType: 'Interface' as const, SubnetIds: ['subnet-0a0000000000000a1'], CreationTimestamp: T0 },
        ],
        KeyPairs: [
          { KeyPairId: 'key-0a0000000000000a1', KeyName: 'ops', KeyFingerprint: FP(1), CreateTime: T0, Tags: [{ Key: 'team', Value: 'ops' }] },
          // Deleted and imported again under the same name with other key material, an ed25519 key, in the console.
          { KeyPairId: 'key-0a0000000000000b2', KeyName: 'deploy', KeyType: 'ed25519' as const, KeyFingerprint: 'bmV3LWtleQ==', CreateTime: T0, Tags: [{ Key: 'team', Value: 'platform' }] },
          // Made by hand.
          { KeyPairId: 'key-0a0000000000000a3', KeyName: 'laptop-ana', KeyFingerprint: FP(3), CreateTime: T0 },
        ],
      },
    },
  },
};

const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';
const resource = (type: string, name: string, attributes: Record<string, unknown>) => ({ mode: 'managed', type, name, provider: PROVIDER, instances: [{ schema_version: 0, attributes }] });
const endpointState = (id: string, extra: Record<string, unknown>) => ({
  id, arn: endpointArn(id), vpc_id: VPC, vpc_endpoint_type: 'Gateway', auto_accept: null, cidr_blocks: ['3.5.0.0/19'], dns_entry: [], dns_options: [], ip_address_type: '', network_interface_ids: [],
  owner_id: ACCOUNT_ID, policy: FULL_ACCESS, prefix_list_id: 'pl-63a5400a', private_dns_enabled: false, requester_managed: false, route_table_ids: [], security_group_ids: [], subnet_ids: [], state: 'available', tags: {}, tags_all: {}, timeouts: null, ...extra,
});
const keyState = (name: string, extra: Record<string, unknown>) => ({
  id: name, arn: keyArn(name), key_name: name, key_name_prefix: '', key_pair_id: 'key-0a0000000000000a1', key_type: 'rsa', fingerprint: FP(1), public_key: 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC0 ops@example', tags: {}, tags_all: {}, ...extra,
});
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const STATE = {
  version: 4,
  terraform_version: '1.9.8',
  serial: 3,
  lineage: 'ec2-launch-test',
  outputs: {},
  resources: [
    // `env` comes from the provider's default_tags: in tags_all only.
    resource('aws_vpc_endpoint', 's3', endpointState('vpce-0a0000000000000a1', { service_name: 'com.amazonaws.us-east-1.s3', route_table_ids: ['rtb-0a0000000000000a1', 'rtb-0a0000000000000a2'], policy: doc(artifacts), tags: { Name: 's3' }, tags_all: { Name: 's3', env: 'prod' } })),
    resource('aws_vpc_endpoint', 'dynamodb', endpointState('vpce-0a0000000000000a2', { service_name: 'com.amazonaws.us-east-1.dynamodb', route_table_ids: ['rtb-0a0000000000000a1'], policy: '{"Statement":[{"Action":"*","Effect":"Allow","Principal":"*","Resource":"*"}],"Version":"2008-10-17"}' })),
    resource('aws_vpc_endpoint', 'secrets', endpointState('vpce-0a0000000000000a3', { service_name: 'com.amazonaws.us-east-1.secretsmanager', vpc_endpoint_type: 'Interface', private_dns_enabled: true, subnet_ids: ['subnet-0a0000000000000a1'], security_group_ids: ['sg-0a0000000000000a1'], policy: doc(artifacts), tags: { Name: 'secrets' }, tags_all: { Name: 'secrets' } })),
    resource('aws_vpc_endpoint', 'sqs', endpointState('vpce-0a0000000000000a4', { service_name: 'com.amazonaws.us-east-1.sqs' })),
    resource('aws_key_pair', 'ops', keyState('ops', { tags: { team: 'ops' }, tags_all: { team: 'ops' } })),
    resource('aws_key_pair', 'deploy', keyState('deploy', { key_pair_id: 'key-0a0000000000000a2', fingerprint: FP(2), tags: { team: 'platform' }, tags_all: { team: 'platform' } })),
    resource('aws_key_pair', 'retired', keyState('retired', { key_pair_id: 'key-0a0000000000000a4', fingerprint: FP(4) })),
  ],
};

describe('drift of VPC endpoints and key pairs', () => {
  const env = useSandbox(ACCOUNT);
  let report: DriftReport;
  let text: string;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drift-ec2-launch-'));
    writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify(STATE));
    const inputs = await loadTerraformInputs({ statePaths: [path.join(dir, 'terraform.tfstate')], env: {} });
    const session = new AwsSession({ endpointUrl: env.endpoint, credentials: TEST_CREDENTIALS, region: 'us-east-1', retry: { maxAttempts: 1 } });
    report = await runDrift(inputs, session, { regions: ['us-east-1'] });
    text = JSON.stringify(report);
  });
  const entry = (address: string) => report.entries.find((e) => e.terraformAddress === address && e.kind !== 'unmanaged');
  const unmanaged = (type: string) => report.entries.filter((e) => e.kind === 'unmanaged' && e.resourceType === type);

  it('compares every instance, reading everything it needs', () => {
    expect(report.unsupportedTypes).toEqual([]);
    expect(report.unchecked).toEqual([]);
    expect(report.errors).toEqual([]);
  });

  it('VPC endpoint: in sync with a normalised policy, route tables in another order, AWS\'s default policy and a default tag', () => {
    expect(entry('aws_vpc_endpoint.s3')).toBeUndefined();
    expect(entry('aws_vpc_endpoint.dynamodb')).toBeUndefined();
  });

  it('VPC endpoint: a statement added to the policy (by Sid), private DNS, subnets, groups and a tag changed in the console are each reported', () => {
    const secrets = entry('aws_vpc_endpoint.secrets');
    expect(secrets?.kind).toBe('changed');
    expect(secrets?.resourceId).toBe(endpointArn('vpce-0a0000000000000a3'));
    expect(secrets?.diffs?.map((d) => d.path)).toEqual(['policy', 'private_dns_enabled', 'subnet_ids', 'security_group_ids', 'tags.Name']);
    const policy = secrets!.diffs!.find((d) => d.path === 'policy')!;
    expect(policy.statements).toEqual([expect.stringContaining('AnyBucket')]);
    expect(policy.statementDiffs).toEqual([expect.objectContaining({ change: 'added' })]);
    expect(secrets!.diffs!.find((d) => d.path === 'private_dns_enabled')).toMatchObject({ state: true, live: false });
    expect(secrets!.diffs!.find((d) => d.path === 'tags.Name')).toMatchObject({ state: 'secrets', live: 'secrets-renamed' });
  });

  it('VPC endpoint: deleted (still listed as deleted) is missing; one made by hand is unmanaged, importable by its id', () => {
    expect(entry('aws_vpc_endpoint.sqs')?.kind).toBe('missing');
    const handmade = unmanaged('aws_vpc_endpoint');
    expect(handmade.map((e) => e.importId)).toEqual(['vpce-0a0000000000000a5']);
    expect(handmade[0]!.importBlocks).toContain('id = "vpce-0a0000000000000a5"');
    expect(handmade[0]!.importBlocks).toContain('resource "aws_vpc_endpoint"');
    expect(handmade[0]!.importBlocks).toMatch(/service_name\s+= "com\.amazonaws\.us-east-1\.kms"/);
    expect(handmade[0]!.importBlocks).toMatch(/vpc_endpoint_type\s+= "Interface"/);
  });

  it('key pair: in sync without the public key (AWS never returns it); a key made again under the same name is reported by fingerprint and type', () => {
    expect(entry('aws_key_pair.ops')).toBeUndefined();
    const deploy = entry('aws_key_pair.deploy');
    expect(deploy?.kind).toBe('changed');
    expect(deploy?.resourceId).toBe(keyArn('deploy'));
    expect(deploy?.diffs?.map((d) => [d.path, d.state, d.live])).toEqual([
      ['key_type', 'rsa', 'ed25519'],
      ['fingerprint', FP(2), 'bmV3LWtleQ=='],
    ]);
    // No public key is compared or shown (the only mention is the unmanaged stub's note that one must be supplied).
    expect(text).not.toContain('AAAAB3NzaC1yc2E');
    expect(report.entries.flatMap((e) => e.diffs ?? []).map((d) => d.path)).not.toContain('public_key');
  });

  it('key pair: deleted is missing; one made by hand imports by key name', () => {
    expect(entry('aws_key_pair.retired')?.kind).toBe('missing');
    const handmade = unmanaged('aws_key_pair');
    expect(handmade.map((e) => e.importId)).toEqual(['laptop-ana']);
    expect(handmade[0]!.importBlocks).toContain('id = "laptop-ana"');
    expect(handmade[0]!.importBlocks).toMatch(/key_name\s+= "laptop-ana"/);
  });

  it('key pair: the import stub says plainly that public_key must be supplied (the provider requires it; no key material is read)', async () => {
    const blocks = unmanaged('aws_key_pair')[0]!.importBlocks!;
    // The note is a comment at the top of the resource block, and the HCL stays valid.
    expect(blocks).toMatch(/resource "aws_key_pair" "[^"]+" \{\n {2}# public_key is required, and this stub cannot fill it in/);
    expect(blocks).toContain('ssh-keygen -y -f <private key file>');
    const parsed = (await parseHcl('import.tf', blocks)) as { resource: { aws_key_pair: Record<string, Array<Record<string, unknown>>> } };
    const [stub] = Object.values(parsed.resource.aws_key_pair)[0]!;
    expect(stub).toEqual({ key_name: 'laptop-ana' });
  });

  it('a state written from the live side, as the drift benchmark writes it, is in sync for both types', async () => {
    const session = new AwsSession({ endpointUrl: env.endpoint, credentials: TEST_CREDENTIALS, region: 'us-east-1', retry: { maxAttempts: 1 } });
    const { live } = await collectLive(session, { regions: ['us-east-1'] });
    const dir = mkdtempSync(path.join(tmpdir(), 'drift-ec2-launch-live-'));
    const state = stateFromLive(live).text;
    writeFileSync(path.join(dir, 'terraform.tfstate'), state);
    const inputs = await loadTerraformInputs({ statePaths: [path.join(dir, 'terraform.tfstate')], env: {} });
    const again = await runDrift(inputs, session, { regions: ['us-east-1'] });
    expect(again.entries.filter((e) => e.resourceType === 'aws_vpc_endpoint' || e.resourceType === 'aws_key_pair')).toEqual([]);
    const types = JSON.parse(state).resources.map((r: { type: string }) => r.type).filter((t: string) => t === 'aws_vpc_endpoint' || t === 'aws_key_pair');
    expect(types.sort()).toEqual(['aws_key_pair', 'aws_key_pair', 'aws_key_pair', 'aws_vpc_endpoint', 'aws_vpc_endpoint', 'aws_vpc_endpoint', 'aws_vpc_endpoint']);
  });
});
