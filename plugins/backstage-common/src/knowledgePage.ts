/**
 * Where a knowledge-base page opens in the Backstage app: the frontend plugin's `AiCloudOpsKnowledgePage`, mounted at
 * this path, shows one page of the engine's knowledge base. Portal search links there when a document has no URL of
 * its own and no `aicloudops.search.documentBaseUrl` is set, so every result opens something.
 */
export const KNOWLEDGE_PAGE_PATH = '/aicloudops/knowledge';

/** The app-relative link to one knowledge-base page. */
export function knowledgePageLocation(document: { source?: string; path: string }): string {
  const query = new URLSearchParams({ ...(document.source ? { source: document.source } : {}), path: document.path });
  return `${KNOWLEDGE_PAGE_PATH}?${query.toString()}`;
}
