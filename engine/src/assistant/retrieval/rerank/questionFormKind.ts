import type { RerankFeature } from './RerankFeature.js';

/** 1 for a task page when the question asks how to do something, and for a concept page when it asks what or why. */
export const questionFormKind: RerankFeature = {
  name: 'questionFormKind',
  score: (q, page) =>
    (q.form === 'how-to' && page.kind === 'task') || (q.form === 'what-is' && page.kind === 'concept')
      ? 1
      : 0,
};
