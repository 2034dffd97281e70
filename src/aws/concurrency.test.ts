import { describe, expect, it } from 'vitest';
import { Semaphore } from './concurrency.js';

describe('Semaphore', () => {
  it('never runs more than its limit, and serves waiters in arrival order', async () => {
    const limit = new Semaphore(3);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        limit.run(async () => {
          running++;
          most = Math.max(most, running);
          order.push(i);
          await new Promise((r) => setTimeout(r, 1));
          running--;
        }),
      ),
    );
    expect(most).toBe(3);
    expect(limit.peak).toBe(3);
    expect(order).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('keeps arrival order across queue compaction, with tens of thousands waiting', async () => {
    const limit = new Semaphore(2);
    const order: number[] = [];
    const n = 30_000;
    await Promise.all(Array.from({ length: n }, (_, i) => limit.run(async () => void order.push(i))));
    expect(order.length).toBe(n);
    expect(order.every((v, i) => v === i)).toBe(true);
  });

  it('releases the slot when a task fails', async () => {
    const limit = new Semaphore(1);
    await expect(limit.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limit.run(async () => 'next')).resolves.toBe('next');
  });
});
