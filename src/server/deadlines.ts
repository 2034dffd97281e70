/**
 * Per-call time limits with one timer per server instead of one per call. Every call of a
 * server has the same limit, so deadlines come in the order calls start: the calls in flight
 * are a queue, and the only deadline that can be due next is the oldest one still running.
 * One timer, set for that deadline, is all it takes. A call that ends marks its entry done
 * (done entries at the front are dropped at once); when the timer fires it expires what is
 * due and sets itself for the next running call. The timer is left set while calls come and
 * go, so a steady stream of short calls costs no timer work at all, and it is unref'd: it
 * never keeps the process alive.
 */

export interface Deadline {
  /** End tracking: the call finished (or failed) in time. */
  done(): void;
}

interface Entry extends Deadline {
  at: number;
  expire: (() => void) | undefined;
}

/** Compact the queue's array once this many done entries sit at its front. */
const COMPACT_AT = 1_024;

export class Deadlines {
  private queue: Entry[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  /** When the set timer fires (ms, this.clock), if it is set. */
  private timerAt = Number.POSITIVE_INFINITY;

  constructor(
    readonly timeoutMs: number,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** Calls being tracked (running, or done but behind a running one). */
  get size(): number {
    return this.queue.length - this.head;
  }

  /** Track a call that starts now: `expire` runs once, if the call is still running when its time is up. */
  start(expire: () => void): Deadline {
    const entry: Entry = {
      at: this.clock() + this.timeoutMs,
      expire,
      done: () => {
        if (entry.expire === undefined) return;
        entry.expire = undefined;
        this.dropDone();
      },
    };
    this.queue.push(entry);
    // Deadlines only grow: a timer set for an earlier one comes first and re-arms for this one.
    if (this.timer === undefined) this.arm(entry.at);
    return entry;
  }

  private dropDone(): void {
    while (this.head < this.queue.length && this.queue[this.head]!.expire === undefined) this.head++;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head >= COMPACT_AT) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  private arm(at: number): void {
    this.timerAt = at;
    this.timer = setTimeout(this.fire, Math.max(1, Math.ceil(at - this.clock())));
    this.timer.unref();
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    const now = this.clock();
    // Bounded: each pass takes one entry off the queue.
    while (this.head < this.queue.length) {
      const entry = this.queue[this.head]!;
      if (entry.expire !== undefined && entry.at > now) break;
      this.head++;
      const expire = entry.expire;
      entry.expire = undefined;
      expire?.();
    }
    this.dropDone();
    const next = this.queue[this.head];
    if (next !== undefined && this.timer === undefined) this.arm(next.at);
  };

  /** For tests: when the timer will next fire, if it is set. */
  get nextFireAt(): number {
    return this.timerAt;
  }
}
