import type { Store } from './Store.js';

/**
 * Members of a time index are `${createdAt}|${id}`: ISO timestamps sort as text, so a lexicographic range is a time
 * range, and the id ends the member (ids and timestamps hold no '|').
 */
export const indexMember = (record: { createdAt: string; id: string }) => `${record.createdAt}|${record.id}`;

export function idOfIndexMember(member: string): string {
  return member.slice(member.lastIndexOf('|') + 1);
}

/** Index members read per round trip when a page stops at a time bound instead of a count. */
const BOUNDED_CHUNK = 256;

/**
 * Up to `limit` records from a time index, newest first, after the member `after` (the last of the previous page),
 * each with its member as the cursor key. Reads the index, then only the records of the page, so a page of N reads
 * N records however many are stored. With `stopBelow` (an ISO time) it also stops at the first member older than
 * that, reading the index in chunks, so "everything since T" reads what is since T. A member whose record has
 * expired (`load` gives undefined) is dropped from the index and the page is filled from further on.
 */
export async function readIndexPage<T>(
  store: Store,
  index: string,
  query: { limit: number; after?: string | undefined; stopBelow?: string },
  load: (id: string) => Promise<T | undefined>,
): Promise<Array<{ record: T; key: string }>> {
  const found: Array<{ record: T; key: string }> = [];
  let after = query.after;
  const { stopBelow } = query;
  while (found.length < query.limit) {
    const wanted = Math.min(query.limit - found.length, stopBelow === undefined ? Infinity : BOUNDED_CHUNK);
    const read = await store.zrangeByLex(index, {
      order: 'desc',
      limit: wanted,
      ...(after === undefined ? {} : { after }),
    });
    const keys = stopBelow === undefined ? read : read.filter((key) => key >= stopBelow);
    const records = await Promise.all(keys.map((key) => load(idOfIndexMember(key))));
    const gone = keys.filter((_, i) => records[i] === undefined);
    if (gone.length > 0) await store.zrem(index, ...gone);
    keys.forEach((key, i) => records[i] !== undefined && found.push({ record: records[i] as T, key }));
    if (read.length < wanted || keys.length < read.length) break;
    after = read.at(-1);
  }
  return found;
}
