import type { Chunk } from '../kb/Chunk.js';
import type { Diagnosis } from './diagnoseWorkload.js';

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

const LIST_ITEM = /^([-*+]|\d+[.)])\s+/;

/** Source lines joined back into paragraphs and list items: Markdown wraps sentences across lines. */
export function logicalLines(text: string): string[] {
  const out: string[] = [];
  let current: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) {
      if (current) out.push(current);
      current = undefined;
    } else if (LIST_ITEM.test(line) || current === undefined) {
      if (current) out.push(current);
      current = line;
    } else {
      current = `${current} ${line}`;
    }
  }
  if (current) out.push(current);
  return out;
}

/** Sentences and list items of a passage; code blocks are kept whole as one unit. */
export function splitUnits(text: string): string[] {
  const units: string[] = [];
  const blocks = text.split(/(```[\s\S]*?```)/g);
  for (const block of blocks) {
    if (block.startsWith('```')) {
      units.push(block.trim());
      continue;
    }
    for (const line of logicalLines(block)) {
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

/** A sentence or step compared without its list marker, case and punctuation. */
function norm(text: string): string {
  return text
    .replace(/^([-*+]|\d+[.)])\s+/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Steps (list items) of the runbook section named like a fix; undefined when the page has none. */
export function runbookSteps(pageChunks: Chunk[]): string[] | undefined {
  const section = pageChunks.find((c) => STEP_HEADING.test(c.section.split(' > ').pop() ?? ''));
  if (!section) return undefined;
  const seen = new Set<string>();
  const steps = pageChunks
    .filter((c) => c.section === section.section)
    .flatMap((c) => logicalLines(c.text.replace(/```[\s\S]*?```/g, '')))
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
  options: {
    maxSentences?: number;
    runbookSource?: string;
    /** The failure the workload's live state names: the answer leads with it and with this runbook's steps. */
    diagnosis?: Diagnosis;
    /** Path of the runbook for the diagnosed failure (preferred over the first runbook passage). */
    runbookPath?: string;
  } = {},
): ExtractiveResult {
  const maxSentences = options.maxSentences ?? 4;
  const runbookSource = options.runbookSource ?? 'runbooks';
  const runbook =
    (options.runbookPath ? passages.find((p) => p.chunk.path === options.runbookPath) : undefined) ??
    passages.find((p) => p.chunk.source === runbookSource);
  const steps = runbook ? runbookSteps(pageOf(runbook.chunk.path)) : undefined;
  const stepLines: string[] = [];
  if (runbook && steps) {
    stepLines.push(`Steps from the runbook "${runbook.chunk.title}" [${runbook.n}]:`);
    steps.forEach((s, i) => stepLines.push(`${i + 1}. ${s}`));
  }
  const candidates: Array<{ n: number; unit: string; score: number; order: number }> = [];
  passages.forEach((p, pi) => {
    splitUnits(p.chunk.text).forEach((unit, ui) => {
      if (unit.startsWith('```')) return;
      // Earlier passages rank higher at equal overlap (retrieval order carries information too); fragments lose
      // against whole sentences.
      const words = unit.match(/[A-Za-z]{2,}/g)?.length ?? 0;
      const prose = Math.min(1, unit.length / 80) * Math.min(1, words / 8);
      const score = coverage(`${p.chunk.section}\n${unit}`) * prose - pi * 0.02 - ui * 0.001;
      if (unit.length >= 20) candidates.push({ n: p.n, unit, score, order: pi * 1000 + ui });
    });
  });
  // Overlapping chunks repeat sentences: keep each once, and at most two per passage so several sources speak. The
  // runbook's steps are listed in full below, so a sentence that is one of them is not quoted above them as well
  // (asked how to roll back, the answer's first bullet was the runbook's first step, twice on the page).
  const seen = new Set((steps ?? []).map(norm));
  const perPassage = new Map<number, number>();
  const chosen = candidates
    .sort((a, b) => b.score - a.score)
    .filter((c) => {
      const key = norm(c.unit);
      if (seen.has(key) || [...seen].some((s) => s.includes(key))) return false;
      if ((perPassage.get(c.n) ?? 0) >= 2) return false;
      seen.add(key);
      perPassage.set(c.n, (perPassage.get(c.n) ?? 0) + 1);
      return true;
    })
    .slice(0, maxSentences)
    .sort((a, b) => a.order - b.order);

  const lines: string[] = [];
  const cited = new Set<number>();
  const knowledge: string[] = [];
  if (chosen.length > 0) {
    knowledge.push('From the knowledge base:');
    for (const c of chosen) knowledge.push(`- ${c.unit.replace(/^([-*+]|\d+[.)])\s+/, '')} [${c.n}]`);
  }

  const { diagnosis } = options;
  if (diagnosis) {
    // The live state named the failure: say so first, then what to do about it, then the background.
    lines.push(`Seen on the workload: ${diagnosis.failure} (${diagnosis.evidence}).`);
    if (stepLines.length) lines.push('', ...stepLines);
    if (knowledge.length) lines.push('', ...knowledge);
  } else {
    lines.push(...knowledge);
    if (stepLines.length) lines.push(...(lines.length ? [''] : []), ...stepLines);
  }
  for (const c of chosen) cited.add(c.n);
  if (stepLines.length) cited.add(runbook!.n);
  return {
    text: lines.join('\n'),
    cited: [...cited].sort((a, b) => a - b),
    ...(steps ? { runbookSteps: steps, runbook } : {}),
  };
}
