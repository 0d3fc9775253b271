/**
 * Dense-part experiments for rag-retrieval: ingests the docs once, then refits the LSA embedder with each variant
 * and scores the default pipeline per development set and half at several dense weights, with the protocol's
 * objective (mean of the Hit@5 and MRR change) against the previous embedder at dense weight 0.5. The query alignment
 * and section-fitted variants measured with it (and rejected) are in commit 2944c54.
 *   node --import tsx bench/rag/denseVariants.ts ../shared/datasets/k8s_docs [variant names...]
 */
import { join } from 'node:path';
import { assistantConfigSchema } from '../../src/assistant/config.js';
import { LsaEmbedder, type LsaOptions } from '../../src/assistant/embedders/LsaEmbedder.js';
import { indexedText } from '../../src/assistant/kb/Chunk.js';
import { KnowledgeBase } from '../../src/assistant/kb/KnowledgeBase.js';
import { KnowledgeIndex } from '../../src/assistant/retrieval/KnowledgeIndex.js';
import { BENCH_EXCLUDE, evaluate, halves, type EvalSet } from './evaluateRetrieval.js';
import { readQueries } from './retrievalMetrics.js';

const [data = '../shared/datasets/k8s_docs', ...args] = process.argv.slice(2);
const only = args;
// 'base' is the previous embedder (log tf, plain U^T x), the reference of the objectives; 'default' is today's.
const VARIANTS: Record<string, Partial<LsaOptions>> = {
  base: { saturation: 0, sigmaPower: 0 },
  default: {},
  'sigma -0.25': { saturation: 0, sigmaPower: -0.25 },
  'sigma -0.5': { saturation: 0, sigmaPower: -0.5 },
  'sigma -1': { saturation: 0, sigmaPower: -1 },
  'sigma 0.5': { saturation: 0, sigmaPower: 0.5 },
  'saturation 0.5': { saturation: 0.5, sigmaPower: 0 },
  'saturation 1.2': { saturation: 1.2, sigmaPower: 0 },
  'saturation 1.2 sigma -0.25': { saturation: 1.2, sigmaPower: -0.25 },
  'saturation 2 sigma -0.5': { saturation: 2, sigmaPower: -0.5 },
  'saturation 0.5 sigma -0.5': { saturation: 0.5, sigmaPower: -0.5 },
};
const sets: EvalSet[] = [
  { name: 'glossary', queries: readQueries(join(data, 'eval', 'glossary_known_item.jsonl')) },
  { name: 'ops', queries: readQueries(join(data, 'eval', 'ops_questions_dev.jsonl')) },
].flatMap((s) => halves(s));
const config = assistantConfigSchema.parse({ embedder: { kind: 'lsa' } });
if (config.embedder.kind !== 'lsa') throw new Error('lsa');
const kb = new KnowledgeBase({ config, embedder: new LsaEmbedder(config.embedder) });
await kb.ingest({ path: data, baseUrl: 'https://kubernetes.io', exclude: BENCH_EXCLUDE });
const chunks = [...kb.allChunks()];
const texts = chunks.map(indexedText);
const paths = (hits: Array<{ chunk: { path: string } }>) => hits.map((h) => h.chunk.path);
let bm25: KnowledgeIndex | undefined;
/** The default's (base, dense weight 0.5, no agreement) scores per half, measured first: objectives are against it. */
const reference = new Map<string, { hit5: number; mrr: number }>();
for (const [name, options] of Object.entries(VARIANTS)) {
  if (only.length && !only.includes(name)) continue;
  const embedder = new LsaEmbedder({ ...config.embedder, ...options });
  const t0 = performance.now();
  await embedder.fit(texts);
  const vectors = new Float32Array(chunks.length * embedder.dimensions);
  (await embedder.embedDocuments(texts)).forEach((v, i) => vectors.set(v, i * embedder.dimensions));
  const fitS = (performance.now() - t0) / 1000;
  const index = new KnowledgeIndex(chunks, vectors, embedder.dimensions, embedder, config.retrieval);
  bm25 ??= index;
  const rows: string[] = [];
  for (const w of [0, 0.25, 0.5, 1]) {
    if (w === 0 && name !== 'base') continue;
    const variant = index.withTuning({ denseWeight: w });
    const cells: string[] = [];
    const objective = new Map<string, number[]>();
    for (const h of sets) {
      const s = await evaluate(h.queries, async (q) => paths(await variant.search(q, 50)));
      cells.push(`${h.name} ${s.hit5.toFixed(3)}/${s.mrr.toFixed(3)}`);
      if (name === 'base' && w === 0.5) reference.set(h.name, s);
      const r = reference.get(h.name);
      const set = h.name.split('/')[0]!;
      if (r) objective.set(set, [...(objective.get(set) ?? []), (s.hit5 - r.hit5 + s.mrr - r.mrr) / 2]);
    }
    const obj = [...objective].map(
      ([set, v]) =>
        `${set} ${((v[0]! + v[1]!) / 2).toFixed(4)} (halves ${v.map((x) => x.toFixed(3)).join(', ')})`,
    );
    rows.push(`  w=${w}: ${cells.join('  ')}\n        objective vs default: ${obj.join('; ')}`);
  }
  console.log(`${name} (fit+embed ${fitS.toFixed(1)} s)\n${rows.join('\n')}`);
}
