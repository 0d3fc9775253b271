import { containsPhrase, type RerankFeature } from './RerankFeature.js';

/**
 * Share of the question's word pairs that stand, in order, in the page's best passage: a bag of words scores
 * "node affinity" the same whether the words meet or sit in different sentences.
 */
export const phraseInPassage: RerankFeature = {
  name: 'phraseInPassage',
  needs: ['passageText'],
  score: (q, page) =>
    q.phrases.length && page.passageText
      ? q.phrases.filter((ph) => containsPhrase(page.passageText, ph)).length / q.phrases.length
      : 0,
};
