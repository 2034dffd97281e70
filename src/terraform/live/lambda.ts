/**
 * Lambda functions, their permissions (statements of the function's resource policy) and their
 * function URLs. Compared on `aws_lambda_function`: what a person sets and Lambda keeps (role,
 * runtime, handler, description, timeout, memory, architectures, KMS key, tracing, tags) and the
 * environment variables by value, without any value being held: both sides are concealed where
 * they are read, with keyed digests in memory (redact/secret-digest.ts), and a diff names the
 * variables that differ, nothing more. Not compared: the code (ListFunctions returns only its
 * hash, which the state's `source_code_hash` need not match). The VPC's subnets and security
 * groups are compared as sets, layers as the ordered list Lambda applies.
 * Import ids as the provider documents them: the function name; `function name/statement id`;
 * the function name (`name/qualifier` for an alias's URL).
 */
import type { LambdaFunction, LambdaFunctionUrl } from '../../inventory/snapshot.js';
import { parsePolicy, type PolicyStatement } from '../../policy/parse.js';
import { lookupRegional, readValue, stringAttr, unreadParts, type LiveInventory, type Regional, type RegionalIndex } from './inventory.js';
import { memo } from './memo.js';
import type { LiveLookup, LiveObject, LiveTypeSpec } from './types.js';

/** Functions by ARN (unqualified). */
const functions = memo((live): RegionalIndex<LambdaFunction> => {
  const items = new Map<string, Regional<LambdaFunction>>();
  const errors: string[] = live.snapshot.lambda ? [] : ['ListFunctions was not collected'];
  for (const [region, part] of Object.entries(live.snapshot.lambda ?? {})) {
    if (part.functions.error) errors.push(`${region}: ${part.functions.error.code}`);
    for (const fn of part.functions.value ?? []) items.set(fn.arn, { region, value: fn });
  }
  return { items, errors, operation: 'ListFunctions' };
});

/**
 * The function a state names by ARN (qualified or not) or by name: a name alone is looked up in
 * the first region read that has it (the provider's region is not in states before v6).
 */
function functionArnOf(reference: string | undefined, region: string | undefined, live: LiveInventory): string | undefined {
  if (!reference) return undefined;
  if (reference.startsWith('arn:')) return reference.split(':').slice(0, 7).join(':');
  const name = reference.split(':')[0]!;
  const regions = region ? [region] : live.regions;
  const arns = regions.map((r) => `arn:${live.partition}:lambda:${r}:${live.accountId}:function:${name}`);
  return arns.find((arn) => functions(live).items.has(arn)) ?? arns[0];
}

function findFunction(reference: string | undefined, attributes: Record<string, unknown>, live: LiveInventory): { item: Regional<LambdaFunction> } | Exclude<LiveLookup, { found: LiveObject }> {
  const region = stringAttr(attributes, 'region');
  if (region && !live.regions.includes(region)) return { unknown: `region ${region} was not read` };
  const arn = functionArnOf(reference, region, live);
  return lookupRegional(functions(live), arn, live, arn);
}

const orDefault = (name: string, fallback: unknown) => (a: Record<string, unknown>) => (a[name] === undefined || a[name] === null || a[name] === '' ? fallback : a[name]);
const firstBlock = (value: unknown): Record<string, unknown> => {
  const first = Array.isArray(value) ? value[0] : value;
  return first !== null && typeof first === 'object' && !Array.isArray(first) ? (first as Record<string, unknown>) : {};
};

// ---------------------------------------------------------------- aws_lambda_function

const lambdaFunction: LiveTypeSpec = {
  type: 'aws_lambda_function',
  importIdFormat: 'function name',
  compared: [
    { path: 'role', kind: 'value' },
    { path: 'runtime', kind: 'value', normalize: orDefault('runtime', '') },
    { path: 'handler', kind: 'value', normalize: orDefault('handler', '') },
    { path: 'description', kind: 'value', normalize: orDefault('description', '') },
    { path: 'timeout', kind: 'value', normalize: orDefault('timeout', 3) },
    { path: 'memory_size', kind: 'value', normalize: orDefault('memory_size', 128) },
    { path: 'architectures', kind: 'value', normalize: orDefault('architectures', ['x86_64']) },
    { path: 'package_type', kind: 'value', normalize: orDefault('package_type', 'Zip') },
    { path: 'kms_key_arn', kind: 'value', normalize: orDefault('kms_key_arn', '') },
    { path: 'tracing_config.0.mode', kind: 'value', normalize: (a) => firstBlock(a.tracing_config).mode ?? 'PassThrough' },
    // No environment block and an empty one are the same function.
    { path: 'environment.0.variables', kind: 'secret-map', normalize: (a) => firstBlock(a.environment).variables ?? {} },
    // No vpc_config block and one with empty lists are the same function (out of any VPC).
    { path: 'vpc_config.0.subnet_ids', kind: 'set', normalize: (a) => strings(firstBlock(a.vpc_config).subnet_ids) ?? [] },
    { path: 'vpc_config.0.security_group_ids', kind: 'set', normalize: (a) => strings(firstBlock(a.vpc_config).security_group_ids) ?? [] },
    // Lambda applies layers in order: a list, not a set.
    { path: 'layers', kind: 'value', normalize: (a) => strings(a.layers) ?? [] },
    { path: 'tags', kind: 'tags' },
  ],
  resourceIdOf: (attributes, live) => stringAttr(attributes, 'arn') ?? functionArnOf(stringAttr(attributes, 'function_name'), stringAttr(attributes, 'region'), live) ?? '',
  lookup(attributes, live) {
    const found = findFunction(stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'function_name') ?? stringAttr(attributes, 'id'), attributes, live);
    return 'item' in found ? { found: toFunctionObject(found.item) } : found;
  },
  // Permissions and URLs enumerate themselves: a managed function's are unmanaged on their own.
  enumerate: (live) => [...functions(live).items.values()].map(toFunctionObject),
};

