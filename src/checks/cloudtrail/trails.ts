/**
 * What the CloudTrail checks share: the account's trails, each once (a multi-region trail is
 * listed in every region), and what a trail's event selectors record.
 */
import type { AdvancedEventSelector, EventSelector } from '@aws-sdk/client-cloudtrail';
import type { CheckMetadata, Finding } from '../../findings/model.js';
import type { CloudTrailTrail, InventorySnapshot, ReadError } from '../../inventory/snapshot.js';
import { accountSubject, finding, notCollected, readError, type FindingSubject } from '../finding.js';

export interface AccountTrails {
  /** Each trail once, the entry that holds its status and selectors. */
  trails: CloudTrailTrail[];
  /** Regions whose trail listing failed: a trail only they list may be missing. */
  listingErrors: Array<{ region: string; error: ReadError }>;
}

/** The trails of the account, or the `error` finding when the CloudTrail inventory was not collected. */
export function accountTrails(meta: CheckMetadata, snapshot: InventorySnapshot): AccountTrails | { finding: Finding } {
  if (!snapshot.cloudtrail) return { finding: notCollected(meta, snapshot, 'cloudtrail') };
  const byArn = new Map<string, CloudTrailTrail>();
  const listingErrors: AccountTrails['listingErrors'] = [];
  for (const [region, inventory] of Object.entries(snapshot.cloudtrail)) {
    if (inventory.trails.error) {
      listingErrors.push({ region, error: inventory.trails.error });
      continue;
    }
    for (const trail of inventory.trails.value) {
      const seen = byArn.get(trail.arn);
      if (!seen || (!seen.status && trail.status)) byArn.set(trail.arn, trail);
    }
  }
  return { trails: [...byArn.values()], listingErrors };
}

export function trailSubject(trail: CloudTrailTrail): FindingSubject {
  return { region: trail.homeRegion, resourceId: trail.arn, resourceName: trail.name, resourceType: 'AWS::CloudTrail::Trail' };
}

/** The `error` finding for a region whose trails could not be listed. */
export function listingErrorFinding(meta: CheckMetadata, snapshot: InventorySnapshot, region: string, error: ReadError): Finding {
  return readError(meta, snapshot, accountSubject(snapshot, region), `the trails in ${region} (cloudtrail:DescribeTrails)`, error);
}

/** Per-trail checks: one verdict per trail, one `error` per region whose listing failed. */
export function forEachTrail(meta: CheckMetadata, snapshot: InventorySnapshot, judge: (trail: CloudTrailTrail) => Finding): Finding[] {
  const found = accountTrails(meta, snapshot);
  if ('finding' in found) return [found.finding];
  return [...found.listingErrors.map(({ region, error }) => listingErrorFinding(meta, snapshot, region, error)), ...found.trails.map(judge)];
}

export interface Coverage {
  read: boolean;
  write: boolean;
}

const field = (selector: AdvancedEventSelector, name: string) => selector.FieldSelectors?.find((f) => f.Field === name);
const equalsOnly = (selector: AdvancedEventSelector, name: string, value: string) => {
  const f = field(selector, name);
  return !!f && (f.Equals ?? []).length === 1 && f.Equals![0] === value && !f.StartsWith?.length && !f.NotEquals?.length && !f.NotStartsWith?.length && !f.EndsWith?.length && !f.NotEndsWith?.length;
};

/** Which of read and write events an advanced selector's readOnly field lets through. */
function readOnlyCoverage(selector: AdvancedEventSelector): Coverage {
  const f = field(selector, 'readOnly');
  if (!f) return { read: true, write: true };
  const equals = f.Equals ?? [];
  const not = f.NotEquals ?? [];
  const lets = (value: 'true' | 'false') => (equals.length === 0 || equals.includes(value)) && !not.includes(value);
  return { read: lets('true'), write: lets('false') };
}

/** Does an advanced selector filter on anything beyond the fields named (so it records only some events)? */
function narrowedBeyond(selector: AdvancedEventSelector, allowed: readonly string[]): boolean {
  return (selector.FieldSelectors ?? []).some((f) => !allowed.includes(f.Field ?? ''));
}

function union(a: Coverage, b: Coverage): Coverage {
  return { read: a.read || b.read, write: a.write || b.write };
}

const NONE: Coverage = { read: false, write: false };

function basicCoverage(selector: EventSelector): Coverage {
  const type = selector.ReadWriteType ?? 'All';
  return { read: type === 'All' || type === 'ReadOnly', write: type === 'All' || type === 'WriteOnly' };
}

/** The management events (read, write) a trail's selectors record in full: no event source left out. */
export function managementCoverage(selectors: { basic: EventSelector[]; advanced: AdvancedEventSelector[] }): Coverage {
  let coverage = NONE;
  for (const s of selectors.basic) {
    if (s.IncludeManagementEvents === false || (s.ExcludeManagementEventSources ?? []).length > 0) continue;
    coverage = union(coverage, basicCoverage(s));
  }
  for (const s of selectors.advanced) {
    if (!equalsOnly(s, 'eventCategory', 'Management') || narrowedBeyond(s, ['eventCategory', 'readOnly'])) continue;
    coverage = union(coverage, readOnlyCoverage(s));
  }
  return coverage;
}

