/**
 * Finds any of many known secret strings inside a text in one pass. A regex alternation of a few
 * thousand literals costs about a microsecond per character in V8; this costs a few nanoseconds:
 * a rolling hash over every window of `windowLength` characters is checked against a bitset of
 * the secrets' first windows, and only a hit (rare) compares actual strings.
 */

const BUCKET_BITS = 20;
const LENGTH_TABLE_SIZE = 4096;
const BASE = 0x01000193;
const MIX = 0x9e3779b1 | 0;

export class SecretIndex {
  readonly windowLength: number;
  /** One byte per bucket: a plain load in the hot loop, no shifting or masking. */
  private readonly buckets = new Uint8Array(1 << BUCKET_BITS);
  /**
   * First window → the secrets starting with it, and their distinct lengths, longest first.
   * Secrets often share a start (`{"username":`, `postgres://`), so a hit tries one set lookup
   * per distinct length rather than one comparison per secret.
   */
  private readonly byFirstWindow = new Map<string, { lengths: number[]; secrets: Set<string> }>();
  /** BASE^(windowLength-1), to remove the character leaving the window. */
  private readonly outgoingFactor: number;
  /** Every secret, for the whole-string test. */
  private readonly all = new Set<string>();
  /** Which lengths secrets have (up to LENGTH_TABLE_SIZE), so most strings skip hashing. */
  private readonly lengths = new Uint8Array(LENGTH_TABLE_SIZE);
  private hasLongSecret = false;

  constructor(windowLength: number) {
    if (!Number.isInteger(windowLength) || windowLength < 1) throw new RangeError('windowLength must be a positive integer');
    this.windowLength = windowLength;
    let factor = 1;
    for (let i = 1; i < windowLength; i++) factor = Math.imul(factor, BASE);
    this.outgoingFactor = factor;
  }

  get size(): number {
    return this.all.size;
  }

  /** Whether `text` is, in its entirety, one of the secrets. */
  has(text: string): boolean {
    const length = text.length;
    if (length < LENGTH_TABLE_SIZE ? this.lengths[length] === 0 : !this.hasLongSecret) return false;
    return this.all.has(text);
  }

  /** Secrets shorter than the window cannot be indexed; the caller decides what that means. */
  add(secret: string): boolean {
    if (secret.length < this.windowLength) return false;
    const first = secret.slice(0, this.windowLength);
    let group = this.byFirstWindow.get(first);
    if (!group) {
      group = { lengths: [], secrets: new Set() };
      this.byFirstWindow.set(first, group);
      this.buckets[bucketOf(this.hash(secret, 0))] = 1;
    }
    if (group.secrets.has(secret)) return false;
    group.secrets.add(secret);
    this.all.add(secret);
    if (secret.length < LENGTH_TABLE_SIZE) this.lengths[secret.length] = 1;
    else this.hasLongSecret = true;
    if (!group.lengths.includes(secret.length)) {
      group.lengths.push(secret.length);
      group.lengths.sort((a, b) => b - a);
    }
    return true;
  }

  /** `text` with every occurrence of an indexed secret replaced by `marker` (same string if none). */
  replaceAll(text: string, marker: string): string {
    const k = this.windowLength;
    if (this.all.size === 0 || text.length < k) return text;
    let out = '';
    let copiedUpTo = 0;
    let i = 0;
    let h = this.hash(text, 0);
    const last = text.length - k;
    const buckets = this.buckets;
    const outgoingFactor = this.outgoingFactor;
    // Each iteration advances i by at least one character, so the loop ends.
    while (i <= last) {
      if (buckets[Math.imul(h, MIX) >>> (32 - BUCKET_BITS)] === 1) {
        const found = this.matchAt(text, i);
        if (found !== undefined) {
          out += text.slice(copiedUpTo, i) + marker;
          i += found.length;
          copiedUpTo = i;
          if (i <= last) h = this.hash(text, i);
          continue;
        }
      }
      if (i < last) h = (Math.imul(h - Math.imul(text.charCodeAt(i), outgoingFactor), BASE) + text.charCodeAt(i + k)) | 0;
      i++;
    }
    return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
  }

  private matchAt(text: string, at: number): string | undefined {
    const group = this.byFirstWindow.get(text.slice(at, at + this.windowLength));
    if (!group) return undefined;
    for (const length of group.lengths) {
      if (at + length > text.length) continue;
      const candidate = text.slice(at, at + length);
      if (group.secrets.has(candidate)) return candidate;
    }
    return undefined;
  }

  private hash(text: string, from: number): number {
    let h = 0;
    for (let j = from; j < from + this.windowLength; j++) h = (Math.imul(h, BASE) + text.charCodeAt(j)) | 0;
    return h;
  }
}

/**
 * The last character enters the rolling hash unmultiplied, so only its low bits feel it; one
 * more multiplication spreads every character into the high bits the bucket is taken from.
 */
function bucketOf(hash: number): number {
  return Math.imul(hash, MIX) >>> (32 - BUCKET_BITS);
}
