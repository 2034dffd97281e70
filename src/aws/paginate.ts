/** Drain an SDK paginator (`paginateListRoles(...)` and friends) into one list, with a bound. */
import { InfraAuditError } from '../errors.js';

/** A service that keeps answering with a next-page token would otherwise keep us forever. */
export const MAX_PAGES = 50_000;

export async function collectPages<Page, Item>(pages: AsyncIterable<Page>, items: (page: Page) => readonly Item[] | undefined, maxPages = MAX_PAGES): Promise<Item[]> {
  const out: Item[] = [];
  let count = 0;
  for await (const page of pages) {
    const list = items(page);
    if (list) for (const item of list) out.push(item);
    if (++count >= maxPages) {
      throw new InfraAuditError('LIMIT_EXCEEDED', `stopped after ${maxPages} pages of one listing`, {
        hint: 'the service kept returning a next-page token; this is likely a service or endpoint bug',
      });
    }
  }
  return out;
}
