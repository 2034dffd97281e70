/**
 * Suppressions: accepted risks, each with a reason and an expiry date. A suppressed finding
 * stays in the report (marked) but does not fail the run; an expired suppression no longer
 * applies, so an exception cannot outlive the review it was granted under.
 *
 * File format (JSON):
 *   { "suppressions": [ { "checkId": "s3_bucket_public_read", "resource": "arn:aws:s3:::acme-marketing-site",
 *                         "reason": "public website, reviewed in SEC-123", "expires": "2026-12-31" } ] }
 * `resource` is an ARN or id, `*` globs allowed; omitted, the suppression covers every resource of the check.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { InfraAuditError } from '../errors.js';
import type { Finding } from '../findings/model.js';

const SuppressionSchema = z.strictObject({
  checkId: z.string().min(1),
  resource: z.string().min(1).optional(),
  reason: z.string().min(1, 'give the reason the risk is accepted'),
  expires: z.iso.date('expires must be a date such as 2026-12-31'),
});

const SuppressionFileSchema = z.strictObject({ suppressions: z.array(SuppressionSchema) });

export type Suppression = z.infer<typeof SuppressionSchema>;

export async function loadSuppressions(file: string, knownCheckIds: readonly string[]): Promise<Suppression[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InfraAuditError(code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE', `cannot read suppressions file ${file}: ${code ?? String(err)}`, {
      hint: 'pass a JSON file of the form {"suppressions": [{"checkId", "resource", "reason", "expires"}]}',
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InfraAuditError('CONFIG_INVALID', `suppressions file ${file} is not valid JSON: ${(err as Error).message}`, { hint: 'check the file with a JSON validator' });
  }
  const parsed = SuppressionFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InfraAuditError('CONFIG_INVALID', `suppressions file ${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`, {
      hint: 'each entry needs checkId, reason and expires (YYYY-MM-DD); resource is optional',
    });
  }
  for (const [i, s] of parsed.data.suppressions.entries()) {
    if (!knownCheckIds.includes(s.checkId)) {
      throw new InfraAuditError('CONFIG_INVALID', `suppressions file ${file}: suppressions.${i}.checkId: unknown check id "${s.checkId}"`, { hint: 'run `infra-audit audit --list-checks` for the ids' });
    }
  }
  return parsed.data.suppressions;
}

function globMatches(pattern: string, value: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\?]/g, '\\$&').replace(/\*/g, '.*') + '$');
  return re.test(value);
}

/** Mark the failed findings that an unexpired suppression covers. Returns the suppressions that have expired. */
export function applySuppressions(findings: Finding[], suppressions: readonly Suppression[], now: Date): Suppression[] {
  const today = now.toISOString().slice(0, 10);
  const active = suppressions.filter((s) => s.expires >= today);
  for (const f of findings) {
    if (f.status !== 'fail') continue;
    const match = active.find((s) => s.checkId === f.checkId && (!s.resource || globMatches(s.resource, f.resourceId) || (f.resourceName !== undefined && globMatches(s.resource, f.resourceName))));
    if (match) f.suppressed = { reason: match.reason, expires: match.expires };
  }
  return suppressions.filter((s) => s.expires < today);
}
