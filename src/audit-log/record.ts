/**
 * Audit records as OCSF 1.3 API Activity events (class_uid 6003, category 6 "Application
 * Activity"). One shape for every record kind, so a SIEM needs one parser: MCP requests
 * (tools/call, prompts/get, resources/read), the AWS API calls made on their behalf, and
 * HTTP requests refused before MCP. Fields OCSF has no place for live under `unmapped`.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Caller } from '../server/tool.js';
import { builtInCanonicalOrder, inCanonicalOrder, inSortedKeyOrder, sha256Hex, type ChainFields } from './chain.js';

export { sha256Hex } from './chain.js';

export const OCSF_SCHEMA_VERSION = '1.3.0';
export const PRODUCT = { name: 'infra-audit-mcp', vendor_name: 'infra-audit-mcp' } as const;

export type Outcome = 'success' | 'error' | 'denied';
export type RecordType = 'mcp.tools/call' | 'mcp.prompts/get' | 'mcp.resources/read' | 'aws.api_call' | 'http.refused';

/** OCSF API Activity activity_id. */
const ACTIVITY = { 1: 'Create', 2: 'Read', 3: 'Update', 4: 'Delete', 99: 'Other' } as const;
type ActivityId = keyof typeof ACTIVITY;
const SEVERITY = { 1: 'Informational', 2: 'Low', 3: 'Medium', 4: 'High' } as const;
type SeverityId = keyof typeof SEVERITY;

export interface OcsfResource {
  type: string;
  name?: string;
  uid?: string;
  region?: string;
}

export interface AuditRecord {
  class_uid: 6003;
  class_name: 'API Activity';
  category_uid: 6;
  category_name: 'Application Activity';
  activity_id: ActivityId;
  activity_name: string;
  type_uid: number;
  type_name: string;
  time: number;
  start_time: number;
  end_time: number;
  duration: number;
  severity_id: SeverityId;
  severity: string;
  status_id: 1 | 2;
  status: 'Success' | 'Failure';
  status_code?: string;
  status_detail?: string;
  message: string;
  actor: {
    user: { name: string; uid: string };
    session?: { uid: string };
    app_name?: string;
  };
  api: {
    operation: string;
    group?: { name: string };
    service: { name: string };
    request?: { uid: string };
    response?: { code?: number; error?: string; error_message?: string };
  };
  src_endpoint: { ip?: string; hostname?: string; svc_name: string };
  cloud: { provider: 'AWS'; region?: string; account?: { uid: string } };
  resources?: OcsfResource[];
  metadata: {
    uid: string;
    correlation_uid?: string;
    version: string;
    log_name: string;
    product: { name: string; vendor_name: string; version: string };
  };
  unmapped: {
    record_type: RecordType;
    outcome: Outcome;
    caller?: { transport: string; client_name?: string; client_version?: string; agent_run_id?: string };
    arguments?: unknown;
    arguments_truncated?: { chars: number; sha256: string };
    result?: { bytes: number; sha256: string };
    aws?: { principal_arn?: string; attempts?: number; input?: unknown };
    chain?: ChainFields;
    /** http.refused: how many requests this record summarises, and from where. */
    refusals?: { count: number; first_at: number; last_at: number; addresses: Array<{ ip: string; count: number }>; other_addresses: number; reasons: string[] };
  };
  [key: string]: unknown;
}

/** What every record needs to know about where the server stands. */
export interface RecordContext {
  productVersion: string;
  account?: { accountId: string; arn: string };
  region?: string;
}

/** The larger an argument, the less it belongs inline in a SIEM event: beyond this it is hashed. */
export const MAX_INLINE_ARGUMENT_CHARS = 8_192;

function severityFor(outcome: Outcome, activity: ActivityId): SeverityId {
  if (outcome === 'success') return 1;
  if (outcome === 'error') return 2;
  // A refused write is what a prompt-injected agent looks like: worth an analyst's eyes.
  return activity === 1 || activity === 3 || activity === 4 ? 4 : 3;
}

/** The CRUD class of an AWS operation, from its verb. */
export function activityOfOperation(operation: string): ActivityId {
  if (/^(Get|List|Describe|Head|Lookup|Search|Select|Simulate|Generate|Check|Query|Scan|Filter|BatchGet|Download)/.test(operation)) return 2;
  if (/^(Delete|Remove|Terminate|Deregister|Detach|Disassociate|Revoke|Purge)/.test(operation)) return 4;
  if (/^(Create|Run|Start|Register|Import|Allocate|Issue|Request|Copy|Upload|Restore)/.test(operation)) return 1;
  if (/^(Put|Update|Modify|Set|Attach|Associate|Authorize|Enable|Disable|Tag|Untag|Add|Change|Reset|Replace|Reboot|Stop|Apply)/.test(operation)) return 3;
  return 99;
}

