import type { RerankFeature } from './RerankFeature.js';

/** Share of the page title's terms that the question uses ("What is a PodDisruptionBudget?" names that page's whole title). */
export const titleShare: RerankFeature = {
  name: 'titleShare',
  score: (q, page) =>
    page.titleTerms.size ? q.terms.filter((t) => page.titleTerms.has(t)).length / page.titleTerms.size : 0,
};
