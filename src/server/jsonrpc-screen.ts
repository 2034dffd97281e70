/**
 * What the SDK's transports do not answer well, answered before they see it. A request whose
 * `params` is not an object (JSON-RPC by-position parameters, null, a string) is not an MCP
 * message: the stdio transport drops it without a reply (the client waits forever) and the
 * HTTP transport calls it a parse error. Both get -32602 here, naming what is wrong.
 */
import { StringDecoder } from 'node:string_decoder';
import { Transform, type Readable } from 'node:stream';

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

/**
 * stdin for the stdio transport, minus the requests `screenJsonRpc` answers: those are replied
 * to through `reply` (one JSON line) and never reach the transport. Lines are newline-delimited
 * JSON-RPC, as the MCP stdio transport defines them.
 */
export function screenedStdin(input: Readable, reply: (line: string) => void): Readable {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  const screen = (line: string): string => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return line; // the transport reports what it cannot parse
    }
    const error = screenJsonRpc(parsed);
    if (!error) return line;
    reply(`${JSON.stringify(error)}\n`);
    return '';
  };
  const filter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      pending += decoder.write(chunk);
      let out = '';
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        out += screen(pending.slice(0, nl + 1));
        pending = pending.slice(nl + 1);
      }
      done(null, out);
    },
    flush(done) {
      done(null, pending + decoder.end());
    },
  });
  return input.pipe(filter);
}
