/**
 * Forwarding to a SIEM, asynchronously and without loss while the SIEM is down: each
 * durable batch is also appended to this forwarder's spool file; a background loop sends
 * the spool from a saved cursor, advancing it only on a 2xx, and backs off (exponentially,
 * with jitter) while the receiver fails. Delivery is at least once: every record carries a
 * unique metadata.uid for the receiver to de-duplicate on.
 */
import { open, readFile, rename, writeFile, mkdir, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BatchObserver } from './journal.js';

export type ForwarderFormat = 'splunk-hec' | 'webhook';

export interface ForwarderOptions {
  name: string;
  format: ForwarderFormat;
  url: string;
  /** Splunk HEC token (sent as `Authorization: Splunk <token>`) or webhook bearer token. */
  token?: string;
  spoolDir: string;
  /** The spool's bound; beyond it records are not spooled (the audit file still has them). */
  maxSpoolBytes?: number;
  maxBatchBytes?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  requestTimeoutMs?: number;
  /** HEC `source` / `sourcetype`. */
  source?: string;
  sourcetype?: string;
  warn?: (message: string) => void;
}

export interface ForwarderStats {
  sent: number;
  failedAttempts: number;
  droppedFromSpool: number;
  pendingBytes: number;
}

const DEFAULT_MAX_SPOOL = 256 * 1024 * 1024;
const COMPACT_AT = 8 * 1024 * 1024;

export class Forwarder implements BatchObserver {
  private spool!: FileHandle;
  private spoolSize = 0;
  private cursor = 0;
  /** Serializes spool appends with compaction. */
  private lock: Promise<unknown> = Promise.resolve();
  private wake: (() => void) | undefined;
  private stopped = false;
  private readonly stopController = new AbortController();
  private loop: Promise<void> | undefined;
  private overflowing = false;
  readonly stats: ForwarderStats = { sent: 0, failedAttempts: 0, droppedFromSpool: 0, pendingBytes: 0 };
  private readonly spoolPath: string;
  private readonly cursorPath: string;

  private constructor(private readonly options: ForwarderOptions) {
    this.spoolPath = join(options.spoolDir, `${options.name}.spool.jsonl`);
    this.cursorPath = join(options.spoolDir, `${options.name}.cursor`);
  }

  static async start(options: ForwarderOptions): Promise<Forwarder> {
    const forwarder = new Forwarder(options);
    await mkdir(options.spoolDir, { recursive: true, mode: 0o750 });
    forwarder.spool = await open(forwarder.spoolPath, 'a+', 0o640);
    forwarder.spoolSize = (await forwarder.spool.stat()).size;
    const saved = Number((await readFile(forwarder.cursorPath, 'utf8').catch(() => '0')).trim());
    forwarder.cursor = Number.isInteger(saved) && saved >= 0 && saved <= forwarder.spoolSize ? saved : 0;
    forwarder.loop = forwarder.run();
    return forwarder;
  }

