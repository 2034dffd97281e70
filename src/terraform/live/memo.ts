/** One index per live inventory, built on first use: lookups run once per state instance. */
import type { LiveInventory } from './inventory.js';

export function memo<T>(build: (live: LiveInventory) => T): (live: LiveInventory) => T {
  const cache = new WeakMap<LiveInventory, T>();
  return (live) => {
    let value = cache.get(live);
    if (value === undefined) cache.set(live, (value = build(live)));
    return value;
  };
}
