import { exactSearch, MetricKind, type BatchMatches } from 'usearch';
import { assistantConfigSchema } from '../src/assistant/config.js';
import { LsaEmbedder } from '../src/assistant/embedders/LsaEmbedder.js';
import { indexedText, type Chunk } from '../src/assistant/kb/Chunk.js';
import { splitLong } from '../src/assistant/kb/chunkDocument.js';
import { readSourceFolder } from '../src/assistant/kb/readSourceFolder.js';
import { HnswVectorIndex, scaledHnswParams } from '../src/assistant/retrieval/HnswVectorIndex.js';
import { KnowledgeIndex } from '../src/assistant/retrieval/KnowledgeIndex.js';
import { printTable, sharedDatasets, type BenchMain } from './lib.js';
import { percentile } from './rag/retrievalMetrics.js';
import { seededRandom } from '../src/util/seededRandom.js';

/**
 * The curve of the retrieval's cost and the vector index's recall as the collection grows (10k, 100k, 300k, 1M chunks
 * by default, `--sizes 10000,100000` for others). Real text, not random vectors: the k8s docs are cut into short
 * overlapping windows (and pairs of windows beyond 190k, see syntheticChunks) until there are --chunks of them, embedded with the default LSA embedder fitted on the regular chunks.
 * Queries are other windows' text (held out of nothing: they are questions phrased as passages) plus every
 * documentation page title. Recall@10 compares HNSW with exact search on the same vectors; latency is measured for
 * the ANN alone and for the whole hybrid search (BM25 + ANN + page vectors + fusion).
 *
 * `--warmup` other queries (20 by default) are answered first and not measured, so the p99 is the steady state's,
 * not the JIT compilation of the search path.
 *
 *   npm run bench -- rag-scale [--data ../shared/datasets/k8s_docs] [--sizes 10000,100000,300000,1000000] [--queries 500] [--warmup 20]
 */
export const main: BenchMain = async (ctx) => {
  const data = ctx.pathOption('data', `${sharedDatasets}/k8s_docs`);
  const sizes =
    typeof ctx.options.sizes === 'string'
      ? ctx.options.sizes.split(',').map((s) => Number(s.trim()))
      : ctx.options.chunks
        ? [ctx.numberOption('chunks', 100_000)]
        : [10_000, 100_000, 300_000, 1_000_000];
  if (sizes.some((n) => !Number.isInteger(n) || n < 1000))
    throw new Error('--sizes: comma-separated chunk counts >= 1000');
  const queryCount = ctx.numberOption('queries', 500);
  const warmup = ctx.numberOption('warmup', 20);
  const config = assistantConfigSchema.parse({});
  if (config.embedder.kind !== 'lsa') throw new Error('the benchmark measures the default embedder');

  const read = readSourceFolder({ path: data }, config.ingest, config.chunking);
  const base = read.files.flatMap((f) => f.chunks);
  const embedder = new LsaEmbedder(config.embedder);
  await embedder.fit(base.map(indexedText));

  const results: Record<string, number> = {};
  const curve: Array<Array<string | number>> = [];
  for (const target of sizes) {
    const r = await measureSize(target, base, embedder, config, queryCount, warmup);
    curve.push([
      r.chunks,
      `${r.m}/${r.ef}`,
      r.recall10,
      r.recall10Ties,
      r.annP99,
      `${r.exhaustiveP50.toFixed(2)} / ${r.exhaustiveP99.toFixed(2)}`,
      `${r.bm25P50.toFixed(2)} / ${r.bm25P99.toFixed(2)}`,
      r.bm25Agree,
      r.hybridP50,
      r.hybridP99,
      r.hybridCpuP99,
      r.buildS,
      r.rssMb,
    ]);
    const k = `${Math.round(target / 1000)}k`;
    results[`${k}_recall10`] = r.recall10;
    results[`${k}_recall10_ties`] = r.recall10Ties;
    results[`${k}_p50_ms`] = r.hybridP50;
    results[`${k}_p99_ms`] = r.hybridP99;
    results[`${k}_ann_p99_ms`] = r.annP99;
    results[`${k}_bm25_p99_ms`] = r.bm25P99;
    results[`${k}_bm25_exhaustive_p99_ms`] = r.exhaustiveP99;
    results[`${k}_bm25_pruned_agree`] = r.bm25Agree;
    results[`${k}_cpu_p99_ms`] = r.hybridCpuP99;
    results[`${k}_build_s`] = r.buildS;
    results[`${k}_rss_mb`] = r.rssMb;
    if (sizes.length === 1 || target === 100_000)
      Object.assign(results, {
        chunks: r.chunks,
        recall10: r.recall10,
        p50_ms: r.hybridP50,
        p99_ms: r.hybridP99,
      });
    global.gc?.();
  }
  printTable(
    `rag-scale: the curve, ${queryCount} queries per size, k=10, HNSW int8 + exact rescoring, M/ef grown from M=${config.retrieval.hnswConnectivity} ef=${config.retrieval.hnswExpansionSearch} at 10k by M0+4·log10(N/10k), ef0·(1+log2(N/10k)/2) (2 shared cores: pessimistic timings)`,
    [
      'chunks',
      'M/ef',
      'recall@10',
      'recall@10 ties',
      'ann p99_ms',
      'bm25 exhaustive p50/p99',
      'bm25 pruned p50/p99',
      'pruned==exh',
      'hybrid p50_ms',
      'hybrid p99_ms',
      'hybrid cpu p99_ms',
      'hnsw build_s',
      'rss MB',
    ],
    curve,
  );
  return results;
};

