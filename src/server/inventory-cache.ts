/**
 * The inventory as the MCP tools see it: read by the audit engine's own collectors, once per
 * server session, and kept for a time to live. It is cached per unit (a global service, or a
 * regional service in one region), so a tool that needs S3 never waits for IAM, and a second
 * tool that needs S3 costs no AWS call. A unit remembers which reads it made: a request for
 * reads it lacks collects the unit again with the union. Concurrent callers of a unit share its one collection
 * in flight; `refresh` re-reads a settled unit, and joins one that is still being read.
 */
import type { ServiceId } from '../aws/clients.js';
import type { AwsRead } from '../aws/read-operations.js';
import type { AwsSession } from '../aws/session.js';
import { describeAwsError } from '../aws/errors.js';
import { describeRegions, type AccountRegion } from '../aws/regions.js';
import { InfraAuditError } from '../errors.js';
import { DEFAULT_CHECK_OPTIONS, type InventoryPart } from '../checks/types.js';
import type { CollectionError, CollectorContext } from '../inventory/context.js';
import { collectCloudTrail } from '../inventory/collectors/cloudtrail.js';
import { collectCloudWatch } from '../inventory/collectors/cloudwatch.js';
import { collectConfig } from '../inventory/collectors/config.js';
import { collectEc2 } from '../inventory/collectors/ec2.js';
import { collectIam } from '../inventory/collectors/iam.js';
import { collectRds } from '../inventory/collectors/rds.js';
import { collectS3 } from '../inventory/collectors/s3.js';
import { collectS3Control } from '../inventory/collectors/s3control.js';
import { collectSqs } from '../inventory/collectors/sqs.js';
import { collectLambda } from '../inventory/collectors/lambda.js';
import { collectEfs } from '../inventory/collectors/efs.js';
import { collectEcr } from '../inventory/collectors/ecr.js';
import { collectSecretsManager } from '../inventory/collectors/secretsmanager.js';
import { collectAccessAnalyzer, collectAccount, collectGuardDuty, collectSecurityHub } from '../inventory/collectors/security-services.js';
import { collectKms } from '../inventory/collectors/kms.js';
import { collectLogs } from '../inventory/collectors/logs.js';
import { collectSns } from '../inventory/collectors/sns.js';
import { mergeCollected } from '../inventory/merge.js';
import { partsOf, readsOfPart, readsToMake, REGIONAL_PARTS } from '../inventory/reads.js';
import type { InventorySnapshot } from '../inventory/snapshot.js';
import type { ServerSession } from './session.js';
import { CheckRuns } from './check-runs.js';

export const DEFAULT_INVENTORY_TTL_MS = 5 * 60_000;

type Operation = { service: ServiceId; operation: string };

/** Who the server is and which regions the account has: every inventory read needs them. */
const IDENTITY_OPERATIONS: Operation[] = [{ service: 'sts', operation: 'GetCallerIdentity' }];
const REGION_OPERATIONS: Operation[] = [{ service: 'ec2', operation: 'DescribeRegions' }];

/**
 * The exact AWS operations a tool that asks the inventory for `reads` may call (they drive
 * the IAM policy and the allowlist; inventory-cache.test.ts checks them against what is sent).
 */
export function inventoryOperations(reads: Iterable<AwsRead>): Operation[] {
  const needs = readsToMake(reads);
  const regional = [...partsOf(needs)].some((p) => REGIONAL_PARTS.has(p));
  const made = [...needs].map((name) => {
    const [service, operation] = name.split(':') as [ServiceId, string];
    return { service, operation };
  });
  made.sort((a, b) => a.service.localeCompare(b.service) || a.operation.localeCompare(b.operation));
  return [...IDENTITY_OPERATIONS, ...(regional ? REGION_OPERATIONS : []), ...made];
}

interface Collected<T> {
  value: T;
  errors: CollectionError[];
  collectedAt: Date;
}

interface Entry<T> {
  promise: Promise<Collected<T>>;
  settled?: Collected<T>;
  /** The reads this collection makes: a request for others collects again. */
  reads: ReadonlySet<AwsRead>;
}

const NO_READS: ReadonlySet<AwsRead> = new Set();

export interface InventoryRequest {
  /** The reads the caller judges (checks' `reads`, or `partReads` for all a collector knows); prerequisites are added. */
  reads: Iterable<AwsRead>;
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

