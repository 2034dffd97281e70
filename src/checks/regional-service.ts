/** Shared by the per-region service checks (Access Analyzer, Security Hub, GuardDuty): one verdict per audited region. */
import type { CheckMetadata, Finding } from '../findings/model.js';
import type { InventorySnapshot } from '../inventory/snapshot.js';
import { accountSubject, notCollected } from './finding.js';

export function forEachAuditedRegion<T>(
  meta: CheckMetadata,
  snapshot: InventorySnapshot,
  part: string,
  parts: Record<string, T> | undefined,
  judge: (region: string, inventory: T, subject: ReturnType<typeof accountSubject>) => Finding,
  /** The region's resource id: the service's ARN in the region, so each region's verdict has its own. */
  resourceOf?: (region: string) => { resourceId: string; resourceName: string; resourceType: string },
): Finding[] {
  if (!parts) return [notCollected(meta, snapshot, part)];
  return snapshot.regions.map((region) => {
    const inventory = parts[region];
    if (!inventory) return notCollected(meta, snapshot, `${part} in ${region}`);
    return judge(region, inventory, { ...accountSubject(snapshot, region), ...resourceOf?.(region) });
  });
}
