import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pageRank, RankAccumulator, readQueries, type EvalQuery } from './retrievalMetrics.js';

/**
 * Left out of the benchmark's index: the glossary pages (the glossary questions are their definitions) and the data
 * set's own files, which are not docs: eval/ops_questions_dev.README.md quotes questions of the ops set verbatim and
 * ranked as a (wrong) page for them; SOURCE.md describes the question sets.
 */
export const BENCH_EXCLUDE = ['content/en/docs/reference/glossary/**', 'eval/**', 'SOURCE.md'];

export interface EvalSet {
  name: string;
  queries: EvalQuery[];
}

export interface Scores {
  n: number;
  hit1: number;
  hit5: number;
  mrr: number;
}

/** The data set's own names for its two development sets; keys such as `ops_default_hit5` are a contract. */
const SET_NAMES: Record<string, string> = { glossary_known_item: 'glossary', ops_questions_dev: 'ops' };

/**
 * Every question set in a data set's `eval/` folder, one per `*.jsonl` file (`glossary_known_item.jsonl` → `glossary`,
 * `ops_questions_dev.jsonl` → `ops`, any other file by its name), so a question set added beside them (another
 * team's questions, an evaluation set) is scored by the same run without a code change. Sorted by name.
 */
export function readEvalSets(evalDir: string): EvalSet[] {
  const files = readdirSync(evalDir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort();
  const sets = files.map((file) => {
    const stem = basename(file, '.jsonl');
    const queries = readQueries(join(evalDir, file));
    if (queries.length === 0) throw new Error(`${join(evalDir, file)}: no questions`);
    return { name: SET_NAMES[stem] ?? stem.replace(/[^A-Za-z0-9]+/g, '_'), queries };
  });
  if (sets.length === 0) throw new Error(`${evalDir}: no question sets (*.jsonl)`);
  return sets.sort((a, b) => a.name.localeCompare(b.name));
}

/** Page-level Hit@1/Hit@5/MRR@10 of a ranker over every phrasing of every question of a set. */
export async function evaluate(
  queries: EvalQuery[],
  rank: (q: string) => Promise<string[]> | string[],
): Promise<Scores> {
  const acc = new RankAccumulator();
  for (const q of queries) {
    for (const text of Object.values(q.questions)) acc.add(pageRank(await rank(text), q.relevant));
  }
  return { n: acc.count, ...acc.result() };
}

/** The two halves of a set by line parity (even lines, odd lines), named `<set>/even` and `<set>/odd`. */
export function halves(set: EvalSet): EvalSet[] {
  return [
    { name: `${set.name}/even`, queries: set.queries.filter((_, i) => i % 2 === 0) },
    { name: `${set.name}/odd`, queries: set.queries.filter((_, i) => i % 2 === 1) },
  ];
}

/** Index of the candidate whose worst-case gain is largest (ties: the earlier, i.e. simpler, candidate). */
export function chooseByMaximin(count: number, worstGain: (i: number) => number): number {
  let best = 0;
  for (let i = 1; i < count; i++) if (worstGain(i) > worstGain(best) + 1e-9) best = i;
  return best;
}
