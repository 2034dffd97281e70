/**
 * The durable sink: an append-only JSONL file. A batch is written and fdatasync'ed before
 * any of its calls is answered. One process writes a log at a time (a lock file), a torn
 * tail left by a crash is set aside on open, and rotation renames the full file so each new
 * file's first record chains from the last record of the one before and names it.
 */
import { constants, fdatasync, write as writeFd } from 'node:fs';
import { open, readdir, rename, stat, writeFile, readFile, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { Writable } from 'node:stream';
import { InfraAuditError } from '../errors.js';

export interface ChainTip {
  seq: number;
  hash: string;
}

export interface AuditSink {
  readonly description: string;
  /** The last record already in the sink when it opened (absent: a new chain). */
  readonly tip: ChainTip | undefined;
  /** Set when the sink's first record must name the file it continues. */
  readonly continuesFile: string | undefined;
  /**
   * Before a batch is sealed: rotate if due, returning the closed file's name for the first
   * record. Answers at once (no promise) unless it rotates, so a batch's write starts in the
   * same turn as the call that queued it.
   */
  beforeBatch(now: number): string | undefined | Promise<string | undefined>;
  /** Write a batch; resolves only once it is as durable as the sink can make it. */
  write(data: Buffer): Promise<void>;
  close(): Promise<void>;
}

export interface FileSinkOptions {
  /** Start a new file once this one holds at least this many bytes. */
  maxBytes?: number;
  /** Start a new file once this one is this old (checked when a record arrives). */
  rotateEveryMs?: number;
  warn?: (message: string) => void;
  /**
   * Wraps each durable write (one per batch: the write that returns only once the batch is on
   * disk). A test counts them to see how many syncs concurrent calls took (group commit), or
   * holds one open to see that nothing waiting on it is answered.
   */
  aroundDurableWrite?: (write: () => Promise<void>) => Promise<void>;
}

/**
 * The log is opened O_DSYNC where the platform has it: each write returns once its data (and
 * the size needed to read it back) is on disk, which is what write + fdatasync gives, in one
 * trip to the thread pool instead of two. Elsewhere (Windows) it is write then fdatasync.
 */
const DSYNC = constants.O_DSYNC;
const APPEND_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (DSYNC ?? 0);

/** Write all of `data` at the end of `fd`, then (without O_DSYNC) fdatasync; one callback chain, no promise per step. */
function durableWrite(fd: number, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const from = (offset: number) =>
      writeFd(fd, data, offset, data.length - offset, null, (err, bytesWritten) => {
        if (err) return reject(err);
        // Bounded: each write makes progress or fails.
        if (bytesWritten <= 0) return reject(Object.assign(new Error('no progress writing the audit log'), { code: 'EIO' }));
        if (offset + bytesWritten < data.length) return from(offset + bytesWritten);
        if (DSYNC !== undefined) return resolve();
        fdatasync(fd, (syncErr) => (syncErr ? reject(syncErr) : resolve()));
      });
    from(0);
  });
}

/** Longest record line we look back over when reopening a log. */
const MAX_TAIL_BYTES = 4 * 1024 * 1024;
const openInThisProcess = new Set<string>();

export function unwritable(target: string, err: unknown, hint?: string): InfraAuditError {
  const code = (err as NodeJS.ErrnoException)?.code;
  const what = code ? `${code}${code === 'ENOSPC' ? ' (disk full)' : code === 'EACCES' || code === 'EPERM' ? ' (permission denied)' : code === 'ENOENT' ? ' (no such directory)' : code === 'ENOTDIR' ? ' (a parent is not a directory)' : ''}` : err instanceof Error ? err.message : String(err);
  return new InfraAuditError('AUDIT_LOG_UNWRITABLE', `the audit log ${target} cannot be written: ${what}`, {
    hint: hint ?? 'free space or fix permissions on the audit log path (--audit-log); no call is answered while its record cannot be written',
    cause: err,
  });
}

/** The name a rotated file gets: sortable by time, so `ls` and shell globs list files in chain order. */
export function rotatedName(path: string, at: Date, attempt = 0): string {
  const ext = extname(path);
  const stem = ext ? path.slice(0, -ext.length) : path;
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('.', '');
  return `${stem}.${stamp}${attempt ? `-${attempt}` : ''}${ext}`;
}

