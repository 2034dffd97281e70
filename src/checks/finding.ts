/**
 * Building findings: every finding of a check carries the check's metadata the same way,
 * and a failed read becomes an `error` finding that names what could not be read and why.
 */
import type { CheckMetadata, Finding, FindingStatus } from '../findings/model.js';
import type { InventorySnapshot, Read, ReadError } from '../inventory/snapshot.js';

export const GLOBAL_REGION = 'global';

export interface FindingSubject {
  region: string;
  /** The ARN where one exists, else the AWS id. */
  resourceId: string;
  resourceName?: string;
  /** Defaults to the check's resource type. */
  resourceType?: string;
}

export function finding(
  meta: CheckMetadata,
  snapshot: InventorySnapshot,
  subject: FindingSubject,
  status: FindingStatus,
  message: string,
  evidence?: Record<string, unknown>,
): Finding {
  const f: Finding = {
    checkId: meta.id,
    title: meta.title,
    status,
    severity: meta.severity,
    accountId: snapshot.accountId,
    region: subject.region,
    service: meta.service,
    resourceType: subject.resourceType ?? meta.resourceType,
    resourceId: subject.resourceId,
    message,
    remediation: meta.remediation,
  };
  if (subject.resourceName !== undefined) f.resourceName = subject.resourceName;
  if (evidence !== undefined) f.evidence = evidence;
  if (status === 'fail') {
    f.failTitle = meta.failTitle;
    f.remediationTerraform = meta.remediationTerraform;
  }
  if (meta.cis) f.cis = meta.cis;
  return f;
}

/** The `error` finding for input that could not be read. */
export function readError(meta: CheckMetadata, snapshot: InventorySnapshot, subject: FindingSubject, what: string, error: ReadError): Finding {
  return finding(meta, snapshot, subject, 'error', `Could not read ${what}: ${error.code}: ${error.message}`, { error });
}

/** The subject for a verdict about the account as a whole (or a listing of it that failed). */
export function accountSubject(snapshot: InventorySnapshot, region = GLOBAL_REGION): FindingSubject {
  return { region, resourceId: snapshot.accountId, resourceType: 'AWS::::Account' };
}

/** The first failed read among `reads`, if any. */
export function firstError(...reads: Array<Read<unknown> | undefined>): ReadError | undefined {
  for (const r of reads) if (r?.error) return r.error;
  return undefined;
}

export function daysBetween(earlier: Date, later: Date): number {
  return Math.floor((later.getTime() - earlier.getTime()) / 86_400_000);
}

/** A part of the inventory that the engine should have collected for this check but did not: an engine bug, reported, not hidden. */
export function notCollected(meta: CheckMetadata, snapshot: InventorySnapshot, part: string): Finding {
  return finding(meta, snapshot, accountSubject(snapshot), 'error', `The ${part} inventory was not collected for this check`, {
    error: { code: 'NotCollected', message: part },
  });
}
