import type { Chunk } from '../kb/Chunk.js';

export type PageKind = 'runbook' | 'generated' | 'reference' | 'task' | 'concept' | 'tutorial' | 'other';

/** A page's kind from its source and path (Hugo docs keep concepts/, tasks/, tutorials/, reference/ folders). */
export function pageKind(chunk: Pick<Chunk, 'path' | 'source'>): PageKind {
  const path = chunk.path.toLowerCase();
  if (chunk.source === 'runbooks' || /(^|\/)runbooks?\//.test(path)) return 'runbook';
  if (/\/generated\/|\/config-api\/|\/kubernetes-api\/|\/feature-gates\//.test(path)) return 'generated';
  if (/(^|\/)reference\//.test(path)) return 'reference';
  if (/(^|\/)tasks\//.test(path)) return 'task';
  if (/(^|\/)concepts\//.test(path)) return 'concept';
  if (/(^|\/)tutorials\//.test(path)) return 'tutorial';
  return 'other';
}
