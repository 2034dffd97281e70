/**
 * AWS SDK errors turned into the product's error: a code, a message naming the call, and a
 * hint. Credentials and endpoint failures get the fix a person needs, not a stack.
 */
import { InfraAuditError } from '../errors.js';

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
