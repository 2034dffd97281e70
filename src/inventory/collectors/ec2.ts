/** EC2, per region: security groups, instances, VPCs, subnets, route tables, gateways, Elastic IPs, network interfaces, network ACLs, flow logs, EBS volumes, EBS encryption by default, the account-level instance metadata defaults, VPC endpoints, key pairs, launch templates (latest and default versions, user data concealed), and the account's own EBS snapshots and AMIs with who they are shared with. */
import {
  DescribeAddressesCommand,
  DescribeKeyPairsCommand,
  DescribeLaunchTemplateVersionsCommand,
  paginateDescribeLaunchTemplates,
  paginateDescribeVpcEndpoints,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DescribeSnapshotAttributeCommand,
  paginateDescribeSnapshots,
  GetEbsEncryptionByDefaultCommand,
  GetInstanceMetadataDefaultsCommand,
  paginateDescribeFlowLogs,
  paginateDescribeNetworkAcls,
  paginateDescribeVolumes,
  paginateDescribeInstances,
  paginateDescribeInternetGateways,
  paginateDescribeNatGateways,
  paginateDescribeNetworkInterfaces,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVpcs,
} from '@aws-sdk/client-ec2';
import { collectPages } from '../../aws/paginate.js';
import { read, type CollectorContext, type CollectorReads } from '../context.js';
import type { Ec2Image, Ec2Inventory, Ec2LaunchTemplate, Ec2LaunchTemplateVersion, Ec2Snapshot } from '../snapshot.js';
import type { LaunchTemplateVersion } from '@aws-sdk/client-ec2';
import { concealMap } from '../../redact/secret-digest.js';
import { SENSITIVE_MARKER } from '../../redact/marker.js';
import { mapBounded } from '../bounded.js';

export const EC2_READS = {
  'ec2:DescribeSecurityGroups': [],
  'ec2:DescribeInstances': [],
  'ec2:DescribeVpcs': [],
  'ec2:DescribeSubnets': [],
  'ec2:DescribeRouteTables': [],
  'ec2:DescribeNetworkInterfaces': [],
  'ec2:DescribeInternetGateways': [],
  'ec2:DescribeNatGateways': [],
  'ec2:DescribeAddresses': [],
  'ec2:DescribeNetworkAcls': [],
  'ec2:DescribeFlowLogs': [],
  'ec2:DescribeVolumes': [],
  'ec2:GetEbsEncryptionByDefault': [],
  'ec2:GetInstanceMetadataDefaults': [],
  'ec2:DescribeSnapshots': [],
  'ec2:DescribeSnapshotAttribute': ['ec2:DescribeSnapshots'],
  'ec2:DescribeImages': [],
  'ec2:DescribeImageAttribute': ['ec2:DescribeImages'],
  'ec2:DescribeVpcEndpoints': [],
  'ec2:DescribeKeyPairs': [],
  'ec2:DescribeLaunchTemplates': [],
  'ec2:DescribeLaunchTemplateVersions': ['ec2:DescribeLaunchTemplates'],
} satisfies CollectorReads;

