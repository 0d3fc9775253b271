import type { RerankFeature } from './RerankFeature.js';

/**
 * 1 when the question names the page's whole title of two or more terms ("kubeadm init flag for ..." and the page
 * "kubeadm init"): the page is about exactly what was named, even when it is a generated reference.
 */
export const titleInQuestion: RerankFeature = {
  name: 'titleInQuestion',
  score: (q, page) => {
    if (page.titleTerms.size < 2) return 0;
    const asked = new Set(q.terms);
    for (const t of page.titleTerms) if (!asked.has(t)) return 0;
    return 1;
  },
};
