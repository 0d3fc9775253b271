import type { Chunk } from '../kb/Chunk.js';

export interface NumberedPassage {
  n: number;
  chunk: Chunk;
}

export interface ExtractiveResult {
  text: string;
  /** Citation numbers the text refers to. */
  cited: number[];
  runbookSteps?: string[];
  runbook?: NumberedPassage;
}

/** Relevance of a piece of text to the question: IDF-weighted share of question terms it contains. */
export type Coverage = (text: string) => number;

const STEP_HEADING = /\b(fix|fixes|steps|remediat\w*|resolution|resolve|mitigat\w*|what to do|recover\w*)\b/i;

/** Sentences and list items of a passage; code blocks are kept whole as one unit. */
export function splitUnits(text: string): string[] {
  const units: string[] = [];
  const blocks = text.split(/(```[\s\S]*?```)/g);
  for (const block of blocks) {
    if (block.startsWith('```')) {
      units.push(block.trim());
      continue;
    }
    for (const line of block.split('\n')) {
      const trimmed = line.trim();
      if (!trimmed) continue;
      if (/^([-*+]|\d+[.)])\s+/.test(trimmed)) {
        units.push(trimmed);
        continue;
      }
      for (const sentence of trimmed.match(/[^.!?]+(?:[.!?]+(?=\s|$)|$)/g) ?? [trimmed]) {
        if (sentence.trim().length > 2) units.push(sentence.trim());
      }
    }
  }
  return units;
}

/** Steps (list items) of the runbook section named like a fix; undefined when the page has none. */
export function runbookSteps(pageChunks: Chunk[]): string[] | undefined {
  const section = pageChunks.find((c) => STEP_HEADING.test(c.section.split(' > ').pop() ?? ''));
  if (!section) return undefined;
  const seen = new Set<string>();
  const steps = pageChunks
    .filter((c) => c.section === section.section)
    .flatMap((c) => c.text.split('\n'))
    .map((l) => l.trim())
    .filter((l) => /^(\d+[.)]|[-*+])\s+/.test(l))
    .map((l) => l.replace(/^(\d+[.)]|[-*+])\s+/, ''))
    .filter((l) => (seen.has(l) ? false : (seen.add(l), true)));
  return steps.length ? steps : undefined;
}

/**
 * The answer without a model: the best sentences of the best passages, each with its citation, then the steps of
 * the best-matching runbook. Sentences are quoted, never rewritten, so nothing is said that the sources do not say.
 */
export function extractiveAnswer(
  passages: NumberedPassage[],
  coverage: Coverage,
  pageOf: (path: string) => Chunk[],
  options: { maxSentences?: number; runbookSource?: string } = {},
): ExtractiveResult {
  const maxSentences = options.maxSentences ?? 4;
  const candidates: Array<{ n: number; unit: string; score: number; order: number }> = [];
  passages.forEach((p, pi) => {
    splitUnits(p.chunk.text).forEach((unit, ui) => {
      if (unit.startsWith('```')) return;
      // Earlier passages rank higher at equal overlap: retrieval order carries information too.
      const score = coverage(`${p.chunk.section}\n${unit}`) - pi * 0.02 - ui * 0.001;
      if (unit.length >= 20) candidates.push({ n: p.n, unit, score, order: pi * 1000 + ui });
    });
  });
  const chosen = candidates
    .sort((a, b) => b.score - a.score)
    .slice(0, maxSentences)
    .sort((a, b) => a.order - b.order);

  const lines: string[] = [];
  const cited = new Set<number>();
  if (chosen.length > 0) {
    lines.push('From the knowledge base:');
    for (const c of chosen) {
      lines.push(`- ${c.unit.replace(/^([-*+]|\d+[.)])\s+/, '')} [${c.n}]`);
      cited.add(c.n);
    }
  }

  const runbookSource = options.runbookSource ?? 'runbooks';
  const runbook = passages.find((p) => p.chunk.source === runbookSource);
  let steps: string[] | undefined;
  if (runbook) {
    steps = runbookSteps(pageOf(runbook.chunk.path));
    if (steps) {
      lines.push('', `Steps from the runbook "${runbook.chunk.title}" [${runbook.n}]:`);
      steps.forEach((s, i) => lines.push(`${i + 1}. ${s}`));
      cited.add(runbook.n);
    }
  }
  return {
    text: lines.join('\n'),
    cited: [...cited].sort((a, b) => a - b),
    ...(steps ? { runbookSteps: steps, runbook } : {}),
  };
}
