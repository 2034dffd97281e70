/**
 * Matching of actions, resources/ARNs and principals against policy patterns.
 *
 * Wildcards are `*` (any run of characters) and `?` (one character). Policy variables such as
 * `${aws:username}` are substituted from the request context; an unknown variable makes a match
 * `'unknown'` unless the pattern cannot match whatever the variable holds.
 */
import { lookupConditionKey, type ConditionContext } from './context.js';
import type { PolicyPrincipal } from './parse.js';
import { truthAnd, type Truth } from './truth.js';

type PatternToken = { kind: 'text'; text: string } | { kind: 'star' } | { kind: 'one' };

export interface PatternOptions {
  /** Treat `*` and `?` as wildcards (String*Like, Arn*, Action, Resource) or literally (String*Equals). */
  wildcards: boolean;
  caseInsensitive: boolean;
  /** Context for `${...}` variables; without one, variables are unknown. */
  context?: ConditionContext;
}

const VARIABLE = /\$\{([^}]*)\}/g;
/** The three escapes AWS defines for characters that would otherwise be syntax. */
const SPECIAL_VARIABLES: Record<string, string> = { '*': '*', '?': '?', $: '$' };

/**
 * Tokenise a pattern with its variables resolved. An unresolvable variable is `'absent'` (no
 * match is possible, as in AWS) or becomes a `*` flagged `unknown` (the match is at best unknown).
 */
function tokenise(pattern: string, options: PatternOptions): { tokens: PatternToken[]; unknown: boolean } | 'absent' {
  const tokens: PatternToken[] = [];
  let unknown = false;
  let last = 0;
  const pushText = (text: string, literal: boolean): void => {
    for (const ch of text) {
      if (!literal && options.wildcards && ch === '*') tokens.push({ kind: 'star' });
      else if (!literal && options.wildcards && ch === '?') tokens.push({ kind: 'one' });
      else tokens.push({ kind: 'text', text: ch });
    }
  };
  for (const found of pattern.matchAll(VARIABLE)) {
    pushText(pattern.slice(last, found.index), false);
    last = found.index + found[0].length;
    const body = found[1] ?? '';
    const special = SPECIAL_VARIABLES[body];
    if (special !== undefined) {
      pushText(special, true);
      continue;
    }
    // `${aws:username, 'default'}`: the default applies when the key is absent.
    const defaultMatch = /^\s*([^,\s]+)\s*,\s*'([^']*)'\s*$/.exec(body);
    const key = defaultMatch ? (defaultMatch[1] ?? '') : body.trim();
    const lookup = lookupConditionKey(options.context ?? {}, key);
    if (lookup.state === 'present' && lookup.values.length === 1) {
      pushText(lookup.values[0] ?? '', true);
    } else if (lookup.state === 'absent' && defaultMatch) {
      pushText(defaultMatch[2] ?? '', true);
    } else if (lookup.state === 'absent') {
      return 'absent';
    } else {
      tokens.push({ kind: 'star' });
      unknown = true;
    }
  }
  pushText(pattern.slice(last), false);
  return { tokens, unknown };
}

/** Iterative glob match with backtracking to the last star: linear memory, no regex blow-up. */
function globTokens(tokens: PatternToken[], subject: string, caseInsensitive: boolean): boolean {
  const chars = Array.from(caseInsensitive ? subject.toLowerCase() : subject);
  let p = 0;
  let s = 0;
  let starP = -1;
  let starS = 0;
  while (s < chars.length) {
    const token = tokens[p];
    if (token?.kind === 'star') {
      starP = p++;
      starS = s;
      continue;
    }
    const ch = chars[s];
    const equal =
      token?.kind === 'one' ||
      (token?.kind === 'text' && (caseInsensitive ? token.text.toLowerCase() : token.text) === ch);
    if (equal) {
      p++;
      s++;
    } else if (starP >= 0) {
      p = starP + 1;
      s = ++starS;
    } else {
      return false;
    }
  }
  while (tokens[p]?.kind === 'star') p++;
  return p === tokens.length;
}

/** Match a policy pattern (with optional wildcards and variables) against a request value. */
export function matchPattern(pattern: string, subject: string, options: PatternOptions): Truth {
  const tokenised = tokenise(pattern, options);
  if (tokenised === 'absent') return false;
  const matched = globTokens(tokenised.tokens, subject, options.caseInsensitive);
  if (!matched) return false;
  return tokenised.unknown ? 'unknown' : true;
}

/** Action names are case-insensitive in AWS, prefix and name alike (`S3:getobject` is `s3:GetObject`). */
export function actionMatches(pattern: string, action: string): boolean {
  return matchPattern(pattern, action, { wildcards: true, caseInsensitive: true }) === true;
}

/** Resource ARNs are case-sensitive; variables come from the request context. */
export function resourceMatches(pattern: string, resource: string, context?: ConditionContext): Truth {
  const options: PatternOptions = { wildcards: true, caseInsensitive: false };
  if (context) options.context = context;
  return matchPattern(pattern, resource, options);
}

/**
 * ArnEquals/ArnLike: each of the six colon-separated ARN parts is matched on its own, so a `*`
 * cannot swallow a colon. The resource part (the sixth) keeps any further colons.
 */
