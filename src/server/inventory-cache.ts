/**
 * The inventory as the MCP tools see it: read by the audit engine's own collectors, once per
 * server session, and kept for a time to live. It is cached per unit (a global service, or a
 * regional service in one region), so a tool that needs S3 never waits for IAM, and a second
 * tool that needs S3 costs no AWS call. Concurrent callers of a unit share its one collection
 * in flight; `refresh` re-reads a settled unit, and joins one that is still being read.
 */
import type { ServiceId } from '../aws/clients.js';
import type { AwsSession } from '../aws/session.js';
import { describeAwsError } from '../aws/errors.js';
import { describeRegions, type AccountRegion } from '../aws/regions.js';
import { InfraAuditError } from '../errors.js';
import { DEFAULT_CHECK_OPTIONS, type InventoryPart } from '../checks/types.js';
import type { CollectionError, CollectorContext } from '../inventory/context.js';
import { collectCloudWatch } from '../inventory/collectors/cloudwatch.js';
import { collectEc2 } from '../inventory/collectors/ec2.js';
import { collectIam } from '../inventory/collectors/iam.js';
import { collectRds } from '../inventory/collectors/rds.js';
import { collectS3 } from '../inventory/collectors/s3.js';
import { collectS3Control } from '../inventory/collectors/s3control.js';
import type { InventorySnapshot } from '../inventory/snapshot.js';
import type { ServerSession } from './session.js';
import { CheckRuns } from './check-runs.js';

export const DEFAULT_INVENTORY_TTL_MS = 5 * 60_000;

type Operation = { service: ServiceId; operation: string };
const ops = (service: ServiceId, ...names: string[]): Operation[] => names.map((operation) => ({ service, operation }));

/** Who the server is and which regions the account has: every inventory read needs them. */
const IDENTITY_OPERATIONS = ops('sts', 'GetCallerIdentity');
const REGION_OPERATIONS = ops('ec2', 'DescribeRegions');

/**
 * The AWS operations each collector calls. Tools declare these (they drive the IAM policy
 * and the allowlist); inventory-cache.test.ts checks them against what the collectors send.
 */
export const PART_OPERATIONS: Readonly<Record<InventoryPart, readonly Operation[]>> = {
  s3: ops('s3', 'ListBuckets', 'GetBucketLocation', 'GetBucketPolicy', 'GetBucketAcl', 'GetPublicAccessBlock', 'GetBucketOwnershipControls', 'GetBucketEncryption', 'GetBucketVersioning', 'GetBucketLogging', 'GetBucketTagging'),
  s3control: ops('s3control', 'GetPublicAccessBlock'),
  iam: ops(
    'iam',
    'GenerateCredentialReport',
    'GetCredentialReport',
    'GetAccountSummary',
    'GetAccountPasswordPolicy',
    'ListUsers',
    'GetLoginProfile',
    'ListMFADevices',
    'ListAccessKeys',
    'GetAccessKeyLastUsed',
    'ListAttachedUserPolicies',
    'ListUserPolicies',
    'GetUserPolicy',
    'ListRoles',
    'GetRole',
    'ListAttachedRolePolicies',
    'ListRolePolicies',
    'GetRolePolicy',
    'ListPolicies',
    'GetPolicyVersion',
  ),
  ec2: ops('ec2', 'DescribeSecurityGroups', 'DescribeInstances', 'DescribeVpcs', 'DescribeSubnets', 'DescribeRouteTables', 'DescribeNetworkInterfaces'),
  rds: ops('rds', 'DescribeDBInstances', 'DescribeDBSnapshots', 'DescribeDBSnapshotAttributes'),
  cloudwatch: ops('cloudwatch', 'GetMetricData'),
};

const REGIONAL: ReadonlySet<InventoryPart> = new Set(['ec2', 'rds', 'cloudwatch']);

