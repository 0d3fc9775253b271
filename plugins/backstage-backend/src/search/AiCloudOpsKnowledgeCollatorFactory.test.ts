import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { TestPipeline, type RegisterCollatorParameters } from '@backstage/plugin-search-backend-node';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { createEngineClient } from '@ai-cloudops/engine-client';
import { AiCloudOpsKnowledgeCollatorFactory } from './AiCloudOpsKnowledgeCollatorFactory';
import { aiCloudOpsSearchModule } from './aiCloudOpsSearchModule';

/**
 * The engine has no document-listing endpoint yet, so these tests serve the agreed contract
 * (`GET /api/v1/assistant/documents` → `{ items: [{ title, path, url?, text }] }`) from a plain HTTP server
 * and check what the collator sends over the wire.
 */
async function serveDocuments(body: unknown | ((params: URLSearchParams) => unknown), status = 200): Promise<{ url: string; server: Server; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
    const [path, query = ''] = (req.url ?? '').split('?');
    if (path !== '/api/v1/assistant/documents') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'no route' } }));
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(typeof body === 'function' ? body(new URLSearchParams(query)) : body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, seen };
}

const logger = mockServices.logger.mock();

describe('AiCloudOpsKnowledgeCollatorFactory', () => {
  it('turns every knowledge document into a search document with a usable location', async () => {
    const docs = [
      { title: 'CrashLoopBackOff', path: 'runbooks/crashloop.md', text: 'Check the previous logs first.' },
      { title: 'OOMKilled', path: 'runbooks/oom.md', url: 'https://runbooks.example/oom', text: 'Raise the limit.' },
      { title: '', path: 'notes/untitled.md', text: 'no title' },
      { title: 'broken', text: 'missing path' },
    ];
    const engine = await serveDocuments({ items: docs });
    try {
      const factory = AiCloudOpsKnowledgeCollatorFactory.fromEngine({
        engine: createEngineClient({ baseUrl: engine.url, token: 'search-token-0123456789' }),
        logger,
        documentBaseUrl: 'https://kb.example/',
      });
      const { documents, error } = await TestPipeline.fromCollator(await factory.getCollator()).execute();
      expect(error).toBeUndefined();
      expect(factory.type).toBe('aicloudops-knowledge');
      expect(documents).toEqual([
        {
          title: 'CrashLoopBackOff',
          text: 'Check the previous logs first.',
          location: 'https://kb.example/runbooks/crashloop.md',
          path: 'runbooks/crashloop.md',
        },
        { title: 'OOMKilled', text: 'Raise the limit.', location: 'https://runbooks.example/oom', path: 'runbooks/oom.md' },
        { title: 'notes/untitled.md', text: 'no title', location: 'https://kb.example/notes/untitled.md', path: 'notes/untitled.md' },
      ]);
      expect(engine.seen).toEqual(['GET /api/v1/assistant/documents Bearer search-token-0123456789']);
    } finally {
      engine.server.close();
    }
  });

  it('follows nextCursor through every page of the engine\'s paginated list', async () => {
    const pages: Record<string, unknown> = {
      '': { items: [{ title: 'A', path: 'a.md', text: 'a' }], nextCursor: 'c1' },
      c1: { items: [{ title: 'B', path: 'b.md', text: 'b' }], nextCursor: 'c2' },
      c2: { items: [{ title: 'C', path: 'c.md', text: 'c' }] },
    };
    const engine = await serveDocuments((params: URLSearchParams) => pages[params.get('cursor') ?? '']);
    try {
      const factory = AiCloudOpsKnowledgeCollatorFactory.fromEngine({ engine: createEngineClient({ baseUrl: engine.url }), logger });
      const { documents, error } = await TestPipeline.fromCollator(await factory.getCollator()).execute();
      expect(error).toBeUndefined();
      expect(documents.map((d) => d.title)).toEqual(['A', 'B', 'C']);
      // No URL and no documentBaseUrl: the result opens the frontend's knowledge page, not a bare path.
      expect(documents[0]!.location).toBe('/aicloudops/knowledge?path=a.md');
      expect(engine.seen.map((s) => s.split(' ')[1])).toEqual([
        '/api/v1/assistant/documents',
        '/api/v1/assistant/documents?cursor=c1',
        '/api/v1/assistant/documents?cursor=c2',
      ]);
    } finally {
      engine.server.close();
    }
  });

  it('fails the run (keeping the old index) when the engine answers an error', async () => {
    const engine = await serveDocuments({ error: { code: 'INTERNAL', message: 'boom' } }, 500);
    try {
      const factory = AiCloudOpsKnowledgeCollatorFactory.fromEngine({
        engine: createEngineClient({ baseUrl: engine.url }),
        logger,
      });
      const { error, documents } = await TestPipeline.fromCollator(await factory.getCollator()).execute();
      expect(documents).toEqual([]);
      expect(String(error)).toContain('boom');
    } finally {
      engine.server.close();
    }
  });
});

describe('aiCloudOpsSearchModule', () => {
  it('registers the collator with the search plugin when the engine is configured', async () => {
    const added: RegisterCollatorParameters[] = [];
    await startTestBackend({
      extensionPoints: [[searchIndexRegistryExtensionPoint, { addCollator: (c: RegisterCollatorParameters) => added.push(c) }]],
      features: [
        aiCloudOpsSearchModule,
        mockServices.rootConfig.factory({ data: { aicloudops: { engine: { baseUrl: 'http://127.0.0.1:1' } } } }),
      ],
    });
    expect(added).toHaveLength(1);
    expect(added[0]!.factory.type).toBe('aicloudops-knowledge');
  });

  it('registers nothing without an aicloudops section', async () => {
    const added: RegisterCollatorParameters[] = [];
    await startTestBackend({
      extensionPoints: [[searchIndexRegistryExtensionPoint, { addCollator: (c: RegisterCollatorParameters) => added.push(c) }]],
      features: [aiCloudOpsSearchModule, mockServices.rootConfig.factory({ data: {} })],
    });
    expect(added).toHaveLength(0);
  });
});
