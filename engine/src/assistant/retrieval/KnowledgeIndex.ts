import type { RetrievalConfig } from '../config.js';
import type { Embedder } from '../embedders/Embedder.js';
import { indexedText, type Chunk } from '../kb/Chunk.js';
import { Bm25Index } from './Bm25Index.js';
import { Bm25fIndex } from './Bm25fIndex.js';
import { QueryAnalyzer } from './QueryAnalyzer.js';
import { ExactVectorIndex } from './ExactVectorIndex.js';
import { HnswVectorIndex } from './HnswVectorIndex.js';
import { reciprocalRankFusion } from './reciprocalRankFusion.js';
import { tokenize } from './tokenize.js';
import type { VectorIndex } from './VectorIndex.js';
import { pageKind, type PageKind } from './pageKind.js';
import { PageTermIndex } from './PageTermIndex.js';
import { questionForm } from './questionForm.js';
import { PageReranker } from './rerank/PageReranker.js';
import type { RerankCandidate, RerankQuery } from './rerank/RerankFeature.js';
import { RERANK_FEATURES, type RerankWeights } from './rerank/rerankFeatures.js';

export { pageKind, type PageKind } from './pageKind.js';

export interface SearchHit {
  chunk: Chunk;
  /** Final page score (rank-fusion units plus rerank features); comparable within one query only. */
  score: number;
  /** 1-based ranks in the component lists, absent when the chunk was not in that list. */
  lexicalRank?: number;
  denseRank?: number;
  pageRank?: number;
}

export interface SearchOptions {
  /** Chunks for which this returns false are left out (e.g. a path filter). */
  filter?: (chunk: Chunk) => boolean;
  /**
   * What the live state says, e.g. the failure seen on the workload ("CrashLoopBackOff", "OOMKilled"): searched with
   * the question and rewarded by the reranker when a page's title or headings name it.
   */
  context?: string;
}

/**
 * The choices of the retrieval pipeline. The defaults (DEFAULT_TUNING) were chosen by the protocol of the
 * rag-retrieval bench: a change was kept only when it helped both development question sets or hurt neither.
 * Benchmarks build indexes with one choice changed to print each one's effect.
 */
export interface RetrievalTuning {
  /** BM25F field weights of a passage: page title, heading path, body. Body 1 and the rest 0 is chunk BM25 on the body. */
  titleWeight: number;
  sectionWeight: number;
  /** Page score = best passage + this x the sum of the next `pageSumDepth` passages (0: best passage only). */
  pageSumWeight: number;
  pageSumDepth: number;
  abbreviationWeight: number;
  correctionWeight: number;
  /** Weight of the lexical page list in the fusion (0: dense only, for the benchmark's "dense alone" row). */
  lexicalWeight: number;
  /** Weight of a second lexical list: BM25F over whole pages (title, all headings, all text); 0 leaves it out. */
  pageLexicalWeight: number;
  /** Pseudo-relevance feedback: terms added from the best first-pass passages, with this weight (0: off). */
  feedbackWeight: number;
  feedbackTerms: number;
  feedbackDocs: number;
  /** Weight of each dense list (chunk vectors and page vectors) in the fusion; 0 skips the embedder entirely.
   * Default: `assistant.retrieval.denseWeight`. */
  denseWeight: number;
  /** Weight of each second-stage feature (rerank/rerankFeatures.ts); 0 leaves one out. */
  rerank: RerankWeights;
  /** Weight of the live context's terms added to the lexical query. */
  contextTermWeight: number;
  /** Pages reranked. */
  rerankDepth: number;
}

/** A change to some choices; rerank weights not named keep theirs. */
export type TuningChange = Partial<Omit<RetrievalTuning, 'rerank'>> & { rerank?: Partial<RerankWeights> };

