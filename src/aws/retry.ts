/**
 * Retry with exponential backoff and full jitter, as the SDK's retry middleware asks of a
 * RetryStrategyV2. Ours rather than the SDK's `retryMode: 'adaptive'`: in this SDK version
 * a throttled call waits on a 1 s base, and the adaptive client-side rate limiter floors at
 * 0.5 requests per second once it engages, so 200 calls under a 30% throttle took 175 s
 * adaptive against 6 s standard (measured on the sandbox). Throttling already meets our
 * per-service concurrency limit, which holds its slot during the backoff; what remains is
 * to wait a growing, randomised time and try again, a bounded number of times.
 */
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';

export interface RetryOptions {
  /** Attempts per call, the first included. */
  maxAttempts?: number;
  /** Backoff base after a throttling error, in ms (doubles each retry, full jitter). */
  throttleBaseDelayMs?: number;
  /** Backoff base after a transient (network, 5xx) error, in ms. */
  transientBaseDelayMs?: number;
  /** Longest single wait, in ms. */
  maxDelayMs?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 8;

/**
 * Attempts for a call that timed out (connect or request timeout). An endpoint that did not
 * answer within the timeout twice in a row is not answering: eight attempts of 30 s each would
 * hold one read for four minutes.
 */
export const MAX_TIMEOUT_ATTEMPTS = 2;

/** Counts shared by every client of one audit, for the run's stats. */
export interface RetryCounters {
  retries: number;
  throttled: number;
  /** Calls that failed after exhausting their attempts on a retryable error. */
  exhausted: number;
}

class AttemptToken implements RetryToken {
  constructor(
    private readonly count: number,
    private readonly delay: number,
  ) {}
  getRetryCount(): number {
    return this.count;
  }
  getRetryDelay(): number {
    return this.delay;
  }
}

export class BackoffRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'standard';
  readonly maxAttempts: number;
  private readonly throttleBase: number;
  private readonly transientBase: number;
  private readonly maxDelay: number;

  constructor(
    options: RetryOptions = {},
    readonly counters: RetryCounters = { retries: 0, throttled: 0, exhausted: 0 },
    private readonly random: () => number = Math.random,
    /** Told of every throttled attempt (the adaptive concurrency limit halves on it). */
    private readonly onThrottle?: () => void,
  ) {
    this.maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    this.throttleBase = options.throttleBaseDelayMs ?? 200;
    this.transientBase = options.transientBaseDelayMs ?? 50;
    this.maxDelay = options.maxDelayMs ?? 10_000;
  }

  async acquireInitialRetryToken(): Promise<RetryToken> {
    return new AttemptToken(0, 0);
  }

  async refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    const throttled = errorInfo.errorType === 'THROTTLING';
    if (throttled) {
      this.counters.throttled++;
      this.onThrottle?.();
    }
    // CLIENT_ERROR (AccessDenied, NoSuchBucketPolicy, validation) is an answer, not a hiccup.
    const retryable = throttled || errorInfo.errorType === 'TRANSIENT' || errorInfo.errorType === 'SERVER_ERROR';
    const attempt = token.getRetryCount() + 1;
    if (!retryable) throw new Error('not retryable');
    const timedOut = errorInfo.error?.name === 'TimeoutError';
    if (attempt >= (timedOut ? Math.min(MAX_TIMEOUT_ATTEMPTS, this.maxAttempts) : this.maxAttempts)) {
      this.counters.exhausted++;
      throw new Error('retry attempts exhausted');
    }
    const base = throttled ? this.throttleBase : this.transientBase;
    let delay = Math.floor(this.random() * Math.min(this.maxDelay, base * 2 ** (attempt - 1)));
    if (errorInfo.retryAfterHint) delay = Math.max(delay, Math.min(this.maxDelay, errorInfo.retryAfterHint.getTime() - Date.now()));
    this.counters.retries++;
    return new AttemptToken(attempt, delay);
  }

  recordSuccess(): void {}
}
