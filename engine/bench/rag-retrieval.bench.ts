import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { assistantConfigSchema, type RetrievalConfig } from '../src/assistant/config.js';
import { LsaEmbedder, type LsaOptions } from '../src/assistant/embedders/LsaEmbedder.js';
import { indexedText } from '../src/assistant/kb/Chunk.js';
import { KnowledgeBase } from '../src/assistant/kb/KnowledgeBase.js';
import { Bm25Index } from '../src/assistant/retrieval/Bm25Index.js';
import { KnowledgeIndex, type TuningChange } from '../src/assistant/retrieval/KnowledgeIndex.js';
import { RERANK_FEATURES, type RerankWeights } from '../src/assistant/retrieval/rerank/rerankFeatures.js';
import { printTable, type BenchMain } from './lib.js';
import {
  BENCH_EXCLUDE,
  chooseByMaximin,
  evaluate,
  halves,
  readEvalSets,
  type EvalSet,
  type Scores,
} from './rag/evaluateRetrieval.js';
import { percentile } from './rag/retrievalMetrics.js';

/**
 * Retrieval quality of the assistant over the Kubernetes docs on every question set in the data set's `eval/` folder in
 * one run (each `*.jsonl`; here the two development sets): the glossary known-item set (glossary pages excluded from the index, both phrasings) and the hand-written ops
 * questions. Per set: BM25 over the same chunks (the baseline), the dense part alone, and the default; then each
 * design choice turned off or changed, with its per-set delta against the default (the protocol: a choice stays only if
 * it helps both sets or hurts neither); then the dense weight chosen by maximin over the sets, per half (line parity)
 * as well, to show the choice carries. Ground truth is page-level (chunks collapsed to pages; Hit@k, MRR@10).
 *
 *   npm run bench -- rag-retrieval --data ../shared/datasets/k8s_docs [--questions DIR]
 * `--questions DIR` adds every `*.jsonl` question set in DIR (same format), scored and weighed like the data set's own.
 */
/** Every second-stage feature off. */
const NO_RERANK = Object.fromEntries(RERANK_FEATURES.map((f) => [f.name, 0])) as RerankWeights;

