import type { Store } from './Store.js';

/**
 * Members of a time index are `${createdAt}|${id}`: ISO timestamps sort as text, so a lexicographic range is a time
 * range, and the id ends the member (ids and timestamps hold no '|').
 */
export const indexMember = (record: { createdAt: string; id: string }) => `${record.createdAt}|${record.id}`;

export function idOfIndexMember(member: string): string {
  return member.slice(member.lastIndexOf('|') + 1);
}

/**
 * Up to `limit` records from a time index, newest first, after the member `after` (the last of the previous page),
 * each with its member as the cursor key. Reads the index, then only the records of the page, so a page of N reads
 * N records however many are stored. A member whose record has expired (`load` gives undefined) is dropped from the
 * index and the page is filled from further on.
 */
export async function readIndexPage<T>(
  store: Store,
  index: string,
  query: { limit: number; after?: string | undefined },
  load: (id: string) => Promise<T | undefined>,
): Promise<Array<{ record: T; key: string }>> {
  const found: Array<{ record: T; key: string }> = [];
  let after = query.after;
  while (found.length < query.limit) {
    const wanted = query.limit - found.length;
    const keys = await store.zrangeByLex(index, { order: 'desc', limit: wanted, ...(after === undefined ? {} : { after }) });
    const records = await Promise.all(keys.map((key) => load(idOfIndexMember(key))));
    const gone = keys.filter((_, i) => records[i] === undefined);
    if (gone.length > 0) await store.zrem(index, ...gone);
    keys.forEach((key, i) => records[i] !== undefined && found.push({ record: records[i] as T, key }));
    if (keys.length < wanted) break;
    after = keys.at(-1);
  }
  return found;
}