// Every object below is built with its keys in sorted order, and arguments and AWS input are
// put in sorted order: the chain then serializes a record once with the native JSON.stringify
// and skips checking its order (chain.ts, builtInCanonicalOrder). A test holds every kind of
// record to inCanonicalOrder.

// Each object is one literal with every member it can have, an absent one undefined (which
// JSON.stringify and the canonical writer leave out): one shape per kind of object, where
// conditional spreads made a new shape for each combination and copied each part twice.

function actorOf(caller: Caller): AuditRecord['actor'] {
  return {
    app_name: caller.clientName ? (caller.clientVersion ? `${caller.clientName}/${caller.clientVersion}` : caller.clientName) : undefined,
    session: caller.sessionId ? { uid: caller.sessionId } : undefined,
    user: { name: caller.principal, uid: caller.principal },
  };
}

function callerExtras(caller: Caller): NonNullable<AuditRecord['unmapped']['caller']> {
  return {
    agent_run_id: caller.agentRunId || undefined,
    client_name: caller.clientName || undefined,
    client_version: caller.clientVersion || undefined,
    transport: caller.transport,
  };
}

const LOCAL_HOST = hostname();

function srcEndpointOf(caller: Caller): AuditRecord['src_endpoint'] {
  if (caller.transport === 'http') return { hostname: undefined, ip: caller.remoteAddress || undefined, svc_name: 'mcp/http' };
  return { hostname: LOCAL_HOST, ip: undefined, svc_name: `mcp/${caller.transport}` };
}

/** Identifier-shaped inputs, named as the AWS resource types they point at. */
const RESOURCE_KEYS: Record<string, { type: string; arn?: (v: string) => string }> = {
  bucket: { type: 'AWS::S3::Bucket', arn: (v) => `arn:aws:s3:::${v}` },
  rolename: { type: 'AWS::IAM::Role' },
  username: { type: 'AWS::IAM::User' },
  groupname: { type: 'AWS::IAM::Group' },
  policyarn: { type: 'AWS::IAM::ManagedPolicy' },
  dbinstanceidentifier: { type: 'AWS::RDS::DBInstance' },
  instanceids: { type: 'AWS::EC2::Instance' },
  groupids: { type: 'AWS::EC2::SecurityGroup' },
  vpcids: { type: 'AWS::EC2::VPC' },
  accountid: { type: 'AWS::Account' },
};

export function resourcesOf(input: unknown, region?: string): OcsfResource[] {
  if (!input || typeof input !== 'object') return [];
  const out: OcsfResource[] = [];
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    const kind = RESOURCE_KEYS[key.toLowerCase()];
    if (!kind) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const v of values.slice(0, 20)) {
      if (typeof v !== 'string' || !v) continue;
      const uid = v.startsWith('arn:') ? v : kind.arn?.(v);
      out.push({ name: v, ...(region && kind.type !== 'AWS::S3::Bucket' ? { region } : {}), type: kind.type, ...(uid ? { uid } : {}) });
    }
  }
  return out;
}

/** `value` with its keys in sorted order (inSortedKeyOrder), and whether it is now canonical (inCanonicalOrder): integer-like keys, a Date or a class instance stay as they are. */
function sortedValue(value: unknown): { value: unknown; canonical: boolean } {
  if (inCanonicalOrder(value)) return { value, canonical: true };
  const sorted = inSortedKeyOrder(value);
  return { value: sorted, canonical: inCanonicalOrder(sorted) };
}

function inlineArguments(args: unknown): { fields: Pick<AuditRecord['unmapped'], 'arguments' | 'arguments_truncated'>; canonical: boolean } {
  if (args === undefined) return { fields: {}, canonical: true };
  const text = JSON.stringify(args) ?? '';
  if (text.length > MAX_INLINE_ARGUMENT_CHARS) return { fields: { arguments_truncated: { chars: text.length, sha256: sha256Hex(text) } }, canonical: true };
  const { value, canonical } = sortedValue(args);
  return { fields: { arguments: value }, canonical };
}

