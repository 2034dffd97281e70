/**
 * AWS SDK errors turned into the product's error: a code, a message naming the call, and a
 * hint. Credentials and endpoint failures get the fix a person needs, not a stack.
 */
import { InfraAuditError, isInfraAuditError } from '../errors.js';

interface SdkErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

export function awsErrorToInfraAuditError(err: unknown, call: string): InfraAuditError {
  if (err instanceof InfraAuditError) return err;
  const e = (err ?? {}) as SdkErrorLike;
  const name = e.name ?? 'Error';
  const message = (e.message ?? String(err)).split('\n')[0]!;
  if (name === 'CredentialsProviderError' || /Could not load credentials|credential/i.test(message)) {
    return new InfraAuditError('AWS_CREDENTIALS', `no AWS credentials for ${call}: ${message}`, {
      hint: 'set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, run `aws sso login`, or run on a host with an instance/task role',
      cause: err,
    });
  }
  if (name === 'TimeoutError') {
    return new InfraAuditError('AWS_UNREACHABLE', `no answer from the AWS endpoint for ${call}: ${timeoutMessage(message)}`, {
      hint: 'check --endpoint-url / AWS_ENDPOINT_URL and your network; a slow endpoint needs a longer --connect-timeout or --request-timeout',
      cause: err,
    });
  }
  const code = e.code ?? '';
  if (['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET'].includes(code) || name === 'TimeoutError' || /ECONNREFUSED|ENOTFOUND|getaddrinfo/.test(message)) {
    return new InfraAuditError('AWS_UNREACHABLE', `cannot reach the AWS endpoint for ${call}: ${code || message}`, {
      hint: 'check --endpoint-url / AWS_ENDPOINT_URL and your network; for the sandbox, start `infra-audit sandbox --account FILE` first',
      cause: err,
    });
  }
  const status = e.$metadata?.httpStatusCode;
  if (status === 403 || /AccessDenied|UnauthorizedOperation|AuthorizationError/.test(name)) {
    return new InfraAuditError('AWS_ACCESS_DENIED', `access denied for ${call}: ${message}`, {
      hint: 'grant the audit role the read action (see `infra-audit iam-policy`)',
      cause: err,
    });
  }
  return new InfraAuditError('AWS_ERROR', `${call} failed: ${name}: ${message}`, { cause: err });
}

/** The AWS error name, when `err` is one; `undefined` for anything else. */
export function awsErrorName(err: unknown): string | undefined {
  const e = err as SdkErrorLike | undefined;
  return e && typeof e === 'object' && typeof e.name === 'string' && e.$metadata ? e.name : undefined;
}

/** What a failed read is recorded as in the inventory: the AWS error code, or the network failure under it. */
export interface AwsErrorInfo {
  /** The AWS error code (AccessDenied, NoSuchBucketPolicy, ThrottlingException), or a network code (ECONNREFUSED). */
  code: string;
  message: string;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/** The HTTP handler's timeout messages name the package and the option; a user knows the flags. */
function timeoutMessage(message: string): string {
  const ms = /(\d+) ?ms/.exec(message)?.[1];
  const after = ms ? ` within ${Number(ms) / 1000} s` : '';
  return /establish a connection/.test(message) ? `could not connect${after} (--connect-timeout)` : `no response${after} (--request-timeout)`;
}

function isReset(err: Error): boolean {
  const code = (err as Error & { code?: unknown }).code;
  return code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up|ECONNRESET/.test(err.message);
}

export function describeAwsError(err: unknown): AwsErrorInfo {
  if (isInfraAuditError(err)) return { code: err.code, message: err.message };
  // The HTTP handler names a reset connection TimeoutError too: say what happened, not a timeout.
  if (err instanceof Error && err.name === 'TimeoutError' && isReset(err)) return { code: 'ECONNRESET', message: 'the endpoint closed the connection before answering (connection reset)' };
  if (err instanceof Error && err.name === 'TimeoutError') return { code: 'TimeoutError', message: timeoutMessage(err.message) };
  if (err instanceof Error) {
    const e = err as Error & { code?: unknown; Code?: unknown; errors?: unknown };
    if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return { code: e.code, message: err.message || e.code };
    // AggregateError from a dual-stack connect: the first cause is the informative one.
    if (Array.isArray(e.errors) && e.errors[0] instanceof Error) return describeAwsError(e.errors[0]);
    const code = err.name && err.name !== 'Error' ? err.name : typeof e.Code === 'string' ? e.Code : 'Error';
    return { code, message: err.message || code };
  }
  return { code: 'Error', message: String(err) };
}
