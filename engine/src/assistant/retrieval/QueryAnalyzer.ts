import type { WeightedTerm } from './Bm25fIndex.js';
import { learnAbbreviations } from './learnAbbreviations.js';
import { SpellingCorrector } from './SpellingCorrector.js';
import { isStopWord, tokenize } from './tokenize.js';

export interface QueryAnalysisOptions {
  /** Weight of the terms of an abbreviation's long form (pvc -> persistent volume claim); 0 turns expansion off. */
  abbreviationWeight: number;
  /** Weight of a misspelt word's correction; 0 turns correction off. */
  correctionWeight: number;
}

export interface AnalyzedQuery {
  /** Weighted, de-duplicated terms for the lexical index. */
  terms: WeightedTerm[];
  /** The text to embed: the question plus its expansions and corrections. */
  expandedText: string;
  /** Consecutive pairs of the question's content words (stemmed), for phrase matching in the reranker. */
  phrases: string[];
  /** What was added, for explanations and tests. */
  expansions: Array<{ word: string; added: string }>;
}

/**
 * Query processing learned from the collection alone: its abbreviations ("(PVC)" definitions, kubectl's short-name
 * table) and its vocabulary (spelling correction). The question's own terms keep weight 1; what processing adds
 * counts less, so a wrong expansion cannot outweigh what the user typed.
 */
export class QueryAnalyzer {
  private readonly abbreviations: Map<string, string[]>;
  private readonly speller: SpellingCorrector;

  constructor(
    texts: string[],
    private readonly options: QueryAnalysisOptions,
  ) {
    this.abbreviations = learnAbbreviations(texts);
    this.speller = new SpellingCorrector(texts);
  }

  /** The learned abbreviations (lower-case short form -> long forms), e.g. for the README and tests. */
  get learned(): ReadonlyMap<string, string[]> {
    return this.abbreviations;
  }

  analyze(query: string): AnalyzedQuery {
    const weights = new Map<string, number>();
    const put = (term: string, w: number) => weights.set(term, Math.max(weights.get(term) ?? 0, w));
    const base = tokenize(query);
    for (const t of base) put(t, 1);
    const expansions: AnalyzedQuery['expansions'] = [];
    for (const word of new Set(query.toLowerCase().match(/[a-z][a-z0-9]*/g) ?? [])) {
      if (isStopWord(word)) continue;
      const long =
        this.options.abbreviationWeight > 0
          ? (this.abbreviations.get(word.replace(/s$/, '')) ?? this.abbreviations.get(word))
          : undefined;
      if (long) {
        const added = long.join(' ');
        expansions.push({ word, added });
        for (const t of tokenize(added)) put(t, this.options.abbreviationWeight);
        continue;
      }
      const fixed = this.options.correctionWeight > 0 ? this.speller.correct(word) : undefined;
      if (fixed) {
        expansions.push({ word, added: fixed });
        for (const t of tokenize(fixed)) put(t, this.options.correctionWeight);
      }
    }
    const phrases: string[] = [];
    for (let i = 0; i + 1 < base.length; i++) phrases.push(`${base[i]} ${base[i + 1]}`);
    return {
      terms: [...weights.entries()].map(([term, weight]) => ({ term, weight })),
      expandedText: expansions.length ? `${query}\n${expansions.map((e) => e.added).join(' ')}` : query,
      phrases,
      expansions,
    };
  }
}
