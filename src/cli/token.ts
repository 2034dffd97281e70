/** `infra-audit token create`: a new bearer token; only its hash is stored. */
import { readFile, writeFile, rename } from 'node:fs/promises';
import { InfraAuditError } from '../errors.js';
import { newToken } from '../server/auth/tokens.js';
import type { CommandIO } from './io.js';

export async function runTokenCreateCommand(opts: { principal: string; tokensFile: string }, io: CommandIO): Promise<number> {
  let existing: { tokens: Array<Record<string, unknown>> } = { tokens: [] };
  try {
    existing = JSON.parse(await readFile(opts.tokensFile, 'utf8'));
    if (!Array.isArray(existing.tokens)) throw new Error('no "tokens" array');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new InfraAuditError('INVALID_INPUT', `tokens file ${opts.tokensFile} is not a tokens file: ${(err as Error).message}`, {
        hint: 'expected {"tokens":[...]}; choose a new path or fix the file',
      });
    }
  }
  const { token, entry } = newToken(opts.principal);
  existing.tokens.push(entry);
  const tmp = `${opts.tokensFile}.tmp-${process.pid}`;
  await writeFile(tmp, `${JSON.stringify(existing, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, opts.tokensFile);
  io.stdout.write(`${token}\n`);
  io.stderr.write(`token for ${opts.principal} added to ${opts.tokensFile} (only its SHA-256 is stored; this is the one time it is shown)\n`);
  return 0;
}
