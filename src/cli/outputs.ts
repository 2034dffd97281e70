/**
 * Where a command's reports go: `--format a,b,c` with `--output-dir DIR`, repeated
 * `--output FMT=FILE`, or the classic `--format F --output FILE` (`-` is stdout). Every target
 * is checked before the audit starts (a typo or an unwritable directory costs nothing), and each
 * file is written atomically: to a temporary file beside it, then renamed over it, so a reader,
 * a crash or a kill never sees a half-written report.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { InfraAuditError } from '../errors.js';

export interface OutputTarget<F extends string> {
  format: F;
  /** Absolute path, or undefined for stdout. */
  file?: string;
  /** As the user wrote it, for messages. */
  display: string;
}

export interface OutputFlags {
  format?: string;
  /** `FILE`, `-`, or `FMT=FILE`; repeatable. */
  output?: string | string[];
  outputDir?: string;
}

/** File name for each format under --output-dir, e.g. audit.sarif. */
export const FORMAT_EXTENSION: Record<string, string> = {
  table: 'txt',
  json: 'json',
  markdown: 'md',
  sarif: 'sarif',
  ocsf: 'ocsf.json',
  'ocsf-jsonl': 'ocsf.jsonl',
  html: 'html',
};

/**
 * Parses and validates the output flags into targets: every format known, at most one target on
 * stdout, no file named twice, every directory there and writable.
 */
export function resolveOutputs<F extends string>(
  flags: OutputFlags,
  options: { formats: readonly F[]; defaultFormat: F; basename: string; cwd: string; noun?: string },
): Array<OutputTarget<F>> {
  const parseFormat = (value: string): F => {
    const match = options.formats.find((f) => f === value.trim().toLowerCase());
    if (!match) throw new InfraAuditError('USAGE', `unknown ${options.noun ?? 'report'} format "${value}"`, { hint: `use one of: ${options.formats.join(', ')}` });
    return match;
  };
  const formats = (flags.format ?? options.defaultFormat)
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '')
    .map(parseFormat);
  if (formats.length === 0) throw new InfraAuditError('USAGE', '--format is empty', { hint: `use one or more of: ${options.formats.join(', ')}` });
  const explicitFormat = flags.format !== undefined;
  const outputs = flags.output === undefined ? [] : Array.isArray(flags.output) ? flags.output : [flags.output];

  const targets: Array<OutputTarget<F>> = [];
  const plain: string[] = [];
  for (const value of outputs) {
    const eq = value.indexOf('=');
    const prefix = eq > 0 ? value.slice(0, eq).trim().toLowerCase() : '';
    if (eq > 0 && options.formats.includes(prefix as F)) {
      const file = value.slice(eq + 1);
      if (file === '') throw new InfraAuditError('USAGE', `--output ${value} names no file`, { hint: `e.g. --output ${prefix}=report.${FORMAT_EXTENSION[prefix] ?? prefix}` });
      targets.push(target(prefix as F, file, options.cwd));
    } else plain.push(value);
  }
  if (plain.length > 1) {
    throw new InfraAuditError('USAGE', `--output was given ${plain.length} files without a format`, { hint: 'name the format of each: --output sarif=audit.sarif --output html=audit.html' });
  }

  if (flags.outputDir !== undefined) {
    if (plain.length > 0) throw new InfraAuditError('USAGE', `--output ${plain[0]} and --output-dir cannot both take the --format reports`, { hint: 'use --output-dir alone, or --output FMT=FILE for each' });
    const dir = path.resolve(options.cwd, flags.outputDir);
    ensureDirectory(dir, flags.outputDir);
    for (const format of formats) {
      const name = `${options.basename}.${FORMAT_EXTENSION[format] ?? format}`;
      targets.push({ format, file: path.join(dir, name), display: path.join(flags.outputDir, name) });
    }
  } else if (plain.length === 1) {
    if (formats.length > 1) throw new InfraAuditError('USAGE', `--output ${plain[0]} is one file for ${formats.length} formats`, { hint: 'use --output-dir DIR, or --output FMT=FILE for each format' });
    targets.push(target(formats[0]!, plain[0]!, options.cwd));
  } else if (targets.length === 0 || explicitFormat) {
    // Without any file target the --format reports go to stdout; with FMT=FILE targets, only an explicit --format adds one there.
    if (formats.length > 1) throw new InfraAuditError('USAGE', `--format ${flags.format} names ${formats.length} formats and stdout holds one`, { hint: 'add --output-dir DIR, or --output FMT=FILE for each format' });
    targets.push({ format: formats[0]!, display: 'stdout' });
  }

  if (targets.filter((t) => t.file === undefined).length > 1) throw new InfraAuditError('USAGE', 'two reports would go to stdout', { hint: 'give all but one of them a file: --output FMT=FILE' });
  const seen = new Set<string>();
  for (const t of targets) {
    if (t.file === undefined) continue;
    if (seen.has(t.file)) throw new InfraAuditError('USAGE', `two reports would be written to ${t.display}`, { hint: 'give each format its own file' });
    seen.add(t.file);
    checkWritable(t);
  }
  return targets;
}

