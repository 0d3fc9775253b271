import { assistantConfigSchema } from '../src/assistant/config.js';
import { LsaEmbedder } from '../src/assistant/embedders/LsaEmbedder.js';
import { indexedText, type Chunk } from '../src/assistant/kb/Chunk.js';
import { splitLong } from '../src/assistant/kb/chunkDocument.js';
import { readSourceFolder } from '../src/assistant/kb/readSourceFolder.js';
import { ExactVectorIndex } from '../src/assistant/retrieval/ExactVectorIndex.js';
import { HnswVectorIndex } from '../src/assistant/retrieval/HnswVectorIndex.js';
import { KnowledgeIndex } from '../src/assistant/retrieval/KnowledgeIndex.js';
import { printTable, sharedDatasets, type BenchMain } from './lib.js';
import { percentile } from './rag/retrievalMetrics.js';

/**
 * The curve of the retrieval's cost and the vector index's recall as the collection grows (10k, 100k, 300k chunks by
 * default, `--sizes 10000,1000000` for others). Real text, not random vectors: the k8s docs are cut into short overlapping
 * windows until there are --chunks of them, embedded with the default LSA embedder fitted on the regular chunks.
 * Queries are other windows' text (held out of nothing: they are questions phrased as passages) plus every
 * documentation page title. Recall@10 compares HNSW with exact search on the same vectors; latency is measured for
 * the ANN alone and for the whole hybrid search (BM25 + ANN + page vectors + fusion).
 *
 *   npm run bench -- rag-scale [--data ../shared/datasets/k8s_docs] [--sizes 10000,100000,300000] [--queries 500]
 */
