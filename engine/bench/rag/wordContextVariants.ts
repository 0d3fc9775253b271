/**
 * Word-context (PPMI + SVD, SIF) dense model against the default pipeline, on both development sets and their halves
 * in one run: ingests the docs once with the default LSA embedder, fits WordContextEmbedder on the same chunks, then
 * scores (a) its passage and/or page lists added to the fusion, (b) its passage list in place of LSA's, (c) LSA and
 * word-context vectors concatenated as the one dense model, (d) word-context vectors in place of LSA. Verdict by the
 * protocol: kept only if it helps a set (Hit@5 or MRR +0.005, the other not down) and no set or half loses 0.005 or more
 * of Hit@5 or MRR.
 *   node --import tsx bench/rag/wordContextVariants.ts ../shared/datasets/k8s_docs [variant names...]
 */
import { join } from 'node:path';
import { assistantConfigSchema } from '../../src/assistant/config.js';
import { normalize, type Embedder } from '../../src/assistant/embedders/Embedder.js';
import { LsaEmbedder } from '../../src/assistant/embedders/LsaEmbedder.js';
import {
  WordContextEmbedder,
  type WordContextOptions,
} from '../../src/assistant/embedders/WordContextEmbedder.js';
import { indexedText } from '../../src/assistant/kb/Chunk.js';
import { KnowledgeBase } from '../../src/assistant/kb/KnowledgeBase.js';
import { KnowledgeIndex, type TuningChange } from '../../src/assistant/retrieval/KnowledgeIndex.js';
import { RERANK_FEATURES } from '../../src/assistant/retrieval/rerank/rerankFeatures.js';
import { evaluate, halves, type EvalSet, type Scores, BENCH_EXCLUDE } from './evaluateRetrieval.js';
import { percentile, readQueries } from './retrievalMetrics.js';

const [data = '../shared/datasets/k8s_docs', ...only] = process.argv.slice(2);
const WORD_CONTEXT: WordContextOptions = {
  dimensions: 128,
  window: 5,
  minCount: 3,
  maxVocabulary: 40_000,
  seed: 7,
};
const NO_RERANK = Object.fromEntries(RERANK_FEATURES.map((f) => [f.name, 0]));

/** LSA and word-context vectors side by side, each unit and scaled so a cosine is share x LSA's + (1 - share) x word-context's. */
class ConcatEmbedder implements Embedder {
  constructor(
    private readonly a: Embedder,
    private readonly b: Embedder,
    private readonly share: number,
  ) {}
  get id(): string {
    return `concat:${this.a.id}+${this.b.id}:${this.share}`;
  }
  get dimensions(): number {
    return this.a.dimensions + this.b.dimensions;
  }
  async embedDocuments(texts: string[]): Promise<Float32Array[]> {
    const [x, y] = [await this.a.embedDocuments(texts), await this.b.embedDocuments(texts)];
    return x.map((v, i) => this.join(v, y[i]!));
  }
  async embedQuery(text: string): Promise<Float32Array> {
    return this.join(await this.a.embedQuery(text), await this.b.embedQuery(text));
  }
  private join(x: Float32Array, y: Float32Array): Float32Array {
    const out = new Float32Array(x.length + y.length);
    const [sa, sb] = [Math.sqrt(this.share), Math.sqrt(1 - this.share)];
    x.forEach((v, i) => (out[i] = sa * v));
    y.forEach((v, i) => (out[x.length + i] = sb * v));
    return normalize(out);
  }
}

