/**
 * The MCP request an AWS call is made for. The call wrapper opens a scope around each
 * request; the SDK middleware reads it, so AWS records carry the request id without tools
 * passing anything along.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Caller } from '../server/tool.js';

export interface AuditScope {
  requestId: string;
  caller: Caller;
  /** Records of AWS calls made in this scope, not yet durable: the request's record waits for them. */
  pending: Array<Promise<void>>;
  /** Set by the tool wrapper once it has taken charge of the request's record. */
  recorded: boolean;
}

export const auditScope = new AsyncLocalStorage<AuditScope>();