/** CloudWatch is asked about the DB instances RDS lists, so it needs RDS. */
function withDependencies(parts: Iterable<InventoryPart>): Set<InventoryPart> {
  const all = new Set(parts);
  if (all.has('cloudwatch')) all.add('rds');
  return all;
}

/** The exact AWS operations a tool reading `parts` of the inventory may call. */
export function inventoryOperations(...parts: InventoryPart[]): Operation[] {
  const all = withDependencies(parts);
  const regional = [...all].some((p) => REGIONAL.has(p));
  return [...IDENTITY_OPERATIONS, ...(regional ? REGION_OPERATIONS : []), ...[...all].flatMap((p) => PART_OPERATIONS[p])];
}

interface Collected<T> {
  value: T;
  errors: CollectionError[];
  collectedAt: Date;
}

interface Entry<T> {
  promise: Promise<Collected<T>>;
  settled?: Collected<T>;
}

export interface InventoryRequest {
  parts: readonly InventoryPart[];
  /** Regions for the regional parts; default: every enabled region of the account. */
  regions?: readonly string[];
  /** Re-read the parts even if they are still fresh. */
  refresh?: boolean;
  /** Serve what is cached even past its time to live (paging through one listing). */
  allowStale?: boolean;
}

export interface InventoryView {
  snapshot: InventorySnapshot;
  /** Reads that failed; what depends on them says "error" or "unknown". */
  errors: CollectionError[];
  /** When the oldest part of this view was read. */
  collectedAt: string;
  regions: string[];
}

const REGION_NAME = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;

export class InventoryCache {
  readonly runs = new CheckRuns(this);
  private readonly entries = new Map<string, Entry<unknown>>();

