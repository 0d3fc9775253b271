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
/** Documents per cell of a window's block-max bounds (log2): 128 cells of 64 per window. */
const CELL_SHIFT = 6;
const CELLS = WINDOW >> CELL_SHIFT;
/** A candidate's binary search costs about this many scanned postings: above it, a term's window is scanned. */
const LOOKUP_COST = 8;
/**
 * Postings per document above which `windowed` beats the pruned search. At 1M chunks (rag-scale's 500 queries, median
 * ms of 3 runs per query): 400-700k postings 8.3 vs 6.3 ms, 700k-1M 8.7 vs 9.5, above 1M 9.0 vs 13.9; the query
 * set's p99 was lowest with the switch at 0.5-0.8 postings per document.
 */
const WINDOWED_SHARE = 0.6;

/**
 * The postings of a BM25-family index with dynamic pruning: MaxScore (Turtle & Flood 1995) with block-max bounds
 * (Ding & Suel 2011; Lucene's MaxScoreBulkScorer). A term's contribution to a document is
 *   weight · tf · (k1 + 1) / (tf + norm(doc))
 * with norm(doc) = k1 · (1 - b + b · len / avg) for BM25 or the constant k1 for BM25F, whose pseudo-frequencies are
 * already length-normalised. Hand-written because no maintained JavaScript search library exposes top-k pruning over
 * our own BM25F fields and weighted query terms (MiniSearch, Lunr and FlexSearch score every match).
 *
 * The top k is exactly the exhaustive one: same documents and the same float32 scores (accumulated in the query's
 * term order in float32, as the exhaustive accumulator does), ties broken by the lower position as topK does. Pruning
 * only skips documents whose upper bound is below the k-th score.
 */