interface SizeResult {
  chunks: number;
  recall10: number;
  recall10Ties: number;
  annP99: number;
  bm25P99: number;
  bm25P50: number;
  exhaustiveP99: number;
  exhaustiveP50: number;
  /** Share of queries whose pruned BM25F top list equals the exhaustive one exactly (documents and scores). */
  bm25Agree: number;
  hybridCpuP99: number;
  hybridP50: number;
  hybridP99: number;
  buildS: number;
  m: number;
  ef: number;
  rssMb: number;
}

/**
 * One point of the curve. recall@10 counts the exact top-10 keys the ANN returned; "ties" also counts an ANN hit whose
 * similarity is at least the exact 10th one: at 300k windows many are near-duplicates of each other (overlapping
 * 80-character windows), and which of several equal vectors is returned does not matter to a reader.
 */
/** Progress on stderr: a 1M point takes many minutes on a busy machine. */
const log = (message: string) =>
  console.error(`[rag-scale ${new Date().toISOString().slice(11, 19)}] ${message}`);

async function measureSize(
  target: number,
  base: Chunk[],
  embedder: LsaEmbedder,
  config: ReturnType<typeof assistantConfigSchema.parse>,
  queryCount: number,
  warmup: number,
): Promise<SizeResult> {
  const chunks = syntheticChunks(base, target);
  const dims = embedder.dimensions;
  const vectors = new Float32Array(chunks.length * dims);
  for (let start = 0; start < chunks.length; start += 10_000) {
    const part = chunks.slice(start, start + 10_000).map(indexedText);
    (await embedder.embedDocuments(part)).forEach((v, i) => vectors.set(v, (start + i) * dims));
  }
  const params = {
    connectivity: config.retrieval.hnswConnectivity,
    expansionAdd: config.retrieval.hnswExpansionAdd,
    expansionSearch: config.retrieval.hnswExpansionSearch,
  };
  const scaled = scaledHnswParams(params, chunks.length);
  log(`${target}: ${chunks.length} chunks embedded`);
  const buildStart = performance.now();
  const hnsw = HnswVectorIndex.build(vectors, dims, params);
  const buildS = (performance.now() - buildStart) / 1000;

  // Queries: page titles and a stride of window texts, deterministic.
  const titles = [...new Set(base.map((c) => c.title))];
  const queries: string[] = [];
  for (
    let i = 0;
    queries.length < queryCount / 2 && i < titles.length;
    i += Math.max(1, Math.floor(titles.length / (queryCount / 2)))
  ) {
    queries.push(titles[i]!);
  }
  for (let i = 7; queries.length < queryCount; i += Math.floor(chunks.length / (queryCount / 2))) {
    queries.push(chunks[i % chunks.length]!.text.slice(0, 160));
  }

  // Warm-up: other titles and windows, answered before the measured ones (not measured). Without it the first
  // measured queries carried the JIT compilation of the search path: at 1M the six slowest CPU times (22-45 ms) were
  // queries 0, 1, 3, 4, 19 and 37, title queries costing 1-2 ms in BM25 and in the ANN.
  const asked = new Set(queries);
  const warmQueries: string[] = [];
  for (let i = 1; warmQueries.length < warmup / 2 && i < titles.length; i += 7)
    if (!asked.has(titles[i]!)) warmQueries.push(titles[i]!);
  for (let i = 3; warmQueries.length < warmup; i += 7919)
    warmQueries.push(chunks[i % chunks.length]!.text.slice(0, 160));

  // Ground truth by usearch's exact (SIMD, native) scan, one batch: a JavaScript scan of 1M rows per query would take
  // minutes on a busy machine. Its keys are then scored by the same float32 dot product the index rescores with.
  const queryVectors = new Float32Array(queries.length * dims);
  for (let i = 0; i < queries.length; i++) queryVectors.set(await embedder.embedQuery(queries[i]!), i * dims);
  const truthBatch = exactSearch(vectors, queryVectors, dims, 10, MetricKind.IP, 0) as BatchMatches;
  let recallSum = 0;
  let tiesSum = 0;
  const annMs: number[] = [];
  for (const q of warmQueries) hnsw.search(await embedder.embedQuery(q), 10);
  for (let qi = 0; qi < queries.length; qi++) {
    const qv = queryVectors.subarray(qi * dims, (qi + 1) * dims);
    const t = performance.now();
    const approx = hnsw.search(qv, 10);
    annMs.push(performance.now() - t);
    const truth = [...truthBatch.get(qi).keys]
      .map((key) => ({ index: Number(key), score: dot(vectors, Number(key), qv, dims) }))
      .sort((a, b) => b.score - a.score);
    const truthSet = new Set(truth.map((h) => h.index));
    const tenth = truth.at(-1)?.score ?? -Infinity;
    recallSum += approx.filter((h) => truthSet.has(h.index)).length / Math.max(1, truth.length);
    tiesSum +=
      Math.min(truth.length, approx.filter((h) => truthSet.has(h.index) || h.score >= tenth - 1e-6).length) /
      Math.max(1, truth.length);
  }

  log(`${target}: HNSW built in ${buildS.toFixed(1)} s, recall measured`);
  const index = new KnowledgeIndex(chunks, vectors, dims, embedder, config.retrieval, hnsw);
  log(`${target}: knowledge index built`);
  const hybridMs: number[] = [];
  const hybridCpuMs: number[] = [];
  const bm25Ms: number[] = [];
  const exhaustiveMs: number[] = [];
  let warmCpuMax = 0;
  for (const q of warmQueries) {
    const cpu = process.cpuUsage();
    await index.search(q, config.retrieval.topK);
    const used = process.cpuUsage(cpu);
    warmCpuMax = Math.max(warmCpuMax, (used.user + used.system) / 1000);
    const terms = index.analyzer.analyze(q).terms;
    index.bm25f.search(terms, 2 * config.retrieval.candidates);
    index.bm25f.searchExhaustive(terms, 2 * config.retrieval.candidates);
  }
  if (warmQueries.length)
    log(`${target}: ${warmQueries.length} warm-up queries, the slowest ${warmCpuMax.toFixed(1)} ms of CPU`);
  let agree = 0;
  const tail: Array<{
    index: number;
    query: string;
    cpu: number;
    bm25: number;
    ann: number;
    terms: number;
    postings: number;
  }> = [];
  for (const [qi, q] of queries.entries()) {
    let t = performance.now();
    const cpu = process.cpuUsage();
    await index.search(q, config.retrieval.topK);
    hybridMs.push(performance.now() - t);
    const used = process.cpuUsage(cpu);
    hybridCpuMs.push((used.user + used.system) / 1000);
    // The lexical first stage as the hybrid search calls it (2 x candidates passages), pruned and exhaustive.
    const terms = index.analyzer.analyze(q).terms;
    t = performance.now();
    const pruned = index.bm25f.search(terms, 2 * config.retrieval.candidates);
    bm25Ms.push(performance.now() - t);
    t = performance.now();
    const exhaustive = index.bm25f.searchExhaustive(terms, 2 * config.retrieval.candidates);
    exhaustiveMs.push(performance.now() - t);
    agree += +(JSON.stringify(pruned) === JSON.stringify(exhaustive));
    const postings = terms.reduce((sum, t) => sum + index.bm25f.docFreq(t.term), 0);
    tail.push({
      index: qi,
      query: q.slice(0, 40),
      cpu: hybridCpuMs.at(-1)!,
      bm25: bm25Ms.at(-1)!,
      ann: annMs[qi]!,
      terms: terms.length,
      postings,
    });
  }
  // The queries behind the p99: what they ask of the lexical stage (terms, postings read by an exhaustive scorer)
  // and what each stage took for them, to see which one makes the tail.
  for (const t of tail.sort((a, b) => b.cpu - a.cpu).slice(0, 6)) {
    log(
      `${target} slow: #${t.index}, cpu ${t.cpu.toFixed(1)} ms, bm25 ${t.bm25.toFixed(1)} ms, ann ${t.ann.toFixed(1)} ms, ${t.terms} terms, ${t.postings} postings: ${JSON.stringify(t.query)}`,
    );
  }
  global.gc?.();
  return {
    chunks: chunks.length,
    recall10: recallSum / queries.length,
    recall10Ties: tiesSum / queries.length,
    annP99: percentile(annMs, 99),
    bm25P99: percentile(bm25Ms, 99),
    bm25P50: percentile(bm25Ms, 50),
    exhaustiveP99: percentile(exhaustiveMs, 99),
    exhaustiveP50: percentile(exhaustiveMs, 50),
    bm25Agree: agree / queries.length,
    hybridCpuP99: percentile(hybridCpuMs, 99),
    hybridP50: percentile(hybridMs, 50),
    hybridP99: percentile(hybridMs, 99),
    buildS,
    m: scaled.connectivity,
    ef: scaled.expansionSearch,
    rssMb: process.memoryUsage().rss / 1024 / 1024,
  };
}

