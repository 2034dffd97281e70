/** A state piped on standard input (`-`): `terraform state pull | infra-audit …`. */
import { InfraAuditError } from '../../../errors.js';
import { tooLarge } from './file.js';
import type { StateText } from './types.js';

export async function readStdinState(stream: NodeJS.ReadableStream, maxBytes: number): Promise<StateText> {
  if ((stream as { isTTY?: boolean }).isTTY) {
    throw new InfraAuditError('USAGE', 'state "-" means standard input, but nothing is piped in', {
      hint: 'Pipe a state in, e.g. `terraform state pull | infra-audit … --state -`.',
    });
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    total += buffer.byteLength;
    if (total > maxBytes) throw tooLarge('standard input', total, maxBytes);
    chunks.push(buffer);
  }
  return { text: Buffer.concat(chunks, total).toString('utf8'), source: { kind: 'stdin', location: 'standard input' } };
}
