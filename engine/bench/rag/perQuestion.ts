/**
 * Per-question ranks of the right page at several dense weights, with query-level signals (lexical score shape, term
 * IDFs), over every development set: the data for judging a per-query dense weight. Writes JSON lines to stdout.
 *   node --import tsx bench/rag/perQuestion.ts ../shared/datasets/k8s_docs > /tmp/perq.jsonl
 */
import { join } from 'node:path';
import { assistantConfigSchema } from '../../src/assistant/config.js';
import { LsaEmbedder } from '../../src/assistant/embedders/LsaEmbedder.js';
import { indexedText } from '../../src/assistant/kb/Chunk.js';
import { KnowledgeBase } from '../../src/assistant/kb/KnowledgeBase.js';
import { KnowledgeIndex, type TuningChange } from '../../src/assistant/retrieval/KnowledgeIndex.js';
import { BENCH_EXCLUDE, readEvalSets } from './evaluateRetrieval.js';

const [data = '../shared/datasets/k8s_docs'] = process.argv.slice(2);
const sets = [
  ...readEvalSets(join(data, 'eval')),
  ...readEvalSets(new URL('./authored-questions', import.meta.url).pathname),
];
const config = assistantConfigSchema.parse({ embedder: { kind: 'lsa' } });
if (config.embedder.kind !== 'lsa') throw new Error('lsa');
const embedder = new LsaEmbedder(config.embedder);
const kb = new KnowledgeBase({ config, embedder });
await kb.ingest({ path: data, baseUrl: 'https://kubernetes.io', exclude: BENCH_EXCLUDE });
const chunks = [...kb.allChunks()];
const vectors = new Float32Array(chunks.length * embedder.dimensions);
(await embedder.embedDocuments(chunks.map(indexedText))).forEach((v, i) =>
  vectors.set(v, i * embedder.dimensions),
);
const index = new KnowledgeIndex(chunks, vectors, embedder.dimensions, embedder, config.retrieval);
// TUNINGS: a JSON array of tuning changes, one rank per question for each (default: dense weights 0 to 1).
const tunings = JSON.parse(
  process.env.TUNINGS ?? JSON.stringify([0, 0.125, 0.25, 0.5, 1].map((w) => ({ denseWeight: w }))),
) as TuningChange[];
const views = tunings.map((t) => index.withTuning(t));
const rankOf = (paths: string[], relevant: string[]) => {
  const seen: string[] = [];
  for (const p of paths) if (!seen.includes(p)) seen.push(p);
  const r = seen.findIndex((p) => relevant.includes(p));
  return r < 0 ? 99 : r + 1;
};
for (const set of sets) {
  for (const [qi, q] of set.queries.entries()) {
    for (const text of Object.values(q.questions)) {
      const ranks: number[] = [];
      for (const v of views)
        ranks.push(
          rankOf(
            (await v.search(text, 50)).map((h) => h.chunk.path),
            q.relevant,
          ),
        );
      const bm25 = rankOf(
        index.lexical(text, 50).map((h) => h.chunk.path),
        q.relevant,
      );
      const analyzed = index.analyzer.analyze(text);
      const idfs = analyzed.terms.map((t) => index.bm25f.idf(t.term));
      const lex = index.bm25f.search(analyzed.terms, 20);
      const s = lex.map((h) => h.score);
      console.log(
        JSON.stringify({
          set: set.name,
          qi,
          text,
          ranks,
          bm25,
          idfs,
          s: s.slice(0, 10),
          nTerms: analyzed.terms.length,
        }),
      );
    }
  }
}
