import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../util/seededRandom.js';
import { Bm25fIndex } from './Bm25fIndex.js';
import { PageTermIndex } from './PageTermIndex.js';

describe('PageTermIndex', () => {
  it('says a page holds a term exactly when one of its passages does, with pages scattered over the passages', () => {
    const random = seededRandom(3);
    const passages = Array.from({ length: 2_000 }, () =>
      Array.from(
        { length: 1 + Math.floor(random() * 12) },
        () => `w${Math.floor(1 / (random() * 0.99 + 0.01))}`,
      ).join(' '),
    );
    // Pages interleave (a page's passages are not contiguous), as in rag-scale's joined windows.
    const pageCount = 37;
    const pageOf = Int32Array.from(passages, () => Math.floor(random() * pageCount));
    const bm25f = new Bm25fIndex([{ name: 'body', weight: 1, b: 0.75 }], 1.2, (t) =>
      t.split(' ').filter(Boolean),
    );
    bm25f.build(passages.map((p) => [p]));
    const index = new PageTermIndex(bm25f.postings(), pageOf, pageCount);

    let held = 0;
    for (const term of ['w1', 'w2', 'w7', 'w30', 'w99', 'absent']) {
      for (let p = 0; p < pageCount; p++) {
        const expected = passages.some((text, i) => pageOf[i] === p && text.split(' ').includes(term));
        expect(index.has(term, p), `${term} in page ${p}`).toBe(expected);
        held += +expected;
      }
    }
    // Both answers occur: the check is not vacuous.
    expect(held).toBeGreaterThan(20);
    expect(held).toBeLessThan(6 * pageCount - 20);
  });
});
