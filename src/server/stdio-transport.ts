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
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { screenJsonRpc } from './jsonrpc-screen.js';

/** A line longer than this (no newline yet) is refused: the client is not speaking MCP. */
const MAX_LINE_CHARS = 10 * 1024 * 1024;

export class ScreenedStdioTransport implements Transport {
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
    const message = JSONRPCMessageSchema.safeParse(parsed);
    if (!message.success) {
      this.onerror?.(new Error(`not a JSON-RPC message: ${message.error.message}`));
      return;
    }
    this.onmessage?.(message.data);
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve) => {
      if (this.output.write(`${JSON.stringify(message)}\n`)) resolve();
      else this.output.once('drain', resolve);
    });
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
