/**
 * Drift for launch templates, through the CLI against the sandbox, with states shaped as
 * `terraform apply` writes them: in sync (the provider's defaults, unset metadata options, sets in
 * another order, default tags), changed per compared attribute of the latest version, missing,
 * unmanaged with its import block (the template id), a template whose versions could not be read
 * unchecked. The user data is compared by keyed digest and never shown: no user data value (in the
 * state, the configuration or live) leaves in any output format.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { useSandbox, TEST_CREDENTIALS } from '../test-support/sandbox.js';
import { AwsSession } from '../aws/session.js';
import { stateFromLive } from '../bench/drift.js';
import { collectLive, loadTerraformInputs, runDrift } from './run.js';
import { driftCli, stateOf, stateResource, type DriftCliRun } from '../test-support/drift.js';

const ACCOUNT_ID = '111122223333';
const CANARY = /CANARY-/;
const b64 = (text: string) => Buffer.from(text).toString('base64');
const BOOT = b64('#!/bin/bash\nexport DATABASE_URL=postgres://app:CANARY-boot-db-password-41c2@db.internal/app\n');
const BOOT_ROTATED = b64('#!/bin/bash\nexport DATABASE_URL=postgres://app:CANARY-rotated-by-hand-88d1@db.internal/app\n');
const WORKER_BOOT = b64('#!/bin/bash\nexport QUEUE_TOKEN=CANARY-worker-token-0e5f\n');
/** Any user data value, as AWS and the state hold it (base64) or decoded. */
const leaks = (text: string) => [BOOT, BOOT_ROTATED, WORKER_BOOT].some((b) => text.includes(b) || text.includes(b.slice(8, 40))) || CANARY.test(text);
const ltArn = (id: string) => `arn:aws:ec2:us-east-1:${ACCOUNT_ID}:launch-template/${id}`;
const PROFILE = `arn:aws:iam::${ACCOUNT_ID}:instance-profile/api`;
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/10000000-0000-4000-8000-000000000001`;
const T0 = '2026-01-01T00:00:00Z';

const apiData = (extra: object = {}) => ({
  ImageId: 'ami-0a0000000000000a1',
  InstanceType: 't3.large',
  KeyName: 'ops',
  UserData: BOOT,
  IamInstanceProfile: { Arn: PROFILE },
  SecurityGroupIds: ['sg-0a0000000000000a2', 'sg-0a0000000000000a1'],
  MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 2 },
  BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, KmsKeyId: KEY, VolumeSize: 30, VolumeType: 'gp3' } }],
  ...extra,
});

const ACCOUNT = {
  AccountId: ACCOUNT_ID,
  Regions: {
    'us-east-1': {
      EC2: {
        LaunchTemplates: [
          // In sync: the state as the provider wrote it, groups in another order, a default tag.
          { LaunchTemplateId: 'lt-0a0000000000000a1', LaunchTemplateName: 'api', CreateTime: T0, Versions: [{ VersionNumber: 1, LaunchTemplateData: apiData() }], Tags: [{ Key: 'team', Value: 'api' }, { Key: 'env', Value: 'prod' }] },
          // Console edits as a new version 2 made the default: IMDSv1 allowed, hop limit 1, the endpoint off, another image and
          // type, another profile, a group added, the root volume unencrypted, the key dropped, the user data rewritten; a tag changed.
          {
            LaunchTemplateId: 'lt-0a0000000000000a2',
            LaunchTemplateName: 'api-canary',
            CreateTime: T0,
            DefaultVersionNumber: 2,
            Versions: [
              { VersionNumber: 1, LaunchTemplateData: apiData() },
              {
                VersionNumber: 2,
                LaunchTemplateData: apiData({
                  ImageId: 'ami-0b0000000000000b1',
                  InstanceType: 't3.2xlarge',
                  KeyName: undefined,
                  UserData: BOOT_ROTATED,
                  IamInstanceProfile: { Name: 'admin' },
                  SecurityGroupIds: ['sg-0a0000000000000a1', 'sg-0a0000000000000a2', 'sg-0a0000000000000a9'],
                  MetadataOptions: { HttpTokens: 'optional', HttpEndpoint: 'disabled', HttpPutResponseHopLimit: 1 },
                  BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: false, VolumeSize: 30, VolumeType: 'gp3' } }],
                }),
              },
            ],
            Tags: [{ Key: 'team', Value: 'growth' }],
          },
          // In sync with nearly nothing set: no metadata options, no user data, no block devices (the provider's empty lists and "").
          { LaunchTemplateId: 'lt-0a0000000000000a3', LaunchTemplateName: 'batch', CreateTime: T0, Versions: [{ VersionNumber: 1, LaunchTemplateData: { InstanceType: 'c7g.large' } }] },
          // Made by hand, with user data of its own.
          { LaunchTemplateId: 'lt-0a0000000000000a4', LaunchTemplateName: 'handmade-worker', CreateTime: T0, Versions: [{ VersionNumber: 1, LaunchTemplateData: { InstanceType: 't3.small', UserData: WORKER_BOOT } }] },
        ],
      },
    },
  },
};

const templateState = (id: string, name: string, extra: Record<string, unknown>) => ({
  id, arn: ltArn(id), name, name_prefix: '', description: '', default_version: 1, latest_version: 1, update_default_version: null,
  image_id: 'ami-0a0000000000000a1', instance_type: 't3.large', key_name: 'ops', user_data: BOOT, ebs_optimized: '', disable_api_stop: false, disable_api_termination: false,
  iam_instance_profile: [{ arn: PROFILE, name: '' }], vpc_security_group_ids: ['sg-0a0000000000000a1', 'sg-0a0000000000000a2'], security_group_names: [],
  metadata_options: [{ http_endpoint: 'enabled', http_protocol_ipv6: '', http_put_response_hop_limit: 2, http_tokens: 'required', instance_metadata_tags: '' }],
  block_device_mappings: [{ device_name: '/dev/xvda', no_device: '', virtual_name: '', ebs: [{ delete_on_termination: '', encrypted: 'true', iops: 0, kms_key_id: KEY, snapshot_id: '', throughput: 0, volume_initialization_rate: 0, volume_size: 30, volume_type: 'gp3' }] }],
  network_interfaces: [], tag_specifications: [], tags: {}, tags_all: {}, ...extra,
});

const STATE = stateOf('launch-template-test', [
  stateResource('aws_launch_template', 'api', templateState('lt-0a0000000000000a1', 'api', { tags: { team: 'api' }, tags_all: { team: 'api', env: 'prod' } })),
  stateResource('aws_launch_template', 'api_canary', templateState('lt-0a0000000000000a2', 'api-canary', { tags: { team: 'api' }, tags_all: { team: 'api' } })),
  stateResource('aws_launch_template', 'batch', templateState('lt-0a0000000000000a3', 'batch', {
    image_id: '', instance_type: 'c7g.large', key_name: '', user_data: '', iam_instance_profile: [], vpc_security_group_ids: [], metadata_options: [], block_device_mappings: [],
  })),
  stateResource('aws_launch_template', 'retired', templateState('lt-0a0000000000000a5', 'retired', {})),
]);

const HCL = `
resource "aws_launch_template" "api_canary" {
  name                   = "api-canary"
  image_id               = "ami-0a0000000000000a1"
  instance_type          = "t3.large"
  key_name               = "ops"
  user_data              = "${BOOT}"
  vpc_security_group_ids = ["sg-0a0000000000000a1", "sg-0a0000000000000a2"]
  iam_instance_profile {
    arn = "${PROFILE}"
  }
  metadata_options {
    http_tokens                 = "required"
    http_endpoint               = "enabled"
    http_put_response_hop_limit = 2
  }
  tags = { team = "api" }
}
`;

describe('drift of launch templates', () => {
  const env = useSandbox(ACCOUNT);
  let run: DriftCliRun;
  beforeAll(async () => {
    run = await driftCli(env.endpoint, { state: STATE, hcl: HCL, regions: ['us-east-1'] });
  });

  it('compares every instance, with no failed read', () => {
    expect(run.code).toBe(1);
    expect(run.report.unsupportedTypes).toEqual([]);
    expect(run.report.unchecked).toEqual([]);
    expect(run.report.errors).toEqual([]);
  });

  it('in sync: as the provider wrote it (groups in another order, a default tag), and with nearly nothing set', () => {
    expect(run.entry('aws_launch_template.api')).toBeUndefined();
    expect(run.entry('aws_launch_template.batch')).toBeUndefined();
  });

  it('changed: each compared attribute of the latest version, the default version and a tag are named; the user data by the marker only', () => {
    const canary = run.entry('aws_launch_template.api_canary');
    expect(canary?.kind).toBe('changed');
    expect(canary?.resourceId).toBe(ltArn('lt-0a0000000000000a2'));
    expect(canary?.diffs?.map((d) => d.path)).toEqual([
      'image_id',
      'instance_type',
      'key_name',
      'iam_instance_profile',
      'vpc_security_group_ids',
      'metadata_options.0.http_tokens',
      'metadata_options.0.http_endpoint',
      'metadata_options.0.http_put_response_hop_limit',
      'block_device_mappings',
      'user_data',
      'default_version',
      'tags.team',
    ]);
    const diff = (path: string) => canary!.diffs!.find((d) => d.path === path);
    expect(diff('metadata_options.0.http_tokens')).toMatchObject({ config: 'required', state: 'required', live: 'optional' });
    expect(diff('block_device_mappings')).toMatchObject({ state: [`/dev/xvda encrypted true kms ${KEY}`], live: ['/dev/xvda encrypted false'] });
    expect(diff('iam_instance_profile')).toMatchObject({ state: { arn: PROFILE, name: '' }, live: { arn: '', name: 'admin' } });
    expect(diff('user_data')).toEqual({ path: 'user_data', config: '<redacted:sensitive>', state: '<redacted:sensitive>', live: '<redacted:sensitive>', sensitive: true });
    expect(diff('default_version')).toMatchObject({ state: 1, live: 2 });
  });

  it('missing when deleted; one made by hand is unmanaged, importable by its template id', () => {
    expect(run.entry('aws_launch_template.retired')?.kind).toBe('missing');
    const handmade = run.unmanaged('aws_launch_template');
    expect(handmade.map((e) => [e.importId, e.resourceId])).toEqual([['lt-0a0000000000000a4', ltArn('lt-0a0000000000000a4')]]);
    expect(handmade[0]!.importBlocks).toContain('id = "lt-0a0000000000000a4"');
    expect(handmade[0]!.importBlocks).toMatch(/name\s+= "handmade-worker"/);
  });

  it('canary: no user data, in the state, the configuration or live, leaves in any format', async () => {
    expect(leaks(run.out)).toBe(false);
    expect(leaks(run.err)).toBe(false);
    for (const format of ['table', 'markdown', 'sarif', 'html']) {
      const other = await driftCli(env.endpoint, { state: STATE, hcl: HCL, regions: ['us-east-1'], format });
      expect(other.code, format).toBe(1);
      expect(other.out, format).toMatch(/user\\?_data/);
      expect(leaks(other.out), format).toBe(false);
      expect(leaks(other.err), format).toBe(false);
    }
  });
});

describe('a state written from the live side, as the drift benchmark writes it', () => {
  const env = useSandbox(ACCOUNT);
  it('is in sync for every launch template, user data included (compared by name only once written: no value, no digest)', async () => {
    const session = new AwsSession({ endpointUrl: env.endpoint, credentials: TEST_CREDENTIALS, region: 'us-east-1', retry: { maxAttempts: 1 } });
    const { live } = await collectLive(session, { regions: ['us-east-1'] });
    const state = stateFromLive(live).text;
    expect(leaks(state)).toBe(false);
    const dir = mkdtempSync(path.join(tmpdir(), 'drift-launch-template-live-'));
    writeFileSync(path.join(dir, 'terraform.tfstate'), state);
    const inputs = await loadTerraformInputs({ statePaths: [path.join(dir, 'terraform.tfstate')], env: {} });
    const again = await runDrift(inputs, session, { regions: ['us-east-1'] });
    expect(JSON.parse(state).resources.filter((r: { type: string }) => r.type === 'aws_launch_template')).toHaveLength(4);
    expect(again.entries.filter((e) => e.resourceType === 'aws_launch_template')).toEqual([]);
  });
});

describe('drift of launch templates whose versions cannot be read', () => {
  const env = useSandbox(ACCOUNT, { deny: ['DescribeLaunchTemplateVersions:*'] });
  it('reports the template unchecked with the failed read, never in sync or changed', async () => {
    const run = await driftCli(env.endpoint, { state: STATE, regions: ['us-east-1'] });
    expect(run.entry('aws_launch_template.api')).toBeUndefined();
    expect(run.report.unchecked.map((u) => u.terraformAddress)).toEqual(expect.arrayContaining(['aws_launch_template.api', 'aws_launch_template.api_canary', 'aws_launch_template.batch']));
    expect(JSON.stringify(run.report.unchecked)).toContain('UnauthorizedOperation');
  });
});
