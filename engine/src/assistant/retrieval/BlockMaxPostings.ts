import { topK, type ScoredIndex } from './Bm25Index.js';

/** One query term: its postings list and its weight (idf, times the query's weight for the term). */
export interface PostingQueryTerm {
  id: number;
  weight: number;
}

/** Postings per block: a skip entry (last document, best impact) every 64 postings, as in Lucene's impacts. */
const BLOCK = 64;
/** Documents per window of the pruned search: its accumulator (64 KB) stays in cache. */
const WINDOW = 8192;
/** Lists shorter than this are not worth a cursor: a query of only such lists is scored exhaustively. */
const PRUNE_MIN_POSTINGS = 4096;

/**
 * The postings of a BM25-family index with dynamic pruning: MaxScore (Turtle & Flood 1995) with block-max bounds
 * (Ding & Suel 2011; Lucene's MaxScoreBulkScorer). A term's contribution to a document is
 *   weight · tf · (k1 + 1) / (tf + norm(doc))
 * with norm(doc) = k1 · (1 - b + b · len / avg) for BM25 or the constant k1 for BM25F, whose pseudo-frequencies are
 * already length-normalised. Hand-written because no maintained JavaScript search library exposes top-k pruning over
 * our own BM25F fields and weighted query terms (MiniSearch, Lunr and FlexSearch score every match).
 *
 * The top k is exactly the exhaustive one: same documents and the same float32 scores (each returned score is
 * recomputed in the query's term order with float32 accumulation, as the exhaustive accumulator does), ties broken by
 * the lower position as topK does. Pruning only skips documents whose upper bound is below the k-th score.
 */
export class BlockMaxPostings {
  private readonly blockLast: Int32Array[];
  /** Per block: the largest tf·(k1+1)/(tf+norm) in it, rounded up. */
  private readonly blockMax: Float32Array[];
  private readonly termMax: Float64Array;
  private scores: Float32Array;
  private touched: Int32Array;
  /** Reused per-window accumulator of the pruned search and the window positions it touched. */
  private readonly window = new Float64Array(WINDOW);
  private readonly windowTouched = new Int32Array(WINDOW);

  constructor(
    private readonly docs: Int32Array[],
    private readonly tfs: Float32Array[],
    private readonly k1: number,
    /** Per-document norm for BM25; undefined means the constant k1 (BM25F). */
    private readonly norms: Float32Array | undefined,
    private readonly count: number,
  ) {
    this.blockLast = [];
    this.blockMax = [];
    this.termMax = new Float64Array(docs.length);
    const k1p1 = k1 + 1;
    docs.forEach((list, t) => {
      const tf = tfs[t]!;
      const blocks = Math.ceil(list.length / BLOCK);
      const last = new Int32Array(blocks);
      const max = new Float32Array(blocks);
      let termMax = 0;
      for (let b = 0; b < blocks; b++) {
        let m = 0;
        const end = Math.min(list.length, (b + 1) * BLOCK);
        for (let i = b * BLOCK; i < end; i++) {
          const f = tf[i]!;
          const unit = (f * k1p1) / (f + (norms ? norms[list[i]!]! : k1));
          if (unit > m) m = unit;
        }
        last[b] = list[end - 1]!;
        // Rounded up so that float32 storage never makes the bound smaller than a real impact.
        max[b] = Math.fround(m * (1 + 1e-6));
        if (max[b]! > termMax) termMax = max[b]!;
      }
      this.blockLast.push(last);
      this.blockMax.push(max);
      this.termMax[t] = termMax;
    });
    this.scores = new Float32Array(count);
    this.touched = new Int32Array(count);
  }

  /** Top k, best first; pruned when some list is long and every weight is positive, exhaustive otherwise. */
  search(terms: PostingQueryTerm[], k: number, allow?: (index: number) => boolean): ScoredIndex[] {
    if (terms.length === 0 || k <= 0) return [];
    const worthPruning = terms.some((t) => this.docs[t.id]!.length >= PRUNE_MIN_POSTINGS);
    if (!worthPruning || terms.some((t) => !(t.weight > 0))) return this.exhaustive(terms, k, allow);
    return this.pruned(terms, k, allow);
  }

