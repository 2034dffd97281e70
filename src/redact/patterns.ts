/**
 * Secrets recognised by their shape, wherever they appear in a string: AWS key pairs, PEM private
 * keys, JWTs, passwords inside connection strings and DSNs, and sensitive fields inside JSON text.
 * Every pattern is compiled once here; `mayContainSecretPattern` is a single cheap test that lets
 * the common string (an id, a region, a tag) skip every other pass.
 */
import { isSensitiveName } from './names.js';
import { redactionMarker } from './marker.js';

const ACCESS_KEY_ID_MARKER = redactionMarker('aws-access-key-id');
const SECRET_KEY_MARKER = redactionMarker('aws-secret-access-key');
const PRIVATE_KEY_MARKER = redactionMarker('private-key');
const JWT_MARKER = redactionMarker('jwt');
const PASSWORD_MARKER = redactionMarker('password');
const SENSITIVE = redactionMarker('sensitive');

/**
 * Anything any pattern below could match contains one of these. Spelled with character classes
 * rather than the `i` flag: V8 runs this form several times faster before it tiers up, and it
 * runs once per string of a 100 MB state.
 */
const PREFILTER =
  /AKIA|ASIA|-----BEGIN|eyJ|:\/\/|[Pp](?:[Aa][Ss][Ss]|[Ww][Dd]|[Rr][Ii][Vv][Aa][Tt][Ee])|[Ss][Ee][Cc][Rr][Ee][Tt]|[Tt][Oo][Kk][Ee][Nn]|[Aa][Pp][Ii]_?[Kk][Ee][Yy]/;
/** No pattern matches fewer characters (`pwd=x`). */
const SHORTEST_MATCH = 5;

/**
 * PEM blocks except public material (certificates, public keys), which audits need to read.
 * A block cut off before its END line (a truncated log line) is redacted to the end of the text.
 */
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]{1,60})-----[\s\S]*?(?:-----END \1-----|$)/g;
const PUBLIC_PEM_LABEL = /^(?:CERTIFICATE|TRUSTED CERTIFICATE|CERTIFICATE REQUEST|NEW CERTIFICATE REQUEST|X509 CRL|PUBLIC KEY|RSA PUBLIC KEY|SSH2 PUBLIC KEY|PGP PUBLIC KEY BLOCK)$/;

/** header.payload.signature, both JSON parts starting `{"` (base64url `eyJ`). */
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;

/** `scheme://user:password@host`: scheme, user and host stay readable; only the password goes. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]{1,30}:\/\/)([^\s:/?#@"'<>]*):([^\s@/"'<>]+)@/gi;

/** `password=...` in DSNs, query strings and connection strings (`Pwd=...;`). */
const DSN_PASSWORD = /\b(password|passwd|pwd)(\s*=\s*)('[^']*'|"[^"]*"|[^\s;&,'"]+)/gi;

/** `"name": "value"` inside JSON text (a policy, an API body in an error), plain or escaped once. */
const JSON_FIELD = /"([A-Za-z0-9_.\- ]{1,80})"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;
const ESCAPED_JSON_FIELD = /\\"([A-Za-z0-9_.\- ]{1,80})\\"(\s*:\s*)\\"([^"\\]*)\\"/g;

const ACCESS_KEY_ID = /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/g;

/** `aws_secret_access_key = ...`, `"SecretAccessKey": "..."`, `AWS_SESSION_TOKEN=...`. */
const LABELLED_AWS_SECRET =
  /((?:aws_)?secret_?access_?key|aws_secret_key|(?:aws_)?session_?token)(["']?\s*[:=]\s*["']?)([A-Za-z0-9/+=]{16,})/gi;

/** The 40-character base64 shape of a secret access key, standing alone. */
const SECRET_KEY_SHAPE = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;

export function mayContainSecretPattern(text: string): boolean {
  return text.length >= SHORTEST_MATCH && PREFILTER.test(text);
}

/** Apply every shape-based rule to `text`. */
export function redactSecretPatterns(text: string): string {
  if (!mayContainSecretPattern(text)) return text;
  let out = text;
  if (out.includes('-----BEGIN')) {
    out = out.replace(PEM_BLOCK, (block: string, label: string) => (PUBLIC_PEM_LABEL.test(label) ? block : PRIVATE_KEY_MARKER));
  }
  if (out.includes('eyJ')) out = out.replace(JWT, JWT_MARKER);
  if (out.includes('://')) {
    out = out.replace(URL_CREDENTIALS, (_m, scheme: string, user: string) => `${scheme}${user}:${PASSWORD_MARKER}@`);
  }
  out = out.replace(DSN_PASSWORD, (_m, label: string, separator: string) => `${label}${separator}${PASSWORD_MARKER}`);
  if (out.includes('"')) {
    const field = (whole: string, name: string, separator: string, value: string, quote: string) =>
      isSensitiveName(name) && value !== '' && !value.startsWith('<redacted:') ? `${quote}${name}${quote}${separator}${quote}${SENSITIVE}${quote}` : whole;
    out = out.replace(JSON_FIELD, (m, n: string, s: string, v: string) => field(m, n, s, v, '"'));
    if (out.includes('\\"')) out = out.replace(ESCAPED_JSON_FIELD, (m, n: string, s: string, v: string) => field(m, n, s, v, '\\"'));
  }
  return redactAwsKeys(out);
}

function redactAwsKeys(text: string): string {
  let sawKeyId = false;
  let out = text.replace(ACCESS_KEY_ID, () => {
    sawKeyId = true;
    return ACCESS_KEY_ID_MARKER;
  });
  out = out.replace(LABELLED_AWS_SECRET, (_m, label: string, separator: string) =>
    `${label}${separator}${/token/i.test(label) ? SENSITIVE : SECRET_KEY_MARKER}`,
  );
  // A bare 40-character token is only taken for a secret key beside a key id: alone, the shape
  // also fits content hashes and generated names, which must stay readable.
  if (sawKeyId) {
    out = out.replace(SECRET_KEY_SHAPE, (token: string) => (/[A-Z]/.test(token) && /[a-z0-9]/.test(token) ? SECRET_KEY_MARKER : token));
  }
  return out;
}
