/** Requests in flight per service (per service and region for regional ones). */
export const DEFAULT_CONCURRENCY = 10;

/**
 * The most `--concurrency` takes. The HTTP agent keeps at most 50 sockets per endpoint
 * (clients.ts), so more calls in flight would only queue in the agent; and AWS's per-account
 * API rate limits (tens to a few hundred requests a second for most read APIs) throttle long
 * before: a larger limit only buys throttling and retries.
 */
export const MAX_CONCURRENCY = 50;

/**
 * A counting semaphore: at most `limit` tasks run at once, the rest wait in arrival order.
 * One per service (and region) keeps an audit from stampeding an API that throttles per
 * account, while different services proceed side by side.
 */
export class Semaphore {
  private active = 0;
  // A queue with a moving head: Array#shift is O(n) on large arrays, and an audit of a big
  // account queues tens of thousands of calls here.
  private waiting: Array<() => void> = [];
  private head = 0;
  /** Most tasks ever running at once (for tests and the benchmark). */
  peak = 0;
  /** Most tasks ever waiting at once: what callers created ahead of the limit. */
  peakWaiting = 0;

  #limit: number;

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency limit must be a positive integer, got ${limit}`);
    this.#limit = limit;
  }

  /** Tasks allowed to run at once now. */
  get limit(): number {
    return this.#limit;
  }

  /** A new limit: a higher one lets waiting tasks start now; a lower one takes effect as running tasks finish. */
  protected setLimit(limit: number): void {
    this.#limit = limit;
    while (this.active < this.#limit && this.head < this.waiting.length) {
      this.active++;
      this.peak = Math.max(this.peak, this.active);
      this.waiting[this.head++]!();
    }
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.#limit) {
      this.active++;
      this.peak = Math.max(this.peak, this.active);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.peakWaiting = Math.max(this.peakWaiting, this.waiting.length - this.head);
    });
  }

  private release(): void {
    // Over a lowered limit: the slot is given up instead of passed on.
    if (this.active > this.#limit) {
      this.active--;
      return;
    }
    const next = this.head < this.waiting.length ? this.waiting[this.head++] : undefined;
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    // The slot passes straight to the next waiter, so `active` stays the same.
    if (next) next();
    else this.active--;
  }
}

/** Where an adaptive limit starts, and the ceilings it may grow to per service (documented in docs/aws-access.md). */
export const ADAPTIVE_START = 10;
export const DEFAULT_CEILING = 20;
export const SERVICE_CEILINGS: Readonly<Record<string, number>> = {
  // S3 serves thousands of requests a second per prefix; the socket cap is the limit.
  s3: MAX_CONCURRENCY,
  // IAM's control plane is global and rate-limited low: growing past 10 only earns throttling.
  iam: 10,
  sts: 10,
};

/**
 * Additive increase, multiplicative decrease, as TCP finds a link's capacity: the limit grows by
 * one for each window of `limit` calls that succeed, up to the ceiling, and halves when a call is
 * throttled. The throttles of calls already in flight when it halved carry no news, so it halves
 * at most once per window of answers.
 */
export class AimdLimiter extends Semaphore {
  private successes = 0;
  /** Answers (successes and throttles) since the last decrease. */
  private sinceDecrease = Number.POSITIVE_INFINITY;
  private windowAtDecrease = 0;
  throttles = 0;
  decreases = 0;
  peakLimit: number;

  constructor(
    start: number,
    readonly ceiling: number,
  ) {
    super(Math.max(1, Math.min(start, ceiling)));
    this.peakLimit = this.limit;
  }

  onSuccess(): void {
    this.sinceDecrease++;
    if (++this.successes < this.limit || this.limit >= this.ceiling) return;
    this.successes = 0;
    this.setLimit(this.limit + 1);
    this.peakLimit = Math.max(this.peakLimit, this.limit);
  }

  onThrottle(): void {
    this.throttles++;
    this.sinceDecrease++;
    if (this.sinceDecrease <= this.windowAtDecrease) return;
    this.windowAtDecrease = this.limit;
    this.sinceDecrease = 0;
    this.successes = 0;
    this.decreases++;
    this.setLimit(Math.max(1, Math.floor(this.limit / 2)));
  }
}
