/**
 * EC2 over the EC2 Query protocol (Describe* of the kinds in ec2-resources.ts, DescribeRegions, GetEbsEncryptionByDefault): form POSTs with Action and Version=2016-11-15, answers
 * in lowerCamelCase XML with <item> lists, errors in <Response><Errors><Error>.
 *
 * A request for a region the account file does not list answers AuthFailure (401), as AWS
 * does for an opt-in region the account has not enabled: the credentials are not valid there.
 */
import { ec2Error, ec2Response, invalidAction, listParam, missingAction, queryAction, queryParams, structListParam } from '../protocol/query.js';
import type { XmlValue } from '../protocol/xml.js';
import { AwsError, type AwsErrorSpec, type ServiceContext, type ServiceModule } from '../types.js';
import {
  addresses,
  ebsSnapshots,
  ec2Arn,
  images,
  keyPairs,
  launchTemplates,
  renderLaunchTemplateVersion,
  vpcEndpoints,
  defaultVersionNumber,
  latestVersionNumber,
  type LaunchTemplate,
  flowLogs,
  networkAcls,
  volumes,
  instances,
  internetGateways,
  natGateways,
  networkInterfaces,
  routeTables,
  securityGroups,
  subnets,
  vpcs,
  type Ec2Collection,
  type Ec2Scope,
} from './ec2-resources.js';
import { decodePageToken, encodePageToken, pageBinding, pageOf, regionResources, wildcardMatcher } from './regional.js';
import { sdkOperations } from './sdk-operations.js';

type Describe = (params: URLSearchParams, scope: Ec2Scope) => Record<string, XmlValue>;
const describer = <T>(c: Ec2Collection<T>): [string, Describe] => [c.operation, (params, scope) => describe(c, params, scope)];
const DESCRIBE: ReadonlyMap<string, Describe> = new Map([
  describer(vpcs),
  describer(subnets),
  describer(routeTables),
  describer(securityGroups),
  describer(instances),
  describer(networkInterfaces),
  describer(internetGateways),
  describer(natGateways),
  describer(addresses),
  describer(networkAcls),
  describer(flowLogs),
  describer(volumes),
  describer(ebsSnapshots),
  describer(images),
  describer(vpcEndpoints),
  describer(keyPairs),
  describer(launchTemplates),
]);

/** Regions of the aws partition; `false` marks those that need opting in. */
const AWS_REGIONS: Readonly<Record<string, boolean>> = {
  'us-east-1': true, 'us-east-2': true, 'us-west-1': true, 'us-west-2': true,
  'ca-central-1': true, 'ca-west-1': false, 'mx-central-1': false, 'sa-east-1': true,
  'eu-west-1': true, 'eu-west-2': true, 'eu-west-3': true, 'eu-central-1': true, 'eu-central-2': false,
  'eu-north-1': true, 'eu-south-1': false, 'eu-south-2': false,
  'ap-south-1': true, 'ap-south-2': false, 'ap-northeast-1': true, 'ap-northeast-2': true, 'ap-northeast-3': true,
  'ap-southeast-1': true, 'ap-southeast-2': true, 'ap-southeast-3': false, 'ap-southeast-4': false,
  'ap-southeast-5': false, 'ap-southeast-7': false, 'ap-east-1': false, 'ap-east-2': false,
  'me-south-1': false, 'me-central-1': false, 'il-central-1': false, 'af-south-1': false,
}; // prettier-ignore

const authFailure = (): AwsErrorSpec => ({ code: 'AuthFailure', message: 'AWS was not able to validate the provided access credentials', status: 401 });
const invalidParameterValue = (message: string): AwsErrorSpec => ({ code: 'InvalidParameterValue', message, status: 400 });

const ARN_TYPES: ReadonlyArray<[RegExp, string]> = [
  [/^sg-/, 'security-group'],
  [/^i-/, 'instance'],
  [/^vpc-/, 'vpc'],
  [/^subnet-/, 'subnet'],
  [/^rtb-/, 'route-table'],
  [/^eni-/, 'network-interface'],
  [/^igw-/, 'internet-gateway'],
  [/^nat-/, 'natgateway'],
  [/^eipalloc-/, 'elastic-ip'],
  [/^acl-/, 'network-acl'],
  [/^fl-/, 'vpc-flow-log'],
  [/^vol-/, 'volume'],
  [/^snap-/, 'snapshot'],
  [/^ami-/, 'image'],
  [/^vpce-/, 'vpc-endpoint'],
  [/^key-/, 'key-pair'],
  [/^lt-/, 'launch-template'],
];
const ID_PARAM = /^(GroupId|InstanceId|VpcId|SubnetId|RouteTableId|NetworkInterfaceId|InternetGatewayId|NatGatewayId|AllocationId|NetworkAclId|FlowLogId|VolumeId|SnapshotId|ImageId|VpcEndpointId|KeyPairId|LaunchTemplateId)(\.\d+)?$/;

