/** States from local files: plain paths and globs, several at once. */
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { InfraAuditError } from '../../../errors.js';
import { expandGlob, isGlob } from './glob.js';
import type { StateText } from './types.js';

export async function readStateFiles(spec: string, options: { cwd: string; maxBytes: number }): Promise<StateText[]> {
  const files = isGlob(spec) ? await expandGlob(spec, options.cwd) : [path.resolve(options.cwd, spec)];
  if (files.length === 0) {
    throw new InfraAuditError('FILE_NOT_FOUND', `no state file matches ${spec}`, {
      hint: 'Check the pattern and the working directory; quote globs so the shell passes them through.',
    });
  }
  const out: StateText[] = [];
  for (const file of files) out.push(await readStateFile(file, spec, options));
  return out;
}

async function readStateFile(file: string, spec: string, { cwd, maxBytes }: { cwd: string; maxBytes: number }): Promise<StateText> {
  // As the user would type it from where they are: relative (climbing out with ../ if need be),
  // so reports carry no absolute machine path.
  const relative = path.relative(cwd, file);
  const location = relative && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : file;
  try {
    const info = await stat(file);
    if (info.isDirectory()) {
      throw new InfraAuditError('INVALID_INPUT', `${location} is a directory, not a state file`, {
        hint: 'Pass the state file itself (e.g. terraform.tfstate) or a glob such as "states/*.tfstate".',
      });
    }
    if (info.size > maxBytes) throw tooLarge(location, info.size, maxBytes);
    // Read and decoded in one piece, with no Buffer: readFileSync(…, 'utf8') decodes straight
    // into one flat string. A Buffer then toString holds the file twice (the Buffer is freed
    // only by a later GC, after JSON.parse has built the tree beside both: 4x the file's size
    // at the peak instead of under 3x), and readFile(…, 'utf8') decodes chunk by chunk into a
    // rope that JSON.parse must flatten, a second copy too. Synchronous, but the JSON.parse
    // that follows blocks far longer than the read.
    return { text: readFileSync(file, 'utf8'), source: { kind: 'file', location } };
  } catch (err) {
    if (err instanceof InfraAuditError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new InfraAuditError('FILE_NOT_FOUND', `state file not found: ${spec}`, {
        hint: 'Check the path; for a remote state pass its address (https://…, s3://bucket/key, tfc://org/workspace).',
      });
    }
    throw new InfraAuditError('FILE_UNREADABLE', `cannot read state file ${location}: ${code ?? String(err)}`, { cause: err });
  }
}

export function tooLarge(location: string, size: number, maxBytes: number): InfraAuditError {
  return new InfraAuditError('LIMIT_EXCEEDED', `${location} is ${Math.round(size / 1e6)} MB, over the ${Math.round(maxBytes / 1e6)} MB limit for one state`, {
    hint: 'Raise maxStateBytes if this state is genuine.',
  });
}