export const main: BenchMain = async (ctx) => {
  const data = ctx.pathOption('data', `${sharedDatasets}/k8s_docs`);
  const sizes =
    typeof ctx.options.sizes === 'string'
      ? ctx.options.sizes.split(',').map((s) => Number(s.trim()))
      : ctx.options.chunks
        ? [ctx.numberOption('chunks', 100_000)]
        : [10_000, 100_000, 300_000];
  if (sizes.some((n) => !Number.isInteger(n) || n < 1000)) throw new Error('--sizes: comma-separated chunk counts >= 1000');
  const queryCount = ctx.numberOption('queries', 500);
  const config = assistantConfigSchema.parse({});
  if (config.embedder.kind !== 'lsa') throw new Error('the benchmark measures the default embedder');

  const read = readSourceFolder({ path: data }, config.ingest, config.chunking);
  const base = read.files.flatMap((f) => f.chunks);
  const embedder = new LsaEmbedder(config.embedder);
  await embedder.fit(base.map(indexedText));

  const results: Record<string, number> = {};
  const curve: Array<Array<string | number>> = [];
  for (const target of sizes) {
    const r = await measureSize(target, base, embedder, config, queryCount);
    curve.push([r.chunks, r.recall10, r.recall10Ties, r.annP99, r.bm25P99, r.hybridP50, r.hybridP99, r.buildS, r.rssMb]);
    const k = `${Math.round(target / 1000)}k`;
    results[`${k}_recall10`] = r.recall10;
    results[`${k}_recall10_ties`] = r.recall10Ties;
    results[`${k}_p99_ms`] = r.hybridP99;
    results[`${k}_ann_p99_ms`] = r.annP99;
    results[`${k}_bm25_p99_ms`] = r.bm25P99;
    results[`${k}_build_s`] = r.buildS;
    results[`${k}_rss_mb`] = r.rssMb;
    if (sizes.length === 1 || target === 100_000) Object.assign(results, { chunks: r.chunks, recall10: r.recall10, p50_ms: r.hybridP50, p99_ms: r.hybridP99 });
    global.gc?.();
  }
  printTable(
    `rag-scale: the curve, ${queryCount} queries per size, k=10, HNSW M=${config.retrieval.hnswConnectivity} efC=${config.retrieval.hnswExpansionAdd} ef=${config.retrieval.hnswExpansionSearch} (2 shared cores: pessimistic timings)`,
    ['chunks', 'recall@10', 'recall@10 ties', 'ann p99_ms', 'bm25 p99_ms', 'hybrid p50_ms', 'hybrid p99_ms', 'hnsw build_s', 'rss MB'],
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
  hybridP50: number;
  hybridP99: number;
  buildS: number;
  rssMb: number;
}

/**
 * One point of the curve. recall@10 counts the exact top-10 keys the ANN returned; "ties" also counts an ANN hit whose
 * similarity is at least the exact 10th one: at 300k windows many are near-duplicates of each other (overlapping
 * 80-character windows), and which of several equal vectors is returned does not matter to a reader.
 */
async function measureSize(
  target: number,
  base: Chunk[],
  embedder: LsaEmbedder,
  config: ReturnType<typeof assistantConfigSchema.parse>,
  queryCount: number,
): Promise<SizeResult> {
  // Window size chosen so the corpus yields about `target` windows.
  const totalChars = base.reduce((s, c) => s + c.text.length, 0);
  const step = Math.max(40, Math.floor(totalChars / target));
  const chunks: Chunk[] = [];
  for (const c of base) {
    for (const piece of splitLong(c.text, step * 2, step)) {
      if (chunks.length >= target) break;
      chunks.push({ ...c, id: `${c.id}/${chunks.length}`, text: piece });
    }
  }
  for (let i = 0; chunks.length < target; i++) {
    const c = base[i % base.length]!;
    chunks.push({ ...c, id: `${c.id}/dup${i}`, text: `${c.text} (${i})` });
  }
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
  const buildStart = performance.now();
  const hnsw = HnswVectorIndex.build(vectors, dims, params);
  const buildS = (performance.now() - buildStart) / 1000;
  const exact = new ExactVectorIndex(vectors, dims);

  // Queries: page titles and a stride of window texts, deterministic.
  const titles = [...new Set(base.map((c) => c.title))];
  const queries: string[] = [];
  for (let i = 0; queries.length < queryCount / 2 && i < titles.length; i += Math.max(1, Math.floor(titles.length / (queryCount / 2)))) {
    queries.push(titles[i]!);
  }
  for (let i = 7; queries.length < queryCount; i += Math.floor(chunks.length / (queryCount / 2))) {
    queries.push(chunks[i % chunks.length]!.text.slice(0, 160));
  }

  let recallSum = 0;
  let tiesSum = 0;
  const annMs: number[] = [];
  for (const q of queries) {
    const qv = await embedder.embedQuery(q);
    const t = performance.now();
    const approx = hnsw.search(qv, 10);
    annMs.push(performance.now() - t);
    const truth = exact.search(qv, 10);
    const truthSet = new Set(truth.map((h) => h.index));
    const tenth = truth.at(-1)?.score ?? -Infinity;
    recallSum += approx.filter((h) => truthSet.has(h.index)).length / Math.max(1, truth.length);
    tiesSum += Math.min(truth.length, approx.filter((h) => truthSet.has(h.index) || h.score >= tenth - 1e-6).length) / Math.max(1, truth.length);
  }

  const index = new KnowledgeIndex(chunks, vectors, dims, embedder, config.retrieval, hnsw);
  const hybridMs: number[] = [];
  const bm25Ms: number[] = [];
  for (const q of queries) {
    let t = performance.now();
    await index.search(q, config.retrieval.topK);
    hybridMs.push(performance.now() - t);
    t = performance.now();
    index.bm25f.search(index.analyzer.analyze(q).terms, config.retrieval.candidates);
    bm25Ms.push(performance.now() - t);
  }
  global.gc?.();
  return {
    chunks: chunks.length,
    recall10: recallSum / queries.length,
    recall10Ties: tiesSum / queries.length,
    annP99: percentile(annMs, 99),
    bm25P99: percentile(bm25Ms, 99),
    hybridP50: percentile(hybridMs, 50),
    hybridP99: percentile(hybridMs, 99),
    buildS,
    rssMb: process.memoryUsage().rss / 1024 / 1024,
  };
}
