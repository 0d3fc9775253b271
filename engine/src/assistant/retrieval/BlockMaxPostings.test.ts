import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../util/seededRandom.js';
import { BlockMaxPostings, type PostingQueryTerm } from './BlockMaxPostings.js';
import { Bm25Index } from './Bm25Index.js';
import { Bm25fIndex } from './Bm25fIndex.js';

/** Documents over a Zipf-like vocabulary (w0 in about every other document), with exact copies to make tied scores. */
function corpus(count: number, seed: number): string[] {
  const random = seededRandom(seed);
  const docs: string[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 50 === 49) {
      docs.push(docs[i - 7]!);
      continue;
    }
    const words: string[] = [];
    const length = 3 + Math.floor(random() * 30);
    for (let j = 0; j < length; j++) words.push(`w${Math.floor(1 / (random() * 0.995 + 0.005)) - 1}`);
    docs.push(words.join(' '));
  }
  return docs;
}

const plain = (text: string) => text.split(' ').filter(Boolean);

describe('BlockMaxPostings (MaxScore with block bounds)', () => {
  const docs = corpus(30_000, 5);
  const random = seededRandom(9);
  const queries = Array.from({ length: 120 }, (_, q) => {
    const words = Array.from(
      { length: 1 + (q % 8) },
      () => `w${Math.floor(random() * (q % 3 === 0 ? 4 : 60))}`,
    );
    return words.join(' ');
  });

  it('returns exactly the exhaustive top k (documents, float32 scores, ties) for BM25', () => {
    const index = new Bm25Index(1.2, 0.75, plain);
    index.build(docs);
    let compared = 0;
    for (const q of queries) {
      for (const k of [1, 10, 200]) {
        expect(index.search(q, k)).toEqual(index.searchExhaustive(q, k));
        const odd = (i: number) => i % 2 === 1;
        expect(index.search(q, k, odd)).toEqual(index.searchExhaustive(q, k, odd));
        compared++;
      }
    }
    expect(compared).toBe(360);
    // The corpus has exact copies, so some top lists hold tied scores that the tie rule must order alike.
    const hits = index.searchExhaustive('w1 w2', 200);
    expect(new Set(hits.map((h) => h.score)).size).toBeLessThan(hits.length);
  }, 60_000);

  it('returns exactly the exhaustive top k for BM25F with weighted and repeated terms', () => {
    const index = new Bm25fIndex(
      [
        { name: 'title', weight: 2, b: 0 },
        { name: 'body', weight: 1, b: 0.75 },
      ],
      1.2,
      plain,
    );
    index.build(docs.map((d, i) => [docs[(i * 7) % docs.length]!.split(' ').slice(0, 3).join(' '), d]));
    for (const q of queries) {
      const terms = plain(q).map((term, i) => ({ term, weight: i % 3 === 2 ? 0.5 : 1 }));
      for (const k of [10, 200]) expect(index.search(terms, k)).toEqual(index.searchExhaustive(terms, k));
    }
  }, 60_000);

  it('prunes: the pruned path itself, not a fallback, agrees on long lists', () => {
    // Postings built directly: 40k documents, term 0 in all of them, term 1 in every third, term 2 in every 97th.
    const n = 40_000;
    const lists = [0, 3, 97].map((every) =>
      Int32Array.from({ length: Math.ceil(n / Math.max(1, every)) }, (_, i) => i * Math.max(1, every)),
    );
    const tfs = lists.map((list, t) => Float32Array.from(list, (d) => 1 + ((d * (t + 3)) % 5)));
    const norms = Float32Array.from({ length: n }, (_, d) => 0.6 + (d % 11) / 10);
    const postings = new BlockMaxPostings(lists, tfs, 1.2, norms, n);
    const terms: PostingQueryTerm[] = [
      { id: 0, weight: 0.1 },
      { id: 1, weight: 1.1 },
      { id: 2, weight: 4 },
    ];
    for (const k of [1, 5, 50, 500]) expect(postings.pruned(terms, k)).toEqual(postings.exhaustive(terms, k));
    expect(postings.pruned(terms, 10, (d) => d % 5 === 0)).toEqual(
      postings.exhaustive(terms, 10, (d) => d % 5 === 0),
    );
  }, 60_000);
});

