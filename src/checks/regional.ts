/** Walking a regional listing (EC2, RDS) across every audited region. */
import type { CheckMetadata, Finding } from '../findings/model.js';
import type { InventorySnapshot, Read } from '../inventory/snapshot.js';
import { accountSubject, notCollected, readError } from './finding.js';

/**
 * Run `judge` on each item of a regional listing, in every audited region; a listing that
 * failed in a region is one `error` finding for that region.
 */
export function forEachInRegions<Inventory, Item>(
  meta: CheckMetadata,
  snapshot: InventorySnapshot,
  part: Record<string, Inventory> | undefined,
  partName: string,
  pick: (inventory: Inventory) => Read<Item[]>,
  what: string,
  judge: (item: Item, region: string, inventory: Inventory) => Finding | Finding[] | undefined,
): Finding[] {
  if (!part) return [notCollected(meta, snapshot, partName)];
  return Object.entries(part).flatMap(([region, inventory]) => {
    const list = pick(inventory);
    if (list.error) return [readError(meta, snapshot, accountSubject(snapshot, region), `${what} in ${region}`, list.error)];
    return list.value.flatMap((item) => judge(item, region, inventory) ?? []);
  });
}
