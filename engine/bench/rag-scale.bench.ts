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
 * The vector index at 100,000 chunks. Real text, not random vectors: the k8s docs are cut into short overlapping
 * windows until there are --chunks of them, embedded with the default LSA embedder fitted on the regular chunks.
 * Queries are other windows' text (held out of nothing: they are questions phrased as passages) plus every
 * documentation page title. Recall@10 compares HNSW with exact search on the same vectors; latency is measured for
 * the ANN alone and for the whole hybrid search (BM25 + ANN + page vectors + fusion).
 *
 *   npm run bench -- rag-scale [--data ../shared/datasets/k8s_docs] [--chunks 100000] [--queries 500]
 */
export const main: BenchMain = async (ctx) => {
  const data = ctx.pathOption('data', `${sharedDatasets}/k8s_docs`);
  const target = ctx.numberOption('chunks', 100_000);
  const queryCount = ctx.numberOption('queries', 500);
  const config = assistantConfigSchema.parse({});
  if (config.embedder.kind !== 'lsa') throw new Error('the benchmark measures the default embedder');
  const rssBefore = process.memoryUsage().rss;

  const read = readSourceFolder({ path: data }, config.ingest, config.chunking);
  const base = read.files.flatMap((f) => f.chunks);
  const embedder = new LsaEmbedder(config.embedder);
  await embedder.fit(base.map(indexedText));

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
  const texts = chunks.map(indexedText);
  const dims = embedder.dimensions;
  const vectors = new Float32Array(chunks.length * dims);
  (await embedder.embedDocuments(texts)).forEach((v, i) => vectors.set(v, i * dims));

  const params = {
    connectivity: config.retrieval.hnswConnectivity,
    expansionAdd: config.retrieval.hnswExpansionAdd,
    expansionSearch: config.retrieval.hnswExpansionSearch,
  };
  const buildStart = performance.now();
  const hnsw = HnswVectorIndex.build(vectors, dims, params);
  const buildS = (performance.now() - buildStart) / 1000;
  const serialized = hnsw.serialize();
  const loadStart = performance.now();
  const reloaded = HnswVectorIndex.deserialize(serialized, dims, params);
  const loadS = (performance.now() - loadStart) / 1000;
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
  const annMs: number[] = [];
  const exactMs: number[] = [];
  for (const q of queries) {
    const qv = await embedder.embedQuery(q);
    let t = performance.now();
    const approx = reloaded.search(qv, 10);
    annMs.push(performance.now() - t);
    t = performance.now();
    const truth = exact.search(qv, 10);
    exactMs.push(performance.now() - t);
    const truthSet = new Set(truth.map((h) => h.index));
    recallSum += approx.filter((h) => truthSet.has(h.index)).length / Math.max(1, truth.length);
  }
  const recall10 = recallSum / queries.length;

  const indexStart = performance.now();
  const index = new KnowledgeIndex(chunks, vectors, dims, embedder, config.retrieval, reloaded);
  const bm25BuildS = (performance.now() - indexStart) / 1000;
  const hybridMs: number[] = [];
  const bm25Ms: number[] = [];
  for (const q of queries) {
    let t = performance.now();
    await index.search(q, config.retrieval.topK);
    hybridMs.push(performance.now() - t);
    t = performance.now();
    index.lexical(q, config.retrieval.candidates);
    bm25Ms.push(performance.now() - t);
  }
  global.gc?.();
  const rssMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
  const rssTotalMb = process.memoryUsage().rss / 1024 / 1024;

  printTable(
    `rag-scale: ${chunks.length} chunks x ${dims} dims, ${queries.length} queries, k=10 (2 shared cores: pessimistic timings)`,
    ['search', 'recall@10', 'p50_ms', 'p99_ms'],
    [
      ['exact (baseline)', 1, percentile(exactMs, 50), percentile(exactMs, 99)],
      [`HNSW M=${params.connectivity} ef=${params.expansionSearch}`, recall10, percentile(annMs, 50), percentile(annMs, 99)],
      ['BM25 alone (100 candidates)', NaN, percentile(bm25Ms, 50), percentile(bm25Ms, 99)],
      ['hybrid search (BM25+HNSW+pages+RRF)', NaN, percentile(hybridMs, 50), percentile(hybridMs, 99)],
    ],
  );
  printTable('rag-scale: build and memory', ['hnsw build_s', 'hnsw load_s', 'graph MB', 'bm25+pages build_s', 'rss growth MB', 'rss MB'], [
    [buildS, loadS, serialized.length / 1024 / 1024, bm25BuildS, rssMb, rssTotalMb],
  ]);
  return {
    chunks: chunks.length,
    recall10,
    p50_ms: percentile(hybridMs, 50),
    p99_ms: percentile(hybridMs, 99),
    ann_p50_ms: percentile(annMs, 50),
    ann_p99_ms: percentile(annMs, 99),
    bm25_p99_ms: percentile(bm25Ms, 99),
    exact_p99_ms: percentile(exactMs, 99),
    build_s: buildS,
    load_s: loadS,
    rss_mb: rssTotalMb,
  };
};