  constructor(
    private readonly session: ServerSession,
    readonly ttlMs = DEFAULT_INVENTORY_TTL_MS,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The inventory parts asked for, from cache where fresh, collected where not. */
  async get(request: InventoryRequest): Promise<InventoryView> {
    const parts = withDependencies(request.parts);
    const identity = await this.session.identity();
    const partition = identity.arn.split(':')[1] || 'aws';
    const regional = [...parts].some((p) => REGIONAL.has(p));
    const regions = regional ? await this.resolveRegions(request.regions, request.refresh === true) : [];
    const base = { accountId: identity.accountId, partition };
    const unit = <T>(key: string, collect: (ctx: CollectorContext) => Promise<T>) => this.entry(key, request, () => this.collect(base, collect));

    const s3 = parts.has('s3') ? unit('s3', collectS3) : undefined;
    const s3control = parts.has('s3control') ? unit('s3control', collectS3Control) : undefined;
    const iam = parts.has('iam') ? unit('iam', collectIam) : undefined;
    const perRegion = <T>(part: InventoryPart, collect: (ctx: CollectorContext, region: string) => Promise<T>) =>
      parts.has(part) ? Promise.all(regions.map(async (r) => [r, await unit(`${part}@${r}`, (ctx) => collect(ctx, r))] as const)) : undefined;
    const ec2 = perRegion('ec2', collectEc2);
    const rds = perRegion('rds', collectRds);
    const cloudwatch = perRegion('cloudwatch', async (ctx, region) => {
      // The instance list comes from the RDS unit of the same region (cached or in flight).
      const listed = await unit(`rds@${region}`, (c) => collectRds(c, region));
      return collectCloudWatch(ctx, region, listed.value.dbInstances.value ?? []);
    });

    const units: Array<Collected<unknown>> = [];
    const take = <T>(c: Collected<T>): T => {
      units.push(c);
      return c.value;
    };
    const byRegion = async <T>(p: Promise<ReadonlyArray<readonly [string, Collected<T>]>> | undefined) =>
      p ? Object.fromEntries((await p).map(([r, c]) => [r, take(c)])) : undefined;

    const snapshot: InventorySnapshot = { ...base, callerArn: identity.arn, collectedAt: '', regions };
    const [s3v, s3cv, iamv, ec2v, rdsv, cwv] = await Promise.all([s3, s3control, iam, byRegion(ec2), byRegion(rds), byRegion(cloudwatch)]);
    if (s3v) snapshot.s3 = take(s3v);
    if (s3cv) snapshot.s3control = take(s3cv);
    if (iamv) snapshot.iam = take(iamv);
    if (ec2v) snapshot.ec2 = ec2v;
    if (rdsv) snapshot.rds = rdsv;
    if (cwv) snapshot.cloudwatch = cwv;
    const oldest = units.reduce((t, c) => Math.min(t, c.collectedAt.getTime()), this.clock());
    snapshot.collectedAt = new Date(oldest).toISOString();
    return { snapshot, errors: units.flatMap((c) => c.errors), collectedAt: snapshot.collectedAt, regions };
  }

  /** The account's enabled regions, or the requested ones after checking they exist. */
  private async resolveRegions(requested: readonly string[] | undefined, refresh: boolean): Promise<string[]> {
    for (const name of requested ?? []) {
      if (!REGION_NAME.test(name)) throw new InfraAuditError('INVALID_INPUT', `"${name}" is not an AWS region name`, { hint: 'e.g. regions: ["us-east-1", "eu-west-1"], or omit regions for every enabled region' });
    }
    let known: AccountRegion[];
    try {
      known = (await this.entry('regions', { refresh }, async () => ({ value: await describeRegions(this.awsSession()), errors: [], collectedAt: new Date(this.clock()) }))).value;
    } catch (err) {
      if (requested?.length) return [...new Set(requested)];
      const { code, message } = describeAwsError(err);
      throw new InfraAuditError('AWS_ERROR', `cannot list the account's regions (ec2:DescribeRegions): ${code}: ${message}`, {
        hint: 'pass regions explicitly, e.g. regions: ["us-east-1"]',
        cause: err,
      });
    }
    const enabled = known.filter((r) => r.enabled).map((r) => r.name);
    if (!requested?.length) return enabled;
    for (const name of requested) {
      if (!enabled.includes(name)) {
        const why = known.some((r) => r.name === name) ? 'is not enabled in this account' : 'is not a region of this account';
        throw new InfraAuditError('INVALID_INPUT', `region "${name}" ${why}`, { hint: `enabled regions: ${enabled.join(', ')}` });
      }
    }
    return [...new Set(requested)];
  }

  private entry<T>(key: string, request: { refresh?: boolean; allowStale?: boolean }, collect: () => Promise<Collected<T>>): Promise<Collected<T>> {
    const existing = this.entries.get(key) as Entry<T> | undefined;
    if (existing) {
      // Unsettled: fresh by definition, so even a refresh joins it.
      if (!existing.settled) return existing.promise;
      const fresh = this.clock() - existing.settled.collectedAt.getTime() < this.ttlMs;
      if (!request.refresh && (fresh || request.allowStale)) return existing.promise;
    }
    const entry: Entry<T> = { promise: collect() };
    entry.promise.then(
      (value) => (entry.settled = value),
      // A thrown collection (not a failed read, which is a value) is not cached: the next call retries.
      () => this.entries.get(key) === entry && this.entries.delete(key),
    );
    this.entries.set(key, entry as Entry<unknown>);
    return entry.promise;
  }

  private async collect<T>(base: { accountId: string; partition: string }, collect: (ctx: CollectorContext) => Promise<T>): Promise<Collected<T>> {
    const now = new Date(this.clock());
    const ctx: CollectorContext = { session: this.awsSession(), ...base, regions: [], now, idleDays: DEFAULT_CHECK_OPTIONS.idleDays, errors: [] };
    const value = await collect(ctx);
    return { value, errors: ctx.errors, collectedAt: now };
  }

  private awsSession(): AwsSession {
    // The server's one AwsSession: the same guarded, audited clients as every tool.
    return this.session.aws;
  }

}
