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
  /** Reused accumulator; only touched entries are reset after each query. */
  private scores: Float32Array = new Float32Array(0);
  private touched: Int32Array = new Int32Array(0);
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
    this.scores = new Float32Array(texts.length);
    this.touched = new Int32Array(texts.length);
    this.postingsDocs = docs.map((d) => Int32Array.from(d));
    this.postingsTf = tfs.map((t) => Float32Array.from(t));
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

  /** Top k chunks for the query, best first; `allow` filters chunk positions (e.g. removed or excluded ones). */
  search(query: string, k: number, allow?: (index: number) => boolean): ScoredIndex[] {
    const terms = [...new Set(this.analyze(query))];
    if (terms.length === 0 || this.count === 0) return [];
    const scores = this.scores;
    const norms = this.docNorms;
    const k1p1 = this.k1 + 1;
    const touched = this.touched;
    let touchedCount = 0;
    for (const term of terms) {
      const id = this.termIds.get(term);
      if (id === undefined) continue;
      const docs = this.postingsDocs[id]!;
      const tfs = this.postingsTf[id]!;
      const idf = this.idf(term);
      for (let i = 0; i < docs.length; i++) {
        const d = docs[i]!;
        const tf = tfs[i]!;
        if (scores[d] === 0) touched[touchedCount++] = d;
        scores[d]! += (idf * tf * k1p1) / (tf + norms[d]!);
      }
    }
    const hits = touched.subarray(0, touchedCount);
    const best = topK(hits, (d) => scores[d]!, k, allow);
    for (let i = 0; i < touchedCount; i++) scores[touched[i]!] = 0;
    return best;
  }
}

/** The k best candidates, best first, through a bounded min-heap on typed arrays (no per-candidate allocation). */
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
  const siftDown = (start: number) => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && heapScore[l]! < heapScore[m]!) m = l;
      if (r < size && heapScore[r]! < heapScore[m]!) m = r;
      if (m === i) return;
      const ts = heapScore[i]!;
      const ti = heapIdx[i]!;
      heapScore[i] = heapScore[m]!;
      heapIdx[i] = heapIdx[m]!;
      heapScore[m] = ts;
      heapIdx[m] = ti;
      i = m;
    }
  };
  for (const index of candidates) {
    const s = score(index);
    if (size === k && s <= heapScore[0]!) continue;
    if (allow && !allow(index)) continue;
    if (size < k) {
      // Sift up.
      let i = size++;
      heapScore[i] = s;
      heapIdx[i] = index;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (heapScore[parent]! <= heapScore[i]!) break;
        const ts = heapScore[i]!;
        const ti = heapIdx[i]!;
        heapScore[i] = heapScore[parent]!;
        heapIdx[i] = heapIdx[parent]!;
        heapScore[parent] = ts;
        heapIdx[parent] = ti;
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