function toFunctionObject({ region, value: fn }: Regional<LambdaFunction>): LiveObject {
  return {
    type: 'aws_lambda_function',
    importId: fn.name,
    resourceId: fn.arn,
    region,
    name: fn.name,
    attributes: {
      role: fn.role,
      runtime: fn.runtime ?? '',
      handler: fn.handler ?? '',
      description: fn.description ?? '',
      timeout: fn.timeout,
      memory_size: fn.memorySize,
      architectures: fn.architectures,
      package_type: fn.packageType,
      kms_key_arn: fn.kmsKeyArn ?? '',
      'tracing_config.0.mode': fn.tracingMode ?? 'PassThrough',
      // The concealed variables (markers, with their digests in memory).
      'environment.0.variables': fn.environment?.variables ?? {},
      // Undefined (not compared) in snapshots written before these were kept.
      'vpc_config.0.subnet_ids': fn.vpcConfig === undefined ? undefined : (fn.vpcConfig?.subnetIds ?? []),
      'vpc_config.0.security_group_ids': fn.vpcConfig === undefined ? undefined : (fn.vpcConfig?.securityGroupIds ?? []),
      layers: fn.layers,
      tags: readValue(fn.tags),
    },
    ...unreadParts([fn.tags, 'ListTags', ['tags']]),
    stub: { function_name: fn.name, role: fn.role ?? '' },
  };
}

// ---------------------------------------------------------------- aws_lambda_permission

/** A condition value by key, whatever the key's case (`AWS:SourceArn`, `aws:SourceArn`). */
function conditionValue(s: PolicyStatement, key: string): string {
  for (const keys of Object.values(s.condition)) {
    for (const [k, values] of Object.entries(keys)) if (k.toLowerCase() === key.toLowerCase() && values.length) return values[0]!;
  }
  return '';
}

/** `arn:aws:iam::123456789012:root` and `123456789012` name the same account: the provider keeps what was given. */
const principalOf = (value: unknown): unknown => (typeof value === 'string' ? (/^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(value)?.[1] ?? value) : value);

function statementPrincipal(s: PolicyStatement): string {
  if (s.principal === '*' || s.principal === undefined) return '*';
  const values = [...(s.principal.Service ?? []), ...(s.principal.AWS ?? [])];
  return values[0] ?? '';
}

function toPermissionObject({ region, value: fn }: Regional<LambdaFunction>, s: PolicyStatement): LiveObject {
  const sid = s.sid ?? '';
  const principal = statementPrincipal(s);
  return {
    type: 'aws_lambda_permission',
    importId: `${fn.name}/${sid}`,
    resourceId: `${fn.arn}/${sid}`,
    region,
    name: `${fn.name}/${sid}`,
    attributes: {
      action: s.action?.[0] ?? '',
      principal: principalOf(principal),
      source_arn: conditionValue(s, 'AWS:SourceArn'),
      source_account: conditionValue(s, 'AWS:SourceAccount'),
      principal_org_id: conditionValue(s, 'aws:PrincipalOrgID'),
      function_url_auth_type: conditionValue(s, 'lambda:FunctionUrlAuthType'),
    },
    stub: { statement_id: sid, action: s.action?.[0] ?? '', function_name: fn.name, principal },
    parent: { type: 'aws_lambda_function', importId: fn.name, reference: { argument: 'function_name', attribute: 'function_name' } },
  };
}

function statementsOf(fn: LambdaFunction): PolicyStatement[] | undefined {
  const policy = readValue(fn.policy);
  if (policy === undefined) return undefined;
  if (policy === null) return [];
  const parsed = parsePolicy(policy);
  return parsed.ok ? parsed.document.statements : [];
}

function permissionObjects(f: Regional<LambdaFunction>): LiveObject[] {
  return (statementsOf(f.value) ?? []).filter((s) => s.sid).map((s) => toPermissionObject(f, s));
}

const blank = (name: string) => (a: Record<string, unknown>) => (typeof a[name] === 'string' ? a[name] : '');