  /** The reads asked for, from cache where fresh and already read, collected where not. */
  async get(request: InventoryRequest): Promise<InventoryView> {
    const needs = readsToMake(request.reads);
    const parts = partsOf(needs);
    const identity = await this.session.identity();
    const partition = identity.arn.split(':')[1] || 'aws';
    const regional = [...parts].some((p) => REGIONAL_PARTS.has(p));
    const regions = regional ? await this.resolveRegions(request.regions, request.refresh === true) : [];
    const base = { accountId: identity.accountId, partition };
    const unit = <T>(part: InventoryPart, key: string, collect: (ctx: CollectorContext) => Promise<T>) =>
      this.entry(key, readsOfPart(needs, part), request, (reads) => this.collect(base, reads, collect));

    const s3 = parts.has('s3') ? unit('s3', 's3', collectS3) : undefined;
    const s3control = parts.has('s3control') ? unit('s3control', 's3control', collectS3Control) : undefined;
    const iam = parts.has('iam') ? unit('iam', 'iam', collectIam) : undefined;
    const perRegion = <T>(part: InventoryPart, collect: (ctx: CollectorContext, region: string) => Promise<T>) =>
      parts.has(part) ? Promise.all(regions.map(async (r) => [r, await unit(part, `${part}@${r}`, (ctx) => collect(ctx, r))] as const)) : undefined;
    const ec2 = perRegion('ec2', collectEc2);
    const rds = perRegion('rds', collectRds);
    const sqs = perRegion('sqs', collectSqs);
    const lambda = perRegion('lambda', collectLambda);
    const cloudtrail = perRegion('cloudtrail', collectCloudTrail);
    const config = perRegion('config', collectConfig);
    const kms = perRegion('kms', collectKms);
    const accessanalyzer = perRegion('accessanalyzer', collectAccessAnalyzer);
    const securityhub = perRegion('securityhub', collectSecurityHub);
    const guardduty = perRegion('guardduty', collectGuardDuty);
    const account = parts.has('account') ? unit('account', 'account', collectAccount) : undefined;
    const logs = perRegion('logs', collectLogs);
    const sns = perRegion('sns', collectSns);
    const efs = perRegion('efs', collectEfs);
    const ecr = perRegion('ecr', collectEcr);
    const secretsmanager = perRegion('secretsmanager', collectSecretsManager);
    const cloudwatch = perRegion('cloudwatch', async (ctx, region) => {
      // The instance list comes from the RDS unit of the same region (cached or in flight).
      const listed = await unit('rds', `rds@${region}`, (c) => collectRds(c, region));
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
    const [s3v, s3cv, iamv, ec2v, rdsv, cwv, sqsv, lambdav, ctv, cfgv, kmsv, logsv, snsv, efsv, ecrv, smv] = await Promise.all([s3, s3control, iam, byRegion(ec2), byRegion(rds), byRegion(cloudwatch), byRegion(sqs), byRegion(lambda), byRegion(cloudtrail), byRegion(config), byRegion(kms), byRegion(logs), byRegion(sns), byRegion(efs), byRegion(ecr), byRegion(secretsmanager)]);
    if (s3v) snapshot.s3 = take(s3v);
    if (s3cv) snapshot.s3control = take(s3cv);
    if (iamv) snapshot.iam = take(iamv);
    if (ec2v) snapshot.ec2 = ec2v;
    if (rdsv) snapshot.rds = rdsv;
    if (cwv) snapshot.cloudwatch = cwv;
    if (sqsv) snapshot.sqs = sqsv;
    if (lambdav) snapshot.lambda = lambdav;
    if (ctv) snapshot.cloudtrail = ctv;
    if (cfgv) snapshot.config = cfgv;
    if (kmsv) snapshot.kms = kmsv;
    const [aav, shv, gdv, accountv] = await Promise.all([byRegion(accessanalyzer), byRegion(securityhub), byRegion(guardduty), account]);
    if (aav) snapshot.accessanalyzer = aav;
    if (shv) snapshot.securityhub = shv;
    if (gdv) snapshot.guardduty = gdv;
    if (accountv) snapshot.account = take(accountv);
    if (logsv) snapshot.logs = logsv;
    if (snsv) snapshot.sns = snsv;
    if (efsv) snapshot.efs = efsv;
    if (ecrv) snapshot.ecr = ecrv;
    if (smv) snapshot.secretsmanager = smv;
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
      known = (await this.entry('regions', NO_READS, { refresh }, async () => ({ value: await describeRegions(this.awsSession()), errors: [], collectedAt: new Date(this.clock()) }))).value;
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

  private entry<T>(
    key: string,
    reads: ReadonlySet<AwsRead>,
    request: { refresh?: boolean; allowStale?: boolean },
    collect: (reads: ReadonlySet<AwsRead>) => Promise<Collected<T>>,
  ): Promise<Collected<T>> {
    const existing = this.entries.get(key) as Entry<T> | undefined;
    let entry: Entry<T>;
    if (!existing) entry = { promise: collect(reads), reads };
    else {
      const missing = [...reads].filter((r) => !existing.reads.has(r));
      // Unsettled: fresh by definition, so even a refresh joins it, if it reads what is asked.
      const fresh = !existing.settled || this.clock() - existing.settled.collectedAt.getTime() < this.ttlMs;
      if (missing.length === 0 && (!existing.settled || (!request.refresh && (fresh || request.allowStale)))) return existing.promise;
      const union = new Set([...existing.reads, ...reads]);
      if (!fresh || request.refresh) entry = { promise: collect(union), reads: union };
      else {
        // Read only what is missing (with the listings it hangs off) and lay it over what is held.
        const extra = collect(readsToMake(missing));
        const promise = Promise.all([existing.promise, extra]).then(([a, b]) => ({
          value: mergeCollected(a.value, b.value),
          errors: [...a.errors, ...b.errors],
          collectedAt: a.collectedAt < b.collectedAt ? a.collectedAt : b.collectedAt,
        }));
        entry = { promise, reads: union };
      }
    }
    entry.promise.then(
      (value) => (entry.settled = value),
      // A thrown collection (not a failed read, which is a value) is not cached: the next call retries.
      () => this.entries.get(key) === entry && this.entries.delete(key),
    );
    this.entries.set(key, entry as Entry<unknown>);
    return entry.promise;
  }

  private async collect<T>(base: { accountId: string; partition: string }, needs: ReadonlySet<AwsRead>, collect: (ctx: CollectorContext) => Promise<T>): Promise<Collected<T>> {
    const now = new Date(this.clock());
    const ctx: CollectorContext = { session: this.awsSession(), needs, ...base, regions: [], now, idleDays: DEFAULT_CHECK_OPTIONS.idleDays, errors: [] };
    const value = await collect(ctx);
    return { value, errors: ctx.errors, collectedAt: now };
  }

  private awsSession(): AwsSession {
    // The server's one AwsSession: the same guarded, audited clients as every tool.
    return this.session.aws;
  }

}
