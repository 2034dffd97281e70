/**
 * The stdio transport of `serve`: newline-delimited JSON-RPC on stdin and stdout, as the MCP
 * stdio transport defines it. Each line is parsed once; a request the SDK would mishandle
 * (screenJsonRpc) is answered here with -32602 and never reaches the server. The SDK's own
 * stdio transport would need a second parse behind a filtering stream for that, which is a
 * stream hop and a JSON.parse on every call's path.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Readable, Writable } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { PreparedSend } from './durable-send.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { screenJsonRpc } from './jsonrpc-screen.js';

/** A line longer than this (no newline yet) is refused: the client is not speaking MCP. */
const MAX_LINE_CHARS = 10 * 1024 * 1024;

const REQUEST_MEMBERS = new Set(['jsonrpc', 'id', 'method', 'params']);

/**
 * The requests and notifications a client sends on every call, checked by hand against the
 * rules JSONRPCMessageSchema applies to them: only the members jsonrpc ("2.0"), id (a string
 * or a safe integer; none for a notification), method (a string) and params (an object), with
 * no `_meta` or `__proto__` in params. Anything else (responses, errors, `_meta`, other
 * members, other types) is left to the schema, which reports what is wrong. The value is fresh from
 * JSON.parse, so it is passed on as it is rather than copied.
 */
function plainRequest(value: unknown): JSONRPCMessage | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const message = value as Record<string, unknown>;
  for (const key in message) if (!REQUEST_MEMBERS.has(key)) return undefined;
  if (message.jsonrpc !== '2.0' || typeof message.method !== 'string') return undefined;
  if ('id' in message && typeof message.id !== 'string' && !Number.isSafeInteger(message.id)) return undefined;
  if ('params' in message) {
    const params = message.params;
    // The schema copies params member by member, which drops an own `__proto__`: that is left to it too.
    if (params === null || typeof params !== 'object' || Array.isArray(params) || Object.hasOwn(params, '_meta') || Object.hasOwn(params, '__proto__')) return undefined;
  }
  return message as JSONRPCMessage;
}

export class ScreenedStdioTransport implements Transport, PreparedSend {
  onmessage?: (message: JSONRPCMessage) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private started = false;

  constructor(
    private readonly input: Readable,
    private readonly output: Writable,
  ) {}

  async start(): Promise<void> {
    if (this.started) throw new Error('the stdio transport is already started');
    this.started = true;
    this.input.on('data', this.onData);
    this.input.on('error', this.onInputError);
  }

  private readonly onInputError = (error: Error) => this.onerror?.(error);

  private readonly onData = (chunk: Buffer | string) => {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let start = 0;
    for (let newline = this.pending.indexOf('\n'); newline >= 0; newline = this.pending.indexOf('\n', start)) {
      const end = newline > start && this.pending.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      this.receive(this.pending.slice(start, end));
      start = newline + 1;
    }
    this.pending = this.pending.slice(start);
    if (this.pending.length > MAX_LINE_CHARS) {
      this.pending = '';
      this.onerror?.(new Error(`a message on stdin is over ${MAX_LINE_CHARS} characters without a newline`));
    }
  };

  private receive(line: string): void {
    if (!line) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (err) {
      this.onerror?.(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    const screened = screenJsonRpc(parsed);
    if (screened) {
      this.output.write(`${JSON.stringify(screened)}\n`);
      return;
    }
    const plain = plainRequest(parsed);
    if (plain) {
      this.onmessage?.(plain);
      return;
    }
    const message = JSONRPCMessageSchema.safeParse(parsed);
    if (!message.success) {
      this.onerror?.(new Error(`not a JSON-RPC message: ${message.error.message}`));
      return;
    }
    this.onmessage?.(message.data);
  }

  send(message: JSONRPCMessage): Promise<void> {
    try {
      return this.sendPrepared(this.prepare(message));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** The line `send` would write for `message` (PreparedSend: serialized apart from the write). */
  prepare(message: JSONRPCMessage): string {
    return `${JSON.stringify(message)}\n`;
  }

  /** Write a line made by `prepare`; resolves once the stream takes more. */
  sendPrepared(line: string): Promise<void> {
    if (this.output.write(line)) return Promise.resolve();
    return new Promise((resolve) => this.output.once('drain', resolve));
  }

  async close(): Promise<void> {
    this.input.off('data', this.onData);
    this.input.off('error', this.onInputError);
    // Leave stdin flowing only if someone else still reads it.
    if (this.input.listenerCount('data') === 0) this.input.pause();
    this.pending = '';
    this.onclose?.();
  }
}
