import { containsPhrase, type RerankFeature } from './RerankFeature.js';

/** Share of the question's word pairs that stand in the page's title or a heading ("pod disruption" in "Pod disruption budgets"). */
export const phraseInHeadings: RerankFeature = {
  name: 'phraseInHeadings',
  score: (q, page) =>
    q.phrases.length
      ? q.phrases.filter((ph) => containsPhrase(page.headingText, ph)).length / q.phrases.length
      : 0,
};
