/**
 * Names that carry the MCP caller into CloudTrail when the server assumes a role: the
 * RoleSessionName appears in the assumed-role ARN of every call made with the session, and
 * the SourceIdentity is kept by AWS across role chaining and cannot be changed by the
 * session. Both are 2-64 characters of [\w+=,.@-]. A principal that does not fit is
 * shortened or cleaned and suffixed with a hash of the original, so distinct principals
 * never share a name.
 */
import { createHash } from 'node:crypto';
import type { Caller } from '../server/tool.js';

const NOT_ALLOWED = /[^\w+=,.@-]/g;
const MAX = 64;
export const ROLE_SESSION_NAME_PATTERN = /^[\w+=,.@-]{2,64}$/;

function fit(value: string): string {
  const clean = value.replace(NOT_ALLOWED, '-');
  if (clean === value && clean.length >= 2 && clean.length <= MAX) return clean;
  const digest = createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 10);
  return `${clean.slice(0, MAX - digest.length - 1)}-${digest}`;
}

/** `infra-audit.<principal>`: sessions of this product are easy to find in CloudTrail. */
export function roleSessionNameFor(caller: Pick<Caller, 'principal'>): string {
  return fit(`infra-audit.${caller.principal}`);
}

/** The principal itself: who the calls were for, whatever role chain follows. */
export function sourceIdentityFor(caller: Pick<Caller, 'principal'>): string {
  return fit(caller.principal);
}
