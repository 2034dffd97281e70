/** The sandbox's EC2 VPC endpoints, key pairs and launch templates, through the real SDK client over the EC2 query protocol. */
import { describe, expect, it } from 'vitest';
import { DescribeKeyPairsCommand, DescribeLaunchTemplatesCommand, DescribeLaunchTemplateVersionsCommand, DescribeVpcEndpointsCommand, EC2Client, paginateDescribeLaunchTemplateVersions, paginateDescribeVpcEndpoints } from '@aws-sdk/client-ec2';
import { fetchStats, opCount, rejection, useSandbox } from '../../test-support/sandbox.js';

const VPC = 'vpc-0a0000000000000a1';
const S3_POLICY = { Version: '2012-10-17', Statement: [{ Sid: 'Artifacts', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::artifacts/*' }] };
const account = {
  AccountId: '111122223333',
  Regions: {
    'us-east-1': {
      EC2: {
        Vpcs: [{ VpcId: VPC, CidrBlock: '10.0.0.0/16' }],
        VpcEndpoints: [
          { VpcEndpointId: 'vpce-0a0000000000000a1', VpcId: VPC, ServiceName: 'com.amazonaws.us-east-1.s3', RouteTableIds: ['rtb-0a0000000000000a1'], PolicyDocument: S3_POLICY, CreationTimestamp: '2026-01-01T00:00:00Z', Tags: [{ Key: 'Name', Value: 's3' }] },
          {
            VpcEndpointId: 'vpce-0a0000000000000a2',
            VpcId: VPC,
            ServiceName: 'com.amazonaws.us-east-1.secretsmanager',
            VpcEndpointType: 'Interface' as const,
            PrivateDnsEnabled: true,
            SubnetIds: ['subnet-0a0000000000000a1', 'subnet-0a0000000000000a2'],
            Groups: [{ GroupId: 'sg-0a0000000000000a1', GroupName: 'endpoints' }],
            CreationTimestamp: '2026-01-02T00:00:00Z',
          },
          ...Array.from({ length: 3 }, (_, i) => ({ VpcEndpointId: `vpce-0b00000000000000${i}`, VpcId: VPC, ServiceName: 'com.amazonaws.us-east-1.dynamodb', CreationTimestamp: '2026-01-03T00:00:00Z' })),
        ],
        KeyPairs: [
          { KeyPairId: 'key-0a0000000000000a1', KeyName: 'ops', KeyFingerprint: '1f:51:ae:28:bf:89:e9:d8:1f:25:5d:37:2d:7d:b8:ca:9f:f5:f1:6f', CreateTime: '2026-01-01T00:00:00Z', Tags: [{ Key: 'team', Value: 'ops' }] },
          { KeyPairId: 'key-0a0000000000000a2', KeyName: 'deploy', KeyType: 'ed25519' as const, KeyFingerprint: 'cmVhbGx5LWFuLWVkMjU1MTktZmluZ2VycHJpbnQ=', CreateTime: '2026-01-02T00:00:00Z' },
        ],
      },
    },
    'eu-west-1': { EC2: {} },
  },
};

describe('sandbox EC2 VPC endpoints and key pairs (EC2 query protocol)', () => {
  const env = useSandbox(account);
  const ec2 = (region = 'us-east-1') => new EC2Client(env.config('ec2', { region }));

  it('DescribeVpcEndpoints: type, service, policy (AWS\'s full-access default when none), route tables, subnets, groups, private DNS, tags', async () => {
    const { VpcEndpoints: [s3, secrets, dynamo] = [] } = await ec2().send(new DescribeVpcEndpointsCommand({}));
    expect(s3).toMatchObject({ VpcEndpointId: 'vpce-0a0000000000000a1', VpcEndpointType: 'Gateway', VpcId: VPC, ServiceName: 'com.amazonaws.us-east-1.s3', State: 'available', RouteTableIds: ['rtb-0a0000000000000a1'], SubnetIds: [], PrivateDnsEnabled: false, OwnerId: '111122223333', Tags: [{ Key: 'Name', Value: 's3' }] });
    expect(JSON.parse(s3!.PolicyDocument!)).toEqual(S3_POLICY);
    expect(s3!.CreationTimestamp).toEqual(new Date('2026-01-01T00:00:00Z'));
    expect(secrets).toMatchObject({ VpcEndpointType: 'Interface', PrivateDnsEnabled: true, SubnetIds: ['subnet-0a0000000000000a1', 'subnet-0a0000000000000a2'], Groups: [{ GroupId: 'sg-0a0000000000000a1', GroupName: 'endpoints' }], RouteTableIds: [] });
    expect(secrets!.NetworkInterfaceIds).toHaveLength(2);
    expect(JSON.parse(dynamo!.PolicyDocument!)).toEqual({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] });
  });

  it('DescribeVpcEndpoints: filters, ids, pages; an unknown id is InvalidVpcEndpointId.NotFound, a malformed one InvalidVpcEndpointId.Malformed', async () => {
    const interfaces = await ec2().send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-endpoint-type', Values: ['Interface'] }] }));
    expect(interfaces.VpcEndpoints?.map((e) => e.VpcEndpointId)).toEqual(['vpce-0a0000000000000a2']);
    const byService = await ec2().send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'service-name', Values: ['*.s3'] }] }));
    expect(byService.VpcEndpoints?.map((e) => e.VpcEndpointId)).toEqual(['vpce-0a0000000000000a1']);
    const one = await ec2().send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: ['vpce-0a0000000000000a2'] }));
    expect(one.VpcEndpoints?.map((e) => e.ServiceName)).toEqual(['com.amazonaws.us-east-1.secretsmanager']);
    env.sandbox.resetStats();
    const sizes: number[] = [];
    for await (const page of paginateDescribeVpcEndpoints({ client: ec2(), pageSize: 2 }, {})) sizes.push(page.VpcEndpoints?.length ?? 0);
    expect(sizes).toEqual([2, 2, 1]);
    expect(opCount(await fetchStats(env.endpoint), 'ec2', 'DescribeVpcEndpoints')).toBe(3);
    const missing = await rejection(ec2().send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: ['vpce-0a00000000000ffff'] })));
    expect(missing.name).toBe('InvalidVpcEndpointId.NotFound');
    expect(missing.$metadata.httpStatusCode).toBe(400);
    expect((await rejection(ec2().send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: ['endpoint-1'] })))).name).toBe('InvalidVpcEndpointId.Malformed');
    expect((await ec2('eu-west-1').send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints).toEqual([]);
  });

  it('DescribeKeyPairs: name, id, type (rsa unless said), fingerprint, tags, never key material; by name or id; an unknown name is InvalidKeyPair.NotFound', async () => {
    const all = await ec2().send(new DescribeKeyPairsCommand({}));
    expect(all.KeyPairs?.map((k) => [k.KeyName, k.KeyPairId, k.KeyType, k.KeyFingerprint, k.PublicKey])).toEqual([
      ['ops', 'key-0a0000000000000a1', 'rsa', '1f:51:ae:28:bf:89:e9:d8:1f:25:5d:37:2d:7d:b8:ca:9f:f5:f1:6f', undefined],
      ['deploy', 'key-0a0000000000000a2', 'ed25519', 'cmVhbGx5LWFuLWVkMjU1MTktZmluZ2VycHJpbnQ=', undefined],
    ]);
    expect(all.KeyPairs![0]!.Tags).toEqual([{ Key: 'team', Value: 'ops' }]);
    expect(all.KeyPairs![0]!.CreateTime).toEqual(new Date('2026-01-01T00:00:00Z'));
    expect((await ec2().send(new DescribeKeyPairsCommand({ KeyNames: ['deploy'] }))).KeyPairs?.map((k) => k.KeyPairId)).toEqual(['key-0a0000000000000a2']);
    expect((await ec2().send(new DescribeKeyPairsCommand({ KeyPairIds: ['key-0a0000000000000a1'] }))).KeyPairs?.map((k) => k.KeyName)).toEqual(['ops']);
    expect((await ec2().send(new DescribeKeyPairsCommand({ Filters: [{ Name: 'key-name', Values: ['dep*'] }] }))).KeyPairs?.map((k) => k.KeyName)).toEqual(['deploy']);
    const missing = await rejection(ec2().send(new DescribeKeyPairsCommand({ KeyNames: ['nobody'] })));
    expect(missing.name).toBe('InvalidKeyPair.NotFound');
    expect(missing.message).toBe("The key pair 'nobody' does not exist");
  });
});

describe('sandbox EC2 --deny on VPC endpoints and key pairs', () => {
  const env = useSandbox(account, { deny: ['DescribeKeyPairs:*', 'DescribeVpcEndpoints:vpce-0a0000000000000a2'] });
  it('answers UnauthorizedOperation (403), by operation and by endpoint id', async () => {
    const client = new EC2Client(env.config('ec2'));
    for (const call of [client.send(new DescribeKeyPairsCommand({})), client.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: ['vpce-0a0000000000000a2'] }))]) {
      const err = await rejection(call);
      expect(err.name).toBe('UnauthorizedOperation');
      expect(err.$metadata.httpStatusCode).toBe(403);
    }
    expect((await client.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: ['vpce-0a0000000000000a1'] }))).VpcEndpoints).toHaveLength(1);
  });
});

const USER_DATA = Buffer.from('#!/bin/bash\nexport DATABASE_URL=postgres://app:not-a-real-password@db.internal/app\n').toString('base64');
const templates = {
  AccountId: '111122223333',
  Regions: {
    'us-east-1': {
      EC2: {
        LaunchTemplates: [
          {
            LaunchTemplateId: 'lt-0a0000000000000a1',
            LaunchTemplateName: 'api',
            CreateTime: '2026-01-01T00:00:00Z',
            DefaultVersionNumber: 2,
            Versions: [
              { VersionNumber: 1, LaunchTemplateData: { ImageId: 'ami-0a0000000000000a1', InstanceType: 't3.micro' } },
              {
                VersionNumber: 2,
                VersionDescription: 'IMDSv2',
                CreateTime: '2026-02-01T00:00:00Z',
                LaunchTemplateData: {
                  ImageId: 'ami-0a0000000000000a2',
                  InstanceType: 't3.large',
                  KeyName: 'ops',
                  UserData: USER_DATA,
                  IamInstanceProfile: { Name: 'api' },
                  SecurityGroupIds: ['sg-0a0000000000000a1'],
                  MetadataOptions: { HttpTokens: 'required' as const, HttpPutResponseHopLimit: 2 },
                  BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeSize: 30, VolumeType: 'gp3' as const } }],
                },
              },
              { VersionNumber: 3, VersionDescription: 'trial', LaunchTemplateData: { ImageId: 'ami-0a0000000000000a3', InstanceType: 't3.xlarge' } },
            ],
            Tags: [{ Key: 'team', Value: 'api' }],
          },
          { LaunchTemplateId: 'lt-0a0000000000000a2', LaunchTemplateName: 'worker', CreateTime: '2026-01-02T00:00:00Z', Versions: [{ VersionNumber: 1, LaunchTemplateData: { InstanceType: 'c7g.large' } }] },
        ],
      },
    },
  },
};

describe('sandbox EC2 launch templates (EC2 query protocol)', () => {
  const env = useSandbox(templates);
  const ec2 = () => new EC2Client(env.config('ec2', { region: 'us-east-1' }));

  it('DescribeLaunchTemplates: default and latest version numbers, tags; by id or name; unknown ones answer InvalidLaunchTemplateId.NotFound and InvalidLaunchTemplateName.NotFoundException', async () => {
    const all = await ec2().send(new DescribeLaunchTemplatesCommand({}));
    expect(all.LaunchTemplates?.map((t) => [t.LaunchTemplateId, t.LaunchTemplateName, t.DefaultVersionNumber, t.LatestVersionNumber])).toEqual([
      ['lt-0a0000000000000a1', 'api', 2, 3],
      ['lt-0a0000000000000a2', 'worker', 1, 1],
    ]);
    expect(all.LaunchTemplates![0]!).toMatchObject({ CreatedBy: 'arn:aws:iam::111122223333:root', Tags: [{ Key: 'team', Value: 'api' }], CreateTime: new Date('2026-01-01T00:00:00Z') });
    expect((await ec2().send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['worker'] }))).LaunchTemplates?.map((t) => t.LaunchTemplateId)).toEqual(['lt-0a0000000000000a2']);
    expect((await ec2().send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: ['lt-0a0000000000000a1'] }))).LaunchTemplates).toHaveLength(1);
    expect((await rejection(ec2().send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: ['lt-0a0000000000000ff'] })))).name).toBe('InvalidLaunchTemplateId.NotFound');
    expect((await rejection(ec2().send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: ['template-1'] })))).name).toBe('InvalidLaunchTemplateId.Malformed');
    const byName = await rejection(ec2().send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['nobody'] })));
    expect(byName.name).toBe('InvalidLaunchTemplateName.NotFoundException');
  });

  it('DescribeLaunchTemplateVersions: $Latest and $Default of one template, with its launch data; every version of one; $Default of every template', async () => {
    const both = await ec2().send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: 'lt-0a0000000000000a1', Versions: ['$Latest', '$Default'] }));
    expect(both.LaunchTemplateVersions?.map((v) => [v.VersionNumber, v.DefaultVersion, v.LaunchTemplateData?.InstanceType])).toEqual([
      [2, true, 't3.large'],
      [3, false, 't3.xlarge'],
    ]);
    const v2 = both.LaunchTemplateVersions![0]!;
    expect(v2).toMatchObject({ LaunchTemplateId: 'lt-0a0000000000000a1', LaunchTemplateName: 'api', VersionDescription: 'IMDSv2', CreateTime: new Date('2026-02-01T00:00:00Z') });
    expect(v2.LaunchTemplateData).toMatchObject({
      ImageId: 'ami-0a0000000000000a2',
      KeyName: 'ops',
      UserData: USER_DATA,
      IamInstanceProfile: { Name: 'api' },
      SecurityGroupIds: ['sg-0a0000000000000a1'],
      MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2, State: 'applied' },
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeSize: 30, VolumeType: 'gp3' } }],
    });
    const every = await ec2().send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'api' }));
    expect(every.LaunchTemplateVersions?.map((v) => v.VersionNumber)).toEqual([1, 2, 3]);
    const bounded = await ec2().send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'api', MinVersion: '2', MaxVersion: '2' }));
    expect(bounded.LaunchTemplateVersions?.map((v) => v.VersionNumber)).toEqual([2]);
    const defaults = await ec2().send(new DescribeLaunchTemplateVersionsCommand({ Versions: ['$Default'] }));
    expect(defaults.LaunchTemplateVersions?.map((v) => [v.LaunchTemplateName, v.VersionNumber])).toEqual([['api', 2], ['worker', 1]]);
  });

  it('DescribeLaunchTemplateVersions: pages; unknown template, unknown version, no template named with a numbered version each answer their EC2 error', async () => {
    env.sandbox.resetStats();
    const sizes: number[] = [];
    for await (const page of paginateDescribeLaunchTemplateVersions({ client: ec2(), pageSize: 2 }, { LaunchTemplateId: 'lt-0a0000000000000a1' })) sizes.push(page.LaunchTemplateVersions?.length ?? 0);
    expect(sizes).toEqual([2, 1]);
    expect(opCount(await fetchStats(env.endpoint), 'ec2', 'DescribeLaunchTemplateVersions')).toBe(2);
    const unknown = await rejection(ec2().send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: 'lt-0a0000000000000ff' })));
    expect(unknown.name).toBe('InvalidLaunchTemplateId.NotFound');
    expect(unknown.$metadata.httpStatusCode).toBe(400);
    expect((await rejection(ec2().send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: 'lt-0a0000000000000a2', Versions: ['7'] })))).name).toBe('InvalidLaunchTemplateId.VersionNotFound');
    expect((await rejection(ec2().send(new DescribeLaunchTemplateVersionsCommand({ Versions: ['1'] })))).name).toBe('MissingParameter');
    expect((await rejection(ec2().send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'nobody' })))).name).toBe('InvalidLaunchTemplateName.NotFoundException');
  });
});
