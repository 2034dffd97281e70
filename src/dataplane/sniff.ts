/**
 * Text or binary? An object's bytes are returned as text only when they decode as UTF-8,
 * hold no NUL byte and are not mostly control characters, and its content type does not
 * already say binary; anything else is described (metadata and a short hex preview), never
 * dumped into a model's context.
 */

const BINARY_CONTENT_TYPE =
  /^(image\/(?!svg\+xml)|audio\/|video\/|font\/|application\/(zip|gzip|x-gzip|x-tar|x-7z-compressed|x-bzip2|x-xz|zstd|pdf|vnd\.apache\.parquet|x-parquet|java-archive|x-executable|x-sharedlib|x-mach-binary|wasm|x-protobuf|vnd\.ms-excel|vnd\.openxmlformats))/i;

export type Sniffed =
  | { kind: 'text'; text: string; /** bytes skipped at the start (the tail of a character cut by the range) */ skippedStart: number; skippedEnd: number }
  | { kind: 'binary'; reason: string };

export interface SniffOptions {
  contentType?: string;
  /** The bytes begin at the object's first byte (no character can be cut at the start). */
  atStart: boolean;
  /** The bytes end at the object's last byte (no character can be cut at the end). */
  atEnd: boolean;
}

const isContinuation = (b: number | undefined) => b !== undefined && (b & 0xc0) === 0x80;

/** Bytes at the end that begin a UTF-8 sequence the range cut off (0-3). */
function incompleteTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back]!;
    if (isContinuation(b)) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

export function sniff(bytes: Uint8Array, options: SniffOptions): Sniffed {
  if (options.contentType && BINARY_CONTENT_TYPE.test(options.contentType)) return { kind: 'binary', reason: `content type ${options.contentType}` };
  if (bytes.includes(0)) return { kind: 'binary', reason: 'contains NUL bytes' };
  let start = 0;
  if (!options.atStart) while (start < 3 && isContinuation(bytes[start])) start++;
  const end = options.atEnd ? bytes.length : bytes.length - incompleteTail(bytes.subarray(start));
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes.subarray(start, end));
  } catch {
    return { kind: 'binary', reason: 'not valid UTF-8' };
  }
  let controls = 0;
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0x7f) controls++;
  }
  if (text.length > 0 && controls / text.length > 0.1) return { kind: 'binary', reason: 'mostly control characters' };
  return { kind: 'text', text, skippedStart: start, skippedEnd: bytes.length - end };
}

/** The first bytes as spaced hex pairs: enough to recognise a format by its magic number. */
export function hexPreview(bytes: Uint8Array, count = 64): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(count, bytes.byteLength)).toString('hex').replace(/(..)(?!$)/g, '$1 ');
}
