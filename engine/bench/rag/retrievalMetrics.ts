import { readFileSync } from 'node:fs';

export interface EvalQuery {
  id: string;
  /** Question field name → text (`question`, `query_what_is`, `query_definition`). */
  questions: Record<string, string>;
  relevant: string[];
}

export const QUESTION_FIELDS = ['question', 'query', 'query_what_is', 'query_definition'] as const;

export function readQueries(file: string): EvalQuery[] {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim());
  return lines.map((line, n) => {
    const row = JSON.parse(line) as Record<string, unknown>;
    const questions: Record<string, string> = {};
    for (const f of QUESTION_FIELDS) if (typeof row[f] === 'string') questions[f] = row[f];
    if (typeof row.relevant === 'string') row.relevant = [row.relevant];
    if (!Array.isArray(row.relevant) || Object.keys(questions).length === 0) {
      throw new Error(`${file} line ${n + 1}: needs "relevant" and one of ${QUESTION_FIELDS.join(', ')}`);
    }
    return { id: String(row.id ?? n), questions, relevant: row.relevant.map(String) };
  });
}

/** Page-level rank (0-based) of the first relevant page among ranked chunk paths, collapsing chunks to pages. */
export function pageRank(paths: string[], relevant: string[], depth = 10): number {
  const seen: string[] = [];
  for (const p of paths) {
    if (!seen.includes(p)) seen.push(p);
    if (seen.length >= depth) break;
  }
  return seen.findIndex((p) => relevant.includes(p));
}

export class RankAccumulator {
  private n = 0;
  private h1 = 0;
  private h5 = 0;
  private rr = 0;

  add(rank: number): void {
    this.n++;
    if (rank === 0) this.h1++;
    if (rank >= 0 && rank < 5) this.h5++;
    if (rank >= 0) this.rr += 1 / (rank + 1);
  }

  get count(): number {
    return this.n;
  }

  result(): { hit1: number; hit5: number; mrr: number } {
    const n = this.n || 1;
    return { hit1: this.h1 / n, hit5: this.h5 / n, mrr: this.rr / n };
  }
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
