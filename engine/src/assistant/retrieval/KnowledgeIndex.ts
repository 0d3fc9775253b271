import type { RetrievalConfig } from '../config.js';
import type { Embedder } from '../embedders/Embedder.js';
import { indexedText, type Chunk } from '../kb/Chunk.js';
import { Bm25Index } from './Bm25Index.js';
import { ExactVectorIndex } from './ExactVectorIndex.js';
import { HnswVectorIndex } from './HnswVectorIndex.js';
import { reciprocalRankFusion } from './reciprocalRankFusion.js';
import { tokenize } from './tokenize.js';
import type { VectorIndex } from './VectorIndex.js';

export interface SearchHit {
  chunk: Chunk;
  /** Fused score (reciprocal-rank units); comparable within one query only. */
  score: number;
  /** 1-based ranks in the component lists, absent when the chunk was not in that list. */
  lexicalRank?: number;
  denseRank?: number;
  pageRank?: number;
}

export interface SearchOptions {
  /** Chunks for which this returns false are left out (e.g. a path filter). */
  filter?: (chunk: Chunk) => boolean;
}

/**
 * One immutable, searchable snapshot of the knowledge base: BM25 over chunks, dense vectors over chunks, and dense
 * page vectors (the normalised mean of a page's chunk vectors). Hybrid search fuses, by RRF, three page rankings
 * (lexical chunks and dense chunks collapsed to their pages, and dense pages), then orders passages by their page's
 * score and, within a page, by their own. The page level rewards a passage whose whole page is about the question, which matters for
 * "what is X" questions whose best passage alone shares few words with them.
 */
export class KnowledgeIndex {
  readonly bm25: Bm25Index;
  readonly vectorIndex: VectorIndex;
  private readonly pageOf: Int32Array;
  private readonly pageChunks: number[][];
  private readonly pageIndex: ExactVectorIndex;

  constructor(
    readonly chunks: Chunk[],
    /** chunks.length x dims, row-major, L2-normalised rows. */
    readonly vectors: Float32Array,
    readonly dims: number,
    private readonly embedder: Embedder,
    private readonly config: RetrievalConfig,
    ann?: VectorIndex,
  ) {
    this.bm25 = new Bm25Index(config.bm25K1, config.bm25B);
    this.bm25.build(chunks.map(indexedText));
    this.vectorIndex =
      ann ??
      (chunks.length >= config.annThreshold
        ? HnswVectorIndex.build(vectors, dims, {
            connectivity: config.hnswConnectivity,
            expansionAdd: config.hnswExpansionAdd,
            expansionSearch: config.hnswExpansionSearch,
          })
        : new ExactVectorIndex(vectors, dims));

    const pageIds = new Map<string, number>();
    this.pageOf = new Int32Array(chunks.length);
    this.pageChunks = [];
    chunks.forEach((c, i) => {
      let p = pageIds.get(c.path);
      if (p === undefined) {
        p = this.pageChunks.length;
        pageIds.set(c.path, p);
        this.pageChunks.push([]);
      }
      this.pageOf[i] = p;
      this.pageChunks[p]!.push(i);
    });
    const pageVectors = new Float32Array(this.pageChunks.length * dims);
    this.pageChunks.forEach((members, p) => {
      const o = p * dims;
      for (const i of members) for (let d = 0; d < dims; d++) pageVectors[o + d]! += vectors[i * dims + d]!;
      let n = 0;
      for (let d = 0; d < dims; d++) n += pageVectors[o + d]! ** 2;
      n = Math.sqrt(n) || 1;
      for (let d = 0; d < dims; d++) pageVectors[o + d]! /= n;
    });
    this.pageIndex = new ExactVectorIndex(pageVectors, dims);
  }

  get size(): number {
    return this.chunks.length;
  }

  get pageCount(): number {
    return this.pageChunks.length;
  }

  /** Plain BM25 over the same chunks: the baseline the benchmark reports beside the hybrid. */
  lexical(query: string, k: number, options: SearchOptions = {}): SearchHit[] {
    const allow = this.allow(options);
    return this.bm25.search(query, k, allow).map((h, r) => ({ chunk: this.chunks[h.index]!, score: h.score, lexicalRank: r + 1 }));
  }