export function arnMatches(pattern: string, arn: string, context?: ConditionContext): Truth {
  const patternParts = splitArn(pattern);
  const arnParts = splitArn(arn);
  if (!patternParts || !arnParts) return false;
  const options: PatternOptions = { wildcards: true, caseInsensitive: false };
  if (context) options.context = context;
  return truthAnd(patternParts.map((part, i) => matchPattern(part, arnParts[i] ?? '', options)));
}

/** `arn:partition:service:region:account:resource`, or undefined when it is not ARN-shaped. */
export function splitArn(arn: string): string[] | undefined {
  const parts: string[] = [];
  let rest = arn;
  for (let i = 0; i < 5; i++) {
    const colon = rest.indexOf(':');
    if (colon < 0) return undefined;
    parts.push(rest.slice(0, colon));
    rest = rest.slice(colon + 1);
  }
  parts.push(rest);
  return parts;
}

/** Whether a pattern has wildcard characters (outside `${...}` escapes this is what AWS means). */
export function hasWildcard(value: string): boolean {
  return /[*?]/.test(value);
}

/** Whether a pattern has a policy variable, whose value is only known per request. */
export function hasPolicyVariable(value: string): boolean {
  return /\$\{[^}]*\}/.test(value);
}

/**
 * Whether every string `inner` can match is also matched by `outer`, treating wildcards in both
 * as wildcards. Sound but not complete: a `?` in `outer` never covers a `*` of `inner`.
 */
export function patternCovers(outer: string, inner: string, caseInsensitive: boolean): boolean {
  const o = Array.from(caseInsensitive ? outer.toLowerCase() : outer);
  const i = Array.from(caseInsensitive ? inner.toLowerCase() : inner);
  // Dynamic programming over (outer position, inner position): bounded by |o|·|i|.
  const memo = new Map<number, boolean>();
  const covers = (a: number, b: number): boolean => {
    const key = a * (i.length + 1) + b;
    const cached = memo.get(key);
    if (cached !== undefined) return cached;
    let result: boolean;
    if (a === o.length) result = b === i.length;
    else if (o[a] === '*') result = covers(a + 1, b) || (b < i.length && covers(a, b + 1));
    else if (b === i.length) result = false;
    else if (o[a] === '?') result = i[b] !== '*' && covers(a + 1, b + 1);
    else result = i[b] !== '*' && i[b] !== '?' && o[a] === i[b] && covers(a + 1, b + 1);
    memo.set(key, result);
    return result;
  };
  return covers(0, 0);
}

/** Who makes a request, as far as principal matching needs to know. */
export type RequestPrincipal =
  | { type: 'AWS'; arn: string }
  | { type: 'Service'; service: string }
  | { type: 'Federated'; provider: string }
  | { type: 'CanonicalUser'; id: string }
  | { type: 'Anonymous' };

/** The 12-digit account of an IAM/STS ARN or of a bare account id, if it has one. */
export function accountOfPrincipal(value: string): string | undefined {
  if (/^\d{12}$/.test(value)) return value;
  const parts = splitArn(value);
  const account = parts?.[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

/** `arn:aws:sts::123:assumed-role/Name/session` acts as the role `arn:aws:iam::123:role/.../Name`. */
function roleOfSession(arn: string): { account: string; roleName: string } | undefined {
  const parts = splitArn(arn);
  if (!parts || parts[2] !== 'sts') return undefined;
  const match = /^assumed-role\/([^/]+)\//.exec(parts[5] ?? '');
  return match && parts[4] ? { account: parts[4], roleName: match[1] ?? '' } : undefined;
}

function awsPrincipalMatches(entry: string, requesterArn: string): boolean {
  if (entry === '*') return true;
  const requesterAccount = accountOfPrincipal(requesterArn);
  if (/^\d{12}$/.test(entry)) return requesterAccount === entry;
  const entryParts = splitArn(entry);
  // The account root stands for every principal of that account.
  if (entryParts && entryParts[2] === 'iam' && entryParts[5] === 'root') return requesterAccount === entryParts[4];
  if (entry === requesterArn) return true;
  const session = roleOfSession(requesterArn);
  if (session && entryParts && entryParts[2] === 'iam' && entryParts[5]?.startsWith('role/')) {
    const roleName = entryParts[5].split('/').pop();
    return entryParts[4] === session.account && roleName === session.roleName;
  }
  return false;
}

/**
 * Whether a `Principal` element names the requester. Partial wildcards are not valid in a
 * principal, so apart from `*` every entry is literal. An unknown requester is `'unknown'`.
 */
export function principalMatches(principal: PolicyPrincipal, requester: RequestPrincipal | undefined): Truth {
  if (principal === '*') return true;
  if (principal.AWS.includes('*')) return true;
  if (!requester) return 'unknown';
  switch (requester.type) {
    case 'AWS':
      return principal.AWS.some((entry) => awsPrincipalMatches(entry, requester.arn));
    case 'Service':
      return principal.Service.some((entry) => entry.toLowerCase() === requester.service.toLowerCase());
    case 'Federated':
      return principal.Federated.includes(requester.provider);
    case 'CanonicalUser':
      return principal.CanonicalUser.includes(requester.id);
    case 'Anonymous':
      return false;
  }
}