/** Every id-like parameter (GroupId, InstanceId.3, ...) of a request, as the ARNs --deny matches. */
function requestedResources(params: URLSearchParams, scope: Ec2Scope): string[] {
  const arns: string[] = [];
  for (const [key, value] of params) {
    if (!ID_PARAM.test(key)) continue;
    const type = ARN_TYPES.find(([prefix]) => prefix.test(value))?.[1];
    if (type) arns.push(ec2Arn(scope, type, value));
  }
  return arns;
}

function scopeOf(ctx: ServiceContext): Ec2Scope {
  return { accountId: ctx.account.AccountId, region: ctx.region, ec2: regionResources(ctx)?.EC2 ?? {} };
}

interface Filter {
  name: string;
  values: string[];
}

/** Filter.N.Name / Filter.N.Value.M, every name known to the table; names AND, values OR. */
function parseFilters(params: URLSearchParams, table: Record<string, unknown>, tagged: boolean): Filter[] {
  return structListParam(params, 'Filter').map((f) => {
    const name = typeof f.Name === 'string' ? f.Name : '';
    const values = Array.isArray(f.Value) ? f.Value.filter((v): v is string => typeof v === 'string') : [];
    const known = Object.hasOwn(table, name) || (tagged && (name === 'tag-key' || name.startsWith('tag:')));
    if (!known) throw new AwsError(invalidParameterValue(`The filter '${name || 'null'}' is invalid`));
    return { name, values };
  });
}

function matchesFilters<T>(item: T, filters: readonly Filter[], collection: Ec2Collection<T>, scope: Ec2Scope) {
  return filters.every(({ name, values }) => {
    let offered: ReadonlyArray<string | number | boolean | undefined>;
    if (name === 'tag-key') offered = (collection.tags(item) ?? []).map((t) => t.Key);
    else if (name.startsWith('tag:')) offered = (collection.tags(item) ?? []).filter((t) => t.Key === name.slice(4)).map((t) => t.Value);
    else offered = collection.filters[name]!(item, scope);
    const present = offered.filter((v) => v !== undefined).map(String);
    return values.some((pattern) => present.some(wildcardMatcher(pattern)));
  });
}

function parseMaxResults(params: URLSearchParams, bounds: { min: number; max: number }): number | undefined {
  const raw = params.get('MaxResults');
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < bounds.min || n > bounds.max)
    throw new AwsError(invalidParameterValue(`Value ( ${raw} ) for parameter maxResults is invalid. Expecting a value between ${bounds.min} and ${bounds.max}.`));
  return n;
}