  async search(query: string, k: number, options: SearchOptions = {}): Promise<SearchHit[]> {
    if (this.chunks.length === 0) return [];
    const allow = this.allow(options);
    const n = this.config.candidates;
    const lexical = this.bm25.search(query, n, allow).map((h) => h.index);
    const queryVector = await this.embedder.embedQuery(query);
    const denseHits = this.vectorIndex.search(queryVector, n, allow);
    const dense = denseHits.map((h) => h.index);
    const allowPage = allow ? (p: number) => this.pageChunks[p]!.some(allow) : undefined;
    const pages = this.pageIndex.search(queryVector, n, allowPage).map((h) => h.index);

    // Page-level evidence first: each list collapsed to pages (first occurrence), fused by RRF. Evidence for a page
    // then adds up even when its lexical and dense matches are different passages of it.
    const toPages = (list: number[]) => {
      const seen = new Set<number>();
      const out: number[] = [];
      for (const i of list) {
        const p = this.pageOf[i]!;
        if (!seen.has(p)) {
          seen.add(p);
          out.push(p);
        }
      }
      return out;
    };
    const pageScores = new Map(
      reciprocalRankFusion(
        [
          { items: toPages(lexical), weight: 1 },
          { items: toPages(dense), weight: this.config.denseWeight },
          { items: pages, weight: this.config.denseWeight },
        ],
        this.config.rrfK,
      ).map((p) => [p.index, p.score]),
    );
    // Passages' own evidence: RRF of the two passage lists.
    const chunkScores = new Map(
      reciprocalRankFusion(
        [
          { items: lexical, weight: 1 },
          { items: dense, weight: this.config.denseWeight },
        ],
        this.config.rrfK,
      ).map((c) => [c.index, c.score]),
    );
    const represented = new Set([...chunkScores.keys()].map((i) => this.pageOf[i]!));
    // Only pages that can still reach the top k need a passage found for them (a scan of their chunks).
    for (const p of pages.slice(0, Math.max(4 * k, 20))) {
      if (represented.has(p)) continue;
      const closest = this.closestChunk(p, queryVector, allow);
      if (closest >= 0) chunkScores.set(closest, 0);
    }
    // Page score first, the passage's own score within its page: a page's evidence is not diluted by which of its
    // passages carried it.
    const ranked = [...chunkScores.entries()]
      .map(([index, own]) => ({ index, page: pageScores.get(this.pageOf[index]!) ?? 0, own }))
      .sort((a, b) => b.page - a.page || b.own - a.own)
      .map(({ index, page, own }) => ({ index, score: page + own }));
    const perPage = new Map<number, number>();
    const rank = (list: number[], i: number) => {
      const r = list.indexOf(i);
      return r >= 0 ? r + 1 : undefined;
    };
    const out: SearchHit[] = [];
    for (const { index, score } of ranked) {
      const p = this.pageOf[index]!;
      const used = perPage.get(p) ?? 0;
      if (used >= this.config.maxChunksPerPage) continue;
      perPage.set(p, used + 1);
      const lexicalRank = rank(lexical, index);
      const denseRank = rank(dense, index);
      const pageRank = rank(pages, p);
      out.push({
        chunk: this.chunks[index]!,
        score,
        ...(lexicalRank ? { lexicalRank } : {}),
        ...(denseRank ? { denseRank } : {}),
        ...(pageRank ? { pageRank } : {}),
      });
      if (out.length === k) break;
    }
    return out;
  }

  /**
   * IDF-weighted share of the question's terms found in a passage (title and headings included): the evidence
   * test behind "I don't know". Fused scores are ranks and say nothing about whether anything matched.
   */
  termCoverage(query: string, chunk: Chunk | string): number {
    const terms = [...new Set(tokenize(query))];
    if (terms.length === 0) return 0;
    const present = new Set(tokenize(typeof chunk === 'string' ? chunk : indexedText(chunk)));
    let total = 0;
    let found = 0;
    for (const t of terms) {
      // Terms the collection never mentions count half: a question about something undocumented should come out
      // unknown, but a question with a pasted log line is full of such terms (ids, hosts) and may still be answerable.
      const known = this.bm25.docFreq(t) > 0;
      const w = this.bm25.idf(t) * (known ? 1 : 0.5);
      total += w;
      if (present.has(t)) found += w;
    }
    return total > 0 ? found / total : 0;
  }

  private closestChunk(page: number, query: Float32Array, allow?: (i: number) => boolean): number {
    let best = -1;
    let bestScore = -Infinity;
    for (const i of this.pageChunks[page]!) {
      if (allow && !allow(i)) continue;
      let s = 0;
      const o = i * this.dims;
      for (let d = 0; d < this.dims; d++) s += this.vectors[o + d]! * query[d]!;
      if (s > bestScore) {
        bestScore = s;
        best = i;
      }
    }
    return best;
  }

  private allow(options: SearchOptions): ((i: number) => boolean) | undefined {
    const { filter } = options;
    return filter ? (i: number) => filter(this.chunks[i]!) : undefined;
  }
}