  /** Called by the journal after a batch is durable in the audit file. */
  accept(lines: Buffer, count: number): Promise<void> {
    return this.serialized(async () => {
      const max = this.options.maxSpoolBytes ?? DEFAULT_MAX_SPOOL;
      if (this.spoolSize - this.cursor + lines.length > max) {
        this.stats.droppedFromSpool += count;
        if (!this.overflowing) this.options.warn?.(`audit forwarder ${this.options.name}: spool full (${max} bytes), records are not being spooled; they remain in the audit log file (backfill with \`infra-audit log query --format json\`)`);
        this.overflowing = true;
        return;
      }
      this.overflowing = false;
      await this.spool.write(lines, 0, lines.length, null);
      this.spoolSize += lines.length;
      this.wake?.();
    });
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  private async run(): Promise<void> {
    let backoff = this.options.initialBackoffMs ?? 250;
    const maxBackoff = this.options.maxBackoffMs ?? 30_000;
    // Runs until stop(); each pass sends one batch or waits.
    while (!this.stopped) {
      const batch = await this.serialized(() => this.readBatch());
      this.stats.pendingBytes = this.spoolSize - this.cursor;
      if (!batch) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, 1_000).unref();
        });
        this.wake = undefined;
        continue;
      }
      const failure = await this.send(batch.lines);
      if (failure) {
        this.stats.failedAttempts += 1;
        if (this.stats.failedAttempts === 1 || this.stats.failedAttempts % 20 === 0) this.options.warn?.(`audit forwarder ${this.options.name}: ${failure}; retrying (records are kept in the spool)`);
        const delay = Math.round(backoff * (0.5 + Math.random() / 2));
        backoff = Math.min(maxBackoff, backoff * 2);
        // New records do not cut a back-off short; only stop() does.
        await sleep(delay, undefined, { ref: false, signal: this.stopController.signal }).catch(() => undefined);
        continue;
      }
      backoff = this.options.initialBackoffMs ?? 250;
      this.stats.sent += batch.lines.length;
      await this.serialized(() => this.advance(batch.bytes));
    }
  }

  private async readBatch(): Promise<{ lines: string[]; bytes: number } | undefined> {
    const available = this.spoolSize - this.cursor;
    if (available <= 0) return undefined;
    const size = Math.min(available, this.options.maxBatchBytes ?? 512 * 1024);
    const buffer = Buffer.alloc(size);
    const { bytesRead } = await this.spool.read(buffer, 0, size, this.cursor);
    let end = buffer.subarray(0, bytesRead).lastIndexOf(0x0a) + 1;
    if (end === 0) {
      // One record larger than a batch: read exactly that line.
      const big = Buffer.alloc(available);
      await this.spool.read(big, 0, available, this.cursor);
      end = big.indexOf(0x0a) + 1;
      if (end === 0) return undefined;
      return { lines: [big.subarray(0, end - 1).toString('utf8')], bytes: end };
    }
    const lines = buffer.subarray(0, end - 1).toString('utf8').split('\n');
    return { lines, bytes: end };
  }

  private async advance(bytes: number): Promise<void> {
    this.cursor += bytes;
    if (this.cursor === this.spoolSize && this.spoolSize >= COMPACT_AT) {
      await this.spool.truncate(0);
      this.spoolSize = 0;
      this.cursor = 0;
    }
    // Losing a cursor update only re-sends records, which receivers de-duplicate by id.
    const tmp = `${this.cursorPath}.tmp`;
    await writeFile(tmp, String(this.cursor));
    await rename(tmp, this.cursorPath);
    this.stats.pendingBytes = this.spoolSize - this.cursor;
  }

  private body(lines: string[]): { body: string; headers: Record<string, string> } {
    if (this.options.format === 'splunk-hec') {
      const host = hostname();
      const events = lines.map((line) => {
        const event = JSON.parse(line) as { time: number };
        return JSON.stringify({ time: event.time / 1000, host, source: this.options.source ?? 'infra-audit-mcp', sourcetype: this.options.sourcetype ?? 'infra-audit:ocsf', event });
      });
      return { body: events.join('\n'), headers: { 'content-type': 'application/json', ...(this.options.token ? { authorization: `Splunk ${this.options.token}` } : {}) } };
    }
    return { body: `[${lines.join(',')}]`, headers: { 'content-type': 'application/json', ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}) } };
  }

  /** Undefined on success, else why it failed. */
  private async send(lines: string[]): Promise<string | undefined> {
    const { body, headers } = this.body(lines);
    try {
      const res = await fetch(this.options.url, { method: 'POST', headers, body, signal: AbortSignal.any([AbortSignal.timeout(this.options.requestTimeoutMs ?? 10_000), this.stopController.signal]) });
      await res.arrayBuffer().catch(() => undefined);
      return res.ok ? undefined : `${this.options.url} answered HTTP ${res.status}`;
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      return `${this.options.url} unreachable (${cause ?? (err instanceof Error ? err.message : String(err))})`;
    }
  }

  /** Wait (up to `graceMs`) for the spool to drain, then stop; what remains is sent next start. */
  async stop(graceMs = 2_000): Promise<void> {
    const deadline = Date.now() + graceMs;
    // Bounded by the deadline.
    while (this.spoolSize > this.cursor && Date.now() < deadline) await sleep(25);
    this.stopped = true;
    this.stopController.abort();
    this.wake?.();
    await this.loop;
    await this.spool.close();
  }
}
