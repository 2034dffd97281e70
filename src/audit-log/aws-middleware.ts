/**
 * One audit record per AWS SDK operation: a middleware on each client's stack, outside the
 * read-only guard so refused operations are recorded too, and outside the retry loop so one
 * operation is one record (with its attempt count). The AWS request id it records is the
 * `requestID` CloudTrail shows for the same call.
 */
import type { HandlerExecutionContext, InitializeHandler, InitializeHandlerArguments, MetadataBearer, MiddlewareStack } from '@smithy/types';
import { InfraAuditError, describeError } from '../errors.js';
import { CLIENT_SERVICE } from '../aws/read-operations.js';
import { auditScope, type AuditScope } from './context.js';
import type { AwsCallInput } from './record.js';

export interface AwsCallRecorder {
  /** Record a finished AWS call; must not throw and must not delay the call. */
  recordAwsCall(call: Omit<AwsCallInput, 'caller' | 'mcpRequestId'>, scope: AuditScope | undefined): void;
}

interface SdkError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number };
}

const DENIED_AWS_ERRORS = /^(AccessDenied|AccessDeniedException|UnauthorizedOperation|AuthorizationError|InvalidClientTokenId|SignatureDoesNotMatch|ExpiredToken)$/;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyClient = { middlewareStack: MiddlewareStack<any, MetadataBearer> };

export const AWS_AUDIT_MIDDLEWARE = 'infraAuditAwsCallAudit';

/** Put the audit middleware on `client`; attach it before the read-only guard so it wraps it. */
export function attachAwsCallAudit<C extends AnyClient>(client: C, recorder: AwsCallRecorder, region: string): C {
  const clientName = client.constructor.name;
  const service = CLIENT_SERVICE[clientName] ?? clientName.replace(/Client$/, '').toLowerCase();
  client.middlewareStack.add(
    (next: InitializeHandler<object, MetadataBearer>, context: HandlerExecutionContext) => async (args: InitializeHandlerArguments<object>) => {
      const operation = String(context.commandName ?? '').replace(/Command$/, '');
      const scope = auditScope.getStore();
      const startedAt = Date.now();
      const base = { service, operation, region, input: args.input, startedAt };
      try {
        const result = await next(args);
        const meta = (result.output as MetadataBearer | undefined)?.$metadata;
        recorder.recordAwsCall(
          {
            ...base,
            durationMs: Date.now() - startedAt,
            outcome: 'success',
            ...(meta?.httpStatusCode !== undefined ? { httpStatus: meta.httpStatusCode } : {}),
            ...(meta?.requestId ? { awsRequestId: meta.requestId } : {}),
            ...(meta?.attempts !== undefined ? { attempts: meta.attempts } : {}),
          },
          scope,
        );
        return result;
      } catch (err) {
        const e = err as SdkError;
        const guard = err instanceof InfraAuditError;
        const errorCode = guard ? err.code : (e?.name ?? 'Error');
        recorder.recordAwsCall(
          {
            ...base,
            durationMs: Date.now() - startedAt,
            outcome: (guard && (err.code === 'READ_ONLY_VIOLATION' || err.code === 'SECRET_READ_REFUSED')) || DENIED_AWS_ERRORS.test(errorCode) ? 'denied' : 'error',
            errorCode,
            errorMessage: describeError(err).split('\n')[0]!,
            ...(e?.$metadata?.httpStatusCode !== undefined ? { httpStatus: e.$metadata.httpStatusCode } : {}),
            ...(e?.$metadata?.requestId ? { awsRequestId: e.$metadata.requestId } : {}),
            ...(e?.$metadata?.attempts !== undefined ? { attempts: e.$metadata.attempts } : {}),
          },
          scope,
        );
        throw err;
      }
    },
    { step: 'initialize', name: AWS_AUDIT_MIDDLEWARE, priority: 'high', override: true },
  );
  return client;
}
