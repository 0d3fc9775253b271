import type { RerankFeature } from './RerankFeature.js';

/** A runbook when the live context names a failure: the runbook is the first thing an on-call engineer reads. */
export const runbookForContext: RerankFeature = {
  name: 'runbookForContext',
  score: (q, page) => (page.kind === 'runbook' && q.contextTerms.length ? 1 : 0),
};
