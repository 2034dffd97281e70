/** Reading an HTTP response body with a size bound, for the remote state sources. */
import { InfraAuditError } from '../../../errors.js';
import { tooLarge } from './file.js';

export async function readBodyText(response: Response, location: string, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(location, declared, maxBytes);
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  // Ends when the stream does, or at the size bound.
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(location, total, maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

/** A fetch that failed before any response: the address is wrong or unreachable. */
export function unreachable(location: string, err: unknown): InfraAuditError {
  const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err instanceof Error ? err.message : String(err));
  return new InfraAuditError('FILE_UNREADABLE', `cannot reach ${location}: ${cause}`, {
    hint: 'Check the address and the network path to it.',
    cause: err,
  });
}