export const DEFAULT_TUNING: RetrievalTuning = {
  // Boosting title (2) and headings (1.5) over the body changed at most one question per set (rag-retrieval), so the
  // fields stay but count alike; they still differ in length normalisation (FIELD_B).
  titleWeight: 1,
  sectionWeight: 1,
  // Adding 0.1 x the next passages' scores helped the glossary set (+0.011 Hit@5) and hurt the ops set (-0.013 Hit@5,
  // -0.023 MRR): rejected by the protocol, a page scores as its best passage.
  pageSumWeight: 0,
  pageSumDepth: 3,
  abbreviationWeight: 0.5,
  correctionWeight: 0.8,
  lexicalWeight: 1,
  pageLexicalWeight: 0,
  feedbackWeight: 0,
  feedbackTerms: 10,
  feedbackDocs: 5,
  denseWeight: 0.25,
  rerank: {
    // A question's word pair in the page's title or headings: +0.006 Hit@5 / +0.009 MRR glossary, ops unchanged within
    // one question (rag-retrieval).
    phraseInHeadings: 0.1,
    // Added to the reranker of phraseInHeadings and the priors (rag-retrieval, with phraseInPassage 0.05 as well): glossary
    // Hit@5 0.861 -> 0.861, MRR 0.665 -> 0.718; ops Hit@5 0.887 -> 0.893, MRR 0.731 -> 0.732. Without page coverage: ops
    // Hit@5 -0.020; without the whole title: glossary MRR -0.032. Twice their weight cost glossary Hit@5.
    // The question's word pairs in the best passage were a tie on both sets (objective -0.002 glossary, -0.000 ops) and
    // doubled the median query time (tokenizing 50 passages per query): left out, its ablation is printed.
    phraseInPassage: 0,
    pageCoverage: 0.1,
    titleInQuestion: 0.1,
    // The share of the title's terms in the question helped the glossary (+0.052 MRR) and hurt the ops questions
    // (-0.041): left out; titleInQuestion (the whole title of 2+ terms named) keeps the glossary's gain without it.
    titleShare: 0,
    contextInHeadings: 0.5,
    runbookForContext: 0.2,
    // Off: a fixed penalty on generated reference pages (kubectl, API, feature gates, kubeadm) helped the glossary
    // and ops sets a little (objective -0.008 / -0.011 without it) and cost the authored set, whose uniformly sampled
    // pages are 2/3 reference, far more (+0.037 without it; MRR 0.517 -> 0.572): a prior on the page type decides
    // for the user what kind of page they want. Kept as a feature for teams whose questions never target them.
    generatedPage: 0,
    // Task pages for "how do I ..." and concept pages for "what is / why ..." questions (questionForm.ts), 0.02:
    // glossary MRR +0.008, ops MRR +0.010, Hit@5 unchanged on both, every half within -0.002 (rag-retrieval).
    // 0.03 cost the glossary's odd half 0.013 MRR; a learned form (title words' task/concept log-odds) followed topics, not forms, and hurt both.
    questionFormKind: 0.02,
  },
  contextTermWeight: 0.5,
  rerankDepth: 50,
};

/** BM25F field b values: titles and heading paths are short and barely vary, so they are not length-normalised. */
const FIELD_B = { title: 0, section: 0.3 };

/**
 * One immutable, searchable snapshot of the knowledge base. First stage: BM25F over passages (title, heading path
 * and body fields) with query processing learned from the collection (abbreviations, spelling), passages collapsed to
 * pages (best passage plus a little of the next ones), fused by weighted RRF with the dense page rankings (chunk
 * vectors collapsed to pages, and page vectors). Second stage: the top pages reranked with what a bag of words cannot
 * see (exact phrases in titles and headings, the live context). Passages are then ordered by their page's score and,
 * within a page, by their own evidence.
 */
