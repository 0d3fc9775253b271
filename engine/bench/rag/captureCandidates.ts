/**
 * Reranker experiments, step 1: ingests the docs once and records, for each question of both development sets (and
 * for pseudo-queries made from the corpus: a page's section heading or the first sentence of a section, target its
 * page), the first-stage candidates the reranker sees: fused score (and its lexical and dense parts), every
 * registered feature's value, kind, path.
 * Weights are then fitted and evaluated offline (bench/rag/rerankOffline.ts) without re-running the search.
 *   node --import tsx bench/rag/captureCandidates.ts ../shared/datasets/k8s_docs /tmp/capture.json [pseudo-queries, 1500]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assistantConfigSchema } from '../../src/assistant/config.js';
import { LsaEmbedder } from '../../src/assistant/embedders/LsaEmbedder.js';
import { indexedText, type Chunk } from '../../src/assistant/kb/Chunk.js';
import { KnowledgeBase } from '../../src/assistant/kb/KnowledgeBase.js';
import { KnowledgeIndex } from '../../src/assistant/retrieval/KnowledgeIndex.js';
import { PageReranker } from '../../src/assistant/retrieval/rerank/PageReranker.js';
import { RERANK_FEATURES } from '../../src/assistant/retrieval/rerank/rerankFeatures.js';
import type { RerankCandidate, RerankQuery } from '../../src/assistant/retrieval/rerank/RerankFeature.js';
import { BENCH_EXCLUDE } from './evaluateRetrieval.js';
import { readQueries } from './retrievalMetrics.js';

const [data = '../shared/datasets/k8s_docs', out = '/tmp/capture.json', pseudoCount = '1500'] =
  process.argv.slice(2);
const config = assistantConfigSchema.parse({ embedder: { kind: 'lsa' } });
if (config.embedder.kind !== 'lsa') throw new Error('lsa');
const embedder = new LsaEmbedder(config.embedder);
const kb = new KnowledgeBase({ config, embedder });
await kb.ingest({
  path: data,
  baseUrl: 'https://kubernetes.io',
  exclude: BENCH_EXCLUDE,
});
const chunks = [...kb.allChunks()];
const vectors = new Float32Array(chunks.length * embedder.dimensions);
(await embedder.embedDocuments(chunks.map(indexedText))).forEach((v, i) =>
  vectors.set(v, i * embedder.dimensions),
);
const index = new KnowledgeIndex(chunks, vectors, embedder.dimensions, embedder, config.retrieval);
// The fused score is the sum of the lexical list's and the dense lists' RRF terms; with the reranker off, a search's
// page score is that sum, so these two indexes give each candidate's lexical and dense parts.
const off = Object.fromEntries(RERANK_FEATURES.map((f) => [f.name, 0]));
const lexicalOnly = index.withTuning({ denseWeight: 0, rerank: off });
const denseOnly = index.withTuning({ lexicalWeight: 0, rerank: off });
const pageScores = async (ix: KnowledgeIndex, text: string) => {
  const out = new Map<string, number>();
  for (const h of await ix.search(text, 200)) if (!out.has(h.chunk.path)) out.set(h.chunk.path, h.score);
  return out;
};
const pageChunks = (index as unknown as { pageChunks: number[][] }).pageChunks;
const pathOf = (p: number) => chunks[pageChunks[p]![0]!]!.path;

interface Captured {
  terms: string[];
  idf: number[];
  phrases: string[];
  cands: Array<{
    path: string;
    score: number;
    lex: number;
    dense: number;
    kind: string;
    title: string[];
    headings: string;
    f: number[];
  }>;
}
let last: Captured | undefined;
const original = PageReranker.prototype.rerank;
PageReranker.prototype.rerank = function (
  this: PageReranker,
  q: RerankQuery,
  fused,
  depth,
  candidate: (p: number) => RerankCandidate,
) {
  last = {
    terms: q.terms,
    idf: q.terms.map((t) => q.idf(t)),
    phrases: q.phrases,
    cands: fused.slice(0, depth).map(({ index: p, score }) => {
      const c = candidate(p);
      return {
        path: pathOf(p),
        score,
        lex: 0,
        dense: 0,
        kind: c.kind,
        title: [...c.titleTerms],
        headings: c.headingText,
        f: RERANK_FEATURES.map((f) => f.score(q, c)),
      };
    }),
  };
  return original.call(this, q, fused, depth, candidate);
};

const records: Array<
  { set: string; half: string; id: string; text: string; relevant: string[]; final: string[] } & Captured
> = [];
async function run(set: string, half: string, id: string, text: string, relevant: string[]) {
  const hits = await index.search(text, 50);
  const final: string[] = [];
  for (const h of hits) if (!final.includes(h.chunk.path)) final.push(h.chunk.path);
  const captured = last!;
  const [lex, dense] = [await pageScores(lexicalOnly, text), await pageScores(denseOnly, text)];
  for (const c of captured.cands) [c.lex, c.dense] = [lex.get(c.path) ?? 0, dense.get(c.path) ?? 0];
  records.push({ set, half, id, text, relevant, final: final.slice(0, 10), ...captured });
}
for (const [set, file] of [
  ['glossary', 'glossary_known_item.jsonl'],
  ['ops', 'ops_questions_dev.jsonl'],
] as const) {
  const qs = readQueries(join(data, 'eval', file));
  for (const [i, q] of qs.entries())
    for (const text of Object.values(q.questions))
      await run(set, i % 2 ? 'odd' : 'even', q.id, text, q.relevant);
}
// Pseudo-queries from the corpus alone: a section's own heading (last part of its path) and the first sentence of a
// section body, cut to 16 words; the target is the page they come from. Deterministic sample (every k-th section).
const sections = chunks.filter(
  (c: Chunk, i) =>
    c.section && (i === 0 || chunks[i - 1]!.section !== c.section || chunks[i - 1]!.path !== c.path),
);
const step = Math.max(1, Math.floor(sections.length / Number(pseudoCount)));
for (let i = 0; i < sections.length; i += step) {
  const c = sections[i]!;
  const heading = c.section.split(' > ').at(-1)!;
  if (heading.split(/\s+/).length >= 2)
    await run('pseudo-heading', i % 2 ? 'odd' : 'even', c.id, heading, [c.path]);
  const sentence = c.text
    .replace(/```[\s\S]*?```/g, ' ')
    .split(/(?<=[.?!])\s/)[0]!
    .split(/\s+/)
    .slice(0, 16)
    .join(' ');
  if (sentence.split(/\s+/).length >= 5)
    await run('pseudo-sentence', i % 2 ? 'odd' : 'even', c.id, sentence, [c.path]);
}
writeFileSync(
  out,
  JSON.stringify({ features: RERANK_FEATURES.map((f) => f.name), weights: index.tuning.rerank, records }),
);
console.log(`${records.length} records -> ${out}`);