interface BaseInput {
  recordType: RecordType;
  activity: ActivityId;
  startedAt: number;
  durationMs: number;
  outcome: Outcome;
  errorCode?: string;
  errorMessage?: string;
  caller: Caller;
  operation: string;
  group?: string;
  serviceName: string;
  requestUid?: string;
  correlationUid?: string;
  httpStatus?: number;
  resources: OcsfResource[];
  message: string;
  region?: string;
}

function baseRecord(input: BaseInput, ctx: RecordContext): AuditRecord {
  const activityName = ACTIVITY[input.activity];
  const severity = severityFor(input.outcome, input.activity);
  const failed = input.outcome !== 'success';
  const errorCode = input.errorCode || undefined;
  const errorMessage = input.errorMessage || undefined;
  const hasResponse = input.httpStatus !== undefined || errorCode !== undefined || errorMessage !== undefined;
  const region = input.region ?? ctx.region;
  return {
    activity_id: input.activity,
    activity_name: activityName,
    actor: actorOf(input.caller),
    api: {
      group: input.group ? { name: input.group } : undefined,
      operation: input.operation,
      request: input.requestUid ? { uid: input.requestUid } : undefined,
      response: hasResponse ? { code: input.httpStatus, error: errorCode, error_message: errorMessage } : undefined,
      service: { name: input.serviceName },
    },
    category_name: 'Application Activity',
    category_uid: 6,
    class_name: 'API Activity',
    class_uid: 6003,
    cloud: { account: ctx.account?.accountId ? { uid: ctx.account.accountId } : undefined, provider: 'AWS', region: region || undefined },
    duration: input.durationMs,
    end_time: input.startedAt + input.durationMs,
    message: input.message,
    metadata: {
      correlation_uid: input.correlationUid || undefined,
      log_name: 'infra-audit-mcp audit log',
      product: { name: PRODUCT.name, vendor_name: PRODUCT.vendor_name, version: ctx.productVersion },
      uid: randomUUID(),
      version: OCSF_SCHEMA_VERSION,
    },
    resources: input.resources.length ? input.resources : undefined,
    severity: SEVERITY[severity],
    severity_id: severity,
    src_endpoint: srcEndpointOf(input.caller),
    start_time: input.startedAt,
    status: failed ? 'Failure' : 'Success',
    status_code: errorCode,
    status_detail: errorMessage,
    status_id: failed ? 2 : 1,
    time: input.startedAt,
    type_name: `API Activity: ${activityName}`,
    type_uid: 600300 + input.activity,
    unmapped: {
      aws: ctx.account?.arn ? { principal_arn: ctx.account.arn } : undefined,
      caller: callerExtras(input.caller),
      outcome: input.outcome,
      record_type: input.recordType,
    },
  };
}

/** One MCP request (tools/call, prompts/get, resources/read) as the server answered it. */
export interface McpRequestInput {
  method: 'tools/call' | 'prompts/get' | 'resources/read';
  name: string;
  requestId: string;
  caller: Caller;
  args: unknown;
  startedAt: Date;
  durationMs: number;
  outcome: Outcome;
  errorCode?: string;
  errorMessage?: string;
  resultText: string;
}

export function mcpRequestRecord(input: McpRequestInput, ctx: RecordContext): AuditRecord {
  const group = input.method.split('/')[0]!;
  const record = baseRecord(
    {
      recordType: `mcp.${input.method}`,
      activity: 2,
      startedAt: input.startedAt.getTime(),
      durationMs: input.durationMs,
      outcome: input.outcome,
      ...(input.errorCode ? { errorCode: input.errorCode } : {}),
      ...(input.errorMessage ? { errorMessage: input.errorMessage } : {}),
      caller: input.caller,
      operation: input.name,
      group,
      serviceName: PRODUCT.name,
      requestUid: input.requestId,
      correlationUid: input.requestId,
      resources: input.method === 'resources/read' ? [{ type: 'mcp.resource', uid: input.name }] : resourcesOf(input.args, ctx.region),
      message: `${input.caller.principal} ${input.method} ${input.name}: ${input.outcome}${input.errorCode ? ` (${input.errorCode})` : ''}`,
    },
    ctx,
  );
  const args = inlineArguments(input.args);
  const { aws, caller, outcome, record_type } = record.unmapped;
  record.unmapped = {
    arguments: args.fields.arguments,
    arguments_truncated: args.fields.arguments_truncated,
    aws,
    caller,
    outcome,
    record_type,
    result: { bytes: Buffer.byteLength(input.resultText, 'utf8'), sha256: sha256Hex(input.resultText) },
  };
  return args.canonical ? builtInCanonicalOrder(record) : record;
}

