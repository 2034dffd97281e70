/**
 * The read-only guard: an AWS SDK middleware, first on every client's stack, that refuses
 * any operation outside READ_OPERATIONS before a request is built, signed or sent. It is
 * the layer that holds even if a tool is written wrongly or an IAM role is too broad.
 */
import type { HandlerExecutionContext, InitializeHandler, InitializeHandlerArguments, MetadataBearer, MiddlewareStack } from '@smithy/types';
import { InfraAuditError } from '../errors.js';
import { CLIENT_SERVICE, READ_OPERATIONS, SECRET_READS } from './read-operations.js';
import { unsafeKeyReason } from './s3-keys.js';

export interface ReadOnlyGuardOptions {
  /**
   * Buckets whose objects this client never reads (the Terraform state bucket holds every
   * secret). Tools' clients carry it; only the state loader's own client goes without.
   */
  protectedBuckets?: ReadonlySet<string> | (() => ReadonlySet<string>);
  /** Called for every refusal (the audit log records denials). */
  onRefused?: (refusal: { service: string; operation: string; reason: string }) => void;
}

const OBJECT_READS = new Set(['GetObject', 'HeadObject', 'ListObjectsV2', 'GetObjectAttributes', 'GetObjectAcl', 'SelectObjectContent']);

export class ReadOnlyViolation extends InfraAuditError {}

/** Decide whether `service:operation` with `input` may be sent. Returns the refusal reason, if any. */
export function refusalReason(service: string, operation: string, input: Record<string, unknown>, options: ReadOnlyGuardOptions = {}): { code: 'READ_ONLY_VIOLATION' | 'SECRET_READ_REFUSED' | 'INVALID_INPUT'; reason: string } | undefined {
  const action = `${service}:${operation}`;
  const secret = SECRET_READS[action];
  if (secret) return { code: 'SECRET_READ_REFUSED', reason: `${action} is refused: it ${secret}` };
  const table = (READ_OPERATIONS as Record<string, Record<string, unknown>>)[service];
  if (!table || !Object.hasOwn(table, operation)) {
    return { code: 'READ_ONLY_VIOLATION', reason: `${action} is not on the read-only allowlist` };
  }
  if (service === 's3' && OBJECT_READS.has(operation)) {
    // The key and prefix are checked here too, not only by the data plane: a dot segment in
    // a path-style request can name another bucket than input.Bucket.
    for (const field of ['Key', 'Prefix', 'StartAfter'] as const) {
      const value = input[field];
      const unsafe = typeof value === 'string' && value !== '' ? unsafeKeyReason(value) : undefined;
      if (unsafe) return { code: 'INVALID_INPUT', reason: `s3:${operation} ${field} is refused: ${unsafe}` };
    }
  }
  if (service === 's3' && OBJECT_READS.has(operation) && typeof input.Bucket === 'string') {
    const protectedBuckets = typeof options.protectedBuckets === 'function' ? options.protectedBuckets() : options.protectedBuckets;
    if (protectedBuckets?.has(input.Bucket)) {
      return { code: 'SECRET_READ_REFUSED', reason: `objects of bucket "${input.Bucket}" are refused: it holds Terraform state, which holds secrets` };
    }
  }
  return undefined;
}

/** Put the guard first on `client`'s middleware stack. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyClient = { middlewareStack: MiddlewareStack<any, MetadataBearer> };

export function attachReadOnlyGuard<C extends AnyClient>(client: C, options: ReadOnlyGuardOptions = {}): C {
  const clientName = client.constructor.name;
  client.middlewareStack.add(
    (next: InitializeHandler<object, MetadataBearer>, context: HandlerExecutionContext) => async (args: InitializeHandlerArguments<object>) => {
      const service = CLIENT_SERVICE[clientName] ?? clientName.replace(/Client$/, '').toLowerCase();
      const operation = String(context.commandName ?? '').replace(/Command$/, '');
      const refusal = refusalReason(service, operation, args.input as Record<string, unknown>, options);
      if (refusal) {
        options.onRefused?.({ service, operation, reason: refusal.reason });
        throw new ReadOnlyViolation(refusal.code, refusal.reason, {
          hint:
            refusal.code === 'INVALID_INPUT'
              ? 'object keys and prefixes with "." or ".." segments, "//" or an encoded form of them are refused; use keys as list_files returns them'
              : 'infra-audit only reads; remediation is a proposal a human reviews and applies with Terraform',
        });
      }
      return next(args);
    },
    { step: 'initialize', name: 'infraAuditReadOnlyGuard', priority: 'high', override: true },
  );
  return client;
}
