/**
 * The audit's own per-call parts beside the read-only guard (read-only-guard.ts): the per-service
 * concurrency limit around each `send`, and on every client's stack a count of the HTTP requests
 * actually sent, each retry included, and the session's cancellation signal.
 */
import type { MiddlewareStack, Pluggable } from '@smithy/types';
import { AimdLimiter, type Semaphore } from './concurrency.js';

export interface CallCounter {
  apiCalls: number;
  /** Requests per "service:Operation". */
  byOperation: Record<string, number>;
  /**
   * Calls per service made (queued for a slot, in flight or retrying) and finished, retries not
   * counted apart: what a progress display shows and estimates the rest from.
   */
  byService?: Record<string, { started: number; finished: number; waiting?: number; resources?: number }>;
}

/**
 * A call under its service's concurrency limit: it holds its slot through its retries and their
 * backoff, and a call that got its answer widens an adaptive limit (throttles narrow it: retry.ts).
 * The session runs each `send` through it (session.ts), so a call takes a pooled client only once
 * it has a slot.
 */
export async function runLimited<T>(service: string, limiter: Semaphore, counter: CallCounter, call: () => Promise<T>): Promise<T> {
  const calls = counter.byService ? (counter.byService[service] ??= { started: 0, finished: 0 }) : undefined;
  if (calls) calls.started++;
  try {
    const result = await limiter.run(call);
    if (limiter instanceof AimdLimiter) limiter.onSuccess();
    return result;
  } finally {
    if (calls) calls.finished++;
  }
}

export function auditMiddleware(service: string, counter: CallCounter, signal?: AbortSignal): Pluggable<object, object> {
  return {
    applyToStack(stack: MiddlewareStack<object, object>) {
      if (signal) {
        // The retry middleware stops waiting to retry when the call context's signal aborts.
        stack.add(
          (next, context) => (args) => {
            ((context as { __smithy_context?: { abortSignal?: AbortSignal } }).__smithy_context ??= {}).abortSignal ??= signal;
            return next(args);
          },
          { step: 'initialize', name: 'infraAuditCancellation', priority: 'low' },
        );
      }
      // Deserialize step, below the retry middleware (finalizeRequest): runs once per attempt.
      stack.add(
        (next, context) => async (args) => {
          const key = `${service}:${String(context.commandName ?? 'Unknown').replace(/Command$/, '')}`;
          counter.apiCalls++;
          counter.byOperation[key] = (counter.byOperation[key] ?? 0) + 1;
          return next(args);
        },
        { step: 'deserialize', name: 'infraAuditCallCounter', priority: 'low' },
      );
    },
  };
}
