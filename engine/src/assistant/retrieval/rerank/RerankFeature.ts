import type { PageKind } from '../pageKind.js';
import type { QuestionForm } from '../questionForm.js';

/** What the reranker knows about the question (all terms stemmed by the one tokenizer). */
export interface RerankQuery {
  /** The question's own terms (weight 1 in the analysed query), de-duplicated. */
  terms: string[];
  /** Consecutive pairs of the question's content words, "a b". */
  phrases: string[];
  /** Terms of the live context (a failure the workload's state names); empty without one. */
  contextTerms: string[];
  /** What the question asks for by its form ("how do I ..." or "what is / why ..."), when it says. */
  form?: QuestionForm;
  /** Inverse document frequency of a term in the passage index (0 for an unknown term). */
  idf(term: string): number;
}

export type CostlyField = 'matchedTerms' | 'passageText';

/** One candidate page with the evidence a first stage cannot weigh. */
export interface RerankCandidate {
  kind: PageKind;
  /** Stemmed terms of the page title. */
  titleTerms: ReadonlySet<string>;
  /** The title and every heading of the page, one per line, each as its stemmed terms joined by spaces. */
  headingText: string;
  /** The stemmed terms of the page's best lexical passage body joined by spaces ('' when only dense lists found it). */
  passageText: string;
  /** The question's terms found anywhere in the page (any passage, any field). */
  matchedTerms: ReadonlySet<string>;
}

/**
 * One piece of second-stage evidence: a number in [-1, 1] for a (question, page) pair, added to the page's fused
 * score (normalised by the best one) times its weight. Implementations are pure and registered in rerankFeatures.ts.
 */
export interface RerankFeature {
  readonly name: string;
  /** Candidate fields that cost work per query (postings walked, a passage tokenized), gathered only when an active feature needs them. */
  readonly needs?: ReadonlyArray<CostlyField>;
  score(query: RerankQuery, page: RerankCandidate): number;
}

/** True when "a b" stands in a text of space-joined terms as whole words. */
export function containsPhrase(text: string, phrase: string): boolean {
  let from = 0;
  for (;;) {
    const at = text.indexOf(phrase, from);
    if (at < 0) return false;
    const end = at + phrase.length;
    if ((at === 0 || /\s/.test(text[at - 1]!)) && (end === text.length || /\s/.test(text[end]!))) return true;
    from = at + 1;
  }
}
