/** What every collector gets, and the one way a collector turns an AWS call into a `Read`. */
import type { ServiceId } from '../aws/clients.js';
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

export interface CollectorContext {
  session: AwsSession;
  accountId: string;
  partition: string;
  regions: string[];
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
 * Run one AWS read. A success is `{ value }`; an error code listed in `notConfigured` is the
 * service's way of saying "there is none" (NoSuchBucketPolicy, NoSuchEntity) and becomes
 * `{ value: null }`; anything else is recorded and becomes `{ error }`.
 */
export async function read<T>(ctx: CollectorContext, label: ReadLabel, call: () => Promise<T>): Promise<Read<T>>;
export async function read<T>(ctx: CollectorContext, label: ReadLabel, call: () => Promise<T>, notConfigured: readonly string[]): Promise<Read<T | null>>;
export async function read<T>(ctx: CollectorContext, label: ReadLabel, call: () => Promise<T>, notConfigured: readonly string[] = []): Promise<Read<T | null>> {
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