function describe<T>(collection: Ec2Collection<T>, params: URLSearchParams, scope: Ec2Scope): Record<string, XmlValue> {
  const ids = listParam(params, collection.idParam);
  const maxResults = parseMaxResults(params, collection.maxResults);
  if (ids.length > 0 && maxResults !== undefined && collection.idsExcludeMaxResults)
    throw new AwsError({
      code: 'InvalidParameterCombination',
      message: `The parameter ${collection.idsExcludeMaxResults} cannot be used with the parameter maxResults`,
      status: 400,
    });
  const malformed = ids.find((id) => !collection.idPattern.test(id));
  const owners = collection.ownerParam ? listParam(params, collection.ownerParam) : [];
  const ownOnly = owners.length === 0 || owners.some((o) => o === 'self' || o === scope.accountId);
  if (malformed !== undefined) throw new AwsError({ code: collection.malformedCode, message: `Invalid id: "${malformed}"`, status: 400 });

  const all = ownOnly ? collection.items(scope.ec2) : [];
  let selected: readonly T[] = all;
  if (ids.length > 0) {
    const missing = ids.filter((id) => !all.some((item) => collection.id(item) === id));
    if (missing.length === 1) throw new AwsError({ code: collection.notFoundCode, message: `The ${collection.idNoun} '${missing[0]}' does not exist`, status: 400 });
    if (missing.length > 1)
      throw new AwsError({ code: collection.notFoundCode, message: `The ${collection.idNoun}s '${missing.join(', ')}' do not exist`, status: 400 });
    selected = all.filter((item) => ids.includes(collection.id(item)));
  }
  if (collection.names) {
    const { param, of } = collection.names;
    const names = listParam(params, param);
    const missing = names.filter((n) => !all.some((item) => of(item) === n));
    if (missing.length > 0)
      throw new AwsError({
        code: collection.names.notFoundCode ?? collection.notFoundCode,
        message: collection.names.notFoundMessage ?? `The ${collection.idNoun} '${missing[0]}' does not exist`,
        status: 400,
      });
    if (names.length > 0) selected = selected.filter((item) => names.includes(of(item)));
  }

  const filters = parseFilters(params, collection.filters, true);
  const matched = selected.filter((item) => matchesFilters(item, filters, collection, scope));

  const binding = pageBinding(collection.operation, params, ['NextToken', 'MaxResults']);
  const token = params.get('NextToken');
  let offset = 0;
  if (token !== null && token !== '') {
    const decoded = decodePageToken(token, binding);
    if (decoded === undefined) throw new AwsError({ code: 'InvalidPaginationToken', message: `Invalid pagination token: ${token}`, status: 400 });
    offset = decoded;
  }
  const { page, next } = pageOf(matched, offset, maxResults ?? matched.length);
  return {
    [collection.resultElement]: page.map((item) => collection.render(item, scope)),
    nextToken: next === undefined ? undefined : encodePageToken(next, binding),
  };
}

function describeRegions(params: URLSearchParams, ctx: ServiceContext): Record<string, XmlValue> {
  const enabled = Object.keys(ctx.account.Regions);
  const allRegions = params.get('AllRegions') === 'true';
  const optInStatus = (r: string) => (enabled.includes(r) ? (AWS_REGIONS[r] === false ? 'opted-in' : 'opt-in-not-required') : 'not-opted-in');
  let regions = allRegions ? [...new Set([...enabled, ...Object.keys(AWS_REGIONS)])] : enabled;

  const names = listParam(params, 'RegionName');
  const unknown = names.filter((n) => !enabled.includes(n) && !Object.hasOwn(AWS_REGIONS, n));
  if (unknown.length > 0) throw new AwsError(invalidParameterValue(`Invalid region: ${unknown.join(', ')}`));
  if (names.length > 0) regions = names;

  const table = {
    'region-name': (r: string) => [r],
    endpoint: (r: string) => [`ec2.${r}.amazonaws.com`],
    'opt-in-status': (r: string) => [optInStatus(r)],
  };
  const filters = parseFilters(params, table, false);
  const selected = regions.filter((r) =>
    filters.every(({ name, values }) => values.some((v) => table[name as keyof typeof table](r).some(wildcardMatcher(v)))),
  );
  return { regionInfo: selected.map((r) => ({ regionName: r, regionEndpoint: `ec2.${r}.amazonaws.com`, optInStatus: optInStatus(r) })) };
}

function requiredParam(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (!value) throw new AwsError({ code: 'MissingParameter', message: `The request must contain the parameter ${name}`, status: 400 });
  return value;
}

/**
 * The versions of one launch template (by LaunchTemplateId or LaunchTemplateName), or with neither
 * the $Latest and/or $Default version of every template. Versions are numbers, `$Latest` or
 * `$Default`; MinVersion/MaxVersion bound the numbers; pages by MaxResults (1-200).
 */
