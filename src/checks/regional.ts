/** Walking a regional listing (EC2, RDS) across every audited region. */
import type { CheckMetadata, Finding } from '../findings/model.js';
import type { InventorySnapshot, Read } from '../inventory/snapshot.js';
import { accountSubject, notCollected, readError } from './finding.js';

/**
 * Run `judge` on each item of a regional listing, in every audited region, one item at a time
 * (a generator); a listing that failed in a region is one `error` finding for that region.
 */
export function* forEachInRegions<Inventory, Item>(
  meta: CheckMetadata,
  snapshot: InventorySnapshot,
  part: Record<string, Inventory> | undefined,
  partName: string,
  pick: (inventory: Inventory) => Read<Item[]>,
  what: string,
  judge: (item: Item, region: string, inventory: Inventory) => Finding | Finding[] | undefined,
): Generator<Finding> {
  if (!part) {
    yield notCollected(meta, snapshot, partName);
    return;
  }
  for (const [region, inventory] of Object.entries(part)) {
    const list = pick(inventory);
    if (list.error) {
      yield readError(meta, snapshot, accountSubject(snapshot, region), `${what} in ${region}`, list.error);
      continue;
    }
    for (const item of list.value) {
      const found = judge(item, region, inventory);
      if (Array.isArray(found)) yield* found;
      else if (found) yield found;
    }
  }
}
