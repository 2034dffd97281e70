/**
 * Group commit: records from concurrent calls queue up while a batch is being written; the
 * next batch takes all of them at once, seals them into the chain in queue order, and makes
 * them durable with one write (O_DSYNC, or write + fdatasync). A call is answered only after the batch
 * holding its record is durable; a batch that fails rejects every call in it (fail closed)
 * and leaves the chain where the last durable record left it.
 */
import { ChainHasher, GENESIS_HASH } from './chain.js';
import type { AuditRecord } from './record.js';
import type { AuditSink, ChainTip } from './file-sink.js';
import { InfraAuditError } from '../errors.js';

/** Where sealed batches go after they are durable (the forwarders' spools). */
export interface BatchObserver {
  accept(lines: Buffer, count: number): Promise<void>;
}

interface Pending {
  record: AuditRecord;
  resolve: () => void;
  reject: (err: unknown) => void;
}

const MAX_BATCH_RECORDS = 2_048;

export interface JournalStats {
  records: number;
  batches: number;
  failedBatches: number;
}

export class Journal {
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private tip: ChainTip;
  private carriedPrevFile: string | undefined;
  private closed = false;
  readonly stats: JournalStats = { records: 0, batches: 0, failedBatches: 0 };

  constructor(
    private readonly sink: AuditSink,
    private readonly hasher: ChainHasher,
    private readonly observers: BatchObserver[] = [],
    private readonly warn: (message: string) => void = () => {},
  ) {
    this.tip = sink.tip ?? { seq: 0, hash: GENESIS_HASH };
    this.carriedPrevFile = sink.continuesFile;
  }

  get description(): string {
    return this.sink.description;
  }

  /** Records waiting for the batch being written to finish (they go in the next one). */
  get queued(): number {
    return this.queue.length;
  }

  /** Resolves once `record` is durable in the sink; rejects (AUDIT_LOG_UNWRITABLE) if it cannot be. */
  append(record: AuditRecord): Promise<void> {
    if (this.closed) return Promise.reject(new InfraAuditError('AUDIT_LOG_UNWRITABLE', `the audit log ${this.sink.description} is closed`));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      this.flushing ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    // Bounded: each pass takes queued records; only callers add more.
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH_RECORDS);
      await this.commit(batch);
    }
    this.flushing = undefined;
  }

  private async commit(batch: Pending[]): Promise<void> {
    let prevFile: string | undefined;
    try {
      const rotated = this.sink.beforeBatch(Date.now());
      prevFile = (rotated instanceof Promise ? await rotated : rotated) ?? this.carriedPrevFile;
      let tip = this.tip;
      const lines: string[] = [];
      for (const [i, p] of batch.entries()) {
        const line = this.hasher.seal(p.record, tip, i === 0 ? prevFile : undefined);
        tip = { seq: p.record.unmapped.chain!.seq, hash: p.record.unmapped.chain!.hash };
        lines.push(line);
      }
      const data = Buffer.from(lines.join(''), 'utf8');
      await this.sink.write(data);
      this.tip = tip;
      this.carriedPrevFile = undefined;
      this.stats.records += batch.length;
      this.stats.batches += 1;
      for (const observer of this.observers) {
        // The file holds the record; a forwarder's spool that cannot take it must not fail the call.
        await observer.accept(data, batch.length).catch((err: unknown) => this.warn(`audit forwarder spool: ${err instanceof Error ? err.message : String(err)}`));
      }
      for (const p of batch) p.resolve();
    } catch (err) {
      this.carriedPrevFile = prevFile;
      this.stats.failedBatches += 1;
      for (const p of batch) {
        // Unseal, so a retried record is not left carrying a chain position it never got.
        delete p.record.unmapped.chain;
        p.reject(err);
      }
    }
  }

  /** Resolves once every record queued so far has been committed (or failed). */
  async flush(): Promise<void> {
    await this.flushing;
  }

  /** Wait for every queued record, then refuse new ones. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flushing;
    await this.sink.close();
  }
}