export class BlockMaxPostings {
  private readonly blockLast: Int32Array[];
  /** Per block: the largest tf·(k1+1)/(tf+norm) in it, rounded up. */
  private readonly blockMax: Float32Array[];
  private readonly termMax: Float64Array;
  /**
   * Whether every frequency is positive (BM25F with a field weight of 0 makes zeros): the pruned searches take a
   * document's accumulated 0 for "not reached", which only holds then.
   */
  private readonly positive: boolean;
  private scores: Float32Array;
  private touched: Int32Array;
  /** Reused per-window accumulator of the pruned search and the window positions it touched. */
  private readonly window = new Float64Array(WINDOW);
  private readonly windowTouched = new Int32Array(WINDOW);
  private readonly candidates = new Int32Array(WINDOW);
  private readonly window32 = new Float32Array(WINDOW);
  private readonly cellMarks = new Uint8Array(CELLS);

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
    this.positive = tfs.every(allPositive);
    this.scores = new Float32Array(count);
    this.touched = new Int32Array(count);
  }

  /**
   * Top k, best first, always the exhaustive list. Queries of only short lists, or with a weight or frequency that is
   * not positive, are scored exhaustively; queries whose lists hold at least WINDOWED_SHARE postings per document by
   * `windowed`; the rest by the pruned search.
   */
  search(terms: PostingQueryTerm[], k: number, allow?: (index: number) => boolean): ScoredIndex[] {
    if (terms.length === 0 || k <= 0) return [];
    const worthPruning = terms.some((t) => this.docs[t.id]!.length >= PRUNE_MIN_POSTINGS);
    if (!worthPruning || !this.positive || terms.some((t) => !(t.weight > 0)))
      return this.exhaustive(terms, k, allow);
    const postings = terms.reduce((sum, t) => sum + this.docs[t.id]!.length, 0);
    return postings >= WINDOWED_SHARE * this.count
      ? this.windowed(terms, k, allow)
      : this.pruned(terms, k, allow);
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
   * MaxScore over windows of WINDOW documents, with block-max bounds per window and per cell of 64 documents
   * (Lucene's MaxScoreBulkScorer partitions each window by its clauses' block maxima; Ding & Suel 2011). Terms are
   * sorted by their largest possible contribution. Per window, a term's bound is the largest maximum of its blocks
   * overlapping the window, and the cheapest prefix of terms whose bounds sum to at most the current k-th score is
   * "non-essential" there: a document matching none of the other terms cannot enter the top k. The essential lists are
   * accumulated term-at-a-time (skipping cells whose summed block maxima over all terms cannot beat the k-th score); a
   * reached document stays a candidate while its partial score plus what its cell's remaining terms can add beats
   * the k-th score. The non-essential terms are added to the candidates largest bound first: the term's postings in
   * the window scanned when they are few next to the candidates, else each candidate looked up. Survivors get their
   * exact score (query order, float32 sums, as `exhaustive`).
   *
   * Measured at 1M chunks (rag-scale's 500 queries, 2 x 100 passages): with one bound per term for the whole
   * collection and a lookup of every candidate in every non-essential list, the slowest queries (17-30 terms, most in
   * 5-30 % of the chunks) looked up 200-320k documents in those lists and sorted 300k window positions for about 2,000
   * that were scored; this version looks up about 10-20k and scans the rest.
   */
  pruned(terms: PostingQueryTerm[], k: number, allow?: (index: number) => boolean): ScoredIndex[] {
    const n = terms.length;
    const order = terms.map((_, i) => i).sort((a, b) => this.bound(terms[a]!) - this.bound(terms[b]!));
    /** sortedAt[q] = where query term q sits in the sorted order. */
    const sortedAt = new Int32Array(n);
    order.forEach((q, i) => (sortedAt[q] = i));
    const ids = Int32Array.from(order, (i) => terms[i]!.id);
    const weights = Float64Array.from(order, (i) => terms[i]!.weight);
    /** prefix[i] = sum of the collection-wide bounds of sorted terms 0..i-1. */
    const prefix = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + weights[i]! * this.termMax[ids[i]!]!;
    const bounds = new WindowBounds(this.docs, this.blockLast, this.blockMax, ids, weights);
    const cursor = new Int32Array(n);
    const probes = new Probes(this.docs, this.tfs, this.blockLast, ids);
    const acc = this.window;
    const local = this.windowTouched;
    const cand = this.candidates;
    const heap = new TopHeap(k);
    const k1p1 = this.k1 + 1;
    const { norms, k1 } = this;
    let threshold = -Infinity;
    for (let start = 0; start < this.count && prefix[n]! > threshold; start += WINDOW) {
      const end = start + WINDOW;
      const ess = bounds.window(start, end, threshold);
      if (ess === n) continue;
      const { cellPre, wprefix } = bounds;
      /** cellPre[n * CELLS + c]: all terms' block maxima summed over cell c. */
      const allAt = n * CELLS;
      let touched = 0;
      for (let i = ess; i < n; i++) {
        const list = this.docs[ids[i]!]!;
        const tfs = this.tfs[ids[i]!]!;
        const w = weights[i]!;
        let p = bounds.startOf(i, cursor[i]!, start);
        for (; p < list.length && list[p]! < end; p++) {
          const x = list[p]! - start;
          if (cellPre[allAt + (x >> CELL_SHIFT)]! <= threshold) continue;
          const tf = tfs[p]!;
          if (acc[x] === 0) local[touched++] = x;
          acc[x]! += (w * tf * k1p1) / (tf + (norms ? norms[start + x]! : k1));
        }
        cursor[i] = p;
      }
      // Candidates in increasing order: a scan of the accumulator when many positions were reached (sorting 300k
      // positions per query cost more than the scans), a sort of the few otherwise.
      const scan = touched > WINDOW >> 4;
      if (!scan) local.subarray(0, touched).sort();
      let m = 0;
      for (let j = 0, last = scan ? WINDOW : touched; j < last; j++) {
        const x = scan ? j : local[j]!;
        if (acc[x] === 0) continue;
        if (acc[x]! + cellPre[ess * CELLS + (x >> CELL_SHIFT)]! <= threshold) acc[x] = 0;
        else cand[m++] = x;
      }
      // The non-essential terms, largest bound first, each added to the surviving candidates, which are then
      // filtered by what the remaining terms can still add.
      for (let i = ess - 1; i >= 0 && m > 0; i--) {
        cursor[i] = this.addTerm(ids[i]!, weights[i]!, bounds.startOf(i, cursor[i]!, start), start, cand, m);
        let kept = 0;
        const rest = wprefix[i]!;
        for (let j = 0; j < m; j++) {
          const x = cand[j]!;
          if (acc[x]! + Math.min(rest, cellPre[i * CELLS + (x >> CELL_SHIFT)]!) > threshold) cand[kept++] = x;
          else acc[x] = 0;
        }
        m = kept;
      }
      for (let j = 0; j < m; j++) {
        const x = cand[j]!;
        acc[x] = 0;
        const d = start + x;
        if (allow && !allow(d)) continue;
        // The exact score as the exhaustive accumulator computes it: query order, float32 sums.
        const norm = norms ? norms[d]! : k1;
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
    }
    return heap.sorted();
  }

  /**
   * Adds a non-essential term's contributions to the window's m candidates (window positions, increasing) and returns
   * the term's cursor past the window. Its postings in the window are scanned when they are few next to the
   * candidates (a sequential read with one check each), else each candidate is looked up by binary search.
   */
  private addTerm(id: number, w: number, from: number, start: number, cand: Int32Array, m: number): number {
    const list = this.docs[id]!;
    const tfs = this.tfs[id]!;
    const acc = this.window;
    const { norms, k1 } = this;
    const k1p1 = k1 + 1;
    const to = lowerBound(list, start + WINDOW, from, list.length);
    if (to - from <= LOOKUP_COST * m) {
      for (let p = from; p < to; p++) {
        const x = list[p]! - start;
        if (acc[x] === 0) continue;
        const tf = tfs[p]!;
        acc[x]! += (w * tf * k1p1) / (tf + (norms ? norms[start + x]! : k1));
      }
    } else {
      let p = from;
      for (let j = 0; j < m && p < to; j++) {
        const d = start + cand[j]!;
        p = lowerBound(list, d, p, to);
        if (p < to && list[p] === d) {
          const tf = tfs[p]!;
          acc[cand[j]!]! += (w * tf * k1p1) / (tf + (norms ? norms[d]! : k1));
        }
      }
    }
    return to;
  }

  /**
   * Exhaustive scoring made cheap: term-at-a-time over windows of WINDOW documents, in the query's term order into a
   * float32 window accumulator, i.e. the same float32 sums as `exhaustive` (same documents and scores), without its
   * two costs that grow with the lists: a 4 MB accumulator at 1M documents read at random, and a branch per posting
   * on whether the document was seen before (mispredicted about half the time). A window whose terms' block maxima
   * sum to at most the k-th score so far is skipped. Positions are collected by scanning the cells marked in the
   * window, so a sparse window costs its postings, not its width.
   */
  windowed(terms: PostingQueryTerm[], k: number, allow?: (index: number) => boolean): ScoredIndex[] {
    const n = terms.length;
    const ids = Int32Array.from(terms, (t) => t.id);
    const weights = Float64Array.from(terms, (t) => t.weight);
    const acc = this.window32;
    const marks = this.cellMarks;
    const cursor = new Int32Array(n);
    const blockAt = new Int32Array(n);
    const heap = new TopHeap(k);
    const k1p1 = this.k1 + 1;
    const { norms, k1 } = this;
    let threshold = -Infinity;
    for (let start = 0; start < this.count; start += WINDOW) {
      const end = start + WINDOW;
      if (threshold > -Infinity && this.windowBound(ids, weights, blockAt, start, end) <= threshold) continue;
      for (let i = 0; i < n; i++) {
        const list = this.docs[ids[i]!]!;
        const tfs = this.tfs[ids[i]!]!;
        const w = weights[i]!;
        let p = Math.max(cursor[i]!, blockAt[i]! * BLOCK);
        while (p < list.length && list[p]! < start) p++;
        // Two loops rather than a test of norms per posting: this is the hot loop of the longest queries.
        if (norms) {
          for (; p < list.length && list[p]! < end; p++) {
            const x = list[p]! - start;
            const tf = tfs[p]!;
            acc[x]! += (w * tf * k1p1) / (tf + norms[start + x]!);
            marks[x >> CELL_SHIFT] = 1;
          }
        } else {
          for (; p < list.length && list[p]! < end; p++) {
            const x = list[p]! - start;
            const tf = tfs[p]!;
            acc[x]! += (w * tf * k1p1) / (tf + k1);
            marks[x >> CELL_SHIFT] = 1;
          }
        }
        cursor[i] = p;
      }
      for (let c = 0; c < CELLS; c++) {
        if (marks[c] === 0) continue;
        marks[c] = 0;
        const from = c << CELL_SHIFT;
        const to = from + (1 << CELL_SHIFT);
        // Every reached document scores above 0 (positive weights and frequencies), so one test, rarely true once
        // the heap is full, finds the entrants; untested positions are cleared in bulk.
        for (let x = from; x < to; x++) {
          const score = acc[x]!;
          if (score <= threshold || score === 0 || (allow && !allow(start + x))) continue;
          if (heap.offer(start + x, score) && heap.full) threshold = heap.min;
        }
        acc.fill(0, from, to);
      }
    }
    return heap.sorted();
  }

  /** The window's bound: per term, its largest block maximum among its blocks overlapping start..end-1, weighted. */
  private windowBound(
    ids: Int32Array,
    weights: Float64Array,
    blockAt: Int32Array,
    start: number,
    end: number,
  ): number {
    let bound = 0;
    for (let i = 0; i < ids.length; i++) {
      const list = this.docs[ids[i]!]!;
      const last = this.blockLast[ids[i]!]!;
      const max = this.blockMax[ids[i]!]!;
      let b = blockAt[i]!;
      while (b < last.length && last[b]! < start) b++;
      blockAt[i] = b;
      let unit = 0;
      for (; b < last.length && list[b * BLOCK]! < end; b++) if (max[b]! > unit) unit = max[b]!;
      bound += weights[i]! * unit;
    }
    return bound * (1 + 1e-5);
  }

  private bound(term: PostingQueryTerm): number {
    return term.weight * this.termMax[term.id]!;
  }
}

/**
 * Per window, the block-max bounds of the sorted query terms: each term's largest block maximum over the window, and
 * per cell of CELL documents the prefix sums over terms of the block maxima covering the cell (a document without a
 * posting of a term lies in none of its blocks or in one covering it, so the cell bound is never below its impact).
 */
class WindowBounds {
  /** wprefix[i]: the window bounds of sorted terms 0..i-1, times their weights, summed. */
  readonly wprefix: Float64Array;
  /** cellPre[i * CELLS + c]: the weighted block maxima of sorted terms 0..i-1 over cell c, summed. */
  readonly cellPre: Float64Array;
  /** Per term, its unit block maxima per cell in the current window (valid where has[i]). */
  private readonly cells: Float64Array;
  private readonly has: Uint8Array;
  /** Per term: its first block that may hold documents of the current window. */
  private readonly blockAt: Int32Array;

  constructor(
    private readonly docs: Int32Array[],
    private readonly blockLast: Int32Array[],
    private readonly blockMax: Float32Array[],
    private readonly ids: Int32Array,
    private readonly weights: Float64Array,
  ) {
    const n = ids.length;
    this.wprefix = new Float64Array(n + 1);
    this.cellPre = new Float64Array((n + 1) * CELLS);
    this.cells = new Float64Array(n * CELLS);
    this.has = new Uint8Array(n);
    this.blockAt = new Int32Array(n);
  }

  /** Sorted term i's first posting in the current window (or past it), from its cursor. */
  startOf(i: number, cursor: number, start: number): number {
    const list = this.docs[this.ids[i]!]!;
    let p = Math.max(cursor, this.blockAt[i]! * BLOCK);
    while (p < list.length && list[p]! < start) p++;
    return p;
  }

  /** Bounds for documents start..end-1; returns how many sorted terms are non-essential there. */
  window(start: number, end: number, threshold: number): number {
    const { ids, weights, wprefix, cellPre, cells, has } = this;
    const n = ids.length;
    for (let i = 0; i < n; i++) {
      const unit = this.termWindow(i, start, end);
      wprefix[i + 1] = wprefix[i]! + weights[i]! * unit;
    }
    let ess = 0;
    while (ess < n && wprefix[ess + 1]! <= threshold) ess++;
    if (ess === n) return n;
    for (let i = 0; i < n; i++) {
      const from = i * CELLS;
      const to = from + CELLS;
      const w = weights[i]!;
      if (has[i]) for (let c = 0; c < CELLS; c++) cellPre[to + c] = cellPre[from + c]! + w * cells[from + c]!;
      else cellPre.copyWithin(to, from, to);
    }
    return ess;
  }

  /** Term i's largest block maximum over the window, its cells filled as a side effect. */
  private termWindow(i: number, start: number, end: number): number {
    const id = this.ids[i]!;
    const list = this.docs[id]!;
    const last = this.blockLast[id]!;
    const max = this.blockMax[id]!;
    let b = this.blockAt[i]!;
    while (b < last.length && last[b]! < start) b++;
    this.blockAt[i] = b;
    if (b >= last.length || list[b * BLOCK]! >= end) {
      this.has[i] = 0;
      return 0;
    }
    const cells = this.cells;
    const row = i * CELLS;
    cells.fill(0, row, row + CELLS);
    this.has[i] = 1;
    let unit = 0;
    for (; b < last.length && list[b * BLOCK]! < end; b++) {
      const m = max[b]!;
      if (m > unit) unit = m;
      const lo = (Math.max(list[b * BLOCK]!, start) - start) >> CELL_SHIFT;
      const hi = (Math.min(last[b]!, end - 1) - start) >> CELL_SHIFT;
      for (let c = row + lo; c <= row + hi; c++) if (m > cells[c]!) cells[c] = m;
    }
    return unit;
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
    const p = lowerBound(
      list,
      d,
      Math.max(this.posAt[i]!, b * BLOCK),
      Math.min(list.length, (b + 1) * BLOCK),
    );
    this.posAt[i] = p;
    return p < list.length && list[p] === d ? this.tfs[this.ids[i]!]![p]! : -1;
  }
}

function allPositive(values: Float32Array): boolean {
  for (let i = 0; i < values.length; i++) if (!(values[i]! > 0)) return false;
  return true;
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
