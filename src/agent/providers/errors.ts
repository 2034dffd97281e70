/** Model API failures (after the SDK's own retries) as the product's one error type. */
import { InfraAuditError } from '../../errors.js';

export function modelApiError(provider: string, err: unknown): InfraAuditError {
  const status = typeof err === 'object' && err !== null && 'status' in err ? (err as { status?: unknown }).status : undefined;
  const message = err instanceof Error ? err.message : String(err);
  if (status === 401 || status === 403) {
    return new InfraAuditError('MODEL_API', `the ${provider} API refused the credentials (HTTP ${status})`, {
      hint: provider === 'anthropic' ? 'check ANTHROPIC_API_KEY' : 'check OPENAI_API_KEY and OPENAI_BASE_URL',
      cause: err,
    });
  }
  if (status === 404) {
    return new InfraAuditError('MODEL_API', `the ${provider} API does not know the requested model or endpoint (HTTP 404): ${message}`, { hint: 'check --model (and OPENAI_BASE_URL)', cause: err });
  }
  const what = typeof status === 'number' ? `HTTP ${status}` : 'no response';
  return new InfraAuditError('MODEL_API', `the ${provider} API call failed (${what}): ${message}`, {
    hint: 'rate limits and overload are retried with backoff; if this persists, lower --max-tokens or try later',
    cause: err,
  });
}