function describeLaunchTemplateVersions(params: URLSearchParams, scope: Ec2Scope): Record<string, XmlValue> {
  const id = params.get('LaunchTemplateId');
  const name = params.get('LaunchTemplateName');
  const wanted = listParam(params, 'LaunchTemplateVersion');
  const all = scope.ec2.LaunchTemplates ?? [];
  if (id && name) throw new AwsError({ code: 'InvalidParameterCombination', message: 'Only one of LaunchTemplateId or LaunchTemplateName may be specified.', status: 400 });
  let templates: LaunchTemplate[];
  if (id) {
    if (!launchTemplates.idPattern.test(id)) throw new AwsError({ code: 'InvalidLaunchTemplateId.Malformed', message: `The specified ID for the launch template (${id}) is not valid.`, status: 400 });
    const t = all.find((x) => x.LaunchTemplateId === id);
    if (!t) throw new AwsError({ code: 'InvalidLaunchTemplateId.NotFound', message: `The specified launch template, with template ID ${id}, does not exist.`, status: 400 });
    templates = [t];
  } else if (name) {
    const t = all.find((x) => x.LaunchTemplateName === name);
    if (!t) throw new AwsError({ code: 'InvalidLaunchTemplateName.NotFoundException', message: `The specified launch template, with template name ${name}, does not exist.`, status: 400 });
    templates = [t];
  } else {
    if (wanted.length === 0 || wanted.some((v) => v !== '$Latest' && v !== '$Default'))
      throw new AwsError({ code: 'MissingParameter', message: 'The request must contain the parameter LaunchTemplateId or LaunchTemplateName', status: 400 });
    templates = all;
  }
  const bound = (key: string) => {
    const raw = params.get(key);
    if (raw === null) return undefined;
    if (!/^\d+$/.test(raw)) throw new AwsError(invalidParameterValue(`Value (${raw}) for parameter ${key} is invalid.`));
    return Number(raw);
  };
  const [min, max] = [bound('MinVersion'), bound('MaxVersion')];
  const selected = templates.flatMap((t) => {
    let versions = t.Versions;
    if (wanted.length > 0) {
      const numbers = wanted.map((v) => (v === '$Latest' ? latestVersionNumber(t) : v === '$Default' ? defaultVersionNumber(t) : Number(v)));
      const unknown = wanted.find((v, i) => !Number.isInteger(numbers[i]) || !t.Versions.some((x) => x.VersionNumber === numbers[i]));
      if (unknown !== undefined)
        throw new AwsError({ code: 'InvalidLaunchTemplateId.VersionNotFound', message: `Could not find launch template version ${unknown} for launch template ID ${t.LaunchTemplateId}.`, status: 400 });
      versions = versions.filter((v) => numbers.includes(v.VersionNumber));
    }
    return [...versions]
      .filter((v) => (min === undefined || v.VersionNumber >= min) && (max === undefined || v.VersionNumber <= max))
      .sort((a, b) => a.VersionNumber - b.VersionNumber)
      .map((v) => ({ t, v }));
  });
  const maxResults = parseMaxResults(params, { min: 1, max: 200 });
  const binding = pageBinding('DescribeLaunchTemplateVersions', params, ['NextToken', 'MaxResults']);
  const token = params.get('NextToken');
  let offset = 0;
  if (token !== null && token !== '') {
    const decoded = decodePageToken(token, binding);
    if (decoded === undefined) throw new AwsError({ code: 'InvalidPaginationToken', message: `Invalid pagination token: ${token}`, status: 400 });
    offset = decoded;
  }
  const { page, next } = pageOf(selected, offset, maxResults ?? selected.length);
  return {
    launchTemplateVersionSet: page.map(({ t, v }) => renderLaunchTemplateVersion(t, v, scope)),
    nextToken: next === undefined ? undefined : encodePageToken(next, binding),
  };
}

/** Who may create volumes from a snapshot: {group: all} is public, {userId} one account. */
function describeSnapshotAttribute(params: URLSearchParams, scope: Ec2Scope): Record<string, XmlValue> {
  const attribute = requiredParam(params, 'Attribute');
  const id = requiredParam(params, 'SnapshotId');
  if (!/^snap-[0-9a-f]{8,17}$/.test(id)) throw new AwsError({ code: 'InvalidSnapshotID.Malformed', message: `Invalid id: "${id}"`, status: 400 });
  const snapshot = (scope.ec2.Snapshots ?? []).find((s) => s.SnapshotId === id);
  if (!snapshot) throw new AwsError({ code: 'InvalidSnapshot.NotFound', message: `The snapshot '${id}' does not exist.`, status: 400 });
  if (attribute === 'createVolumePermission')
    return { snapshotId: id, createVolumePermission: (snapshot.CreateVolumePermissions ?? []).map((p) => ({ group: p.Group, userId: p.UserId })) };
  if (attribute === 'productCodes') return { snapshotId: id, productCodes: [] };
  throw new AwsError(invalidParameterValue(`Value (${attribute}) for parameter attribute is invalid. Unknown attribute.`));
}