/** Rotated siblings of `path`, oldest first. */
export async function rotatedFiles(path: string): Promise<string[]> {
  const dir = dirname(path);
  const ext = extname(path);
  const stem = basename(path).slice(0, basename(path).length - ext.length);
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^${escape(stem)}\\.\\d{8}T\\d{9}Z(-\\d+)?${escape(ext)}$`);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return names.filter((n) => pattern.test(n)).sort().map((n) => join(dir, n));
}

export interface FileTail {
  /** The last complete (newline-terminated) line, if any. */
  lastLine?: string;
  /** Bytes up to and including the last newline. */
  completeBytes: number;
  /** Bytes after the last newline: a write torn by a crash. */
  tornBytes: number;
}

export async function readTail(path: string): Promise<FileTail> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) return { completeBytes: 0, tornBytes: 0 };
    const window = Math.min(size, MAX_TAIL_BYTES);
    const buffer = Buffer.alloc(window);
    await handle.read(buffer, 0, window, size - window);
    const lastNewline = buffer.lastIndexOf(0x0a);
    if (lastNewline < 0) {
      if (window < size) throw new Error(`no record boundary in the last ${window} bytes`);
      return { completeBytes: 0, tornBytes: size };
    }
    const completeBytes = size - window + lastNewline + 1;
    const start = buffer.lastIndexOf(0x0a, lastNewline - 1) + 1;
    if (start === 0 && window < size) throw new Error(`the last record is longer than ${window} bytes`);
    return { lastLine: buffer.subarray(start, lastNewline).toString('utf8'), completeBytes, tornBytes: size - completeBytes };
  } finally {
    await handle.close();
  }
}

function tipOf(line: string, file: string): ChainTip {
  let chain: { seq?: unknown; hash?: unknown } | undefined;
  try {
    chain = (JSON.parse(line) as { unmapped?: { chain?: { seq?: unknown; hash?: unknown } } }).unmapped?.chain;
  } catch {
    chain = undefined;
  }
  if (typeof chain?.seq !== 'number' || typeof chain.hash !== 'string') {
    throw new InfraAuditError('AUDIT_LOG_UNWRITABLE', `the last record of ${file} is not a valid audit record, so the chain cannot continue from it`, {
      hint: `run \`infra-audit log verify ${file}\`, keep the file as evidence, and start the server with a new --audit-log path`,
    });
  }
  return { seq: chain.seq, hash: chain.hash };
}

async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function takeLock(lockPath: string, logPath: string): Promise<void> {
  try {
    await writeFile(lockPath, `${process.pid}\n`, { flag: 'wx' });
    return;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw unwritable(logPath, err);
  }
  const pid = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
  // A lock naming this very process is left over from an earlier run that had the same pid (containers).
  if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) {
    throw new InfraAuditError('AUDIT_LOG_UNWRITABLE', `the audit log ${logPath} is being written by another process (pid ${pid})`, {
      hint: `two writers would interleave one chain; give this server its own --audit-log path, or stop pid ${pid} (lock: ${lockPath})`,
    });
  }
  await writeFile(lockPath, `${process.pid}\n`).catch((e: unknown) => {
    throw unwritable(logPath, e);
  });
}

export class FileSink implements AuditSink {
  readonly description: string;
  tip: ChainTip | undefined;
  continuesFile: string | undefined;
  private handle!: FileHandle;
  private size = 0;
  private openedAt = Date.now();
  private broken: InfraAuditError | undefined;

  private constructor(
    readonly path: string,
    private readonly options: FileSinkOptions,
  ) {
    this.description = path;
  }

  static async open(path: string, options: FileSinkOptions = {}): Promise<FileSink> {
    if (openInThisProcess.has(path)) throw new InfraAuditError('AUDIT_LOG_UNWRITABLE', `the audit log ${path} is already open in this process`);
    const sink = new FileSink(path, options);
    await takeLock(`${path}.lock`, path);
    openInThisProcess.add(path);
    try {
      await sink.recover();
      await sink.openHandle();
    } catch (err) {
      await sink.releaseLock();
      throw err instanceof InfraAuditError ? err : unwritable(path, err);
    }
    return sink;
  }

