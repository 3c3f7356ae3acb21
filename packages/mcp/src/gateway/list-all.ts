/** Upstream lists are paginated; the gateway answers with every page joined (one page to its client). */
const MAX_PAGES = 100;

export async function listAll<Page extends { nextCursor?: string | undefined }, Item>(
  list: (params: { cursor: string } | undefined) => Promise<Page>,
  items: (page: Page) => Item[],
): Promise<Item[]> {
  const all: Item[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await list(cursor === undefined ? undefined : { cursor });
    all.push(...items(result));
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return all;
}
