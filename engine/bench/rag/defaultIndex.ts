import { join } from 'node:path';
import { assistantConfigSchema } from '../../src/assistant/config.js';
import { LsaEmbedder } from '../../src/assistant/embedders/LsaEmbedder.js';
import { indexedText } from '../../src/assistant/kb/Chunk.js';
import { KnowledgeBase } from '../../src/assistant/kb/KnowledgeBase.js';
import { KnowledgeIndex } from '../../src/assistant/retrieval/KnowledgeIndex.js';
import { BENCH_EXCLUDE, readEvalSets, type EvalSet } from './evaluateRetrieval.js';

/**
 * The default pipeline's index over a docs data set, built the way rag-retrieval builds it (glossary and eval files
 * left out, the no-weights LSA embedder), with every development question set: the data set's `eval/` sets and the
 * authored set beside this file. For the experiment scripts that score tuning changes on all of them.
 */
export async function defaultIndex(data: string): Promise<{ index: KnowledgeIndex; sets: EvalSet[] }> {
  const sets = [
    ...readEvalSets(join(data, 'eval')),
    ...readEvalSets(new URL('./authored-questions', import.meta.url).pathname),
  ];
  const config = assistantConfigSchema.parse({ embedder: { kind: 'lsa' } });
  if (config.embedder.kind !== 'lsa')
    throw new Error('the experiments measure the default (no-weights) embedder');
  const embedder = new LsaEmbedder(config.embedder);
  const kb = new KnowledgeBase({ config, embedder });
  await kb.ingest({ path: data, baseUrl: 'https://kubernetes.io', exclude: BENCH_EXCLUDE });
  const chunks = [...kb.allChunks()];
  const vectors = new Float32Array(chunks.length * embedder.dimensions);
  (await embedder.embedDocuments(chunks.map(indexedText))).forEach((v, i) =>
    vectors.set(v, i * embedder.dimensions),
  );
  const index = new KnowledgeIndex(chunks, vectors, embedder.dimensions, embedder, config.retrieval);
  return { index, sets };
}

/** The page paths of a hit list, in order. */
export const pathsOf = (hits: Array<{ chunk: { path: string } }>): string[] => hits.map((h) => h.chunk.path);