  /** Find where the chain stands: the last record of this file, or of the newest rotated file. */
  private async recover(): Promise<void> {
    const info = await stat(this.path).catch(() => undefined);
    if (info?.isFile() && info.size > 0) {
      const tail = await readTail(this.path);
      if (tail.tornBytes > 0) {
        // A line without its newline was never acknowledged: its fsync cannot have completed.
        const aside = `${this.path}.torn-${Date.now()}`;
        const torn = await open(this.path, 'r+');
        try {
          const bytes = Buffer.alloc(tail.tornBytes);
          await torn.read(bytes, 0, tail.tornBytes, tail.completeBytes);
          await writeFile(aside, bytes);
          await torn.truncate(tail.completeBytes);
          await torn.sync();
        } finally {
          await torn.close();
        }
        this.options.warn?.(`audit log ${this.path}: set aside ${tail.tornBytes} bytes of a record torn by a crash (never acknowledged) in ${aside}`);
      }
      if (tail.lastLine !== undefined) this.tip = tipOf(tail.lastLine, this.path);
      this.openedAt = info.birthtimeMs > 0 ? info.birthtimeMs : Date.now();
      return;
    }
    if (info && !info.isFile()) return;
    const previous = (await rotatedFiles(this.path)).at(-1);
    if (!previous) return;
    const tail = await readTail(previous);
    if (tail.lastLine === undefined) return;
    this.tip = tipOf(tail.lastLine, previous);
    this.continuesFile = basename(previous);
  }

  private async openHandle(): Promise<void> {
    const existed = await stat(this.path).then(() => true, () => false);
    this.handle = await open(this.path, APPEND_FLAGS, 0o640);
    this.size = (await this.handle.stat()).size;
    if (!existed) await fsyncDirectory(dirname(this.path));
  }

  beforeBatch(now: number): string | undefined | Promise<string | undefined> {
    if (this.broken) throw this.broken;
    const first = this.continuesFile;
    this.continuesFile = undefined;
    const bySize = this.options.maxBytes !== undefined && this.size >= this.options.maxBytes;
    const byAge = this.options.rotateEveryMs !== undefined && now - this.openedAt >= this.options.rotateEveryMs;
    if (this.size === 0 || !(bySize || byAge)) return first;
    return this.rotate(now);
  }

  private async rotate(now: number): Promise<string> {
    try {
      await this.handle.close();
      let target = rotatedName(this.path, new Date(now));
      for (let attempt = 1; attempt < 100 && (await stat(target).then(() => true, () => false)); attempt++) target = rotatedName(this.path, new Date(now), attempt);
      await rename(this.path, target);
      await this.openHandle();
      this.openedAt = now;
      return basename(target);
    } catch (err) {
      this.broken = unwritable(this.path, err, 'rotation failed; restart the server once the audit log directory is writable');
      throw this.broken;
    }
  }

  async write(data: Buffer): Promise<void> {
    if (this.broken) throw this.broken;
    const before = this.size;
    try {
      const fd = this.handle.fd;
      const write = () => durableWrite(fd, data);
      await (this.options.aroundDurableWrite ? this.options.aroundDurableWrite(write) : write());
      this.size += data.length;
    } catch (err) {
      // Take back the unacknowledged bytes so the next batch chains from the last good record.
      try {
        await this.handle.truncate(before);
      } catch {
        this.broken = unwritable(this.path, err, 'a failed write could not be undone; restart the server once the audit log path is writable');
      }
      throw unwritable(this.path, err);
    }
  }

  async close(): Promise<void> {
    await this.handle?.close().catch(() => undefined);
    await this.releaseLock();
  }

  private async releaseLock(): Promise<void> {
    openInThisProcess.delete(this.path);
    await unlink(`${this.path}.lock`).catch(() => undefined);
  }
}

/** stdout or stderr: for containers and log shippers. Not durable; never the protocol channel. */
export class StreamSink implements AuditSink {
  readonly tip = undefined;
  readonly continuesFile = undefined;
  constructor(
    readonly description: string,
    private readonly stream: { write(chunk: string): unknown },
  ) {}

  beforeBatch(): undefined {
    return undefined;
  }

  write(data: Buffer): Promise<void> {
    const stream = this.stream;
    // A real stream reports when the bytes are handed to the OS; anything else is in memory.
    if (!(stream instanceof Writable)) {
      stream.write(data.toString('utf8'));
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      stream.write(data, (err) => (err ? reject(unwritable(this.description, err)) : resolve()));
    });
  }

  async close(): Promise<void> {}
}
