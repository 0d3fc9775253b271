import type { RerankFeature } from './RerankFeature.js';

/** Share of the live context's terms (the failure the workload's state names) in the page's title or headings. */
export const contextInHeadings: RerankFeature = {
  name: 'contextInHeadings',
  score: (q, page) => {
    if (!q.contextTerms.length) return 0;
    const words = new Set(page.headingText.split(/\s+/));
    return q.contextTerms.filter((c) => words.has(c)).length / q.contextTerms.length;
  },
};
