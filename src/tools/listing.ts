/**
 * Shared by the tools that list from the cached inventory: argument schemas every listing
 * takes, pages bound to the data they were cut from, and plain-JSON values for output.
 */
import { z } from 'zod';
import { paginate, queryKey, type Page } from '../server/pagination.js';
import type { ReadError } from '../inventory/snapshot.js';
import { InfraAuditError } from '../errors.js';

export const listingArgs = {
  limit: z.number().int().min(1).max(500).default(100).describe('Page size'),
  cursor: z.string().optional().describe('nextCursor from a previous call with the same arguments'),
  refresh: z.boolean().default(false).describe('Re-read from AWS instead of the inventory cached for this session (5 minutes); ignored with a cursor'),
};

export const regionsArg = z
  .array(z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, 'an AWS region name such as us-east-1'))
  .max(40)
  .optional()
  .describe('Only these regions (default: every enabled region)');

export const ReadErrorSchema = z.object({ code: z.string(), message: z.string() });

/** A tri-state for facts the audit role could not always read. */
export const Truth = z.union([z.boolean(), z.literal('unknown')]);
export type Truth = z.infer<typeof Truth>;

/** What a read failure looks like in a listing: which read, and why. */
export const ItemErrorSchema = z.object({ read: z.string(), code: z.string(), message: z.string() });
export type ItemError = z.infer<typeof ItemErrorSchema>;

export function itemError(read: string, error: ReadError): ItemError {
  return { read, code: error.code, message: error.message };
}

/**
 * A page of `all`, its cursor bound to the arguments and to `version` (the run or the
 * inventory read it was cut from), so a cursor never pages a list that has changed under it.
 */
export function pageOf<T>(all: readonly T[], tool: string, args: Record<string, unknown>, version: string, limit: number): Page<T> {
  const { refresh: _refresh, ...rest } = args;
  void _refresh;
  return paginate(all, `${queryKey(tool, rest)}.${version}`, args.cursor as string | undefined, limit);
}

/** The version tag inside a cursor this server issued, if it carries one. */
export function cursorVersion(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  try {
    const k = (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { k?: unknown }).k;
    if (typeof k !== 'string') return undefined;
    const dot = k.indexOf('.');
    return dot >= 0 ? k.slice(dot + 1) : undefined;
  } catch {
    return undefined;
  }
}

/** Plain JSON (Dates as ISO strings, undefined dropped): what structuredContent carries. */
export function toJson<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value ?? null)) as unknown;
}

export function iso(date: Date | string | undefined | null): string | null {
  if (!date) return null;
  return (date instanceof Date ? date : new Date(date)).toISOString();
}

export function daysSince(date: Date | string | undefined | null, now: Date): number | null {
  if (!date) return null;
  const t = (date instanceof Date ? date : new Date(date)).getTime();
  return Math.floor((now.getTime() - t) / 86_400_000);
}

/** The closing line of a page's text form. */
export function moreText(page: { items: unknown[]; total: number; nextCursor?: string }): string {
  return page.nextCursor ? `\n(${page.total} in all, ${page.items.length} shown: call again with cursor for more)` : '';
}

/**
 * A listing that could not be read at all: the tool fails with the reason rather than
 * answering with an empty, clean-looking list.
 */
export function listingFailed(what: string, error: ReadError): InfraAuditError {
  const denied = /AccessDenied|Unauthorized|AuthorizationError/.test(error.code);
  return new InfraAuditError(denied ? 'AWS_ACCESS_DENIED' : 'AWS_ERROR', `could not read ${what}: ${error.code}: ${error.message}`, {
    hint: denied ? 'grant the audit role the read action (see `infra-audit iam-policy`)' : 'retry with refresh: true; if it persists, the AWS API is failing for this account',
  });
}
