/**
 * Adaptive concurrency (issue 16 item 2): each service's limit grows while calls succeed, up to
 * its ceiling, and halves when the service throttles. Against the sandbox's concurrency-based
 * throttle (requests beyond N in flight are throttled, as AWS's rate limits behave), through the
 * real SDK clients.
 */
import { describe, expect, it } from 'vitest';
import { generateAccount, parseGenerateSpec } from '../sandbox/account/generate.js';
import { auditSandbox } from '../test-support/audit.js';
import { useSandbox } from '../test-support/sandbox.js';
import { AimdLimiter } from './concurrency.js';

const account = generateAccount(parseGenerateSpec('buckets=300'), 5).account;

describe('adaptive concurrency against a service that throttles above 6 requests in flight', () => {
  const env = useSandbox(account, { throttleAboveInFlight: 6, latencyMs: 5 });

  it('completes with every read accounted for, and the limit settles near what the service takes', async () => {
    const audit = await auditSandbox(env.endpoint, { checks: ['s3_bucket_versioning', 's3_bucket_default_encryption'], concurrency: 40, maxAttempts: 12, retry: { throttleBaseDelayMs: 5 } });
    expect(audit.errors).toEqual([]);
    expect(audit.findings.filter((f) => f.status === 'error')).toEqual([]);
    expect(audit.findings).toHaveLength(600);
    const s3 = audit.stats.adaptiveLimits.s3!;
    // It was throttled and backed off, more than once...
    expect(s3.throttles).toBeGreaterThan(0);
    expect(s3.decreases).toBeGreaterThan(0);
    // ...and never came near its ceiling of 40: the limit follows the service, not the flag.
    expect(s3.peak).toBeLessThan(20);
    expect(s3.final).toBeLessThanOrEqual(12);
    // Throttled attempts stay a small share of the calls: the rate converged instead of hammering.
    expect(s3.throttles / audit.stats.apiCalls).toBeLessThan(0.25);
    expect(env.sandbox.stats().faults.throttled).toBe(audit.stats.throttled);
  });
});

describe('adaptive concurrency against a service that does not throttle', () => {
  const env = useSandbox(account);

  it('grows to the ceiling --concurrency sets, and no further', async () => {
    const audit = await auditSandbox(env.endpoint, { checks: ['s3_bucket_versioning'], concurrency: 16 });
    expect(audit.stats.adaptiveLimits.s3).toMatchObject({ peak: 16, throttles: 0, decreases: 0 });
    expect(audit.stats.peakInFlight.s3).toBeLessThanOrEqual(16);
  });

  it('holds a fixed limit with adaptive off (the old behaviour, for comparison)', async () => {
    const audit = await auditSandbox(env.endpoint, { checks: ['s3_bucket_versioning'], concurrency: 16, adaptive: false });
    expect(audit.stats.adaptiveLimits).toEqual({});
    expect(audit.stats.peakInFlight.s3).toBe(16);
  });
});

describe('AimdLimiter', () => {
  it('adds one per window of successes, halves on a throttle once per window, never below 1', () => {
    const limiter = new AimdLimiter(4, 8);
    for (let i = 0; i < 4; i++) limiter.onSuccess();
    expect(limiter.limit).toBe(5);
    limiter.onThrottle();
    expect(limiter.limit).toBe(2);
    // Throttles of the 5 calls that were in flight at the decrease carry no news: no second halving.
    for (let i = 0; i < 5; i++) limiter.onThrottle();
    expect(limiter.limit).toBe(2);
    limiter.onThrottle();
    expect(limiter.limit).toBe(1);
    for (let i = 0; i < 5; i++) limiter.onThrottle();
    expect(limiter.limit).toBe(1);
    for (let i = 0; i < 100; i++) limiter.onSuccess();
    expect(limiter.limit).toBe(8);
  });

  it('starts waiting tasks when the limit grows, and lets a lowered limit take effect as tasks finish', async () => {
    const limiter = new AimdLimiter(1, 4);
    const gates: Array<() => void> = [];
    let running = 0;
    let peak = 0;
    const task = () => limiter.run(() => new Promise<void>((resolve) => {
      running++;
      peak = Math.max(peak, running);
      gates.push(() => {
        running--;
        resolve();
      });
    }));
    const all = Promise.all(Array.from({ length: 6 }, task));
    await Promise.resolve();
    expect(running).toBe(1);
    limiter.onSuccess();
    expect(limiter.limit).toBe(2);
    await Promise.resolve();
    expect(running).toBe(2);
    limiter.onThrottle();
    expect(limiter.limit).toBe(1);
    // Both keep running; neither slot is passed on until the count is under the new limit.
    gates.shift()!();
    await new Promise((r) => setImmediate(r));
    expect(running).toBe(1);
    while (gates.length) {
      gates.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    await all;
    expect(peak).toBe(2);
  });
});
