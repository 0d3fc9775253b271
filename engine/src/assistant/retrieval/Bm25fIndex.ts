import { BlockMaxPostings } from './BlockMaxPostings.js';
import { topK, type ScoredIndex } from './Bm25Index.js';
import { tokenize } from './tokenize.js';

export interface FieldSpec {
  name: string;
  /** Boost of a term occurrence in this field relative to the body. */
  weight: number;
  /** Length normalisation of this field (BM25F keeps one b per field). */
  b: number;
}

/** A query term with its weight (expansions and corrections count less than what the user typed). */
export interface WeightedTerm {
  term: string;
  weight: number;
}

/**
 * BM25F (Robertson, Zaragoza & Taylor 2004) over documents with several fields: each field's term frequency is
 * length-normalised with its own b, weighted, summed into one pseudo-frequency, and saturated once with k1. A term in
 * a passage's title or heading path then counts more than one in its body without a title match dominating a passage
 * that discusses the term at length. Postings hold, per term, the documents and one normalised frequency per field.
 */
export class Bm25fIndex {
  private readonly termIds = new Map<string, number>();
  private postingsDocs: Int32Array[] = [];
  /** Per term: the weighted, length-normalised pseudo-frequency per posting. */
  private postingsTf: Float32Array[] = [];
  private scores: Float32Array = new Float32Array(0);
  private touched: Int32Array = new Int32Array(0);
  private pruned: BlockMaxPostings | undefined;
  private count = 0;

  constructor(
    private readonly fields: FieldSpec[],
    private readonly k1: number,
    private readonly analyze: (text: string) => string[] = tokenize,
  ) {}

  get size(): number {
    return this.count;
  }

  /** docs[i][f] is the text of field f of document i. */
  build(docs: string[][]): void {
    const nf = this.fields.length;
    const tokens = docs.map((doc) => this.fields.map((_, f) => this.analyze(doc[f] ?? '')));
    const avg = this.fields.map(
      (_, f) => tokens.reduce((s, d) => s + d[f]!.length, 0) / Math.max(1, docs.length) || 1,
    );
    const postDocs: number[][] = [];
    const postTf: number[][] = [];
    this.termIds.clear();
    this.count = docs.length;
    tokens.forEach((fieldTokens, doc) => {
      const pseudo = new Map<string, number>();
      for (let f = 0; f < nf; f++) {
        const { weight, b } = this.fields[f]!;
        const norm = 1 - b + (b * fieldTokens[f]!.length) / avg[f]!;
        for (const t of fieldTokens[f]!) pseudo.set(t, (pseudo.get(t) ?? 0) + weight / norm);
      }
      for (const [term, tf] of pseudo) {
        let id = this.termIds.get(term);
        if (id === undefined) {
          id = postDocs.length;
          this.termIds.set(term, id);
          postDocs.push([]);
          postTf.push([]);
        }
        postDocs[id]!.push(doc);
        postTf[id]!.push(tf);
      }
    });
    this.postingsDocs = postDocs.map((d) => Int32Array.from(d));
    this.postingsTf = postTf.map((t) => Float32Array.from(t));
    this.scores = new Float32Array(docs.length);
    this.touched = new Int32Array(docs.length);
    this.pruned = new BlockMaxPostings(this.postingsDocs, this.postingsTf, this.k1, undefined, docs.length);
  }

  docFreq(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : this.postingsDocs[id]!.length;
  }

  /** Every term with the documents holding it, ascending (the postings themselves: read only). */
  *postings(): IterableIterator<[string, Int32Array]> {
    for (const [term, id] of this.termIds) yield [term, this.postingsDocs[id]!];
  }

  idf(term: string): number {
    const df = this.docFreq(term);
    return Math.log(1 + (this.count - df + 0.5) / (df + 0.5));
  }

  /** Top k documents for weighted query terms, best first. */
  search(terms: WeightedTerm[], k: number, allow?: (index: number) => boolean): ScoredIndex[] {
    if (!this.pruned || this.count === 0) return [];
    // Dynamic pruning (BlockMaxPostings): the same documents and scores as searchExhaustive.
    const ids = [];
    for (const { term, weight } of terms) {
      const id = this.termIds.get(term);
      if (id !== undefined) ids.push({ id, weight: weight * this.idf(term) });
    }
    return this.pruned.search(ids, k, allow);
  }

  /** Every posting of every query term scored: the reference for `search`, and the benchmarks' baseline. */
  searchExhaustive(terms: WeightedTerm[], k: number, allow?: (index: number) => boolean): ScoredIndex[] {
    if (terms.length === 0 || this.count === 0) return [];
    const scores = this.scores;
    const touched = this.touched;
    const k1p1 = this.k1 + 1;
    let touchedCount = 0;
    for (const { term, weight } of terms) {
      const id = this.termIds.get(term);
      if (id === undefined) continue;
      const docs = this.postingsDocs[id]!;
      const tfs = this.postingsTf[id]!;
      const w = weight * this.idf(term);
      for (let i = 0; i < docs.length; i++) {
        const d = docs[i]!;
        const tf = tfs[i]!;
        if (scores[d] === 0) touched[touchedCount++] = d;
        scores[d]! += (w * tf * k1p1) / (tf + this.k1);
      }
    }
    const best = topK(touched.subarray(0, touchedCount), (d) => scores[d]!, k, allow);
    for (let i = 0; i < touchedCount; i++) scores[touched[i]!] = 0;
    return best;
  }
}
