/** CIS 3.8 and 3.9: one trail records the object-level events (write, or read) of every bucket. */
import type { CheckMetadata, Finding } from '../../findings/model.js';
import type { InventorySnapshot } from '../../inventory/snapshot.js';
import { accountTrailVerdict, s3DataCoverage, trailDetails } from './trails.js';

export function s3DataEventsVerdict(metadata: CheckMetadata, snapshot: InventorySnapshot, kind: 'read' | 'write'): Finding[] {
  return accountTrailVerdict(
    metadata,
    snapshot,
    (trail) => {
      const details = trailDetails(trail);
      if ('error' in details) return details;
      const coverage = s3DataCoverage(details.selectors);
      if (!coverage.all[kind]) {
        const some = coverage.some.filter((s) => s[kind]).map((s) => s.arn);
        return { meets: false, why: some.length ? `records ${kind} events of ${some.join(', ')} only` : `records no S3 object ${kind} events` };
      }
      if (!details.isLogging) return { meets: false, why: 'logging is stopped' };
      // A single-region trail records data events of the buckets in its own region only.
      if (!trail.trail.IsMultiRegionTrail) return { meets: false, why: `single-region: buckets in ${trail.homeRegion} only` };
      return { meets: true, why: `records S3 object ${kind} events of every bucket` };
    },
    {
      pass: (trail) => `Trail ${trail.name} records the object-level ${kind} events of every S3 bucket.`,
      fail: `No logging multi-region trail records the object-level ${kind} events of every S3 bucket.`,
    },
  );
}