export class KnowledgeIndex {
  private bm25Baseline: Bm25Index | undefined;
  readonly bm25f: Bm25fIndex;
  private readonly pageBm25f: Bm25fIndex | undefined;
  readonly analyzer: QueryAnalyzer;
  readonly vectorIndex: VectorIndex;
  private readonly pageOf: Int32Array;
  private readonly pageChunks: number[][];
  private readonly pageIndex: ExactVectorIndex;
  /** Per page: stemmed terms of its title and of all its headings (reranker fields). */
  private readonly pageTitleTerms: Array<Set<string>>;
  private readonly pageHeadingText: string[];
  private readonly pageKind: PageKind[];
  private readonly reranker: PageReranker;
  /** Pages per term, for the reranker's matched terms (only when a feature reads them). */
  private readonly pageTerms: PageTermIndex | undefined;
  readonly tuning: RetrievalTuning;

  constructor(
    readonly chunks: Chunk[],
    /** chunks.length x dims, row-major, L2-normalised rows. */
    readonly vectors: Float32Array,
    readonly dims: number,
    private readonly embedder: Embedder,
    private readonly config: RetrievalConfig,
    ann?: VectorIndex,
    tuning: TuningChange = {},
    /** Reuse another index's learned query processing (benchmarks comparing settings over the same chunks). */
    analyzer?: QueryAnalyzer,
  ) {
    this.tuning = {
      ...DEFAULT_TUNING,
      denseWeight: config.denseWeight,
      ...tuning,
      rerank: withWeights(DEFAULT_TUNING.rerank, tuning.rerank),
    };
    const t = this.tuning;
    this.reranker = new PageReranker(RERANK_FEATURES, t.rerank);
    this.bm25f = new Bm25fIndex(
      [
        { name: 'title', weight: t.titleWeight, b: FIELD_B.title },
        { name: 'section', weight: t.sectionWeight, b: FIELD_B.section },
        { name: 'body', weight: 1, b: config.bm25B },
      ],
      config.bm25K1,
    );
    this.bm25f.build(chunks.map((c) => [c.title, c.section, c.text]));
    this.analyzer =
      analyzer ??
      new QueryAnalyzer(
        chunks.map((c) => c.text),
        { abbreviationWeight: t.abbreviationWeight, correctionWeight: t.correctionWeight },
      );
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
    if (t.pageLexicalWeight > 0) {
      this.pageBm25f = new Bm25fIndex(
        [
          { name: 'title', weight: t.titleWeight, b: FIELD_B.title },
          { name: 'headings', weight: t.sectionWeight, b: FIELD_B.section },
          { name: 'body', weight: 1, b: config.bm25B },
        ],
        config.bm25K1,
      );
      this.pageBm25f.build(
        this.pageChunks.map((members) => [
          chunks[members[0]!]!.title,
          [...new Set(members.map((i) => chunks[i]!.section))].join('\n'),
          members.map((i) => chunks[i]!.text).join('\n'),
        ]),
      );
    }
    this.pageTerms = this.reranker.needs('matchedTerms')
      ? new PageTermIndex(this.bm25f.postings(), this.pageOf, this.pageChunks.length)
      : undefined;
    this.pageKind = this.pageChunks.map((members) => pageKind(chunks[members[0]!]!));
    this.pageTitleTerms = this.pageChunks.map((members) => new Set(tokenize(chunks[members[0]!]!.title)));
    this.pageHeadingText = this.pageChunks.map((members) =>
      [chunks[members[0]!]!.title, ...new Set(members.map((i) => chunks[i]!.section))]
        .map((h) => tokenize(h).join(' '))
        .join('\n'),
    );
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

  /** The same chunks and vectors searched with other choices (benchmark ablations); query processing is shared. */
  withTuning(tuning: TuningChange, config: Partial<RetrievalConfig> = {}): KnowledgeIndex {
    const merged = { ...this.tuning, ...tuning, rerank: withWeights(this.tuning.rerank, tuning.rerank) };
    const sameAnalyzer =
      merged.abbreviationWeight === this.tuning.abbreviationWeight &&
      merged.correctionWeight === this.tuning.correctionWeight;
    return new KnowledgeIndex(
      this.chunks,
      this.vectors,
      this.dims,
      this.embedder,
      { ...this.config, ...config },
      this.vectorIndex,
      merged,
      sameAnalyzer ? this.analyzer : undefined,
    );
  }

  get size(): number {
    return this.chunks.length;
  }

  get pageCount(): number {
    return this.pageChunks.length;
  }

  /** Plain BM25 over the same chunks (title, headings and body as one text): the benchmark's baseline. Built on first use. */
  get bm25(): Bm25Index {
    if (!this.bm25Baseline) {
      this.bm25Baseline = new Bm25Index(this.config.bm25K1, this.config.bm25B);
      this.bm25Baseline.build(this.chunks.map(indexedText));
    }
    return this.bm25Baseline;
  }

  lexical(query: string, k: number, options: SearchOptions = {}): SearchHit[] {
    const allow = this.allow(options);
    return this.bm25
      .search(query, k, allow)
      .map((h, r) => ({ chunk: this.chunks[h.index]!, score: h.score, lexicalRank: r + 1 }));
  }

  async search(query: string, k: number, options: SearchOptions = {}): Promise<SearchHit[]> {
    if (this.chunks.length === 0) return [];
    const t = this.tuning;
    const allow = this.allow(options);
    const n = this.config.candidates;
    const analyzed = this.analyzer.analyze(query);
    const contextTerms = options.context ? [...new Set(tokenize(options.context))] : [];
    const terms = [...analyzed.terms];
    for (const term of contextTerms)
      if (!terms.some((q) => q.term === term)) terms.push({ term, weight: t.contextTermWeight });

    // Lexical: BM25F passages (deeper than n, so a page's second and third passages are seen), collapsed to pages.
    let lexicalHits = t.lexicalWeight > 0 ? this.bm25f.search(terms, 2 * n, allow) : [];
    if (t.feedbackWeight > 0 && lexicalHits.length > 0) {
      terms.push(...this.feedbackTerms(lexicalHits, terms));
      lexicalHits = this.bm25f.search(terms, 2 * n, allow);
    }
    const lexical = lexicalHits.map((h) => h.index);
    const lexicalPages = this.aggregatePages(lexicalHits);

    let dense: number[] = [];
    let densePages: number[] = [];
    let queryVector: Float32Array | undefined;
    if (t.denseWeight > 0) {
      queryVector = await this.embedder.embedQuery(analyzed.expandedText);
      dense = this.vectorIndex.search(queryVector, n, allow).map((h) => h.index);
      const allowPage = allow ? (p: number) => this.pageChunks[p]!.some(allow) : undefined;
      densePages = this.pageIndex.search(queryVector, n, allowPage).map((h) => h.index);
    }
    const fused = reciprocalRankFusion(
      [
        { items: lexicalPages, weight: t.lexicalWeight },
        {
          items: this.pageBm25f
            ? this.pageBm25f
                .search(terms, n, allow ? (p) => this.pageChunks[p]!.some(allow) : undefined)
                .map((h) => h.index)
            : [],
          weight: t.pageLexicalWeight,
        },
        { items: this.toPages(dense), weight: t.denseWeight },
        { items: densePages, weight: t.denseWeight },
      ],
      this.config.rrfK,
    );
    const pageScores = this.reranker.rerank(
      this.rerankQuery(query, analyzed.terms, analyzed.phrases, contextTerms),
      fused,
      t.rerankDepth,
      this.candidateOf(lexicalHits, fused.slice(0, t.rerankDepth), analyzed.terms),
    );

    // Passages' own evidence: RRF of the two passage lists.
    const chunkScores = new Map(
      reciprocalRankFusion(
        [
          { items: lexical, weight: 1 },
          { items: dense, weight: t.denseWeight },
        ],
        this.config.rrfK,
      ).map((c) => [c.index, c.score]),
    );
    const represented = new Set([...chunkScores.keys()].map((i) => this.pageOf[i]!));
    // Only pages that can still reach the top k need a passage found for them (a scan of their chunks, 1.6 ms per
    // query at 300k). A page behind k represented pages of strictly higher score cannot: each of those puts at least
    // one passage ahead of it in the output below, so skipping it changes nothing.
    const kth = kthLargest(
      [...represented].map((p) => pageScores.get(p) ?? 0),
      k,
    );
    if (queryVector) {
      for (const p of densePages.slice(0, Math.max(4 * k, 20))) {
        if (represented.has(p) || (pageScores.get(p) ?? 0) < kth) continue;
        const closest = this.closestChunk(p, queryVector, allow);
        if (closest >= 0) chunkScores.set(closest, 0);
      }
    }
    const ranked = [...chunkScores.entries()]
      .map(([index, own]) => ({ index, page: pageScores.get(this.pageOf[index]!) ?? 0, own }))
      .sort((a, b) => b.page - a.page || b.own - a.own);
    const perPage = new Map<number, number>();
    const rank = (list: number[], i: number) => {
      const r = list.indexOf(i);
      return r >= 0 ? r + 1 : undefined;
    };
    const out: SearchHit[] = [];
    for (const { index, page } of ranked) {
      const p = this.pageOf[index]!;
      const used = perPage.get(p) ?? 0;
      if (used >= this.config.maxChunksPerPage) continue;
      perPage.set(p, used + 1);
      const lexicalRank = rank(lexical, index);
      const denseRank = rank(dense, index);
      const pageRank = rank(densePages, p);
      out.push({
        chunk: this.chunks[index]!,
        score: page,
        ...(lexicalRank ? { lexicalRank } : {}),
        ...(denseRank ? { denseRank } : {}),
        ...(pageRank ? { pageRank } : {}),
      });
      if (out.length === k) break;
    }
    return out;
  }

  /**
   * Pseudo-relevance feedback (RM3-style, Lavrenko & Croft 2001): terms frequent in the best first-pass passages,
   * weighted by those passages' scores and by IDF, added to the query with weights below the user's own terms.
   */
  private feedbackTerms(
    hits: Array<{ index: number; score: number }>,
    query: Array<{ term: string }>,
  ): Array<{ term: string; weight: number }> {
    const { feedbackDocs, feedbackTerms, feedbackWeight } = this.tuning;
    const have = new Set(query.map((q) => q.term));
    const top = hits.slice(0, feedbackDocs);
    const best = top[0]!.score || 1;
    const mass = new Map<string, number>();
    for (const h of top) {
      const tokens = tokenize(indexedText(this.chunks[h.index]!));
      const w = h.score / best / Math.max(1, tokens.length);
      for (const tok of tokens) if (!have.has(tok)) mass.set(tok, (mass.get(tok) ?? 0) + w);
    }
    const maxDf = 0.1 * this.chunks.length;
    const ranked = [...mass.entries()]
      .filter(([term]) => this.bm25f.docFreq(term) <= maxDf && this.bm25f.docFreq(term) > 1)
      .map(([term, m]) => ({ term, m: m * this.bm25f.idf(term) }))
      .sort((a, b) => b.m - a.m)
      .slice(0, feedbackTerms);
    const top1 = ranked[0]?.m ?? 1;
    return ranked.map(({ term, m }) => ({ term, weight: (feedbackWeight * m) / top1 }));
  }

  /** Pages of a ranked passage list by BM25F evidence: best passage + pageSumWeight x the next few. */
  private aggregatePages(hits: Array<{ index: number; score: number }>): number[] {
    const perPage = new Map<number, number[]>();
    for (const h of hits) {
      const p = this.pageOf[h.index]!;
      const list = perPage.get(p);
      if (list) list.push(h.score);
      else perPage.set(p, [h.score]);
    }
    const { pageSumWeight, pageSumDepth } = this.tuning;
    return [...perPage.entries()]
      .map(([p, scores]) => {
        let s = scores[0]!;
        for (let i = 1; i <= pageSumDepth && i < scores.length; i++) s += pageSumWeight * scores[i]!;
        return { p, s };
      })
      .sort((a, b) => b.s - a.s || a.p - b.p)
      .map((x) => x.p);
  }

  private toPages(list: number[]): number[] {
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
  }

  private rerankQuery(
    question: string,
    terms: Array<{ term: string; weight: number }>,
    phrases: string[],
    contextTerms: string[],
  ): RerankQuery {
    const form = questionForm(question);
    return {
      ...(form ? { form } : {}),
      terms: terms.filter((q) => q.weight >= 1).map((q) => q.term),
      phrases,
      contextTerms,
      idf: (term) => (this.bm25f.docFreq(term) > 0 ? this.bm25f.idf(term) : 0),
    };
  }

  /**
   * What the reranker reads of a candidate page. The question's terms found in the page are looked up in the page
   * lists of PageTermIndex (one binary search per page and term, whatever the pages' sizes).
   */
  private candidateOf(
    lexicalHits: Array<{ index: number }>,
    candidates: Array<{ index: number }>,
    terms: Array<{ term: string; weight: number }>,
  ): (page: number) => RerankCandidate {
    const bestPassage = new Map<number, number>();
    for (const h of lexicalHits)
      if (!bestPassage.has(this.pageOf[h.index]!)) bestPassage.set(this.pageOf[h.index]!, h.index);
    const matched = new Map<number, Set<string>>(candidates.map((c) => [c.index, new Set<string>()]));
    const pageTerms = this.pageTerms;
    if (pageTerms) {
      for (const { term, weight } of terms) {
        if (weight < 1) continue;
        for (const [p, found] of matched) if (pageTerms.has(term, p)) found.add(term);
      }
    }
    const needsPassage = this.reranker.needs('passageText');
    return (p) => {
      const best = bestPassage.get(p);
      return {
        kind: this.pageKind[p]!,
        titleTerms: this.pageTitleTerms[p]!,
        headingText: this.pageHeadingText[p]!,
        passageText: needsPassage && best !== undefined ? tokenize(this.chunks[best]!.text).join(' ') : '',
        matchedTerms: matched.get(p) ?? new Set(),
      };
    };
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
      const known = this.bm25f.docFreq(t) > 0;
      const w = this.bm25f.idf(t) * (known ? 1 : 0.5);
      total += w;
      if (present.has(t)) found += w;
    }
    return total > 0 ? found / total : 0;
  }

  /** The page's passage nearest the query: a scan of the page's chunks (grows with page size: 1.6 ms/query at 300k). */
  private closestChunk(page: number, query: Float32Array, allow?: (i: number) => boolean): number {
    // Locals, not this.vectors / this.dims inside the loop: the same sums in the same order, measured faster.
    const { vectors, dims } = this;
    let best = -1;
    let bestScore = -Infinity;
    for (const i of this.pageChunks[page]!) {
      if (allow && !allow(i)) continue;
      let s = 0;
      const o = i * dims;
      for (let d = 0; d < dims; d++) s += vectors[o + d]! * query[d]!;
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

/** The k-th largest value (-Infinity when there are fewer than k). */
function kthLargest(values: number[], k: number): number {
  return values.length < k ? -Infinity : values.sort((a, b) => b - a)[k - 1]!;
}

function withWeights(base: RerankWeights, change: Partial<RerankWeights> = {}): RerankWeights {
  const out = { ...base };
  for (const [name, w] of Object.entries(change) as Array<[keyof RerankWeights, number | undefined]>)
    if (w !== undefined) out[name] = w;
  return out;
}