/** Who may launch an AMI: {group: all} is public; a userId, organizationArn or organizationalUnitArn shares it. */
function describeImageAttribute(params: URLSearchParams, scope: Ec2Scope): Record<string, XmlValue> {
  const attribute = requiredParam(params, 'Attribute');
  const id = requiredParam(params, 'ImageId');
  if (!/^ami-[0-9a-f]{8,17}$/.test(id)) throw new AwsError({ code: 'InvalidAMIID.Malformed', message: `Invalid id: "${id}" (expecting "ami-...")`, status: 400 });
  const image = (scope.ec2.Images ?? []).find((i) => i.ImageId === id);
  if (!image) throw new AwsError({ code: 'InvalidAMIID.NotFound', message: `The image id '[${id}]' does not exist`, status: 400 });
  if (attribute === 'launchPermission')
    return {
      imageId: id,
      launchPermission: (image.LaunchPermissions ?? []).map((p) => ({ group: p.Group, userId: p.UserId, organizationArn: p.OrganizationArn, organizationalUnitArn: p.OrganizationalUnitArn })),
    };
  if (attribute === 'description') return { imageId: id, description: { value: image.Description ?? '' } };
  throw new AwsError(invalidParameterValue(`Value (${attribute}) for parameter attribute is invalid. Unknown attribute.`));
}

export const ec2Module: ServiceModule = {
  name: 'ec2',
  protocol: 'EC2 Query (XML)',
  readOperations: new Set(['DescribeRegions', 'GetEbsEncryptionByDefault', 'GetInstanceMetadataDefaults', 'DescribeSnapshotAttribute', 'DescribeImageAttribute', 'DescribeLaunchTemplateVersions', ...DESCRIBE.keys()]),
  matches: (req) => req.signingService === 'ec2',
  identify(req, ctx) {
    const params = queryParams(req);
    const action = queryAction(params);
    if (!action) throw new AwsError(missingAction());
    return { operation: action, resources: requestedResources(params, scopeOf(ctx)) };
  },
  serve(req, operation, ctx) {
    if (!regionResources(ctx)) throw new AwsError(authFailure());
    const params = queryParams(req);
    if (params.get('DryRun') === 'true')
      throw new AwsError({ code: 'DryRunOperation', message: 'Request would have succeeded, but DryRun flag is set.', status: 412 });
    if (operation === 'DescribeRegions') return ec2Response(operation, describeRegions(params, ctx), req.requestId);
    if (operation === 'DescribeSnapshotAttribute') return ec2Response(operation, describeSnapshotAttribute(params, scopeOf(ctx)), req.requestId);
    if (operation === 'DescribeLaunchTemplateVersions') return ec2Response(operation, describeLaunchTemplateVersions(params, scopeOf(ctx)), req.requestId);
    if (operation === 'DescribeImageAttribute') return ec2Response(operation, describeImageAttribute(params, scopeOf(ctx)), req.requestId);
    // Per region, off until someone turns it on (as in a new account).
    if (operation === 'GetEbsEncryptionByDefault')
      return ec2Response(operation, { ebsEncryptionByDefault: regionResources(ctx)?.EC2?.EbsEncryptionByDefault ?? false, sseType: 'sse-ebs' }, req.requestId);
    // Per region; an option with no account-level preference is left out (an empty accountLevel in a new account).
    if (operation === 'GetInstanceMetadataDefaults') {
      const d = regionResources(ctx)?.EC2?.InstanceMetadataDefaults ?? {};
      const accountLevel: Record<string, XmlValue> = {};
      if (d.HttpTokens) accountLevel.httpTokens = d.HttpTokens;
      if (d.HttpPutResponseHopLimit !== undefined) accountLevel.httpPutResponseHopLimit = d.HttpPutResponseHopLimit;
      if (d.HttpEndpoint) accountLevel.httpEndpoint = d.HttpEndpoint;
      if (d.InstanceMetadataTags) accountLevel.instanceMetadataTags = d.InstanceMetadataTags;
      if (Object.keys(accountLevel).length) accountLevel.managedBy = 'account';
      return ec2Response(operation, { accountLevel }, req.requestId);
    }
    return ec2Response(operation, DESCRIBE.get(operation)!(params, scopeOf(ctx)), req.requestId);
  },
  renderError: (req, error) => ec2Error(error, req.requestId),
  accessDenied: (_operation, _resource, ctx) =>
    regionResources(ctx) ? { code: 'UnauthorizedOperation', message: 'You are not authorized to perform this operation.', status: 403 } : authFailure(),
  throttled: () => ({ code: 'RequestLimitExceeded', message: 'Request limit exceeded.', status: 503, type: 'Receiver' }),
  isKnownOperation: async (operation) => (await sdkOperations('@aws-sdk/client-ec2')).has(operation),
  unknownOperation: invalidAction,
};
