/** Reading what an AWS SDK call threw: its AWS error code and message, or the network failure under it. */
import { InfraAuditError, isInfraAuditError } from '../errors.js';

export interface AwsErrorInfo {
  /** The AWS error code (AccessDenied, NoSuchBucketPolicy, ThrottlingException), or a network code (ECONNREFUSED). */
  code: string;
  message: string;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

export function describeAwsError(err: unknown): AwsErrorInfo {
  if (isInfraAuditError(err)) return { code: err.code, message: err.message };
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

export function isNetworkError(info: AwsErrorInfo): boolean {
  return NETWORK_CODES.has(info.code) || info.code === 'TimeoutError' || info.code === 'RequestTimeout';
}

const ACCESS_DENIED_CODES = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError', 'AllAccessDisabled']);

export function isAccessDenied(info: AwsErrorInfo): boolean {
  return ACCESS_DENIED_CODES.has(info.code);
}

const CREDENTIAL_CODES = new Set(['CredentialsProviderError', 'InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch', 'ExpiredToken', 'ExpiredTokenException', 'InvalidAccessKeyId']);

/**
 * The error that ends an audit before it starts: what the first call (sts:GetCallerIdentity)
 * threw, as one line a person can act on.
 */
export function connectionError(err: unknown, endpoint: string | undefined): InfraAuditError {
  if (isInfraAuditError(err)) return err;
  const info = describeAwsError(err);
  const where = endpoint ?? 'AWS';
  if (CREDENTIAL_CODES.has(info.code) || /credential/i.test(info.message)) {
    return new InfraAuditError('AWS_CREDENTIALS', `no usable AWS credentials: ${info.message}`, {
      hint: 'set AWS_PROFILE or pass --profile, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (the sandbox accepts any)',
      cause: err,
    });
  }
  if (isNetworkError(info)) {
    return new InfraAuditError('AWS_UNREACHABLE', `cannot reach ${where}: ${info.code}`, {
      hint: endpoint ? 'is the endpoint running? start one with `infra-audit sandbox --account FILE`' : 'check your network and proxy settings',
      cause: err,
    });
  }
  if (isAccessDenied(info)) {
    return new InfraAuditError('AWS_ACCESS_DENIED', `sts:GetCallerIdentity was denied: ${info.message}`, { hint: 'check the credentials in use', cause: err });
  }
  return new InfraAuditError('AWS_ERROR', `the first AWS call failed on ${where}: ${info.code}: ${info.message}`, { cause: err });
}
