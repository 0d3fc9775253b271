/**
 * Tuning changes scored on every development question set at once: the data set's own (glossary, ops) and the
 * authored set in bench/rag/authored-questions, with BM25 over the same chunks as each set's reference. Ingests and
 * embeds once; each change is a `withTuning` view of the same index. Prints Hit@5 / MRR per set and per half, the gain
 * over BM25 (the protocol's objective: mean of the Hit@5 and MRR gains) and the worst set's gain, so a change can be
 * chosen by maximin over sets rather than on one.
 *   node --import tsx bench/rag/tuningGrid.ts ../shared/datasets/k8s_docs '{"rerank":{"generatedPage":0}}' ...
 */
import type { TuningChange } from '../../src/assistant/retrieval/KnowledgeIndex.js';
import { defaultIndex, pathsOf as paths } from './defaultIndex.js';
import { evaluate, halves } from './evaluateRetrieval.js';

const [data = '../shared/datasets/k8s_docs', ...changes] = process.argv.slice(2);
const { index, sets } = await defaultIndex(data);

const bm25 = new Map<string, { hit5: number; mrr: number }>();
for (const set of sets.flatMap((s) => [s, ...halves(s)]))
  bm25.set(set.name, await evaluate(set.queries, (q) => paths(index.lexical(q, 50))));

for (const raw of ['{}', ...changes]) {
  const view = index.withTuning(JSON.parse(raw) as TuningChange);
  const cells: string[] = [];
  const gains: number[] = [];
  for (const set of sets) {
    const parts = [set, ...halves(set)];
    const scored = [];
    for (const part of parts) {
      const s = await evaluate(part.queries, async (q) => paths(await view.search(q, 50)));
      const b = bm25.get(part.name)!;
      scored.push({ s, gain: (s.hit5 - b.hit5 + (s.mrr - b.mrr)) / 2 });
    }
    gains.push(scored[0]!.gain);
    cells.push(
      `${set.name} ${scored[0]!.s.hit5.toFixed(3)}/${scored[0]!.s.mrr.toFixed(3)} gain ${scored[0]!.gain.toFixed(3)}` +
        ` (halves ${scored
          .slice(1)
          .map((x) => `${x.s.hit5.toFixed(3)}/${x.s.mrr.toFixed(3)}`)
          .join(', ')})`,
    );
  }
  console.log(`${raw}  worst gain ${Math.min(...gains).toFixed(3)}\n  ${cells.join('\n  ')}`);
}
