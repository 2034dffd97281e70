/**
 * `infra-audit drift gen-driftignore`: from a saved drift report (JSON) to a `.driftignore` that
 * leaves out everything it holds, as driftctl's `gen-driftignore`. No AWS call is made.
 *
 * Exit codes: 0 written, 2 bad input (not a drift report, unreadable, an existing file without
 * --force).
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InfraAuditError } from '../errors.js';
import { generateDriftIgnore } from '../drift/gen-driftignore.js';
import type { DriftKind } from '../drift/model.js';
import type { CommandIO } from './io.js';
import { writeOutputs } from './outputs.js';

export interface GenDriftIgnoreCommandOptions {
  /** A drift report in JSON: a file, or - for standard input. */
  input?: string;
  /** The .driftignore to write, or - for stdout (the default). */
  output?: string;
  force?: boolean;
  excludeChanged?: boolean;
  excludeMissing?: boolean;
  excludeUnmanaged?: boolean;
  excludeUnapplied?: boolean;
}

/** Large enough for any real report (a 50,000-resource estate's report is a few MB). */
const MAX_INPUT_BYTES = 256 * 1024 * 1024;

export async function runGenDriftIgnoreCommand(opts: GenDriftIgnoreCommandOptions, io: CommandIO): Promise<number> {
  const input = opts.input ?? '-';
  const output = opts.output ?? '-';
  const file = output === '-' ? undefined : path.resolve(io.cwd, output);
  // Every argument is checked before anything is read.
  if (file) {
    if (existsSync(file) && statSync(file).isDirectory()) {
      throw new InfraAuditError('USAGE', `--output ${output} is a directory`, { hint: `name the file, e.g. --output ${path.join(output, '.driftignore')}` });
    }
    if (existsSync(file) && !opts.force) {
      throw new InfraAuditError('USAGE', `--output ${output} exists: its rules would be replaced`, {
        hint: 'pass --force to replace it, or write to stdout and merge by hand (infra-audit drift gen-driftignore -i drift.json >> .driftignore)',
      });
    }
    if (!existsSync(path.dirname(file))) {
      throw new InfraAuditError('FILE_NOT_FOUND', `the directory of --output ${output} does not exist`, { hint: 'create it first, or write to stdout' });
    }
  }
  const exclude: DriftKind[] = [];
  if (opts.excludeChanged) exclude.push('changed');
  if (opts.excludeMissing) exclude.push('missing');
  if (opts.excludeUnmanaged) exclude.push('unmanaged');
  if (opts.excludeUnapplied) exclude.push('unapplied');

  const text = input === '-' ? await readStdin(io.stdin) : await readInputFile(path.resolve(io.cwd, input), input);
  let report: unknown;
  try {
    report = JSON.parse(text);
  } catch {
    throw new InfraAuditError('INVALID_INPUT', `${input === '-' ? 'standard input' : input} is not JSON`, {
      hint: 'pass the JSON that `infra-audit drift --format json` writes, e.g. infra-audit drift --state terraform.tfstate --format json --output drift.json',
    });
  }
  const result = generateDriftIgnore(report, { exclude });
  await writeOutputs([{ format: 'driftignore', file, display: output }], () => result.text, io.stdout);

  const written = Object.values(result.rules).reduce((a, b) => a + b, 0);
  const parts = (Object.entries(result.rules) as Array<[DriftKind, number]>).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`);
  io.stderr.write(`gen-driftignore: ${written} rule(s)${parts.length ? ` (${parts.join(', ')})` : ''}${file ? ` written to ${output}` : ''}\n`);
  for (const s of result.skipped) io.stderr.write(`gen-driftignore: left out ${s.kind} ${s.resourceType} (${JSON.stringify(s.resourceId).slice(0, 120)}): ${s.reason}\n`);
  return 0;
}

async function readInputFile(file: string, display: string): Promise<string> {
  try {
    const info = statSync(file);
    if (info.isDirectory()) throw new InfraAuditError('USAGE', `--input ${display} is a directory`, { hint: 'pass the drift report file (drift --format json --output drift.json)' });
    if (info.size > MAX_INPUT_BYTES) throw new InfraAuditError('LIMIT_EXCEEDED', `--input ${display} is over ${MAX_INPUT_BYTES / 1024 / 1024} MiB`, { hint: 'pass a drift report written by infra-audit drift --format json' });
    return await readFile(file, 'utf8');
  } catch (err) {
    if (err instanceof InfraAuditError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InfraAuditError(code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE', `cannot read --input ${display}: ${code ?? String(err)}`, {
      hint: 'write one with infra-audit drift --format json --output drift.json, then pass it with --input',
    });
  }
}

async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  if ((stream as { isTTY?: boolean }).isTTY) {
    throw new InfraAuditError('USAGE', 'gen-driftignore reads a drift report, and none is piped in', {
      hint: 'pass --input drift.json, or pipe one: infra-audit drift --state terraform.tfstate --format json | infra-audit drift gen-driftignore',
    });
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    total += buffer.byteLength;
    if (total > MAX_INPUT_BYTES) throw new InfraAuditError('LIMIT_EXCEEDED', `standard input is over ${MAX_INPUT_BYTES / 1024 / 1024} MiB`, { hint: 'pass a drift report written by infra-audit drift --format json' });
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}
