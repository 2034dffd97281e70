import { describe, expect, it } from 'vitest';
import { BackoffRetryStrategy } from './retry.js';
import { Semaphore } from './concurrency.js';

describe('BackoffRetryStrategy', () => {
  const throttled = { errorType: 'THROTTLING' as const };

  it('retries throttling with exponential backoff under full jitter, up to maxAttempts', async () => {
    const strategy = new BackoffRetryStrategy({ maxAttempts: 4, throttleBaseDelayMs: 100 }, undefined, () => 0.999);
    let token = await strategy.acquireInitialRetryToken();
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      token = await strategy.refreshRetryTokenForRetry(token, throttled);
      delays.push(token.getRetryDelay());
    }
    expect(delays).toEqual([99, 199, 399]);
    await expect(strategy.refreshRetryTokenForRetry(token, throttled)).rejects.toThrow('exhausted');
    expect(strategy.counters).toEqual({ retries: 3, throttled: 4, exhausted: 1 });
  });

  it('caps a single wait, and honours a Retry-After hint within the cap', async () => {
    const strategy = new BackoffRetryStrategy({ maxAttempts: 30, throttleBaseDelayMs: 1000, maxDelayMs: 5000 }, undefined, () => 0.999);
    let token = await strategy.acquireInitialRetryToken();
    for (let i = 0; i < 10; i++) token = await strategy.refreshRetryTokenForRetry(token, throttled);
    expect(token.getRetryDelay()).toBeLessThanOrEqual(5000);
    const hinted = await strategy.refreshRetryTokenForRetry(await strategy.acquireInitialRetryToken(), { errorType: 'THROTTLING', retryAfterHint: new Date(Date.now() + 3000) });
    expect(hinted.getRetryDelay()).toBeGreaterThan(2500);
  });

  it('retries transient and server errors, never client errors such as AccessDenied', async () => {
    const strategy = new BackoffRetryStrategy({ maxAttempts: 5 });
    const first = await strategy.acquireInitialRetryToken();
    await expect(strategy.refreshRetryTokenForRetry(first, { errorType: 'TRANSIENT' })).resolves.toBeDefined();
    await expect(strategy.refreshRetryTokenForRetry(first, { errorType: 'SERVER_ERROR' })).resolves.toBeDefined();
    await expect(strategy.refreshRetryTokenForRetry(first, { errorType: 'CLIENT_ERROR' })).rejects.toThrow('not retryable');
  });
});

describe('Semaphore', () => {
  it('runs at most `limit` tasks at once, in arrival order, and passes results and errors through', async () => {
    const gate = new Semaphore(2);
    let running = 0;
    const started: number[] = [];
    const task = (i: number) => async () => {
      started.push(i);
      running++;
      expect(running).toBeLessThanOrEqual(2);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      if (i === 3) throw new Error('task 3 failed');
      return i * 10;
    };
    const results = await Promise.allSettled([0, 1, 2, 3, 4, 5].map((i) => gate.run(task(i))));
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(gate.peak).toBe(2);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([0, 10, 20, 'task 3 failed', 40, 50]);
  });

  it('refuses a limit below one', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});
