/**
 * A bounded fan-out over the resources a collector lists: at most `limit` resources are being
 * read at once, the rest wait here as plain list entries. Without it, a collector that starts
 * every bucket at once creates all their calls up front (3,000 buckets × 8 reads = 24,000
 * requests with their SDK middleware stacks), which then queue behind the service's concurrency
 * limit: the memory peak grows with the account instead of with the limit.
 *
 * Results keep the order of `items`. A rejection rejects the whole map, as Promise.all does;
 * the reads inside collectors record their errors instead of throwing, so that is a cancellation.
 */
/** The work of one service, for progress: resources listed but not yet being read, and those started. */
export interface ResourceWork {
  waiting?: number;
  resources?: number;
}

export async function mapBounded<T, R>(items: readonly T[], limit: number, read: (item: T, index: number) => Promise<R>, work?: ResourceWork): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  // Known work for the progress display: the calls of resources still waiting here are not made yet.
  if (work) work.waiting = (work.waiting ?? 0) + items.length;
  const worker = async () => {
    // Each worker takes the next index until none is left: items.length iterations in all.
    while (next < items.length) {
      const index = next++;
      if (work) {
        work.waiting = (work.waiting ?? 1) - 1;
        work.resources = (work.resources ?? 0) + 1;
      }
      results[index] = await read(items[index]!, index);
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
