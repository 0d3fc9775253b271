import { relative } from 'node:path';
import { assistantConfigSchema } from '../src/assistant/config.js';
import { LsaEmbedder } from '../src/assistant/embedders/LsaEmbedder.js';
import { KnowledgeBase } from '../src/assistant/kb/KnowledgeBase.js';
import { Bm25Index } from '../src/assistant/retrieval/Bm25Index.js';
import { printTable, type BenchMain } from './lib.js';
import { pageRank, percentile, RankAccumulator, readQueries } from './rag/retrievalMetrics.js';

/**
 * Retrieval quality and latency of the assistant's hybrid search (BM25 + LSA chunk vectors + LSA page vectors, fused
 * by RRF) against plain BM25 over the same chunks, measured in the same run. Ground truth is page-level: chunks are
 * collapsed to their page before Hit@k / MRR@10. Uses the shipped defaults; nothing is tuned per query set.
 *
 *   npm run bench -- rag-retrieval --data ../shared/datasets/k8s_docs \
 *     --queries ../shared/datasets/k8s_docs/eval/glossary_known_item.jsonl \
 *     --exclude 'content/en/docs/reference/glossary/**'
 */
export const main: BenchMain = async (ctx) => {
  const data = ctx.pathOption('data');
  const queriesFile = ctx.pathOption('queries');
  const exclude = typeof ctx.options.exclude === 'string' ? [ctx.options.exclude] : [];
  // --dims / --seed only exist to show how sensitive the result is to the defaults; reported numbers use defaults.
  const embedderOverrides = {
    ...(ctx.options.dims ? { dimensions: ctx.numberOption('dims', 128) } : {}),
    ...(ctx.options.seed ? { seed: ctx.numberOption('seed', 7) } : {}),
  };
  const config = assistantConfigSchema.parse({ embedder: { kind: 'lsa', ...embedderOverrides } });
  if (config.embedder.kind !== 'lsa') throw new Error('the benchmark measures the default (no-weights) embedder');
  const queries = readQueries(queriesFile);

  const kb = new KnowledgeBase({ config, embedder: new LsaEmbedder(config.embedder) });
  const started = performance.now();
  const report = await kb.ingest({ path: data, baseUrl: 'https://kubernetes.io', exclude });
  const ingestS = (performance.now() - started) / 1000;
  const pages = kb.stats().pages;
  console.log(
    `ingested ${relative(process.cwd(), data) || data}: ${report.added} files, ${report.totalChunks} chunks, ${pages} pages, ` +
      `${report.errors.length} file errors, ${ingestS.toFixed(1)} s (embedder ${kb.embedder.id})`,
  );

  // Textbook BM25 for reference: lower-cased word tokens, no stemming, no stop words, chunk body only (no title or
  // headings), same k1/b, same chunks. The `BM25 (same chunks)` baseline is the assistant's own lexical half.
  const chunks = kb.allChunks();
  const plain = new Bm25Index(config.retrieval.bm25K1, config.retrieval.bm25B, (t) => t.toLowerCase().match(/[a-z0-9]+/g) ?? []);
  plain.build(chunks.map((c) => c.text));

  const fields = [...new Set(queries.flatMap((q) => Object.keys(q.questions)))];
  const hybridAll = new RankAccumulator();
  const bm25All = new RankAccumulator();
  const plainAll = new RankAccumulator();
  const latencies: number[] = [];
  const rows: Array<Array<string | number>> = [];
  const results: Record<string, number> = {};
  const depth = 50;

  for (const field of fields) {
    const hybrid = new RankAccumulator();
    const bm25 = new RankAccumulator();
    const plainField = new RankAccumulator();
    for (const q of queries) {
      const text = q.questions[field];
      if (!text) continue;
      const t = performance.now();
      const hits = await kb.search(text, depth);
      latencies.push(performance.now() - t);
      const rank = pageRank(hits.map((h) => h.chunk.path), q.relevant);
      hybrid.add(rank);
      hybridAll.add(rank);
      const lexical = pageRank(kb.lexical(text, depth).map((h) => h.chunk.path), q.relevant);
      bm25.add(lexical);
      bm25All.add(lexical);
      const textbook = pageRank(plain.search(text, depth).map((h) => chunks[h.index]!.path), q.relevant);
      plainField.add(textbook);
      plainAll.add(textbook);
    }
    const p = plainField.result();
    rows.push([field, hybrid.count, 'textbook BM25 (reference)', p.hit1, p.hit5, p.mrr]);
    results[`${field}_plain_bm25_hit5`] = p.hit5;
    const h = hybrid.result();
    const b = bm25.result();
    rows.push([field, hybrid.count, 'BM25 (same chunks)', b.hit1, b.hit5, b.mrr]);
    rows.push([field, hybrid.count, 'hybrid (default)', h.hit1, h.hit5, h.mrr]);
    rows.push([field, hybrid.count, 'hybrid - BM25', h.hit1 - b.hit1, h.hit5 - b.hit5, h.mrr - b.mrr]);
    results[`${field}_hit1`] = h.hit1;
    results[`${field}_hit5`] = h.hit5;
    results[`${field}_mrr`] = h.mrr;
    results[`${field}_bm25_hit1`] = b.hit1;
    results[`${field}_bm25_hit5`] = b.hit5;
    results[`${field}_bm25_mrr`] = b.mrr;
  }
  const h = hybridAll.result();
  const b = bm25All.result();
  const pa = plainAll.result();
  rows.push(['all fields', hybridAll.count, 'textbook BM25 (reference)', pa.hit1, pa.hit5, pa.mrr]);
  rows.push(['all fields', hybridAll.count, 'BM25 (same chunks)', b.hit1, b.hit5, b.mrr]);
  rows.push(['all fields', hybridAll.count, 'hybrid (default)', h.hit1, h.hit5, h.mrr]);
  printTable('rag-retrieval: page-level Hit@1 / Hit@5 / MRR@10', ['questions', 'n', 'method', 'hit1', 'hit5', 'mrr'], rows);

  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  printTable(
    'rag-retrieval: cost (2 shared cores; timings are pessimistic while other work runs)',
    ['ingest_s', 'chunks', 'pages', 'hybrid p50_ms', 'hybrid p99_ms'],
    [[ingestS, report.totalChunks, pages, p50, p99]],
  );
  return {
    ...results,
    hit1: h.hit1,
    hit5: h.hit5,
    mrr: h.mrr,
    bm25_hit1: b.hit1,
    bm25_hit5: b.hit5,
    bm25_mrr: b.mrr,
    plain_bm25_hit5: pa.hit5,
    ingest_s: ingestS,
    chunks: report.totalChunks,
    p50_ms: p50,
    p99_ms: p99,
  };
};
