import type { RerankFeature } from './RerankFeature.js';

/**
 * -1 for generated reference pages (command and API references, feature-gate lists): long, flat pages whose every term
 * matches something, rarely the page a question wants when a hand-written one also matches.
 */
export const generatedPage: RerankFeature = {
  name: 'generatedPage',
  score: (_q, page) => (page.kind === 'generated' ? -1 : 0),
};
