import { describe, expect, it } from 'vitest';
import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRegionsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
  paginateDescribeInstances,
  paginateDescribeSecurityGroups,
} from '@aws-sdk/client-ec2';
import { fetchStats, opCount, useSandbox, rejection } from '../../test-support/sandbox.js';


const WEB_SG = 'sg-0a0000000000000a1';
const DB_SG = 'sg-0a0000000000000a2';

describe('sandbox EC2 (EC2 Query protocol)', () => {
  const env = useSandbox('regional-ec2.json');
  const ec2 = (region = 'us-east-1') => new EC2Client(env.config('ec2', { region }));

  describe('DescribeRegions', () => {
    it('lists the account regions as enabled, and every other region only with AllRegions', async () => {
      const enabled = await ec2().send(new DescribeRegionsCommand({}));
      expect(enabled.Regions?.map((r) => [r.RegionName, r.OptInStatus, r.Endpoint])).toEqual([
        ['us-east-1', 'opt-in-not-required', 'ec2.us-east-1.amazonaws.com'],
        ['eu-west-1', 'opt-in-not-required', 'ec2.eu-west-1.amazonaws.com'],
      ]);
      const all = await ec2().send(new DescribeRegionsCommand({ AllRegions: true }));
      expect(all.Regions!.length).toBeGreaterThan(20);
      expect(all.Regions!.find((r) => r.RegionName === 'af-south-1')?.OptInStatus).toBe('not-opted-in');
      expect(all.Regions!.find((r) => r.RegionName === 'eu-west-1')?.OptInStatus).toBe('opt-in-not-required');
    });

    it('filters by region-name and opt-in-status', async () => {
      const byName = await ec2().send(new DescribeRegionsCommand({ Filters: [{ Name: 'region-name', Values: ['eu-*'] }] }));
      expect(byName.Regions?.map((r) => r.RegionName)).toEqual(['eu-west-1']);
      const notOptedIn = await ec2().send(
        new DescribeRegionsCommand({ AllRegions: true, Filters: [{ Name: 'opt-in-status', Values: ['opted-in', 'opt-in-not-required'] }] }),
      );
      expect(notOptedIn.Regions?.map((r) => r.RegionName).sort()).toEqual(['eu-west-1', 'us-east-1']);
    });
  });

  describe('VPCs, subnets and route tables', () => {
    it('describes VPCs by id and by is-default, and names an unknown or malformed id as AWS does', async () => {
      const all = await ec2().send(new DescribeVpcsCommand({}));
      expect(all.Vpcs?.map((v) => v.VpcId)).toEqual(['vpc-0a0000000000000a1', 'vpc-0a0000000000000a2']);
      expect(all.Vpcs?.[0]).toMatchObject({ CidrBlock: '10.0.0.0/16', State: 'available', IsDefault: false, OwnerId: '111122223333', Tags: [{ Key: 'Name', Value: 'prod' }] });

      const byDefault = await ec2().send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
      expect(byDefault.Vpcs?.map((v) => v.VpcId)).toEqual(['vpc-0a0000000000000a2']);

      const missing = await rejection(ec2().send(new DescribeVpcsCommand({ VpcIds: ['vpc-0a0000000000000ff'] })));
      expect(missing.name).toBe('InvalidVpcID.NotFound');
      expect(missing.message).toBe("The vpc ID 'vpc-0a0000000000000ff' does not exist");
      expect(missing.$metadata.httpStatusCode).toBe(400);
      expect((await rejection(ec2().send(new DescribeVpcsCommand({ VpcIds: ['prod-vpc'] })))).name).toBe('InvalidVpcID.Malformed');
    });

    it('describes subnets of one VPC, with their AZ and public-IP mapping', async () => {
      const res = await ec2().send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: ['vpc-0a0000000000000a1'] }] }));
      expect(res.Subnets?.map((s) => [s.SubnetId, s.AvailabilityZone, s.MapPublicIpOnLaunch])).toEqual([
        ['subnet-0a0000000000000b1', 'us-east-1a', true],
        ['subnet-0a0000000000000b2', 'us-east-1b', false],
      ]);
      expect(res.Subnets?.[0]?.SubnetArn).toBe('arn:aws:ec2:us-east-1:111122223333:subnet/subnet-0a0000000000000b1');
      const none = await ec2().send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: ['vpc-0a0000000000000a2'] }] }));
      expect(none.Subnets).toEqual([]);
      const missing = await rejection(ec2().send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-0a0000000000000b9'] })));
      expect(missing.name).toBe('InvalidSubnetID.NotFound');
    });

    it('finds the route table of a subnet by association.subnet-id, with routes and associations', async () => {
      const res = await ec2().send(
        new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: ['subnet-0a0000000000000b1'] }] }),
      );
      expect(res.RouteTables).toHaveLength(1);
      const table = res.RouteTables![0]!;
      expect(table.RouteTableId).toBe('rtb-0a0000000000000c1');
      expect(table.Routes?.map((r) => [r.DestinationCidrBlock, r.GatewayId, r.State, r.Origin])).toEqual([
        ['10.0.0.0/16', 'local', 'active', 'CreateRouteTable'],
        ['0.0.0.0/0', 'igw-0a0000000000000d1', 'active', 'CreateRoute'],
      ]);
      expect(table.Associations?.[0]).toMatchObject({ SubnetId: 'subnet-0a0000000000000b1', Main: false, RouteTableId: 'rtb-0a0000000000000c1' });
      expect(table.Associations?.[0]?.RouteTableAssociationId).toMatch(/^rtbassoc-[0-9a-f]{17}$/);

      const other = await ec2().send(
        new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: ['subnet-0a0000000000000b2'] }] }),
      );
      expect(other.RouteTables).toEqual([]);
      const main = await ec2().send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.main', Values: ['true'] }] }));
      expect(main.RouteTables?.map((t) => [t.RouteTableId, t.Routes?.[1]?.NatGatewayId])).toEqual([['rtb-0a0000000000000c2', 'nat-0a0000000000000e1']]);
      expect((await rejection(ec2().send(new DescribeRouteTablesCommand({ RouteTableIds: ['rtb-0a0000000000000c9'] })))).name).toBe(
        'InvalidRouteTableID.NotFound',
      );
    });
  });

  describe('DescribeSecurityGroups', () => {
    it('renders every kind of ingress source: CIDR, IPv6 CIDR, security group and prefix list', async () => {
      const res = await ec2().send(new DescribeSecurityGroupsCommand({ GroupIds: [WEB_SG, DB_SG] }));
      const [web, db] = res.SecurityGroups!;
      expect(web).toMatchObject({ GroupId: WEB_SG, GroupName: 'web', Description: 'public web tier', VpcId: 'vpc-0a0000000000000a1', OwnerId: '111122223333' });
      expect(web!.SecurityGroupArn).toBe(`arn:aws:ec2:us-east-1:111122223333:security-group/${WEB_SG}`);
      expect(web!.IpPermissions).toEqual([
        {
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
          IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'https from anywhere' }],
          Ipv6Ranges: [{ CidrIpv6: '::/0' }],
          UserIdGroupPairs: [],
          PrefixListIds: [],
        },
        { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], UserIdGroupPairs: [], PrefixListIds: [] },
      ]);
      expect(web!.IpPermissionsEgress?.[0]).toMatchObject({ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] });
      expect(web!.Tags).toEqual([
        { Key: 'Name', Value: 'web' },
        { Key: 'Team', Value: 'edge' },
      ]);
      expect(db!.IpPermissions?.[0]?.UserIdGroupPairs).toEqual([{ GroupId: WEB_SG, UserId: '111122223333', Description: 'from web' }]);
      expect(db!.IpPermissions?.[0]?.PrefixListIds).toEqual([{ PrefixListId: 'pl-0a0000000000000f1' }]);
    });

    it('filters by group-name exactly (case matters), by wildcard, and by ingress CIDR and port', async () => {
      const names = async (filters: { Name: string; Values: string[] }[]) =>
        ((await ec2().send(new DescribeSecurityGroupsCommand({ Filters: filters }))).SecurityGroups ?? []).map((g) => g.GroupName);
      expect(await names([{ Name: 'group-name', Values: ['web'] }])).toEqual(['web']);
      expect(await names([{ Name: 'group-name', Values: ['Web'] }])).toEqual([]);
      expect(await names([{ Name: 'group-name', Values: ['app-0*'] }])).toHaveLength(9);
      expect(await names([{ Name: 'group-id', Values: [DB_SG] }])).toEqual(['db']);
      expect(
        await names([
          { Name: 'ip-permission.cidr', Values: ['0.0.0.0/0'] },
          { Name: 'ip-permission.from-port', Values: ['22'] },
        ]),
      ).toEqual(['web']);
      expect(await names([{ Name: 'ip-permission.from-port', Values: ['23'] }])).toEqual([]);
      expect(await names([{ Name: 'tag:Team', Values: ['edge'] }])).toEqual(['web']);
      expect(await names([{ Name: 'vpc-id', Values: ['vpc-0a0000000000000a2'] }])).toEqual(['default']);
    });

    it('refuses an unknown filter name and unknown group ids or names', async () => {
      const badFilter = await rejection(ec2().send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-nam', Values: ['web'] }] })));
      expect(badFilter.name).toBe('InvalidParameterValue');
      expect(badFilter.message).toBe("The filter 'group-nam' is invalid");
      const unknownId = await rejection(ec2().send(new DescribeSecurityGroupsCommand({ GroupIds: ['sg-0a0000000000000ff'] })));
      expect(unknownId.name).toBe('InvalidGroup.NotFound');
      expect(unknownId.message).toContain('sg-0a0000000000000ff');
      const unknownName = await rejection(ec2().send(new DescribeSecurityGroupsCommand({ GroupNames: ['webb'] })));
      expect(unknownName.name).toBe('InvalidGroup.NotFound');
      const byName = await ec2().send(new DescribeSecurityGroupsCommand({ GroupNames: ['db'] }));
      expect(byName.SecurityGroups?.map((g) => g.GroupId)).toEqual([DB_SG]);
    });

    it('pages with MaxResults/NextToken: the SDK paginator walks 12 groups in 3 calls', async () => {
      env.sandbox.resetStats();
      const seen: string[] = [];
      let pages = 0;
      for await (const page of paginateDescribeSecurityGroups({ client: ec2(), pageSize: 5 }, {})) {
        pages++;
        seen.push(...(page.SecurityGroups ?? []).map((g) => g.GroupId!));
      }
      expect(pages).toBe(3);
      expect(seen).toHaveLength(12);
      expect(new Set(seen).size).toBe(12);
      expect(opCount(await fetchStats(env.endpoint), 'ec2', 'DescribeSecurityGroups')).toBe(3);
    });

    it('refuses a MaxResults outside 5..1000 and a token from another query', async () => {
      expect((await rejection(ec2().send(new DescribeSecurityGroupsCommand({ MaxResults: 4 })))).name).toBe('InvalidParameterValue');
      const first = await ec2().send(new DescribeSecurityGroupsCommand({ MaxResults: 5 }));
      expect(first.NextToken).toBeTruthy();
      const replayed = await rejection(
        ec2().send(new DescribeSecurityGroupsCommand({ MaxResults: 5, NextToken: first.NextToken, Filters: [{ Name: 'group-name', Values: ['*'] }] })),
      );
      expect(replayed.name).toBe('InvalidPaginationToken');
    });
  });

  describe('DescribeInstances', () => {
    it('returns reservations with instancesSet: state, addresses, groups, profile, IMDS and placement', async () => {
      const res = await ec2().send(new DescribeInstancesCommand({ InstanceIds: ['i-0a0000000000000a1'] }));
      expect(res.Reservations).toHaveLength(1);
      expect(res.Reservations![0]!.ReservationId).toMatch(/^r-[0-9a-f]{17}$/);
      expect(res.Reservations![0]!.OwnerId).toBe('111122223333');
      const instance = res.Reservations![0]!.Instances![0]!;
      expect(instance).toMatchObject({
        InstanceId: 'i-0a0000000000000a1',
        InstanceType: 't3.micro',
        State: { Code: 16, Name: 'running' },
        PrivateIpAddress: '10.0.1.10',
        PublicIpAddress: '198.51.100.10',
        SubnetId: 'subnet-0a0000000000000b1',
        Placement: { AvailabilityZone: 'us-east-1a' },
        SecurityGroups: [{ GroupId: WEB_SG, GroupName: 'web' }],
        IamInstanceProfile: { Arn: 'arn:aws:iam::111122223333:instance-profile/web' },
        MetadataOptions: { HttpTokens: 'optional', HttpEndpoint: 'enabled' },
      });
      expect(instance.LaunchTime).toEqual(new Date('2025-01-15T10:00:00Z'));
    });

    it('filters by instance-state-name (case matters) and by security group', async () => {
      const ids = async (filters: { Name: string; Values: string[] }[]) =>
        ((await ec2().send(new DescribeInstancesCommand({ Filters: filters }))).Reservations ?? []).flatMap((r) => r.Instances!.map((i) => i.InstanceId));
      expect(await ids([{ Name: 'instance-state-name', Values: ['stopped'] }])).toEqual(['i-0a0000000000000a2']);
      expect(await ids([{ Name: 'instance-state-name', Values: ['running'] }])).toHaveLength(6);
      expect(await ids([{ Name: 'instance-state-name', Values: ['Running'] }])).toEqual([]);
      expect(await ids([{ Name: 'instance.group-id', Values: [WEB_SG] }])).toEqual(['i-0a0000000000000a1']);
      expect(await ids([{ Name: 'subnet-id', Values: ['subnet-0a0000000000000b1'] }])).toEqual(['i-0a0000000000000a1']);
      expect(await ids([{ Name: 'metadata-options.http-tokens', Values: ['optional'] }])).toEqual(['i-0a0000000000000a1']);
    });

    it('names unknown instance ids, and refuses instance ids together with MaxResults', async () => {
      const one = await rejection(ec2().send(new DescribeInstancesCommand({ InstanceIds: ['i-0a0000000000000ff'] })));
      expect(one.name).toBe('InvalidInstanceID.NotFound');
      expect(one.message).toBe("The instance ID 'i-0a0000000000000ff' does not exist");
      const two = await rejection(ec2().send(new DescribeInstancesCommand({ InstanceIds: ['i-0a0000000000000a1', 'i-0a0000000000000fe', 'i-0a0000000000000ff'] })));
      expect(two.message).toBe("The instance IDs 'i-0a0000000000000fe, i-0a0000000000000ff' do not exist");
      const combined = await rejection(ec2().send(new DescribeInstancesCommand({ InstanceIds: ['i-0a0000000000000a1'], MaxResults: 5 })));
      expect(combined.name).toBe('InvalidParameterCombination');
    });

    it('pages 7 instances in 2 calls with the SDK paginator', async () => {
      env.sandbox.resetStats();
      const pageSizes: number[] = [];
      for await (const page of paginateDescribeInstances({ client: ec2(), pageSize: 5 }, {})) {
        pageSizes.push((page.Reservations ?? []).flatMap((r) => r.Instances ?? []).length);
      }
      expect(pageSizes).toEqual([5, 2]);
      expect(opCount(await fetchStats(env.endpoint), 'ec2', 'DescribeInstances')).toBe(2);
    });
  });

  it('describes network interfaces by attachment.instance-id and group-id', async () => {
    const attached = await ec2().send(
      new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: ['i-0a0000000000000a1'] }] }),
    );
    expect(attached.NetworkInterfaces).toHaveLength(1);
    expect(attached.NetworkInterfaces![0]).toMatchObject({
      NetworkInterfaceId: 'eni-0a0000000000000a1',
      Status: 'in-use',
      Attachment: { InstanceId: 'i-0a0000000000000a1', Status: 'attached' },
      Association: { PublicIp: '198.51.100.10' },
      Groups: [{ GroupId: WEB_SG, GroupName: 'web' }],
      AvailabilityZone: 'us-east-1a',
    });
    const byGroup = await ec2().send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'group-id', Values: [DB_SG] }] }));
    expect(byGroup.NetworkInterfaces?.map((n) => [n.NetworkInterfaceId, n.Status, n.Attachment])).toEqual([['eni-0a0000000000000a2', 'available', undefined]]);
    const unknown = await rejection(ec2().send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ['eni-0a0000000000000ff'] })));
    expect(unknown.name).toBe('InvalidNetworkInterfaceID.NotFound');
  });

  it('serves each region its own resources', async () => {
    const eu = await ec2('eu-west-1').send(new DescribeSecurityGroupsCommand({}));
    expect(eu.SecurityGroups?.map((g) => [g.GroupId, g.SecurityGroupArn])).toEqual([
      ['sg-0b0000000000000a1', 'arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0b0000000000000a1'],
    ]);
    const usGroupInEu = await rejection(ec2('eu-west-1').send(new DescribeSecurityGroupsCommand({ GroupIds: [WEB_SG] })));
    expect(usGroupInEu.name).toBe('InvalidGroup.NotFound');
    const euInstances = await ec2('eu-west-1').send(new DescribeInstancesCommand({}));
    expect(euInstances.Reservations?.flatMap((r) => r.Instances!.map((i) => i.InstanceId))).toEqual(['i-0b0000000000000a1']);
  });

  it('answers a region the account has not enabled with AuthFailure', async () => {
    const err = await rejection(ec2('ap-southeast-2').send(new DescribeVpcsCommand({})));
    expect(err.name).toBe('AuthFailure');
    expect(err.$metadata.httpStatusCode).toBe(401);
  });

  it('refuses mutating calls with UnauthorizedOperation and counts them as refused writes', async () => {
    const before = (await fetchStats(env.endpoint)).faults.refusedWrites;
    const run = await rejection(ec2().send(new RunInstancesCommand({ ImageId: 'ami-0abcdef1234567890', MinCount: 1, MaxCount: 1 })));
    expect(run.name).toBe('UnauthorizedOperation');
    expect(run.message).toBe('You are not authorized to perform this operation.');
    expect(run.$metadata.httpStatusCode).toBe(403);
    const ingress = await rejection(
      ec2().send(
        new AuthorizeSecurityGroupIngressCommand({ GroupId: WEB_SG, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 3389, ToPort: 3389, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }),
      ),
    );
    expect(ingress.name).toBe('UnauthorizedOperation');
    const terminate = await rejection(ec2().send(new TerminateInstancesCommand({ InstanceIds: ['i-0a0000000000000a1'] })));
    expect(terminate.name).toBe('UnauthorizedOperation');
    const stats = await fetchStats(env.endpoint);
    expect(stats.faults.refusedWrites).toBe(before + 3);
    expect(opCount(stats, 'ec2', 'AuthorizeSecurityGroupIngress')).toBeGreaterThanOrEqual(1);
    // The group is unchanged: the refused rule is not there.
    const web = await ec2().send(new DescribeSecurityGroupsCommand({ GroupIds: [WEB_SG] }));
    expect(web.SecurityGroups![0]!.IpPermissions!.map((p) => p.FromPort)).toEqual([443, 22]);
  });

  it('answers an unknown action with InvalidAction, malformed requests with EC2 errors, and DryRun with DryRunOperation', async () => {
    const post = (body: string) =>
      fetch(env.endpoint + '/', {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=x',
        },
        body,
      });
    const unknown = await post('Action=DescribeTheCrownJewels&Version=2016-11-15');
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toMatch(/<Response><Errors><Error><Code>InvalidAction<\/Code>/);
    const noAction = await post('Version=2016-11-15&%%%=');
    expect(noAction.status).toBe(400);
    expect(await noAction.text()).toContain('<Code>MissingAction</Code>');
    const junkFilter = await post('Action=DescribeVpcs&Version=2016-11-15&Filter.1.Value.1=x&Filter.99999999.Name=vpc-id');
    expect(junkFilter.status).toBe(400);
    expect(await junkFilter.text()).toContain('<Code>InvalidParameterValue</Code>');
    const dryRun = await rejection(ec2().send(new DescribeVpcsCommand({ DryRun: true })));
    expect(dryRun.name).toBe('DryRunOperation');
    expect(dryRun.$metadata.httpStatusCode).toBe(412);
  });
});

