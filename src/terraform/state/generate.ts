/**
 * A large, realistic Terraform state for benchmarks: module for_each and count instances, data
 * sources, nested blocks, JSON policy documents, tags, and secrets of every kind the redactor
 * handles (sensitive_attributes, provider-known attributes, connection strings in user_data).
 * Deterministic for a seed. About 2 KB per instance: 50,000 resources come to ~100 MB.
 */
import { createRng, type Rng } from '../../sandbox/rng.js';

export interface GenerateStateOptions {
  resources: number;
  seed?: number;
}

const ACCOUNT = '111122223333';
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];

export function generateState(options: GenerateStateOptions): string {
  const rng = createRng(options.seed ?? 1);
  const resources: unknown[] = [];
  for (let i = 0; i < options.resources; i++) resources.push(generateResource(i, rng));
  return JSON.stringify(
    {
      version: 4,
      terraform_version: '1.9.8',
      serial: options.resources,
      lineage: '6b1c2f0e-7d4a-4c39-9a51-0f2d1e3b4a5c',
      outputs: {
        db_password: { value: token(rng, 24), type: 'string', sensitive: true },
        bucket_count: { value: options.resources, type: 'number' },
      },
      resources,
      check_results: null,
    },
    null,
    2,
  );
}

const AWS_PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';

function generateResource(i: number, rng: Rng): unknown {
  const region = REGIONS[i % REGIONS.length]!;
  const tags = { Name: `res-${i}`, Environment: i % 2 ? 'prod' : 'staging', Owner: `team-${i % 17}`, CostCenter: `cc-${1000 + (i % 50)}` };
  switch (i % 6) {
    case 0: {
      const key = `bucket-${i}`;
      return {
        module: `module.buckets["${key}"]`,
        mode: 'managed',
        type: 'aws_s3_bucket',
        name: 'this',
        provider: `module.buckets.${AWS_PROVIDER}`,
        instances: [instance({
          bucket: `org-${key}-${region}`,
          arn: `arn:aws:s3:::org-${key}-${region}`,
          region,
          force_destroy: false,
          policy: policyDocument(`arn:aws:s3:::org-${key}-${region}`, ['s3:GetObject', 's3:ListBucket', 's3:PutObject']),
          server_side_encryption_configuration: [{ rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: 'aws:kms', kms_master_key_id: `arn:aws:kms:${region}:${ACCOUNT}:key/${uuid(rng)}` }], bucket_key_enabled: true }] }],
          versioning: [{ enabled: true, mfa_delete: false }],
          tags,
          tags_all: tags,
        }, [], ['module.kms.aws_kms_key.this'])],
      };
    }
    case 1:
      return {
        mode: 'managed',
        type: 'aws_instance',
        name: `web_${i}`,
        provider: AWS_PROVIDER,
        each: 'list',
        instances: [instance({
          id: `i-${hex(rng, 17)}`,
          ami: `ami-${hex(rng, 17)}`,
          arn: `arn:aws:ec2:${region}:${ACCOUNT}:instance/i-${hex(rng, 17)}`,
          instance_type: 't3.medium',
          user_data: `#!/bin/bash\nexport DATABASE_URL=postgres://app:${token(rng, 20)}@db-${i}.internal:5432/app\nsystemctl start app\n`,
          vpc_security_group_ids: [`sg-${hex(rng, 17)}`],
          root_block_device: [{ volume_size: 50, volume_type: 'gp3', encrypted: true, kms_key_id: `arn:aws:kms:${region}:${ACCOUNT}:key/${uuid(rng)}` }],
          metadata_options: [{ http_tokens: 'required', http_endpoint: 'enabled', http_put_response_hop_limit: 1 }],
          network_interface: [],
          private_ip: `10.${i % 256}.${(i >> 8) % 256}.${i % 200}`,
          tags,
        }, [], [], 0)],
      };
    case 2:
      return {
        mode: 'managed',
        type: 'aws_iam_role',
        name: `role_${i}`,
        provider: AWS_PROVIDER,
        instances: [instance({
          name: `role-${i}`,
          arn: `arn:aws:iam::${ACCOUNT}:role/role-${i}`,
          assume_role_policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
          inline_policy: [{ name: 'inline', policy: policyDocument('*', ['logs:CreateLogStream', 'logs:PutLogEvents']) }],
          managed_policy_arns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
          max_session_duration: 3600,
          tags,
        })],
      };
    case 3:
      return {
        mode: 'managed',
        type: 'aws_db_instance',
        name: `db_${i}`,
        provider: AWS_PROVIDER,
        instances: [instance({
          identifier: `db-${i}`,
          arn: `arn:aws:rds:${region}:${ACCOUNT}:db:db-${i}`,
          engine: 'postgres',
          engine_version: '16.3',
          instance_class: 'db.t4g.medium',
          username: 'app',
          password: token(rng, 24),
          storage_encrypted: true,
          publicly_accessible: false,
          endpoint: `db-${i}.abcdefghij.${region}.rds.amazonaws.com:5432`,
          tags,
        }, [[{ type: 'get_attr', value: 'password' }]])],
      };
    case 4:
      return {
        mode: 'managed',
        type: 'aws_security_group',
        name: 'app',
        module: `module.net[${i}]`,
        provider: `module.net.${AWS_PROVIDER}`,
        instances: [instance({
          id: `sg-${hex(rng, 17)}`,
          arn: `arn:aws:ec2:${region}:${ACCOUNT}:security-group/sg-${hex(rng, 17)}`,
          name: `app-${i}`,
          vpc_id: `vpc-${hex(rng, 17)}`,
          ingress: [443, 80, 22, 5432].map((port) => ({ from_port: port, to_port: port, protocol: 'tcp', cidr_blocks: ['10.0.0.0/8'], ipv6_cidr_blocks: [], description: `allow ${port}`, self: false, security_groups: [], prefix_list_ids: [] })),
          egress: [{ from_port: 0, to_port: 0, protocol: '-1', cidr_blocks: ['0.0.0.0/0'], description: '', self: false, security_groups: [], prefix_list_ids: [], ipv6_cidr_blocks: [] }],
          tags,
        })],
      };
    default:
      return {
        mode: 'data',
        type: 'aws_iam_policy_document',
        name: `doc_${i}`,
        provider: AWS_PROVIDER,
        instances: [instance({
          id: String(Math.floor(rng() * 1e10)),
          json: policyDocument(`arn:aws:s3:::org-data-${i}/*`, ['s3:GetObject']),
          statement: [{ sid: 'Read', effect: 'Allow', actions: ['s3:GetObject'], resources: [`arn:aws:s3:::org-data-${i}/*`], principals: [], condition: [] }],
        })],
      };
  }
}

function instance(attributes: Record<string, unknown>, sensitive: unknown[] = [], dependencies: string[] = [], indexKey?: number | string) {
  return {
    ...(indexKey === undefined ? {} : { index_key: indexKey }),
    schema_version: 0,
    attributes,
    sensitive_attributes: sensitive,
    private: 'eyJzY2hlbWFfdmVyc2lvbiI6IjAifQ==',
    dependencies,
  };
}

function policyDocument(resource: string, actions: string[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Allow', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: actions, Resource: resource },
      { Sid: 'DenyInsecure', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: resource, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    ],
  });
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function token(rng: Rng, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[Math.floor(rng() * ALPHANUMERIC.length)];
  return out;
}

function hex(rng: Rng, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += Math.floor(rng() * 16).toString(16);
  return out;
}

function uuid(rng: Rng): string {
  return `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-a${hex(rng, 3)}-${hex(rng, 12)}`;
}
