import type { RerankFeature } from './RerankFeature.js';

/**
 * IDF-weighted share of the question's terms found anywhere in the page. A passage list scores passages one by one,
 * so a page that answers with one term in its introduction and the rest in a section below looks weaker than it is.
 */
export const pageCoverage: RerankFeature = {
  name: 'pageCoverage',
  needs: ['matchedTerms'],
  score: (q, page) => {
    let total = 0;
    let found = 0;
    for (const t of q.terms) {
      const w = q.idf(t);
      total += w;
      if (page.matchedTerms.has(t)) found += w;
    }
    return total > 0 ? found / total : 0;
  },
};