/**
 * `target` distinct chunks from the real docs: overlapping windows (two steps long) with the step chosen so the corpus
 * yields about `target` of them, at least 40 characters; beyond what 40-character steps give (about 190k windows from
 * the 7.5M characters of the k8s docs), each further chunk joins two windows of different pages picked by a seeded
 * generator. Earlier runs filled the rest with copies of whole chunks ("text (i)", whose number is not in the LSA
 * vocabulary): identical vectors whose order among themselves is arbitrary, which made strict recall@10 meaningless
 * from 300k on.
 */
export function syntheticChunks(base: Chunk[], target: number): Chunk[] {
  const totalChars = base.reduce((s, c) => s + c.text.length, 0);
  const step = Math.max(40, Math.floor(totalChars / target));
  const chunks: Chunk[] = [];
  for (const c of base) {
    for (const piece of splitLong(c.text, step * 2, step)) {
      if (chunks.length >= target) break;
      chunks.push({ ...c, id: `${c.id}/${chunks.length}`, text: piece });
    }
  }
  const windows = chunks.length;
  const random = seededRandom(17);
  while (chunks.length < target) {
    const a = chunks[Math.floor(random() * windows)]!;
    const b = chunks[Math.floor(random() * windows)]!;
    if (a.path === b.path) continue;
    chunks.push({ ...a, id: `${a.id}+${chunks.length}`, text: `${a.text} ${b.text}` });
  }
  return chunks;
}

/** Row `row` of `vectors` dotted with `query`, rounded to float32 as HnswVectorIndex's rescoring does. */
function dot(vectors: Float32Array, row: number, query: Float32Array, dims: number): number {
  let s = 0;
  for (let d = 0, o = row * dims; d < dims; d++) s += vectors[o + d]! * query[d]!;
  return Math.fround(s);
}
