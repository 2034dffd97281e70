/**
 * One Redactor per run. It learns the exact secret values it is shown (from Terraform state's
 * sensitive attributes, sensitive outputs, provider-known secret attributes), so that the same
 * value is caught wherever it reappears: in another resource, an error message, an object body.
 * On top of that it applies the name rule (`password`, `client_secret`...) and the shape rules
 * (key pairs, PEM, JWT, connection strings) to everything it redacts.
 */
import { SENSITIVE_MARKER, isRedactionMarker } from './marker.js';
import { isSensitiveName } from './names.js';
import { redactSecretPatterns } from './patterns.js';
import { SecretIndex } from './secret-index.js';

export interface RedactorOptions {
  /**
   * Shorter learned values are redacted where they were found but not searched for elsewhere:
   * a sensitive `"1"` or `"prod"` would otherwise blank out unrelated text.
   */
  minLearnedLength?: number;
}

/** Deeper structures are cut off rather than walked without bound. */
const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:[^\s]+$/;

const MAX_DEPTH = 200;

export class Redactor {
  readonly #minLearnedLength: number;
  readonly #learned: SecretIndex;

  constructor(options: RedactorOptions = {}) {
    this.#minLearnedLength = options.minLearnedLength ?? 6;
    this.#learned = new SecretIndex(this.#minLearnedLength);
  }

  /** How many distinct secret strings (and JSON-escaped forms) are being searched for. */
  get learnedCount(): number {
    return this.#learned.size;
  }

  /** Remember a secret (a string, or every string inside an object or array). */
  learn(value: unknown): void {
    this.#learnDeep(value, 0);
  }

