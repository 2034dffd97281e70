/**
 * What every collector gets, and the one way a collector turns an AWS call into a `Read`.
 *
 * Need-driven collection, for whoever adds a collector:
 * 1. Export a `CollectorReads` table beside the collector: every read it makes, each with the
 *    reads it needs first (per-bucket reads need the listing and the bucket's region).
 *    Register it in PART_READS (inventory/reads.ts).
 * 2. Make every AWS call through `read()` with the operation's own name in the label. `read()`
 *    skips a call nobody asked for (`ctx.needs`) and returns a `NotCollected` error in its
 *    place, so a check that forgot to declare a read says `error`, never `pass`.
 * 3. Checks declare what they judge in `reads` (checks/types.ts); an audit or a tool collects
 *    exactly the union of those reads with their prerequisites.
 */
import type { ServiceId } from '../aws/clients.js';
import type { AwsRead } from '../aws/read-operations.js';
import { describeAwsError } from '../aws/errors.js';
import type { AwsSession } from '../aws/session.js';
import { isInfraAuditError } from '../errors.js';
import type { Read, ReadError } from './snapshot.js';

/** A read that failed, as the audit reports it beside the findings. */
export interface CollectionError extends ReadError {
  accountId: string;
  service: ServiceId;
  region: string;
  operation: string;
  /** The resource read, when the call was about one. */
  resource?: string;
}

/** Each read a collector can make, with the reads it must make first (its prerequisites). */
export type CollectorReads = Partial<Record<AwsRead, readonly AwsRead[]>>;

export interface CollectorContext {
  session: AwsSession;
  /** The reads to make (prerequisites included); every other read is skipped as `NotCollected`. */
  needs: ReadonlySet<AwsRead>;
  accountId: string;
  partition: string;
  regions: string[];
  /**
   * S3 buckets are global to list but live in one region each: with this set, only the buckets
   * whose region is in it are read and judged (`--region eu-west-1` audits eu-west-1's buckets).
   * A bucket whose region could not be read is kept, with that error: it may be in scope.
   */
  bucketRegions?: ReadonlySet<string>;
  now: Date;
  /** Days of CloudWatch history the idle check looks at. */
  idleDays: number;
  errors: CollectionError[];
  /** Called as each unit of work (a region of a service, say) completes. */
  progress?: (event: { service: ServiceId; region: string; done: true }) => void;
}

export interface ReadLabel {
  service: ServiceId;
  region: string;
  operation: string;
  resource?: string;
}

/**
 * Run one AWS read, if it is needed. A success is `{ value }`; an error code listed in `notConfigured` is the
 * service's way of saying "there is none" (NoSuchBucketPolicy, NoSuchEntity) and becomes
 * `{ value: null }`; anything else is recorded and becomes `{ error }`.
 */
export async function read<T>(ctx: CollectorContext, label: ReadLabel, call: () => Promise<T>): Promise<Read<T>>;
export async function read<T>(ctx: CollectorContext, label: ReadLabel, call: () => Promise<T>, notConfigured: readonly string[]): Promise<Read<T | null>>;
export async function read<T>(ctx: CollectorContext, label: ReadLabel, call: () => Promise<T>, notConfigured: readonly string[] = []): Promise<Read<T | null>> {
  const name = `${label.service}:${label.operation}` as AwsRead;
  if (!ctx.needs.has(name)) return notCollected(name);
  try {
    return { value: await call() };
  } catch (err) {
    // Our own refusals (the read-only line, a paginator bound) are bugs or limits, not AWS answers.
    if (isInfraAuditError(err) && (err.code === 'READ_ONLY_VIOLATION' || err.code === 'SECRET_READ_REFUSED' || err.code === 'LIMIT_EXCEEDED')) throw err;
    // A cancelled run is not a failed read: it ends the collection instead of filling it with errors.
    if (ctx.session.aborted) throw err;
    const error = describeAwsError(err);
    if (notConfigured.includes(error.code)) return { value: null };
    ctx.errors.push({ accountId: ctx.accountId, ...label, ...error });
    return { error };
  }
}

/** The value of a read that was skipped because nothing asked for it: an error, so nothing passes on it. */
export function notCollected(name: AwsRead): { error: ReadError } {
  return { error: { code: 'NotCollected', message: `${name} was not read: no selected check or tool declared it` } };
}