  /** Term-at-a-time over every posting: the reference the pruned search must equal. */
  exhaustive(terms: PostingQueryTerm[], k: number, allow?: (index: number) => boolean): ScoredIndex[] {
    const { scores, touched, norms, k1 } = this;
    const k1p1 = k1 + 1;
    let touchedCount = 0;
    for (const { id, weight: w } of terms) {
      const docs = this.docs[id]!;
      const tfs = this.tfs[id]!;
      for (let i = 0; i < docs.length; i++) {
        const d = docs[i]!;
        const tf = tfs[i]!;
        if (scores[d] === 0) touched[touchedCount++] = d;
        scores[d]! += (w * tf * k1p1) / (tf + (norms ? norms[d]! : k1));
      }
    }
    const best = topK(touched.subarray(0, touchedCount), (d) => scores[d]!, k, allow);
    for (let i = 0; i < touchedCount; i++) scores[touched[i]!] = 0;
    return best;
  }

  /**
   * MaxScore over windows of WINDOW documents. Terms are sorted by their largest possible contribution; the cheapest
   * prefix whose bounds sum to at most the current k-th score is "non-essential": a document matching none of the
   * other terms cannot enter the top k. Per window the essential lists are accumulated term-at-a-time (a tight loop,
   * as fast as the exhaustive one), and only the documents they reach are probed in the non-essential lists, largest
   * bound first, skipping by blocks and stopping as soon as the block bounds say the document cannot make it.
   * Survivors get their exact score. Common words (the long lists) thus become probes instead of scans once k
   * documents are known.
   */
  pruned(terms: PostingQueryTerm[], k: number, allow?: (index: number) => boolean): ScoredIndex[] {
    const n = terms.length;
    const order = terms.map((_, i) => i).sort((a, b) => this.bound(terms[a]!) - this.bound(terms[b]!));
    /** sortedAt[q] = where query term q sits in the sorted order. */
    const sortedAt = new Int32Array(n);
    order.forEach((q, i) => (sortedAt[q] = i));
    const ids = Int32Array.from(order, (i) => terms[i]!.id);
    const weights = Float64Array.from(order, (i) => terms[i]!.weight);
    /** prefix[i] = sum of the bounds of sorted terms 0..i-1. */
    const prefix = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + weights[i]! * this.termMax[ids[i]!]!;
    const cursor = new Int32Array(n);
    const probes = new Probes(this.docs, this.tfs, this.blockLast, ids);
    const acc = this.window;
    const local = this.windowTouched;
    const heap = new TopHeap(k);
    const k1p1 = this.k1 + 1;
    const { norms, k1 } = this;
    let essential = 0;
    let threshold = -Infinity;
    for (let start = 0; start < this.count && essential < n; start += WINDOW) {
      const end = start + WINDOW;
      // Terms only ever leave the essential set, so an essential list's cursor has read every earlier window.
      const ess = essential;
      let touched = 0;
      for (let i = ess; i < n; i++) {
        const list = this.docs[ids[i]!]!;
        const tfs = this.tfs[ids[i]!]!;
        const w = weights[i]!;
        let p = cursor[i]!;
        for (; p < list.length && list[p]! < end; p++) {
          const d = list[p]!;
          const tf = tfs[p]!;
          if (acc[d - start] === 0) local[touched++] = d - start;
          acc[d - start]! += (w * tf * k1p1) / (tf + (norms ? norms[d]! : k1));
        }
        cursor[i] = p;
      }
      const docs = local.subarray(0, touched).sort();
      for (let j = 0; j < touched; j++) {
        const d = start + docs[j]!;
        let partial = acc[docs[j]!]!;
        acc[docs[j]!] = 0;
        if (partial + prefix[ess]! <= threshold) continue;
        const norm = norms ? norms[d]! : k1;
        let alive = true;
        for (let i = ess - 1; i >= 0; i--) {
          const id = ids[i]!;
          const b = probes.block(i, d);
          if (b < 0) {
            alive = partial + prefix[i]! > threshold;
          } else if (partial + weights[i]! * this.blockMax[id]![b]! + prefix[i]! <= threshold) {
            alive = false;
          } else {
            const tf = probes.tf(i, d, b);
            if (tf >= 0) partial += (weights[i]! * tf * k1p1) / (tf + norm);
            alive = partial + prefix[i]! > threshold;
          }
          if (!alive) break;
        }
        if (!alive || (allow && !allow(d))) continue;
        // The exact score as the exhaustive accumulator computes it: query order, float32 sums.
        let score = 0;
        for (let q = 0; q < n; q++) {
          const i = sortedAt[q]!;
          const b = probes.block(i, d);
          const tf = b < 0 ? -1 : probes.tf(i, d, b);
          if (tf >= 0) score = Math.fround(score + (weights[i]! * tf * k1p1) / (tf + norm));
        }
        if (heap.offer(d, score) && heap.full) {
          // Slack: the bounds are float64 sums, the scores float32 ones (relative error far below 1e-5).
          threshold = heap.min * (1 - 1e-5);
        }
      }
      while (essential < n && prefix[essential + 1]! <= threshold) essential++;
    }
    return heap.sorted();
  }