const sets: EvalSet[] = [
  { name: 'glossary', queries: readQueries(join(data, 'eval', 'glossary_known_item.jsonl')) },
  { name: 'ops', queries: readQueries(join(data, 'eval', 'ops_questions_dev.jsonl')) },
];
const parts = [...sets, ...sets.flatMap((s) => halves(s))];
const config = assistantConfigSchema.parse({ embedder: { kind: 'lsa' } });
if (config.embedder.kind !== 'lsa') throw new Error('lsa');
const lsa = new LsaEmbedder(config.embedder);
const kb = new KnowledgeBase({ config, embedder: lsa });
let t0 = performance.now();
await kb.ingest({ path: data, baseUrl: 'https://kubernetes.io', exclude: BENCH_EXCLUDE });
console.log(`ingest with LSA: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const chunks = [...kb.allChunks()];
const texts = chunks.map(indexedText);
const embedAll = async (e: Embedder) => {
  const v = new Float32Array(chunks.length * e.dimensions);
  (await e.embedDocuments(texts)).forEach((x, i) => v.set(x, i * e.dimensions));
  return v;
};
const lsaVectors = await embedAll(lsa);
const base = new KnowledgeIndex(chunks, lsaVectors, lsa.dimensions, lsa, config.retrieval);

/** The word-context model's own settings: the literature's defaults first, then one change each (a handful, not a grid). */
const MODELS: Record<string, Partial<WordContextOptions>> = {
  'window 5, p 0.5': {},
  'window 2': { window: 2 },
  'window 10': { window: 10 },
  'p 0 (plain U)': { eigenPower: 0 },
  '256 dimensions': { dimensions: 256 },
  'shifted PPMI (k 5)': { shift: 5 },
};

const paths = (hits: Array<{ chunk: { path: string } }>) => hits.map((h) => h.chunk.path);
let reference: Map<string, Scores> | undefined;
const rows: string[] = [];
for (const [modelName, modelOptions] of Object.entries(MODELS)) {
  const cpu0 = process.cpuUsage();
  t0 = performance.now();
  const word = new WordContextEmbedder({ ...WORD_CONTEXT, ...modelOptions });
  await word.fit(texts);
  const wordVectors = await embedAll(word);
  const cpu = process.cpuUsage(cpu0);
  console.log(
    `\n== model ${modelName}: ${word.id}: fit + embed ${((performance.now() - t0) / 1000).toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU`,
  );
  const second = { embedder: word, vectors: wordVectors, dims: word.dimensions };
  const withSecond = new KnowledgeIndex(
    chunks,
    lsaVectors,
    lsa.dimensions,
    lsa,
    config.retrieval,
    undefined,
    {},
    base.analyzer,
    second,
  );
  const concat = async (share: number) => {
    const e = new ConcatEmbedder(lsa, word, share);
    return new KnowledgeIndex(
      chunks,
      await embedAll(e),
      e.dimensions,
      e,
      config.retrieval,
      undefined,
      {},
      base.analyzer,
    );
  };
  const alone = new KnowledgeIndex(
    chunks,
    wordVectors,
    word.dimensions,
    word,
    config.retrieval,
    undefined,
    {},
    base.analyzer,
  );

  const VARIANTS: Record<string, () => Promise<KnowledgeIndex> | KnowledgeIndex> = {
    ...(reference
      ? {}
      : {
          default: () => base,
          'dense alone: LSA': () => base.withTuning({ lexicalWeight: 0, rerank: NO_RERANK }),
        }),
    'dense alone: word-context': () => alone.withTuning({ lexicalWeight: 0, rerank: NO_RERANK }),
    '(a) + word passages 0.5, pages 0.5': () =>
      withSecond.withTuning({ secondPassageWeight: 0.5, secondPageWeight: 0.5 }),
    '(a) + word passages 0.5': () => withSecond.withTuning({ secondPassageWeight: 0.5 }),
    '(a) + word pages 0.5': () => withSecond.withTuning({ secondPageWeight: 0.5 }),
    '(a) + word passages 0.25, pages 0.25': () =>
      withSecond.withTuning({ secondPassageWeight: 0.25, secondPageWeight: 0.25 }),
    '(b) word passages replace LSA passages': () =>
      withSecond.withTuning({ densePassageShare: 0, secondPassageWeight: 0.5 } satisfies TuningChange),
    '(c) concat LSA + word (equal)': () => concat(0.5),
    '(c) concat LSA 0.7 + word 0.3': () => concat(0.7),
    '(d) word-context replaces LSA': () => alone,
  };

  for (const [name, make] of Object.entries(VARIANTS)) {
    if (only.length && name !== 'default' && !only.some((o) => name.includes(o))) continue;
    const index = await make();
    const scores = new Map<string, Scores>();
    const latencies: number[] = [];
    for (const part of parts) {
      scores.set(
        part.name,
        await evaluate(part.queries, async (q) => {
          const t = performance.now();
          const hits = await index.search(q, 50);
          latencies.push(performance.now() - t);
          return paths(hits);
        }),
      );
    }
    reference ??= scores;
    const cells = parts.map((p) => {
      const s = scores.get(p.name)!;
      const r = reference!.get(p.name)!;
      return `${p.name} ${s.hit5.toFixed(3)}/${s.mrr.toFixed(3)} (${fmt(s.hit5 - r.hit5)}/${fmt(s.mrr - r.mrr)})`;
    });
    const drop = parts.some((p) => {
      const [s, r] = [scores.get(p.name)!, reference!.get(p.name)!];
      return s.hit5 - r.hit5 <= -0.005 || s.mrr - r.mrr <= -0.005;
    });
    const helps = sets.some((p) => {
      const [s, r] = [scores.get(p.name)!, reference!.get(p.name)!];
      const [dh, dm] = [s.hit5 - r.hit5, s.mrr - r.mrr];
      return (dh >= 0.005 && dm > -0.005) || (dm >= 0.005 && dh > -0.005);
    });
    const verdict =
      name === 'default'
        ? 'reference'
        : helps && !drop
          ? 'PASSES'
          : drop
            ? 'rejected (a drop of 0.005+)'
            : 'rejected (no gain)';
    const line = `${name}: ${verdict}; p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms\n  ${cells.join('\n  ')}`;
    rows.push(line);
    console.log(line);
  }
}

function fmt(x: number): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(3)}`;
}