/** Values of a basic DataResource that stand for every bucket's objects. */
const ALL_S3_OBJECTS = new Set(['arn:aws:s3', 'arn:aws:s3:::', 'arn:aws-cn:s3', 'arn:aws-cn:s3:::', 'arn:aws-us-gov:s3', 'arn:aws-us-gov:s3:::']);

export interface S3DataCoverage {
  /** Object-level events of every bucket. */
  all: Coverage;
  /** Buckets (ARN prefixes) covered one by one, for the message when `all` does not hold. */
  some: Array<{ arn: string; read: boolean; write: boolean }>;
}

/** The S3 object-level (data) events a trail's selectors record. */
export function s3DataCoverage(selectors: { basic: EventSelector[]; advanced: AdvancedEventSelector[] }): S3DataCoverage {
  let all = NONE;
  const some: S3DataCoverage['some'] = [];
  for (const s of selectors.basic) {
    const c = basicCoverage(s);
    for (const resource of s.DataResources ?? []) {
      if (resource.Type !== 'AWS::S3::Object') continue;
      for (const value of resource.Values ?? []) {
        if (ALL_S3_OBJECTS.has(value)) all = union(all, c);
        else some.push({ arn: value, ...c });
      }
    }
  }
  for (const s of selectors.advanced) {
    if (!equalsOnly(s, 'eventCategory', 'Data') || !equalsOnly(s, 'resources.type', 'AWS::S3::Object')) continue;
    const c = readOnlyCoverage(s);
    const arns = field(s, 'resources.ARN');
    if (narrowedBeyond(s, ['eventCategory', 'resources.type', 'readOnly', 'resources.ARN'])) continue;
    if (!arns) all = union(all, c);
    else
      for (const value of [...(arns.Equals ?? []), ...(arns.StartsWith ?? [])]) {
        if (ALL_S3_OBJECTS.has(value) && !arns.NotStartsWith?.length && !arns.NotEquals?.length) all = union(all, c);
        else some.push({ arn: value, ...c });
      }
  }
  return { all, some };
}

/**
 * An account-level verdict over the trails: `pass` when one trail meets the requirement;
 * otherwise `error` when a read it needed failed (a listing, or a candidate's status or
 * selectors), since the trail that meets it may be the one not read; otherwise `fail`.
 */
export function accountTrailVerdict(
  meta: CheckMetadata,
  snapshot: InventorySnapshot,
  judge: (trail: CloudTrailTrail) => { meets: true; why: string } | { meets: false; why: string } | { error: ReadError; what: string },
  messages: { pass: (trail: CloudTrailTrail, why: string) => string; fail: string },
): Finding[] {
  const found = accountTrails(meta, snapshot);
  if ('finding' in found) return [found.finding];
  const subject = accountSubject(snapshot);
  const verdicts = found.trails.map((trail) => ({ trail, verdict: judge(trail) }));
  const meeting = verdicts.find((v) => 'meets' in v.verdict && v.verdict.meets);
  const trailsEvidence = verdicts.map(({ trail, verdict }) => ({ trail: trail.arn, ...('error' in verdict ? { error: verdict.error } : { meets: verdict.meets, why: verdict.why }) }));
  if (meeting) return [finding(meta, snapshot, subject, 'pass', messages.pass(meeting.trail, (meeting.verdict as { why: string }).why), { trails: trailsEvidence })];
  const failedRead = verdicts.find((v) => 'error' in v.verdict);
  if (failedRead && 'error' in failedRead.verdict) return [readError(meta, snapshot, subject, failedRead.verdict.what, failedRead.verdict.error)];
  const listing = found.listingErrors[0];
  if (listing) return [listingErrorFinding(meta, snapshot, listing.region, listing.error)];
  return [finding(meta, snapshot, subject, 'fail', messages.fail, { trails: trailsEvidence })];
}

/** A trail's status and selectors, or the failed read among them. */
export function trailDetails(trail: CloudTrailTrail): { isLogging: boolean; selectors: { basic: EventSelector[]; advanced: AdvancedEventSelector[] } } | { error: ReadError; what: string } {
  if (!trail.status || !trail.eventSelectors) return { error: { code: 'NotCollected', message: `trail ${trail.arn} was not read in its home region` }, what: `the status of trail ${trail.name}` };
  if (trail.status.error) return { error: trail.status.error, what: `the status of trail ${trail.name} (cloudtrail:GetTrailStatus)` };
  if (trail.eventSelectors.error) return { error: trail.eventSelectors.error, what: `the event selectors of trail ${trail.name} (cloudtrail:GetEventSelectors)` };
  return { isLogging: trail.status.value.isLogging, selectors: trail.eventSelectors.value };
}
