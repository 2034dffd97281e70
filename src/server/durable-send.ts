/**
 * Durable before visible, without making the response wait in line for the disk. A tool call's
 * audit record is handed to the log and the result goes on through the SDK (output
 * validation, result parsing, building the response) while the record's sync runs; the
 * transport's send is what waits for it. So the record is still on disk before a byte of the
 * result is written to the client, and the SDK's own work after the handler overlaps the sync
 * instead of following it. A record that cannot be made durable turns the response into the
 * withheld-result error, for the same request id.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult, JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';

type Withheld = CallToolResult | undefined;

/**
 * A transport that can serialize a message apart from writing it (the stdio transport): the
 * gate serializes a held response while its record syncs, so once the record is durable
 * only the write is left.
 */
export interface PreparedSend {
  prepare(message: JSONRPCMessage): string;
  sendPrepared(prepared: string): Promise<void>;
}

function canPrepare(transport: Transport): transport is Transport & PreparedSend {
  return typeof (transport as Partial<PreparedSend>).prepare === 'function' && typeof (transport as Partial<PreparedSend>).sendPrepared === 'function';
}

/** The id a message answers, if it is a response (a result or an error), else undefined. */
function answeredId(message: JSONRPCMessage): RequestId | undefined {
  return 'id' in message && ('result' in message || 'error' in message) ? message.id : undefined;
}

interface Waiting {
  /** Resolves once the record is durable: to undefined, or to the withheld-result error when it cannot be. */
  withheld: Promise<Withheld>;
  /** The request's signal: once aborted (cancelled) no response comes to take this entry. */
  signal: AbortSignal | undefined;
}

/** Entries of cancelled requests are swept out once the map reaches this size (then twice what is left). */
const MIN_SWEEP_AT = 64;

export class DurabilityGate {
  private readonly waiting = new Map<RequestId, Waiting>();
  private sweepAt = MIN_SWEEP_AT;
  private guarded = false;

  /**
   * Make `send` of `transport` hold the response to a deferred request until its record is
   * durable (or replace it by the withheld-result error). Patched in place: the SDK sets its
   * handlers on the transport object it is given.
   */
  guard(transport: Transport): void {
    const send = transport.send.bind(transport);
    const prepared = canPrepare(transport) ? transport : undefined;
    transport.send = (message, options) => {
      const id = answeredId(message);
      const entry = id === undefined ? undefined : this.waiting.get(id);
      if (entry === undefined) return send(message, options);
      this.waiting.delete(id!);
      // Serialized now, while the record syncs; written once it is durable. (A message that
      // cannot be serialized fails in send, as it would have.)
      let text: string | undefined;
      try {
        text = prepared?.prepare(message);
      } catch {
        text = undefined;
      }
      return entry.withheld.then((withheld) => {
        if (withheld) return send({ jsonrpc: '2.0', id: id!, result: withheld }, options);
        return text !== undefined ? prepared!.sendPrepared(text) : send(message, options);
      });
    };
    this.guarded = true;
  }

  /**
   * Let the response to request `id` go ahead of its record's sync: returns false (the caller
   * must then await `durable` itself) when no transport is guarded, the request is already
   * cancelled (no response will be sent), or another response with that id is already
   * waiting (a client reusing an id must not let one wait cover the other).
   */
  defer(id: RequestId | undefined, durable: Promise<void>, withheld: (err: unknown) => CallToolResult, signal?: AbortSignal): boolean {
    if (!this.guarded || id === undefined || signal?.aborted || this.waiting.has(id)) return false;
    this.waiting.set(id, { withheld: durable.then(() => undefined, withheld), signal });
    // A request cancelled after this gets no response, so nothing takes its entry: swept here
    // when the map has grown, which bounds it without a listener on every request's signal.
    if (this.waiting.size >= this.sweepAt) {
      for (const [key, entry] of this.waiting) if (entry.signal?.aborted) this.waiting.delete(key);
      this.sweepAt = Math.max(MIN_SWEEP_AT, 2 * this.waiting.size);
    }
    return true;
  }

  /** Responses waiting for their records (for tests). */
  get size(): number {
    return this.waiting.size;
  }
}
