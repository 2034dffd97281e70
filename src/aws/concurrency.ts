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

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency limit must be a positive integer, got ${limit}`);
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
    if (this.active < this.limit) {
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