  /** Redact learned secrets and secret shapes in free text: a log line, an error message. */
  redactText(text: string): string {
    if (text.length < 3) return text;
    // redactSecretPatterns runs the prefilter itself: testing it here too scanned the text twice.
    return redactSecretPatterns(this.#learned.replaceAll(text, SENSITIVE_MARKER));
  }

  /** A redacted deep copy of a JSON-like value; the input is left untouched. */
  redact<T>(value: T): T {
    return copyRedacted(value, this.#stringRedaction(true), false, 0) as T;
  }

  /**
   * `redact` that copies only what it changes: a value with nothing to redact comes back as it
   * is, and a changed one shares its unchanged parts with the input. For values nobody edits
   * afterwards, such as a tool result on its way out, where a deep copy per call is pure cost.
   */
  redactShared<T>(value: T): T {
    return shareRedacted(value, this.#stringRedaction(true), false, 0) as T;
  }

  /**
   * Redact a JSON-like tree in place: for trees this run owns, such as a freshly parsed state.
   * With `embeddedSecrets: false`, a learned secret is caught when it is a whole string value
   * but not searched for inside longer strings; that search costs a hash step per character,
   * which on a 100 MB state is more than the parse. Loading uses it that way and leaves the
   * embedded search to egress, where every string shown passes through `redact`/`redactText`.
   */
  redactInPlace(value: object, options: { embeddedSecrets?: boolean } = {}): void {
    redactTreeInPlace(value, this.#stringRedaction(options.embeddedSecrets ?? true), 0);
  }

  /** `redactInPlace` with its options fixed, for redacting many trees (a state's instances). */
  inPlaceRedaction(options: { embeddedSecrets?: boolean } = {}): (value: object) => void {
    const redactString = this.#stringRedaction(options.embeddedSecrets ?? true);
    return (value) => redactTreeInPlace(value, redactString, 0);
  }

  /** Replace `value` by the marker, learning what it held. */
  conceal(value: unknown): string {
    this.learn(value);
    return SENSITIVE_MARKER;
  }

  /**
   * The per-string rule the walkers apply. The walkers are plain functions taking this closure:
   * V8 optimises them far better than recursive private methods, which on the 50,000-resource
   * benchmark state made the walk markedly slower.
   */
  #stringRedaction(embeddedSecrets: boolean): StringRedaction {
    const index = this.#learned;
    return (value, namedSensitive) => {
      if (namedSensitive && value !== '' && !isRedactionMarker(value)) {
        this.#learnString(value);
        return SENSITIVE_MARKER;
      }
      if (embeddedSecrets) return this.redactText(value);
      if (index.has(value)) return SENSITIVE_MARKER;
      return redactSecretPatterns(value);
    };
  }

  #learnDeep(value: unknown, depth: number): void {
    if (typeof value === 'string') this.#learnString(value);
    else if (value !== null && typeof value === 'object' && depth <= MAX_DEPTH) {
      for (const item of Array.isArray(value) ? value : Object.values(value)) this.#learnDeep(item, depth + 1);
    }
  }

  #learnString(secret: string): void {
    if (secret.length < this.#minLearnedLength || isRedactionMarker(secret)) return;
    // An ARN inside a sensitive block (the KMS key of an RDS master user secret) names a resource
    // that every listing shows: hidden where it was found, but not searched for, or the resource
    // itself (a KMS key in a drift report) would read as a secret everywhere.
    if (ARN.test(secret)) return;
    if (!this.#learned.add(secret)) return;
    // The same secret inside JSON text (a policy document, a logged request) appears escaped.
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) this.#learned.add(escaped);
  }
}

/** How one string is redacted, given whether its attribute name marks it sensitive. */
type StringRedaction = (value: string, namedSensitive: boolean) => string;

function copyRedacted(value: unknown, redactString: StringRedaction, namedSensitive: boolean, depth: number): unknown {
  if (typeof value === 'string') return redactString(value, namedSensitive);
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return SENSITIVE_MARKER;
  if (Array.isArray(value)) return value.map((item) => copyRedacted(item, redactString, namedSensitive, depth + 1));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    out[key] = copyRedacted((value as Record<string, unknown>)[key], redactString, isSensitiveName(key), depth + 1);
  }
  return out;
}

/** copyRedacted, copy on write: the same result, sharing every part that did not change. */
function shareRedacted(value: unknown, redactString: StringRedaction, namedSensitive: boolean, depth: number): unknown {
  if (typeof value === 'string') return redactString(value, namedSensitive);
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return SENSITIVE_MARKER;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const redacted = shareRedacted(item, redactString, namedSensitive, depth + 1);
      if (out) out.push(redacted);
      else if (!Object.is(redacted, item)) (out = value.slice(0, i)).push(redacted);
    }
    return out ?? value;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  // Anything but a plain object is copied, as copyRedacted would: its prototype (toJSON) does not travel.
  const proto: unknown = Object.getPrototypeOf(record);
  let out: Record<string, unknown> | undefined = proto === Object.prototype || proto === null ? undefined : {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const item = record[key];
    const redacted = shareRedacted(item, redactString, isSensitiveName(key), depth + 1);
    if (!out && !Object.is(redacted, item)) {
      out = {};
      for (const before of keys.slice(0, i)) out[before] = record[before];
    }
    if (out) out[key] = redacted;
  }
  return out ?? record;
}

function redactTreeInPlace(node: object, redactString: StringRedaction, depth: number): void {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const item: unknown = node[i];
      if (typeof item === 'string') {
        const redacted = redactString(item, false);
        if (redacted !== item) node[i] = redacted;
      } else if (item !== null && typeof item === 'object') {
        if (depth >= MAX_DEPTH) node[i] = SENSITIVE_MARKER;
        else redactTreeInPlace(item, redactString, depth + 1);
      }
    }
    return;
  }
  const record = node as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    if (typeof item === 'string') {
      const redacted = redactString(item, isSensitiveName(key));
      // Writing only changed values keeps a mostly-clean tree free of write barriers.
      if (redacted !== item) record[key] = redacted;
    } else if (item !== null && typeof item === 'object') {
      if (Array.isArray(item) && isSensitiveName(key)) record[key] = copyRedacted(item, redactString, true, depth + 1);
      else if (depth >= MAX_DEPTH) record[key] = SENSITIVE_MARKER;
      else redactTreeInPlace(item, redactString, depth + 1);
    }
  }
}