  private bound(term: PostingQueryTerm): number {
    return term.weight * this.termMax[term.id]!;
  }
}

/** Monotone cursors into the sorted terms' lists for documents visited in increasing order (block skip, then binary search). */
class Probes {
  private readonly blockAt: Int32Array;
  private readonly posAt: Int32Array;

  constructor(
    private readonly docs: Int32Array[],
    private readonly tfs: Float32Array[],
    private readonly blockLast: Int32Array[],
    private readonly ids: Int32Array,
  ) {
    this.blockAt = new Int32Array(ids.length);
    this.posAt = new Int32Array(ids.length);
  }

  /** The block of sorted term i that may hold document d, or -1 when its list ends before d. */
  block(i: number, d: number): number {
    const last = this.blockLast[this.ids[i]!]!;
    let b = this.blockAt[i]!;
    while (b < last.length && last[b]! < d) b++;
    this.blockAt[i] = b;
    return b < last.length ? b : -1;
  }

  /** The term's frequency in document d (in block b), or -1. */
  tf(i: number, d: number, b: number): number {
    const list = this.docs[this.ids[i]!]!;
    const p = lowerBound(list, d, Math.max(this.posAt[i]!, b * BLOCK), Math.min(list.length, (b + 1) * BLOCK));
    this.posAt[i] = p;
    return p < list.length && list[p] === d ? this.tfs[this.ids[i]!]![p]! : -1;
  }
}

/** First position in list[from..to) holding a document >= target (to if none). */
function lowerBound(list: Int32Array, target: number, from: number, to: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The k best (document, score) pairs seen so far in increasing document order: a newcomer replaces the worst only with
 * a strictly higher score, since on a tie the earlier (lower) position wins, as in topK.
 */
class TopHeap {
  private readonly idx: Int32Array;
  private readonly score: Float64Array;
  private size = 0;

  constructor(private readonly k: number) {
    this.idx = new Int32Array(k);
    this.score = new Float64Array(k);
  }

  get full(): boolean {
    return this.size === this.k;
  }

  get min(): number {
    return this.score[0]!;
  }

  offer(index: number, s: number): boolean {
    const { idx, score } = this;
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (worse(score[parent]!, idx[parent]!, s, index)) break;
        score[i] = score[parent]!;
        idx[i] = idx[parent]!;
        i = parent;
      }
      score[i] = s;
      idx[i] = index;
      return true;
    }
    if (s <= score[0]!) return false;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const r = l + 1;
      // On equal scores the later document is the worse one: it sits nearer the top.
      const m = r < this.size && worse(score[r]!, idx[r]!, score[l]!, idx[l]!) ? r : l;
      if (!worse(score[m]!, idx[m]!, s, index)) break;
      score[i] = score[m]!;
      idx[i] = idx[m]!;
      i = m;
    }
    score[i] = s;
    idx[i] = index;
    return true;
  }

  sorted(): ScoredIndex[] {
    const out: ScoredIndex[] = [];
    for (let i = 0; i < this.size; i++) out.push({ index: this.idx[i]!, score: this.score[i]! });
    return out.sort((a, b) => b.score - a.score || a.index - b.index);
  }
}

function worse(sa: number, ia: number, sb: number, ib: number): boolean {
  return sa < sb || (sa === sb && ia > ib);
}