export async function collectEc2(ctx: CollectorContext, region: string): Promise<Ec2Inventory> {
  const client = ctx.session.client('ec2', region);
  const label = (operation: string, resource?: string) => ({ service: 'ec2' as const, region, operation, resource });
  const [securityGroups, instances, vpcs, subnets, routeTables, networkInterfaces, internetGateways, natGateways, addresses, networkAcls, flowLogs, volumes, ebsEncryptionByDefault, vpcEndpoints, keyPairs, listedTemplates] = await Promise.all([
    read(ctx, label('DescribeSecurityGroups'), () => collectPages(paginateDescribeSecurityGroups({ client }, {}), (p) => p.SecurityGroups)),
    read(ctx, label('DescribeInstances'), async () =>
      (await collectPages(paginateDescribeInstances({ client }, {}), (p) => p.Reservations)).flatMap((r) => r.Instances ?? []),
    ),
    read(ctx, label('DescribeVpcs'), () => collectPages(paginateDescribeVpcs({ client }, {}), (p) => p.Vpcs)),
    read(ctx, label('DescribeSubnets'), () => collectPages(paginateDescribeSubnets({ client }, {}), (p) => p.Subnets)),
    read(ctx, label('DescribeRouteTables'), () => collectPages(paginateDescribeRouteTables({ client }, {}), (p) => p.RouteTables)),
    read(ctx, label('DescribeNetworkInterfaces'), () => collectPages(paginateDescribeNetworkInterfaces({ client }, {}), (p) => p.NetworkInterfaces)),
    read(ctx, label('DescribeInternetGateways'), () => collectPages(paginateDescribeInternetGateways({ client }, {}), (p) => p.InternetGateways)),
    read(ctx, label('DescribeNatGateways'), () => collectPages(paginateDescribeNatGateways({ client }, {}), (p) => p.NatGateways)),
    // DescribeAddresses is not paginated: one call answers every address of the region.
    read(ctx, label('DescribeAddresses'), async () => (await client.send(new DescribeAddressesCommand({}))).Addresses ?? []),
    read(ctx, label('DescribeNetworkAcls'), () => collectPages(paginateDescribeNetworkAcls({ client }, {}), (p) => p.NetworkAcls)),
    read(ctx, label('DescribeFlowLogs'), () => collectPages(paginateDescribeFlowLogs({ client }, {}), (p) => p.FlowLogs)),
    read(ctx, label('DescribeVolumes'), () => collectPages(paginateDescribeVolumes({ client }, {}), (p) => p.Volumes)),
    read(ctx, label('GetEbsEncryptionByDefault'), async () => (await client.send(new GetEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault === true),
    read(ctx, label('DescribeVpcEndpoints'), () => collectPages(paginateDescribeVpcEndpoints({ client }, {}), (p) => p.VpcEndpoints)),
    // DescribeKeyPairs is not paginated; without IncludePublicKey it returns no key material.
    read(ctx, label('DescribeKeyPairs'), async () => (await client.send(new DescribeKeyPairsCommand({}))).KeyPairs ?? []),
    read(ctx, label('DescribeLaunchTemplates'), () => collectPages(paginateDescribeLaunchTemplates({ client }, {}), (p) => p.LaunchTemplates)),
  ]);
  const arn = (kind: string, id: string | undefined) => `arn:${ctx.partition}:ec2:${region}::${kind}/${id}`;
  const [listedSnapshots, listedImages, instanceMetadataDefaults] = await Promise.all([
    // Only this account's own: without OwnerIds AWS also lists every public snapshot in the region.
    read(ctx, label('DescribeSnapshots'), () => collectPages(paginateDescribeSnapshots({ client }, { OwnerIds: ['self'] }), (p) => p.Snapshots)),
    // DescribeImages with Owners answers in one page.
    read(ctx, label('DescribeImages'), async () => (await client.send(new DescribeImagesCommand({ Owners: ['self'] }))).Images ?? []),
    read(ctx, label('GetInstanceMetadataDefaults'), async () => (await client.send(new GetInstanceMetadataDefaultsCommand({}))).AccountLevel ?? {}),
  ]);
  // Per template, one call for its latest and default versions (one version when they are the same).
  const launchTemplates = listedTemplates.error
    ? listedTemplates
    : await mapBounded(listedTemplates.value, ctx.session.concurrency, async (template): Promise<Ec2LaunchTemplate> => ({
        template,
        versions: await read(ctx, label('DescribeLaunchTemplateVersions', `arn:${ctx.partition}:ec2:${region}:${ctx.accountId}:launch-template/${template.LaunchTemplateId}`), async () =>
          ((await client.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: template.LaunchTemplateId, Versions: ['$Latest', '$Default'] }))).LaunchTemplateVersions ?? []).map(concealUserData),
        ),
      })).then((value) => ({ value }));
  const [snapshots, images] = await Promise.all([
    listedSnapshots.error
      ? listedSnapshots
      : mapBounded(listedSnapshots.value, ctx.session.concurrency, async (snapshot): Promise<Ec2Snapshot> => ({
          snapshot,
          createVolumePermissions: await read(ctx, label('DescribeSnapshotAttribute', arn('snapshot', snapshot.SnapshotId)), async () =>
            (await client.send(new DescribeSnapshotAttributeCommand({ SnapshotId: snapshot.SnapshotId, Attribute: 'createVolumePermission' }))).CreateVolumePermissions ?? [],
          ),
        })).then((value) => ({ value })),
    listedImages.error
      ? listedImages
      : mapBounded(listedImages.value, ctx.session.concurrency, async (image): Promise<Ec2Image> => ({
          image,
          launchPermissions: await read(ctx, label('DescribeImageAttribute', arn('image', image.ImageId)), async () =>
            (await client.send(new DescribeImageAttributeCommand({ ImageId: image.ImageId, Attribute: 'launchPermission' }))).LaunchPermissions ?? [],
          ),
        })).then((value) => ({ value })),
  ]);
  ctx.progress?.({ service: 'ec2', region, done: true });
  return { securityGroups, instances, vpcs, subnets, routeTables, networkInterfaces, internetGateways, natGateways, addresses, networkAcls, flowLogs, volumes, ebsEncryptionByDefault, snapshots, images, vpcEndpoints, keyPairs, launchTemplates, instanceMetadataDefaults };
}

/**
 * User data can hold secrets (a database URL, a token): it is replaced with the marker where it is
 * read, with a keyed digest attached (redact/secret-digest.ts), so drift can tell two values apart
 * without either being held.
 */
function concealUserData(version: LaunchTemplateVersion): Ec2LaunchTemplateVersion {
  const data = version.LaunchTemplateData;
  if (data?.UserData === undefined) return { version, userData: concealMap({}) };
  return { version: { ...version, LaunchTemplateData: { ...data, UserData: SENSITIVE_MARKER } }, userData: concealMap({ user_data: data.UserData }) };
}
