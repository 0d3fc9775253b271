/**
 * Per-question ranks of the right page at several dense weights, with query-level signals (lexical score shape, term
 * IDFs), over every development set: the data for judging a per-query dense weight. Writes JSON lines to stdout.
 *   node --import tsx bench/rag/perQuestion.ts ../shared/datasets/k8s_docs > /tmp/perq.jsonl
 */
import type { TuningChange } from '../../src/assistant/retrieval/KnowledgeIndex.js';
import { defaultIndex } from './defaultIndex.js';

const [data = '../shared/datasets/k8s_docs'] = process.argv.slice(2);
const { index, sets } = await defaultIndex(data);
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