/** One AWS SDK operation, made on behalf of an MCP request (or of the server itself). */
export interface AwsCallInput {
  service: string;
  operation: string;
  region: string;
  input: unknown;
  startedAt: number;
  durationMs: number;
  outcome: Outcome;
  errorCode?: string;
  errorMessage?: string;
  httpStatus?: number;
  awsRequestId?: string;
  attempts?: number;
  /** The MCP request this call was made for; absent for the server's own calls (start-up identity). */
  mcpRequestId?: string;
  caller: Caller;
}

export function awsCallRecord(call: AwsCallInput, ctx: RecordContext): AuditRecord {
  const record = baseRecord(
    {
      recordType: 'aws.api_call',
      activity: activityOfOperation(call.operation),
      startedAt: call.startedAt,
      durationMs: call.durationMs,
      outcome: call.outcome,
      ...(call.errorCode ? { errorCode: call.errorCode } : {}),
      ...(call.errorMessage ? { errorMessage: call.errorMessage } : {}),
      ...(call.httpStatus !== undefined ? { httpStatus: call.httpStatus } : {}),
      caller: call.caller,
      operation: call.operation,
      // CloudTrail's eventSource, so records join on (eventSource, eventName, requestID).
      serviceName: `${call.service}.amazonaws.com`,
      ...(call.awsRequestId ? { requestUid: call.awsRequestId } : {}),
      ...(call.mcpRequestId ? { correlationUid: call.mcpRequestId } : {}),
      resources: resourcesOf(call.input, call.region),
      region: call.region,
      message: `${call.service}:${call.operation} for ${call.caller.principal}: ${call.outcome}${call.errorCode ? ` (${call.errorCode})` : ''}`,
    },
    ctx,
  );
  const { aws, ...rest } = record.unmapped;
  const input = sortedValue(call.input);
  record.unmapped = {
    aws: { ...(call.attempts !== undefined ? { attempts: call.attempts } : {}), input: input.value, ...aws },
    ...rest,
  };
  return input.canonical ? builtInCanonicalOrder(record) : record;
}

/** An HTTP request the transport refused before MCP saw it (authentication, Host, rate limit). */
export interface RefusedRequestInput {
  reason: string;
  status: number;
  principal?: string;
  remoteAddress?: string;
  at: number;
}

/**
 * The refusals of one window with the same status and principal, summarised: a flood of bad
 * tokens is one record per window, not one fsync'ed record per request.
 */
export interface RefusalSummaryInput {
  status: number;
  /** The authenticated principal, or none (`unauthenticated`). */
  principal?: string;
  count: number;
  firstAt: number;
  lastAt: number;
  /** The busiest source addresses, with their counts. */
  addresses: Array<{ ip: string; count: number }>;
  /** Refusals from addresses beyond those listed. */
  otherAddresses: number;
  /** The first few distinct reasons, as sent to the client. */
  reasons: string[];
}

export function refusedRequestRecord(event: RefusalSummaryInput, ctx: RecordContext): AuditRecord {
  const onlyAddress = event.addresses.length === 1 && event.otherAddresses === 0 ? event.addresses[0]!.ip : undefined;
  const caller: Caller = { principal: event.principal ?? 'unauthenticated', transport: 'http', ...(onlyAddress ? { remoteAddress: onlyAddress } : {}) };
  const from = onlyAddress ? ` at ${onlyAddress}` : ` from ${event.addresses.length + (event.otherAddresses ? 1 : 0)}+ addresses`;
  const record = baseRecord(
    {
      recordType: 'http.refused',
      activity: 99,
      startedAt: event.firstAt,
      durationMs: event.lastAt - event.firstAt,
      outcome: 'denied',
      errorCode: `HTTP_${event.status}`,
      errorMessage: event.reasons[0] ?? '',
      httpStatus: event.status,
      caller,
      operation: 'http request',
      serviceName: PRODUCT.name,
      resources: [],
      message: `refused ${event.count} HTTP request${event.count === 1 ? '' : 's'} (${event.status}) of ${caller.principal}${from}: ${event.reasons[0] ?? ''}`,
    },
    ctx,
  );
  record.unmapped = {
    ...record.unmapped,
    refusals: { addresses: event.addresses.map(({ ip, count }) => ({ count, ip })), count: event.count, first_at: event.firstAt, last_at: event.lastAt, other_addresses: event.otherAddresses, reasons: event.reasons },
  };
  return builtInCanonicalOrder(record);
}
