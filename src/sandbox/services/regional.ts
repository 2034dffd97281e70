/**
 * What the regional services (EC2, RDS, CloudWatch) share: the request region's resources,
 * opaque pagination tokens, and EC2-style wildcard matching.
 */
import { createHash } from 'node:crypto';
import type { SandboxRegion } from '../account/model.js';
import type { ServiceContext } from '../types.js';

/**
 * The resources of the request's region, or undefined when the account does not have that
 * region enabled. The account file lists the enabled regions; every other region behaves as
 * an opt-in region this account never enabled.
 */
export function regionResources(ctx: ServiceContext): SandboxRegion | undefined {
  return Object.hasOwn(ctx.account.Regions, ctx.region) ? ctx.account.Regions[ctx.region] : undefined;
}

/**
 * A pagination token: the offset of the next item, bound to the request that produced it
 * (operation and every parameter except the token itself), so a token replayed against a
 * different query is refused rather than silently skipping items.
 */
export function encodePageToken(offset: number, binding: string): string {
  const mac = createHash('sha256').update(`${binding}\n${offset}`).digest('base64url').slice(0, 16);
  return Buffer.from(JSON.stringify({ o: offset, m: mac }), 'utf8').toString('base64url');
}

/** The offset a token stands for, or undefined when it is not one this query produced. */
export function decodePageToken(token: string, binding: string): number | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (!parsed || typeof parsed !== 'object') return undefined;
    const { o, m } = parsed as { o?: unknown; m?: unknown };
    if (typeof o !== 'number' || !Number.isSafeInteger(o) || o < 0 || typeof m !== 'string') return undefined;
    return encodePageToken(o, binding) === token ? o : undefined;
  } catch {
    return undefined;
  }
}

/** The query a token is bound to: the operation and its parameters minus the paging ones. */
export function pageBinding(operation: string, params: Iterable<[string, string]>, pagingKeys: readonly string[]): string {
  const kept = [...params].filter(([k]) => !pagingKeys.includes(k)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${operation}?${kept.map(([k, v]) => `${k}=${v}`).join('&')}`;
}

/** EC2 filter values: `*` matches any run of characters, `?` one character; case-sensitive. */
export function wildcardMatcher(pattern: string): (value: string) => boolean {
  if (!/[*?]/.test(pattern)) return (value) => value === pattern;
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 's');
  return (value) => re.test(value);
}

/** One page of `items` from `offset`, and the offset of the next page if there is one. */
export function pageOf<T>(items: readonly T[], offset: number, size: number): { page: T[]; next?: number } {
  const page = items.slice(offset, offset + size);
  const next = offset + size < items.length ? offset + size : undefined;
  return next === undefined ? { page } : { page, next };
}