describe('sandbox EC2 faults', () => {
  describe('throttling', () => {
    const env = useSandbox('regional-ec2.json', { throttleRate: 1, seed: 1 });
    it('throttles with RequestLimitExceeded (503)', async () => {
      const err = await rejection(new EC2Client(env.config('ec2')).send(new DescribeVpcsCommand({})));
      expect(err.name).toBe('RequestLimitExceeded');
      expect(err.$metadata.httpStatusCode).toBe(503);
      expect((await fetchStats(env.endpoint)).faults.throttled).toBe(1);
    });
  });

  describe('--deny on a security group ARN', () => {
    const env = useSandbox('regional-ec2.json', { deny: [`arn:aws:ec2:us-east-1:111122223333:security-group/${WEB_SG}`] });
    it('refuses a describe naming that group, and serves one naming another', async () => {
      const client = new EC2Client(env.config('ec2'));
      const err = await rejection(client.send(new DescribeSecurityGroupsCommand({ GroupIds: [WEB_SG] })));
      expect(err.name).toBe('UnauthorizedOperation');
      const other = await client.send(new DescribeSecurityGroupsCommand({ GroupIds: [DB_SG] }));
      expect(other.SecurityGroups?.map((g) => g.GroupId)).toEqual([DB_SG]);
      expect((await fetchStats(env.endpoint)).faults.denied).toBe(1);
    });
  });
});