function target<F extends string>(format: F, file: string, cwd: string): OutputTarget<F> {
  return file === '-' ? { format, display: 'stdout' } : { format, file: path.resolve(cwd, file), display: file };
}

function ensureDirectory(dir: string, display: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new InfraAuditError('FILE_UNREADABLE', `cannot create the output directory ${display}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {
      hint: 'choose a directory you can write to',
    });
  }
}

/** The target is not a directory and its directory exists and takes a new file (probed, which also catches read-only file systems). */
function checkWritable(t: OutputTarget<string>): void {
  const file = t.file!;
  const unwritable = (why: string) =>
    new InfraAuditError('FILE_UNREADABLE', `cannot write the ${t.format} report to ${t.display}: ${why}`, { hint: 'check that the directory exists and is writable, or choose another path' });
  let dirStat;
  try {
    dirStat = statSync(path.dirname(file));
  } catch (err) {
    throw unwritable((err as NodeJS.ErrnoException).code === 'ENOENT' ? 'its directory does not exist' : String((err as NodeJS.ErrnoException).code ?? err));
  }
  if (!dirStat.isDirectory()) throw unwritable(`${path.dirname(t.display)} is not a directory`);
  try {
    if (statSync(file).isDirectory()) throw unwritable('it is a directory');
  } catch (err) {
    if (err instanceof InfraAuditError) throw err;
  }
  return probe(file, unwritable);
}

function probe(file: string, unwritable: (why: string) => InfraAuditError): void {
  // Permission bits do not tell the whole story (root, read-only mounts, ACLs): try.
  const test = temporaryName(file);
  let fd: number | undefined;
  try {
    fd = openSync(test, 'wx');
  } catch (err) {
    throw unwritable(String((err as NodeJS.ErrnoException).code ?? err));
  } finally {
    if (fd !== undefined) {
      closeSync(fd);
      rmSync(test, { force: true });
    }
  }
}

function temporaryName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Report text, whole or as chunks (a renderer that streams). */
export type ReportContent = string | AsyncIterable<string> | Iterable<string>;

/**
 * Writes every file report to its temporary file first, then renames them all into place: a
 * failure or a kill before the renames leaves no report at all (and no half of one).
 */
export async function writeOutputs<F extends string>(
  targets: ReadonlyArray<OutputTarget<F>>,
  render: (target: OutputTarget<F>) => ReportContent,
  stdout: { write(chunk: string): unknown },
): Promise<void> {
  const staged: Array<{ temp: string; file: string; display: string }> = [];
  try {
    for (const t of targets) {
      if (t.file === undefined) continue;
      const temp = temporaryName(t.file);
      staged.push({ temp, file: t.file, display: t.display });
      await writeFileFully(temp, render(t), t.display);
    }
    for (const s of staged) {
      try {
        await rename(s.temp, s.file);
      } catch (err) {
        throw new InfraAuditError('FILE_UNREADABLE', `cannot write the report to ${s.display}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {
          hint: 'check that the directory is writable and the path is not a directory',
        });
      }
    }
  } finally {
    await Promise.all(staged.map((s) => unlink(s.temp).catch(() => undefined)));
  }
  // stdout last: when it is a pipe into another tool, the files are already in place.
  for (const t of targets) {
    if (t.file !== undefined) continue;
    await writeStream(stdout, render(t));
  }
}

