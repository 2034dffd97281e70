/**
 * What the SDK's transports do not answer well, answered before they see it. A request whose
 * `params` is not an object (JSON-RPC by-position parameters, null, a string) is not an MCP
 * message: the stdio transport drops it without a reply (the client waits forever) and the
 * HTTP transport calls it a parse error. Both get -32602 here, naming what is wrong.
 */
export interface JsonRpcErrorReply {
  jsonrpc: '2.0';
  id: string | number;
  error: { code: number; message: string };
}

export const INVALID_PARAMS = -32602;

/** The reply to `message` when it is a request the SDK would mishandle; undefined for everything else. */
export function screenJsonRpc(message: unknown): JsonRpcErrorReply | undefined {
  if (!message || typeof message !== 'object' || Array.isArray(message)) return undefined;
  const m = message as Record<string, unknown>;
  // Notifications (no id) cannot be answered; the SDK drops the malformed ones.
  if (typeof m.method !== 'string' || (typeof m.id !== 'string' && typeof m.id !== 'number')) return undefined;
  if (m.params === undefined || (typeof m.params === 'object' && m.params !== null && !Array.isArray(m.params))) return undefined;
  const got = m.params === null ? 'null' : Array.isArray(m.params) ? 'an array' : `a ${typeof m.params}`;
  return { jsonrpc: '2.0', id: m.id, error: { code: INVALID_PARAMS, message: `Invalid params: params must be an object of named parameters, got ${got}` } };
}
