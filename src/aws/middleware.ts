/**
 * The audit's own middleware, added once to every client's stack beside the read-only guard
 * (read-only-guard.ts): the per-service concurrency limit, and a count of the HTTP requests
 * actually sent, each retry included.
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

export function auditMiddleware(service: string, limiter: Semaphore, counter: CallCounter): Pluggable<object, object> {
  return {
    applyToStack(stack: MiddlewareStack<object, object>) {
      // Initialize step, so a call holds its slot through its retries and their backoff.
      stack.add(
        (next) => async (args) => {
          const calls = counter.byService ? (counter.byService[service] ??= { started: 0, finished: 0 }) : undefined;
          if (calls) calls.started++;
          try {
            const result = await limiter.run(() => next(args));
            // A call that got its answer widens an adaptive limit (throttles narrow it: retry.ts).
            if (limiter instanceof AimdLimiter) limiter.onSuccess();
            return result;
          } finally {
            if (calls) calls.finished++;
          }
        },
        { step: 'initialize', name: 'infraAuditConcurrencyLimit', priority: 'low' },
      );
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
