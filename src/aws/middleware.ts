/**
 * Cross-cutting behaviour added once to every client's middleware stack, never at call
 * sites: the read-only line, the per-service concurrency limit, and a count of the HTTP
 * requests actually sent (each retry included).
 */
import type { MiddlewareStack, Pluggable } from '@smithy/types';
import { InfraAuditError } from '../errors.js';
import type { Semaphore } from './concurrency.js';

/**
 * Operations that change nothing. AssumeRole only mints session credentials for the audit;
 * GenerateCredentialReport asks IAM to (re)build a report that it keeps for four hours.
 */
const READ_ONLY_OPERATION = /^(Get|List|Describe|Head)[A-Z]/;
const READ_ONLY_EXCEPTIONS = new Set(['AssumeRole', 'GenerateCredentialReport']);

export function isReadOnlyOperation(operation: string): boolean {
  return READ_ONLY_OPERATION.test(operation) || READ_ONLY_EXCEPTIONS.has(operation);
}

export interface CallCounter {
  apiCalls: number;
  /** Requests per "service:Operation". */
  byOperation: Record<string, number>;
}

function operationName(commandName: unknown): string {
  return typeof commandName === 'string' ? commandName.replace(/Command$/, '') : 'Unknown';
}

export function auditMiddleware(service: string, limiter: Semaphore, counter: CallCounter): Pluggable<object, object> {
  return {
    applyToStack(stack: MiddlewareStack<object, object>) {
      stack.add(
        (next, context) => async (args) => {
          const operation = operationName(context.commandName);
          if (!isReadOnlyOperation(operation)) {
            throw new InfraAuditError('READ_ONLY_VIOLATION', `refused ${service}:${operation}: infra-audit only reads`, {
              hint: 'this is a bug in infra-audit; no command may change your infrastructure',
            });
          }
          return limiter.run(() => next(args));
        },
        { step: 'initialize', name: 'infraAuditReadOnlyAndLimit', priority: 'high' },
      );
      // Below the retry middleware (finalizeRequest), so every attempt is counted.
      stack.add(
        (next, context) => async (args) => {
          const key = `${service}:${operationName(context.commandName)}`;
          counter.apiCalls++;
          counter.byOperation[key] = (counter.byOperation[key] ?? 0) + 1;
          return next(args);
        },
        { step: 'deserialize', name: 'infraAuditCallCounter', priority: 'low' },
      );
    },
  };
}
