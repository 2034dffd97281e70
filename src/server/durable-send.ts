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

/** The id a message answers, if it is a response (a result or an error), else undefined. */
function answeredId(message: JSONRPCMessage): RequestId | undefined {
  return 'id' in message && ('result' in message || 'error' in message) ? message.id : undefined;
}

export class DurabilityGate {
  private readonly waiting = new Map<RequestId, Promise<Withheld>>();
  private guarded = false;

  /**
   * Make `send` of `transport` hold the response to a deferred request until its record is
   * durable (or replace it by the withheld-result error). Patched in place: the SDK sets its
   * handlers on the transport object it is given.
   */
  guard(transport: Transport): void {
    const send = transport.send.bind(transport);
    transport.send = async (message, options) => {
      const id = answeredId(message);
      const waiting = id === undefined ? undefined : this.waiting.get(id);
      if (waiting === undefined) return send(message, options);
      this.waiting.delete(id!);
      const withheld = await waiting;
      return send(withheld ? { jsonrpc: '2.0', id: id!, result: withheld } : message, options);
    };
    this.guarded = true;
  }

  /**
   * Let the response to request `id` go ahead of its record's sync: returns false (the caller
   * must then await `durable` itself) when no transport is guarded, or another response with
   * that id is already waiting (a client reusing an id must not let one wait cover the other).
   */
  defer(id: RequestId | undefined, durable: Promise<void>, withheld: (err: unknown) => CallToolResult, signal?: AbortSignal): boolean {
    if (!this.guarded || id === undefined || this.waiting.has(id)) return false;
    const waiting = durable.then(() => undefined, withheld);
    this.waiting.set(id, waiting);
    // A cancelled request gets no response, so nothing would take its entry.
    signal?.addEventListener('abort', () => void (this.waiting.get(id) === waiting && this.waiting.delete(id)), { once: true });
    return true;
  }
}
