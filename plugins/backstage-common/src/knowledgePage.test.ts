import { KNOWLEDGE_PAGE_PATH, knowledgePageLocation } from './knowledgePage';

describe('knowledgePageLocation', () => {
  it('links to the knowledge page with the source and path, encoded', () => {
    const link = knowledgePageLocation({ source: 'runbooks', path: 'pods/crash loop & restarts.md' });
    const url = new URL(link, 'http://backstage.example');
    expect(url.pathname).toBe(KNOWLEDGE_PAGE_PATH);
    expect(url.searchParams.get('source')).toBe('runbooks');
    expect(url.searchParams.get('path')).toBe('pods/crash loop & restarts.md');
  });
});
