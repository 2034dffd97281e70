/**
 * Two collections of one inventory unit, made with different reads, as one value: where one
 * side skipped a read (`NotCollected`), the other side's outcome stands; resources in lists
 * are matched by ARN; anything both sides read is taken from the newer. So a tool that needs
 * a read the cache lacks costs only that read (and the listing it hangs off), not the unit.
 */

function isPlain(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype;
}

function isNotCollected(x: unknown): boolean {
  return isPlain(x) && isPlain(x.error) && x.error.code === 'NotCollected';
}

/** `newer` wins wherever both sides hold an outcome; `older` fills what `newer` did not read. */
export function mergeCollected<T>(older: T, newer: T): T {
  return merge(older, newer) as T;
}

function merge(a: unknown, b: unknown): unknown {
  if (isNotCollected(b)) return a;
  if (isNotCollected(a)) return b;
  // A read that failed is an outcome as a whole: never half value, half error.
  if (isPlain(a) && isPlain(b) && (a.error !== undefined || b.error !== undefined)) return b;
  if (Array.isArray(a) && Array.isArray(b)) return mergeByArn(a, b);
  if (isPlain(a) && isPlain(b)) {
    const out: Record<string, unknown> = { ...a };
    for (const [key, value] of Object.entries(b)) out[key] = key in a ? merge(a[key], value) : value;
    return out;
  }
  return b;
}

/** The newer listing decides which resources exist; each keeps the older side's reads it lacks. */
function mergeByArn(a: readonly unknown[], b: readonly unknown[]): unknown[] {
  const arn = (x: unknown) => (isPlain(x) && typeof x.arn === 'string' ? x.arn : undefined);
  if (!b.every(arn)) return [...b];
  const older = new Map(a.map((x) => [arn(x), x]));
  return b.map((x) => (older.has(arn(x)) ? merge(older.get(arn(x)), x) : x));
}
