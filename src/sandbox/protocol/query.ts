/**
 * The AWS Query protocol (STS, IAM, RDS) and its EC2 variant: form-encoded requests,
 * XML responses wrapped in <OpResponse><OpResult>, and the two error envelopes.
 */
import type { AwsErrorSpec, SandboxRequest, SandboxResponse } from '../types.js';
import { element, escapeXml, xmlDocument, type XmlValue } from './xml.js';

/** The request's parameters: the form body of a POST, or the query string of a GET. */
export function queryParams(req: SandboxRequest): URLSearchParams {
  if (req.method === 'POST' && req.body.length > 0) return new URLSearchParams(req.body.toString('utf8'));
  return req.query;
}

/**
 * Members of a Query list parameter: `Prefix.member.1`, `Prefix.member.2`, ... (Query) or
 * `Prefix.1`, `Prefix.2`, ... (EC2). Returns the values in index order.
 */
export function listParam(params: URLSearchParams, prefix: string): string[] {
  const found: Array<[number, string]> = [];
  const pattern = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.(?:member\\.)?(\\d+)$`);
  for (const [key, value] of params) {
    const m = pattern.exec(key);
    if (m) found.push([Number(m[1]), value]);
  }
  return found.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

/** Structured list members: `Filter.1.Name`, `Filter.1.Value.1` -> [{Name, Value: [...]}]. */
export function structListParam(params: URLSearchParams, prefix: string): Array<Record<string, string | string[]>> {
  const byIndex = new Map<number, Record<string, string | string[]>>();
  const pattern = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.(?:member\\.)?(\\d+)\\.([A-Za-z]+)(?:\\.(?:member\\.)?(\\d+))?$`);
  for (const [key, value] of params) {
    const m = pattern.exec(key);
    if (!m) continue;
    const index = Number(m[1]);
    const field = m[2]!;
    const entry = byIndex.get(index) ?? {};
    if (m[3] !== undefined) {
      const arr = (Array.isArray(entry[field]) ? entry[field] : []) as string[];
      arr[Number(m[3]) - 1] = value;
      entry[field] = arr;
    } else entry[field] = value;
    byIndex.set(index, entry);
  }
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

export function queryResponse(operation: string, result: XmlValue, xmlns: string, requestId: string): SandboxResponse {
  const inner = element(`${operation}Result`, result ?? '') + `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>`;
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<${operation}Response xmlns="${xmlns}">${inner}</${operation}Response>`;
  return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}

export function queryError(error: AwsErrorSpec, xmlns: string, requestId: string): SandboxResponse {
  const body = xmlDocument(
    'ErrorResponse',
    { Error: { Type: error.type ?? (error.status >= 500 ? 'Receiver' : 'Sender'), Code: error.code, Message: error.message }, RequestId: requestId },
    { xmlns },
  );
  return { status: error.status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}

export const EC2_XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

/** EC2 responses: <OpResponse xmlns><requestId/>...fields...</OpResponse>, lists as <item>. */
export function ec2Response(operation: string, result: Record<string, XmlValue>, requestId: string): SandboxResponse {
  const body = xmlDocument(`${operation}Response`, { requestId, ...result }, { xmlns: EC2_XMLNS, defaultItem: 'item' });
  return { status: 200, headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId }, body };
}

export function ec2Error(error: AwsErrorSpec, requestId: string): SandboxResponse {
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
  return { status: error.status, headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId }, body };
}

/** The operation of a Query/EC2 request, or an error spec when it has none. */
export function queryAction(params: URLSearchParams): string | undefined {
  return params.get('Action') ?? undefined;
}

export const missingAction = (): AwsErrorSpec => ({ code: 'MissingAction', message: 'The request must contain the parameter Action', status: 400 });
export const invalidAction = (action: string): AwsErrorSpec => ({
  code: 'InvalidAction',
  message: `The action ${action} is not valid for this web service.`,
  status: 400,
});
