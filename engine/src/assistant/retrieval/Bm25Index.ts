import { BlockMaxPostings } from './BlockMaxPostings.js';
import { tokenize } from './tokenize.js';

export interface ScoredIndex {
  /** Position of the chunk in the collection. */
  index: number;
  score: number;
}

/**
 * Okapi BM25 over an inverted index held in typed arrays. Rebuilt from the chunks at load (about a second for ten
 * thousand chunks), so only the chunks need persisting.
 */
export class Bm25Index {
  private readonly termIds = new Map<string, number>();
  private postingsDocs: Int32Array[] = [];
  private postingsTf: Float32Array[] = [];
  /** Per chunk: k1 * (1 - b + b * length / average length), precomputed once. */
  private docNorms: Float32Array = new Float32Array(0);
  private postings: BlockMaxPostings | undefined;
  private count = 0;

  constructor(
    private readonly k1: number,
    private readonly b: number,
    /** The engine's tokenizer by default; benchmarks pass a plain one for the textbook baseline. */
    private readonly analyze: (text: string) => string[] = tokenize,
  ) {}

  get size(): number {
    return this.count;
  }

  build(texts: string[]): void {
    const docs: number[][] = [];
    const tfs: number[][] = [];
    this.termIds.clear();
    this.count = texts.length;
    const lengths = new Float32Array(texts.length);
    let total = 0;
    texts.forEach((text, doc) => {
      const tokens = this.analyze(text);
      lengths[doc] = tokens.length;
      total += tokens.length;
      const counts = new Map<string, number>();
      for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const [term, tf] of counts) {
        let id = this.termIds.get(term);
        if (id === undefined) {
          id = docs.length;
          this.termIds.set(term, id);
          docs.push([]);
          tfs.push([]);
        }
        docs[id]!.push(doc);
        tfs[id]!.push(tf);
      }
    });
    const avg = texts.length ? total / texts.length : 1;
    this.docNorms = lengths.map((len) => this.k1 * (1 - this.b + (this.b * len) / avg));
    this.postingsDocs = docs.map((d) => Int32Array.from(d));
    this.postingsTf = tfs.map((t) => Float32Array.from(t));
    this.postings = new BlockMaxPostings(
      this.postingsDocs,
      this.postingsTf,
      this.k1,
      this.docNorms,
      texts.length,
    );
  }

  idf(term: string): number {
    const id = this.termIds.get(term);
    const df = id === undefined ? 0 : this.postingsDocs[id]!.length;
    return Math.log(1 + (this.count - df + 0.5) / (df + 0.5));
  }

  docFreq(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : this.postingsDocs[id]!.length;
  }

  /**
   * Top k chunks for the query, best first; `allow` filters chunk positions (e.g. removed or excluded ones). Pruned
   * (BlockMaxPostings): the same chunks and scores as scoring every posting (`exhaustive`), without reading most of
   * the long lists.
   */
  search(query: string, k: number, allow?: (index: number) => boolean): ScoredIndex[] {
    return this.run(query, k, allow, false);
  }

  /** Every posting of every query term scored: the reference for `search`. */
  searchExhaustive(query: string, k: number, allow?: (index: number) => boolean): ScoredIndex[] {
    return this.run(query, k, allow, true);
  }

  private run(
    query: string,
    k: number,
    allow: ((index: number) => boolean) | undefined,
    exhaustive: boolean,
  ): ScoredIndex[] {
    if (!this.postings || this.count === 0) return [];
    const terms = [];
    for (const term of new Set(this.analyze(query))) {
      const id = this.termIds.get(term);
      if (id !== undefined) terms.push({ id, weight: this.idf(term) });
    }
    return exhaustive ? this.postings.exhaustive(terms, k, allow) : this.postings.search(terms, k, allow);
  }
}

/**
 * The k best candidates, best first, through a bounded min-heap on typed arrays (no per-candidate allocation). Equal
 * scores go to the lower position, at the cut too, so the result does not depend on the candidates' order (the
 * pruned BM25 in BlockMaxPostings visits documents in another order than the exhaustive one and must agree with it).
 */
export function topK(
  candidates: Iterable<number>,
  score: (index: number) => number,
  k: number,
  allow?: (index: number) => boolean,
): ScoredIndex[] {
  if (k <= 0) return [];
  const heapIdx = new Int32Array(k);
  const heapScore = new Float64Array(k);
  let size = 0;
  /** Whether heap entry a ranks below entry b (the heap keeps the worst at the top). */
  const worse = (a: number, b: number) =>
    heapScore[a]! < heapScore[b]! || (heapScore[a] === heapScore[b] && heapIdx[a]! > heapIdx[b]!);
  const swap = (a: number, b: number) => {
    const ts = heapScore[a]!;
    const ti = heapIdx[a]!;
    heapScore[a] = heapScore[b]!;
    heapIdx[a] = heapIdx[b]!;
    heapScore[b] = ts;
    heapIdx[b] = ti;
  };
  const siftDown = (start: number) => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && worse(l, m)) m = l;
      if (r < size && worse(r, m)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  for (const index of candidates) {
    const s = score(index);
    if (size === k && (s < heapScore[0]! || (s === heapScore[0] && index > heapIdx[0]!))) continue;
    if (allow && !allow(index)) continue;
    if (size < k) {
      let i = size++;
      heapScore[i] = s;
      heapIdx[i] = index;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!worse(i, parent)) break;
        swap(i, parent);
        i = parent;
      }
    } else {
      heapScore[0] = s;
      heapIdx[0] = index;
      siftDown(0);
    }
  }
  const out: ScoredIndex[] = [];
  for (let i = 0; i < size; i++) out.push({ index: heapIdx[i]!, score: heapScore[i]! });
  return out.sort((a, b) => b.score - a.score || a.index - b.index);
}
