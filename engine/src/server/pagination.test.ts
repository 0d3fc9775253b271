import { describe, expect, it } from 'vitest';
import { paginate } from './pagination.js';

const items = ['e', 'a', 'd', 'b', 'c'].map((k) => ({ k }));
const key = (item: { k: string }) => item.k;
const S = '/api/v1/things';

function walk(list: Array<{ k: string }>, limit: number, order: 'asc' | 'desc'): string[][] {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = paginate(list, key, { limit, scope: S, ...(cursor ? { cursor } : {}) }, order);
    pages.push(page.items.map(key));
    cursor = page.nextCursor;
  } while (cursor);
  return pages;
}

describe('paginate', () => {
  it('walks every item once in key order, ascending or descending, with no nextCursor on the last page', () => {
    expect(walk(items, 2, 'asc')).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(walk(items, 2, 'desc')).toEqual([['e', 'd'], ['c', 'b'], ['a']]);
    expect(walk(items, 5, 'asc')).toEqual([['a', 'b', 'c', 'd', 'e']]);
    expect(paginate([], key, { limit: 3, scope: S })).toEqual({ items: [] });
  });

  it('continues after the last item served even when items were added or removed in between', () => {
    const first = paginate(items, key, { limit: 2, scope: S });
    const changed = [...items.filter((i) => i.k !== 'c'), { k: 'aa' }, { k: 'ca' }];
    const next = paginate(changed, key, { limit: 2, scope: S, cursor: first.nextCursor! });
    expect(next.items.map(key)).toEqual(['ca', 'd']);
  });

  it('refuses a cursor it did not issue, naming querystring.cursor', () => {
    expect(() => paginate(items, key, { limit: 2, scope: S, cursor: 'bogus!' })).toThrow(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        issues: [expect.objectContaining({ field: 'querystring.cursor' })],
      }),
    );
    const wrongShape = Buffer.from(JSON.stringify({ offset: 2 })).toString('base64url');
    expect(() => paginate(items, key, { limit: 2, scope: S, cursor: wrongShape })).toThrow(/cursor/);
  });

  it("refuses another route's cursor, saying which route it came from", () => {
    const first = paginate(items, key, { limit: 2, scope: '/api/v1/jobs' });
    expect(() => paginate(items, key, { limit: 2, scope: S, cursor: first.nextCursor! })).toThrow(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        issues: [
          expect.objectContaining({
            field: 'querystring.cursor',
            message: expect.stringContaining('came from /api/v1/jobs'),
          }),
        ],
      }),
    );
  });
});