/**
 * Random postings over `count` documents: terms from dense (in most documents) to rare, frequencies from a few values
 * (so scores tie) and, for half the terms, a region where they are much higher (so block maxima differ between
 * windows and cells and the block-max bounds decide something). Norms per document for BM25, none for BM25F.
 */
function randomPostings(seed: number, count: number, withNorms: boolean): BlockMaxPostings {
  const random = seededRandom(seed);
  const densities = [0.9, 0.6, 0.3, 0.15, 0.08, 0.03, 0.01, 0.004, 0.001];
  const lists: Int32Array[] = [];
  const tfs: Float32Array[] = [];
  for (const density of densities) {
    const hotFrom = Math.floor(random() * count);
    const hotTo = hotFrom + Math.floor(random() * 3000);
    const hot = random() < 0.5;
    const docs: number[] = [];
    const freqs: number[] = [];
    for (let d = 0; d < count; d++) {
      if (random() >= density) continue;
      docs.push(d);
      const base = [0.5, 1, 1, 2, 3][Math.floor(random() * 5)]!;
      freqs.push(hot && d >= hotFrom && d < hotTo ? base * 6 : base);
    }
    lists.push(Int32Array.from(docs));
    tfs.push(Float32Array.from(freqs));
  }
  const norms = withNorms
    ? Float32Array.from({ length: count }, () => 0.4 + Math.floor(random() * 8) / 5)
    : undefined;
  return new BlockMaxPostings(lists, tfs, 1.2, norms, count);
}

describe('BlockMaxPostings: every strategy equals exhaustive scoring on random postings', () => {
  const cases = [
    { seed: 1, count: 30_000, norms: false },
    { seed: 2, count: 30_000, norms: true },
    { seed: 3, count: 50_000, norms: false },
  ];
  for (const { seed, count, norms } of cases) {
    it(`seed ${seed}, ${count} documents, ${norms ? 'BM25 norms' : 'BM25F'}: pruned and windowed return the exhaustive top k`, () => {
      const postings = randomPostings(seed, count, norms);
      const random = seededRandom(100 + seed);
      let compared = 0;
      for (let q = 0; q < 40; q++) {
        const size = 1 + Math.floor(random() * 7);
        const ids = [...new Set(Array.from({ length: size }, () => Math.floor(random() * 9)))];
        const terms: PostingQueryTerm[] = ids.map((id) => ({ id, weight: 0.2 + random() * 4 }));
        for (const k of [1, 10, 200]) {
          const exact = postings.exhaustive(terms, k);
          expect(postings.pruned(terms, k)).toEqual(exact);
          expect(postings.windowed(terms, k)).toEqual(exact);
          expect(postings.search(terms, k)).toEqual(exact);
          const allow = (d: number) => d % 3 !== 0;
          const filtered = postings.exhaustive(terms, k, allow);
          expect(postings.pruned(terms, k, allow)).toEqual(filtered);
          expect(postings.windowed(terms, k, allow)).toEqual(filtered);
          compared++;
        }
      }
      expect(compared).toBe(120);
    }, 60_000);
  }

  it('the comparison sees a dropped document: the exhaustive list without its k-th entry is not equal', () => {
    const postings = randomPostings(4, 20_000, false);
    const terms: PostingQueryTerm[] = [
      { id: 0, weight: 0.3 },
      { id: 3, weight: 1.5 },
      { id: 6, weight: 3 },
    ];
    const exact = postings.exhaustive(terms, 50);
    expect(exact).toHaveLength(50);
    const next = postings.exhaustive(terms, 51)[50]!;
    // What a pruning bug that skipped the 50th document would return: the 51st in its place.
    expect([...exact.slice(0, 49), next]).not.toEqual(postings.windowed(terms, 50));
    expect(postings.pruned(terms, 50)).toEqual(exact);
  });

  it('a zero frequency (a BM25F field of weight 0) sends the search to exhaustive scoring, which keeps such documents', () => {
    const n = 10_000;
    const all = Int32Array.from({ length: n }, (_, d) => d);
    const tf = Float32Array.from(all, (d) => (d % 2 === 0 ? 0 : 1 + (d % 3)));
    const postings = new BlockMaxPostings([all], [tf], 1.2, undefined, n);
    const terms = [{ id: 0, weight: 1 }];
    expect(postings.search(terms, n)).toEqual(postings.exhaustive(terms, n));
    expect(postings.search(terms, n)).toHaveLength(n);
  });
});
