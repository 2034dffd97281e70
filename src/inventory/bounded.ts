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
export async function mapBounded<T, R>(items: readonly T[], limit: number, read: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    // Each worker takes the next index until none is left: items.length iterations in all.
    while (next < items.length) {
      const index = next++;
      results[index] = await read(items[index]!, index);
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
