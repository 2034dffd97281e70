/**
 * Object keys and prefixes that could address another object than they name. S3 itself
 * treats a key literally, but the request path is sent unnormalised, and any endpoint, proxy
 * or SDK on the way that resolves `.`/`..` segments or collapses `//` would serve another
 * key, or another bucket (`../state-bucket/...` in path-style addressing). Both the
 * data-plane scope and the SDK guard refuse such names, so no allowlist decision is ever
 * made on a string that a server may read differently.
 */

/** Decodings an intermediary might apply: percent-encoding (up to three times) and Unicode compatibility folding (full-width dots and slashes). */
function readings(value: string): string[] {
  const out = [value, value.normalize('NFKC')];
  let current = value;
  for (let i = 0; i < 3 && /%[0-9a-f]{2}/i.test(current); i++) {
    try {
      current = decodeURIComponent(current);
    } catch {
      // A malformed escape is not decoded by anyone; the literal reading above stands.
      break;
    }
    out.push(current, current.normalize('NFKC'));
  }
  return out;
}

/** Why `value` (an object key or a listing prefix) is refused, or undefined when it is safe. */
export function unsafeKeyReason(value: string): string | undefined {
  for (const reading of readings(value)) {
    // A backslash is a separator to some servers and proxies.
    const normalised = reading.replace(/\\/g, '/');
    if (normalised.startsWith('/')) return 'it starts with "/"';
    if (normalised.includes('//')) return 'it contains an empty path segment ("//")';
    const segments = normalised.split('/');
    if (segments.some((s) => s === '.' || s === '..')) return 'it contains a "." or ".." path segment';
  }
  return undefined;
}
