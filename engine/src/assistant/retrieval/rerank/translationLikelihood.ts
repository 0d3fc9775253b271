import type { RerankFeature } from './RerankFeature.js';

/**
 * How likely the page's best passage is to have produced the question under the corpus-trained translation model
 * (TranslationModel, Berger & Lafferty 1999), per question term and relative to the best candidate: a passage that
 * says "drain" scores for a question that says "evict" when headings and the text under them pair the two.
 */
export const translationLikelihood: RerankFeature = {
  name: 'translationLikelihood',
  needs: ['translationLikelihood'],
  score: (_q, page) => page.translationLikelihood,
};
