/**
 * The AWS JSON RPC protocols (awsJson1_0, awsJson1_1): a POST whose X-Amz-Target header
 * names `<ServiceTarget>.<Operation>`, a JSON body, and errors as `{"__type", "message"}`.
 *
 * Services migrated from Query keep their Query error codes through the awsQueryCompatible
 * trait: the `x-amzn-query-error: <Code>;<Sender|Receiver>` header, which the SDK reads
 * before `__type` to pick the error it throws.
 */
import type { AwsErrorSpec, SandboxRequest, SandboxResponse } from '../types.js';

/** The operation named by X-Amz-Target when it carries `serviceTarget`, else undefined. */
export function jsonTargetOperation(req: SandboxRequest, serviceTarget: string): string | undefined {
  const target = req.headers['x-amz-target'];
  if (typeof target !== 'string' || !target.startsWith(`${serviceTarget}.`)) return undefined;
  const operation = target.slice(serviceTarget.length + 1);
  return /^[A-Za-z][A-Za-z0-9]*$/.test(operation) ? operation : undefined;
}

/** The request body as a JSON object; `{}` for an empty body, undefined when it is not an object. */
export function jsonBody(req: SandboxRequest): Record<string, unknown> | undefined {
  if (req.body.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(req.body.toString('utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function jsonResponse(body: unknown, requestId: string, version: '1.0' | '1.1' = '1.0'): SandboxResponse {
  return { status: 200, headers: { 'content-type': `application/x-amz-json-${version}`, 'x-amzn-requestid': requestId }, body: JSON.stringify(body) };
}

/**
 * An error in JSON shape. `type` is the `__type` (the JSON error shape name); with
 * `queryCode`, the awsQueryCompatible header carries the Query error code as well.
 */
export function jsonError(
  error: AwsErrorSpec,
  requestId: string,
  options: { type: string; queryCode?: string; version?: '1.0' | '1.1' },
): SandboxResponse {
  const headers: Record<string, string> = {
    'content-type': `application/x-amz-json-${options.version ?? '1.0'}`,
    'x-amzn-requestid': requestId,
  };
  if (options.queryCode) headers['x-amzn-query-error'] = `${options.queryCode};${error.type ?? (error.status >= 500 ? 'Receiver' : 'Sender')}`;
  return { status: error.status, headers, body: JSON.stringify({ __type: options.type, message: error.message }) };
}