const permission: LiveTypeSpec = {
  type: 'aws_lambda_permission',
  importIdFormat: 'function name/statement id',
  compared: [
    { path: 'action', kind: 'value' },
    { path: 'principal', kind: 'value', normalize: (a) => principalOf(a.principal) },
    { path: 'source_arn', kind: 'value', normalize: blank('source_arn') },
    { path: 'source_account', kind: 'value', normalize: blank('source_account') },
    { path: 'principal_org_id', kind: 'value', normalize: blank('principal_org_id') },
    { path: 'function_url_auth_type', kind: 'value', normalize: blank('function_url_auth_type') },
  ],
  resourceIdOf: (attributes, live) => `${functionArnOf(stringAttr(attributes, 'function_name'), stringAttr(attributes, 'region'), live) ?? ''}/${stringAttr(attributes, 'statement_id') ?? ''}`,
  lookup(attributes, live) {
    const found = findFunction(stringAttr(attributes, 'function_name'), attributes, live);
    if (!('item' in found)) return found;
    const statements = statementsOf(found.item.value);
    const policy = found.item.value.policy;
    if (statements === undefined) return { unknown: policy.error ? `${policy.error.code}: ${policy.error.message}` : 'GetPolicy was not read' };
    const sid = stringAttr(attributes, 'statement_id') ?? stringAttr(attributes, 'id');
    const statement = statements.find((s) => s.sid === sid);
    return statement ? { found: toPermissionObject(found.item, statement) } : { gone: true };
  },
  enumerate: (live) => [...functions(live).items.values()].flatMap(permissionObjects),
};

// ---------------------------------------------------------------- aws_lambda_function_url

function toUrlObject({ region, value: fn }: Regional<LambdaFunction>, u: LambdaFunctionUrl): LiveObject {
  const importId = u.qualifier ? `${fn.name}/${u.qualifier}` : fn.name;
  return {
    type: 'aws_lambda_function_url',
    importId,
    resourceId: u.url || `${fn.arn}${u.qualifier ? `:${u.qualifier}` : ''}`,
    region,
    name: importId,
    attributes: {
      authorization_type: u.authType,
      invoke_mode: u.invokeMode ?? 'BUFFERED',
      cors: u.cors ? corsOf(u.cors) : null,
    },
    stub: { function_name: fn.name, authorization_type: u.authType, ...(u.qualifier ? { qualifier: u.qualifier } : {}) },
    parent: { type: 'aws_lambda_function', importId: fn.name, reference: { argument: 'function_name', attribute: 'function_name' } },
  };
}

type Cors = NonNullable<LambdaFunctionUrl['cors']>;
/** CORS as one comparable value: lists as sets (sorted), absent as empty, as the provider reads it. */
function corsOf(c: Cors): Record<string, unknown> {
  const sorted = (v: string[] | undefined) => [...(v ?? [])].sort();
  return {
    allow_credentials: c.allowCredentials ?? false,
    allow_headers: sorted(c.allowHeaders),
    allow_methods: sorted(c.allowMethods),
    allow_origins: sorted(c.allowOrigins),
    expose_headers: sorted(c.exposeHeaders),
    max_age: c.maxAge ?? 0,
  };
}

function urlObjects(f: Regional<LambdaFunction>): LiveObject[] {
  return (readValue(f.value.urls) ?? []).map((u) => toUrlObject(f, u));
}

const strings = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined);

const functionUrl: LiveTypeSpec = {
  type: 'aws_lambda_function_url',
  importIdFormat: 'function name (function name/qualifier for an alias)',
  compared: [
    { path: 'authorization_type', kind: 'value' },
    { path: 'invoke_mode', kind: 'value', normalize: orDefault('invoke_mode', 'BUFFERED') },
    {
      path: 'cors',
      kind: 'value',
      normalize: (a) => {
        if (!Array.isArray(a.cors) || a.cors.length === 0) return null;
        const c = firstBlock(a.cors);
        return corsOf({
          allowCredentials: c.allow_credentials === true,
          allowHeaders: strings(c.allow_headers),
          allowMethods: strings(c.allow_methods),
          allowOrigins: strings(c.allow_origins),
          exposeHeaders: strings(c.expose_headers),
          maxAge: typeof c.max_age === 'number' ? c.max_age : 0,
        });
      },
    },
  ],
  resourceIdOf: (attributes, live) => stringAttr(attributes, 'function_url') ?? functionArnOf(stringAttr(attributes, 'function_name'), stringAttr(attributes, 'region'), live) ?? '',
  lookup(attributes, live) {
    const found = findFunction(stringAttr(attributes, 'function_name'), attributes, live);
    if (!('item' in found)) return found;
    const urls = found.item.value.urls;
    if (urls.error) return { unknown: `${urls.error.code}: ${urls.error.message}` };
    const qualifier = stringAttr(attributes, 'qualifier');
    const url = urls.value.find((u) => (u.qualifier ?? '') === (qualifier ?? ''));
    return url ? { found: toUrlObject(found.item, url) } : { gone: true };
  },
  enumerate: (live) => [...functions(live).items.values()].flatMap(urlObjects),
};

export const LAMBDA_TYPES: readonly LiveTypeSpec[] = [lambdaFunction, permission, functionUrl];