export const main: BenchMain = async (ctx) => {
  const data = ctx.pathOption('data');
  const evalDir = join(data, 'eval');
  if (!existsSync(evalDir)) throw new Error(`no eval folder in ${data}`);
  // A team's own question sets kept outside the data set (e.g. bench/rag/authored-questions) are scored beside its own.
  const extra = ctx.options.questions === undefined ? [] : readEvalSets(ctx.pathOption('questions'));
  const sets: EvalSet[] = [...readEvalSets(evalDir), ...extra];
  console.log(
    `question sets in ${evalDir}: ${sets.map((s) => `${s.name} (${s.queries.length})`).join(', ')}`,
  );
  const config = assistantConfigSchema.parse({ embedder: { kind: 'lsa' } });
  if (config.embedder.kind !== 'lsa')
    throw new Error('the benchmark measures the default (no-weights) embedder');

  const lsaConfig: LsaOptions = config.embedder;
  const embedder = new LsaEmbedder(lsaConfig);
  const kb = new KnowledgeBase({ config, embedder });
  const started = performance.now();
  const report = await kb.ingest({ path: data, baseUrl: 'https://kubernetes.io', exclude: BENCH_EXCLUDE });
  const ingestS = (performance.now() - started) / 1000;
  const chunks = [...kb.allChunks()];
  if (chunks.length === 0)
    throw new Error(
      `rag-retrieval: nothing ingested from ${data} (${report.errors.length} file errors); symbolic links are not followed`,
    );
  console.log(
    `ingested ${relative(process.cwd(), data) || data} (glossary and the data set's eval files excluded): ${report.added} files, ${chunks.length} chunks, ` +
      `${kb.stats().pages} pages, ${report.errors.length} file errors, ${ingestS.toFixed(1)} s (embedder ${embedder.id})`,
  );
  // The same snapshot the knowledge base serves, rebuilt here so ablations can share its chunks and vectors.
  const vectors = new Float32Array(chunks.length * embedder.dimensions);
  (await embedder.embedDocuments(chunks.map(indexedText))).forEach((v, i) =>
    vectors.set(v, i * embedder.dimensions),
  );
  const index = new KnowledgeIndex(chunks, vectors, embedder.dimensions, embedder, config.retrieval);
  const abbreviations = [...index.analyzer.learned.entries()].filter(([a]) =>
    ['pvc', 'hpa', 'svc', 'ns', 'pdb', 'rbac'].includes(a),
  );
  console.log(
    `abbreviations learned from the corpus: ${index.analyzer.learned.size} (e.g. ${abbreviations.map(([a, l]) => `${a}=${l[0]}`).join(', ')})`,
  );

  const textbook = new Bm25Index(
    config.retrieval.bm25K1,
    config.retrieval.bm25B,
    (t) => t.toLowerCase().match(/[a-z0-9]+/g) ?? [],
  );
  textbook.build(chunks.map((c) => c.text));
  const depth = 50;
  const latencies: number[] = [];
  const methods: Record<string, (q: string) => Promise<string[]> | string[]> = {
    'textbook BM25 (body only)': (q) => textbook.search(q, depth).map((h) => chunks[h.index]!.path),
    'BM25 (same chunks)': (q) => index.lexical(q, depth).map((h) => h.chunk.path),
    'dense alone': async (q) => (await denseOnly.search(q, depth)).map((h) => h.chunk.path),
    default: async (q) => {
      const t = performance.now();
      const hits = await index.search(q, depth);
      latencies.push(performance.now() - t);
      return hits.map((h) => h.chunk.path);
    },
  };
  const denseOnly = index.withTuning({ lexicalWeight: 0, rerank: NO_RERANK });

  const results: Record<string, number> = {};
  const byMethod: Record<string, Record<string, Scores>> = {};
  const rows: Array<Array<string | number>> = [];
  for (const [method, run] of Object.entries(methods)) {
    byMethod[method] = {};
    for (const set of sets) {
      const s = await evaluate(set.queries, run);
      byMethod[method]![set.name] = s;
      rows.push([set.name, s.n, method, s.hit1, s.hit5, s.mrr]);
    }
  }
  rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  printTable(
    'rag-retrieval: page-level Hit@1 / Hit@5 / MRR@10 per development set',
    ['set', 'n', 'method', 'hit1', 'hit5', 'mrr'],
    rows,
  );
  const key = (m: string) =>
    ({
      'textbook BM25 (body only)': 'textbook',
      'BM25 (same chunks)': 'bm25',
      'dense alone': 'dense',
      default: 'default',
    })[m]!;
  for (const [method, perSet] of Object.entries(byMethod)) {
    for (const [set, s] of Object.entries(perSet)) {
      results[`${set}_${key(method)}_hit1`] = s.hit1;
      results[`${set}_${key(method)}_hit5`] = s.hit5;
      results[`${set}_${key(method)}_mrr`] = s.mrr;
    }
  }

  // Ablations: the default with one choice changed, its effect per set (negative = the choice helps). Embedder
  // choices refit the LSA model on the same chunks and search a new index of the same pipeline.
  const refit = async (options: Partial<LsaOptions>): Promise<KnowledgeIndex> => {
    const variant = new LsaEmbedder({ ...lsaConfig, ...options });
    const texts = chunks.map(indexedText);
    await variant.fit(texts);
    const v = new Float32Array(chunks.length * variant.dimensions);
    (await variant.embedDocuments(texts)).forEach((x, i) => v.set(x, i * variant.dimensions));
    return new KnowledgeIndex(
      chunks,
      v,
      variant.dimensions,
      variant,
      config.retrieval,
      undefined,
      {},
      index.analyzer,
    );
  };
  const ablations: Array<[string, TuningChange, Partial<RetrievalConfig>?, Partial<LsaOptions>?]> = [
    ['LSA: log tf, plain U (previous embedder)', {}, undefined, { saturation: 0, sigmaPower: 0 }],
    ['LSA: log tf (no tf saturation)', {}, undefined, { saturation: 0 }],
    ['LSA: plain U (no sigma^-1/2 flattening)', {}, undefined, { sigmaPower: 0 }],
    ['+ field boosts (title 2, headings 1.5)', { titleWeight: 2, sectionWeight: 1.5 }],
    ['+ page = best + 0.1 x next 3 passages', { pageSumWeight: 0.1 }],
    ['no abbreviation expansion', { abbreviationWeight: 0 }],
    ['no spelling correction', { correctionWeight: 0 }],
    ['BM25 k1 0.9, b 0.4 (previous)', {}, { bm25K1: 0.9, bm25B: 0.4 }],
    ['lexical only (dense weight 0)', { denseWeight: 0 }],
    [
      'previous default (dense 0.5, generated-reference penalty 0.05)',
      { denseWeight: 0.5, rerank: { generatedPage: 0.05 } },
    ],
    ['rerank: none (first stage only)', { rerank: NO_RERANK }],
    ['rerank: + generated-reference penalty 0.05 (before 2026-12-07)', { rerank: { generatedPage: 0.05 } }],
    ['rerank: no phrase in headings', { rerank: { phraseInHeadings: 0 } }],
    ['rerank: + phrase in best passage 0.05', { rerank: { phraseInPassage: 0.05 } }],
    ['rerank: no page coverage', { rerank: { pageCoverage: 0 } }],
    ['rerank: no whole title in question', { rerank: { titleInQuestion: 0 } }],
    ['rerank: + query words in title 0.1', { rerank: { titleShare: 0.1 } }],
    ['rerank: no question-form page kind', { rerank: { questionFormKind: 0 } }],
    ['+ page-level BM25F list 0.5', { pageLexicalWeight: 0.5 }],
    ['+ pseudo-relevance feedback 0.3', { feedbackWeight: 0.3 }],
  ];
  const ablationRows: Array<Array<string | number>> = [];
  for (const [name, change, retrieval, lsa] of ablations) {
    const variant = lsa ? await refit(lsa) : index.withTuning(change, retrieval);
    for (const set of sets) {
      const s = await evaluate(set.queries, async (q) =>
        (await variant.search(q, depth)).map((h) => h.chunk.path),
      );
      const d = byMethod.default![set.name]!;
      ablationRows.push([
        name,
        set.name,
        s.hit1 - d.hit1,
        s.hit5 - d.hit5,
        s.mrr - d.mrr,
        (s.hit5 - d.hit5 + s.mrr - d.mrr) / 2,
      ]);
    }
  }
  printTable(
    'rag-retrieval: ablations, change against the default per set (objective = mean of Δhit5 and Δmrr; |objective| < 1/150, under one ops question, is a tie)',
    ['variant', 'set', 'Δhit1', 'Δhit5', 'Δmrr', 'objective'],
    ablationRows,
  );
  // The protocol's verdict on each choice: the default's side of it is right when the other side helps no set, or hurts one.
  const TIE = 1 / 150;
  const verdicts = ablations.map(([name]) => {
    const o = ablationRows.filter((r) => r[0] === name).map((r) => r[5] as number);
    const helps = o.some((x) => x >= TIE);
    const hurts = o.some((x) => x <= -TIE);
    return [
      name,
      ...o,
      helps && !hurts
        ? 'CHANGE THE DEFAULT'
        : hurts && helps
          ? 'mixed: default kept'
          : hurts
            ? 'default better'
            : 'tie (within one question): default kept',
    ];
  });
  printTable(
    'rag-retrieval: protocol verdicts',
    ['variant', ...sets.map((s) => `${s.name} objective`), 'verdict'],
    verdicts,
  );

  // The dense weight by protocol: maximin over sets of the MRR gain over BM25; then the same choice per half.
  const grid = [0, 0.25, 0.5, 1];
  const variants = grid.map((w) => index.withTuning({ denseWeight: w }));
  const gridRows: Array<Array<string | number>> = [];
  const halvesOf = sets.flatMap((s) => halves(s));
  const perHalf: Record<string, Scores[]> = {};
  const bm25Half: Record<string, Scores> = {};
  for (const h of halvesOf) bm25Half[h.name] = await evaluate(h.queries, methods['BM25 (same chunks)']!);
  for (const [i, variant] of variants.entries()) {
    for (const h of halvesOf) {
      const s = await evaluate(h.queries, async (q) =>
        (await variant.search(q, depth)).map((x) => x.chunk.path),
      );
      (perHalf[h.name] ??= [])[i] = s;
      gridRows.push([
        grid[i]!,
        h.name,
        s.hit1,
        s.hit5,
        s.mrr,
        s.mrr - bm25Half[h.name]!.mrr,
        (s.hit5 - bm25Half[h.name]!.hit5 + s.mrr - bm25Half[h.name]!.mrr) / 2,
      ]);
    }
  }
  printTable(
    'rag-retrieval: dense weight per half (line parity)',
    ['dense_w', 'half', 'hit1', 'hit5', 'mrr', 'mrr - BM25', 'objective'],
    gridRows,
  );
  // Objective per set: the mean of its Hit@5 and MRR gains over its own BM25 (MRR alone let one question of 90 decide).
  const objective = (n: string, i: number) => {
    const s = perHalf[n]![i]!;
    const b = bm25Half[n]!;
    return (s.hit5 - b.hit5 + s.mrr - b.mrr) / 2;
  };
  const gain = (names: string[]) => (i: number) => {
    const bySet = new Map<string, number[]>();
    for (const n of names)
      bySet.set(n.split('/')[0]!, [...(bySet.get(n.split('/')[0]!) ?? []), objective(n, i)]);
    return Math.min(...[...bySet.values()].map((v) => v.reduce((a, b) => a + b, 0) / v.length));
  };
  const choice = (names: string[]) => grid[chooseByMaximin(grid.length, gain(names))]!;
  const even = halvesOf.filter((h) => h.name.endsWith('even')).map((h) => h.name);
  const odd = halvesOf.filter((h) => h.name.endsWith('odd')).map((h) => h.name);
  const chosen = { all: choice([...even, ...odd]), even: choice(even), odd: choice(odd) };
  const spread = sets.map((s) => {
    const [a, b] = [perHalf[`${s.name}/even`]!, perHalf[`${s.name}/odd`]!];
    const i = grid.indexOf(index.tuning.denseWeight);
    return [
      s.name,
      a[i]!.hit5,
      b[i]!.hit5,
      Math.abs(a[i]!.hit5 - b[i]!.hit5),
      a[i]!.mrr,
      b[i]!.mrr,
      Math.abs(a[i]!.mrr - b[i]!.mrr),
    ];
  });
  printTable(
    `rag-retrieval: protocol choice of the dense weight (maximin over sets of the mean Hit@5 and MRR gain over BM25): all halves ${chosen.all}, even halves ${chosen.even}, odd halves ${chosen.odd}; default ${index.tuning.denseWeight}`,
    ['set', 'even hit5', 'odd hit5', 'hit5 spread', 'even mrr', 'odd mrr', 'mrr spread'],
    spread,
  );
  for (const row of spread) {
    results[`${row[0]}_half_hit5_spread`] = row[3] as number;
    results[`${row[0]}_half_mrr_spread`] = row[6] as number;
  }
  results.dense_weight_chosen = chosen.all;
  results.dense_weight_chosen_even = chosen.even;
  results.dense_weight_chosen_odd = chosen.odd;

  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  printTable(
    'rag-retrieval: cost (2 shared cores; timings are pessimistic while other work runs)',
    ['ingest_s', 'chunks', 'pages', 'default p50_ms', 'default p99_ms'],
    [[ingestS, chunks.length, kb.stats().pages, p50, p99]],
  );
  return { ...results, ingest_s: ingestS, chunks: chunks.length, p50_ms: p50, p99_ms: p99 };
};