/** A report given whole goes to a stream in pieces of this many characters, so that a slow reader holds back the rest. */
const STREAM_PIECE = 64 * 1024;

/**
 * Writes the report to a stream at the pace its reader takes it: after a write the stream
 * cannot take (a full pipe), the next chunk waits for 'drain', so at most about one chunk and
 * the stream's high-water mark sit in memory, not the whole report. A reader that closes early
 * (`| head`) ends the report there, quietly: nothing more is rendered for it. A writer that is
 * not a Node stream (a test's buffer) takes everything at once.
 */
async function writeStream(stdout: { write(chunk: string): unknown }, content: ReportContent): Promise<void> {
  const stream = stdout instanceof Writable ? stdout : undefined;
  const chunks = typeof content === 'string' ? pieces(content) : content;
  if (stream?.writableNeedDrain && !(await drained(stream))) return;
  for await (const chunk of chunks) {
    if (stream && (stream.destroyed || stream.writableEnded)) return;
    if (stdout.write(chunk) === false && stream && !(await drained(stream))) return;
  }
}

function* pieces(text: string): Generator<string> {
  for (let at = 0; at < text.length; at += STREAM_PIECE) yield text.slice(at, at + STREAM_PIECE);
}

/** True once the stream takes writes again; false when it closed or failed first (the reader went away). */
function drained(stream: Writable): Promise<boolean> {
  if (stream.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const settle = (open: boolean) => {
      stream.off('drain', onDrain);
      stream.off('close', onClose);
      stream.off('error', onClose);
      resolve(open);
    };
    const onDrain = () => settle(true);
    const onClose = () => settle(false);
    stream.on('drain', onDrain);
    stream.on('close', onClose);
    // EPIPE and the like: the entry point's own listener decides whether it is an error; here it only ends the wait.
    stream.on('error', onClose);
  });
}

async function writeFileFully(temp: string, content: ReportContent, display: string): Promise<void> {
  let handle;
  try {
    handle = await open(temp, 'wx', 0o644);
    if (typeof content === 'string') await handle.writeFile(content);
    else for await (const chunk of content) await handle.write(chunk);
    // Durable before the rename makes it visible: a power cut cannot leave an empty report behind a complete name.
    await handle.sync();
  } catch (err) {
    if (err instanceof InfraAuditError) throw err;
    throw new InfraAuditError('FILE_UNREADABLE', `cannot write the report to ${display}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {
      hint: 'check that the disk has room and the directory is writable',
    });
  } finally {
    await handle?.close();
  }
}

/**
 * The directory SARIF paths are relative to: `--sarif-root`, else the root of the git work tree
 * holding `startDir` (the Terraform configuration, else the working directory), else the working
 * directory. GitHub code scanning resolves SARIF URIs against the repository root, whatever
 * directory the audit ran from.
 */
export function sarifRoot(flag: string | undefined, startDir: string, cwd: string): string {
  if (flag !== undefined) {
    const root = path.resolve(cwd, flag);
    if (!isDirectory(root)) throw new InfraAuditError('USAGE', `--sarif-root ${flag} is not a directory`, { hint: 'give the repository root, e.g. --sarif-root .' });
    return root;
  }
  for (let dir = path.resolve(cwd, startDir), steps = 0; steps < 64; steps++) {
    // A work tree has a .git directory; a linked worktree or submodule a .git file.
    if (exists(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return cwd;
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}
