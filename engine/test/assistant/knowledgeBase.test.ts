import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assistantConfigSchema } from '../../src/assistant/config.js';
import { LsaEmbedder } from '../../src/assistant/embedders/LsaEmbedder.js';
import { OnnxEmbedder } from '../../src/assistant/embedders/OnnxEmbedder.js';
import { OpenAIEmbedder } from '../../src/assistant/embedders/OpenAIEmbedder.js';
import { KnowledgeBase } from '../../src/assistant/kb/KnowledgeBase.js';
import { OpenAIProvider } from '../../src/model/OpenAIProvider.js';
import { MemoryStore } from '../../src/store/MemoryStore.js';
import { RedisStore } from '../../src/store/RedisStore.js';
import { startRedis, type RedisServer } from '../support/index.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from './support/startFakeOpenAiServer.js';

const config = assistantConfigSchema.parse({ embedder: { kind: 'lsa', dimensions: 16 } });
const lsa = () => new LsaEmbedder(config.embedder.kind === 'lsa' ? config.embedder : (undefined as never));

const PAGES: Record<string, string> = {
  'oom.md': `---\ntitle: Container OOMKilled\n---\n## Symptoms\nThe container is killed with exit code 137 and reason OOMKilled when memory exceeds its limit.\n## Fix\n1. Raise the memory limit.\n2. Look for a leak.\n`,
  'dns.md': `---\ntitle: DNS failures\n---\n## Symptoms\nPods cannot resolve service names; CoreDNS returns SERVFAIL and lookups time out.\n## Fix\n1. Scale CoreDNS.\n`,
  'pending.md': `---\ntitle: Pending pods\n---\n## Symptoms\nThe scheduler cannot place the pod: FailedScheduling, Insufficient cpu on every node.\n`,
  'guide/tls.html': `<html><head><title>Certificates</title></head><body><h2>Expiry</h2><p>An expired x509 certificate breaks the TLS handshake of the ingress.</p></body></html>`,
  'notes.txt': 'Image pulls fail with ImagePullBackOff when the registry credentials expired.',
};

function writeCorpus(dir: string, pages: Record<string, string>) {
  for (const [path, content] of Object.entries(pages)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

describe('KnowledgeBase ingest', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('ingests Markdown, HTML and text, reports bad files per file and carries on', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kb-'));
    writeCorpus(dir, PAGES);
    writeFileSync(join(dir, 'binary.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01]));
    writeFileSync(join(dir, 'huge.md'), 'x'.repeat(3000));
    writeFileSync(join(dir, 'broken.md'), '---\ntitle: [oops\n---\nbody text');
    const kb = new KnowledgeBase({
      config: { ...config, ingest: { ...config.ingest, maxFileBytes: 2000 } },
      embedder: lsa(),
    });
    const report = await kb.ingest({ path: dir, baseUrl: 'https://docs.example' });

    expect(report.added).toBe(5);
    expect(report.errors.map((e) => e.path).sort()).toEqual(['binary.md', 'broken.md', 'huge.md']);
    expect(report.errors.find((e) => e.path === 'binary.md')!.message).toMatch(/binary/);
    expect(report.errors.find((e) => e.path === 'huge.md')!.message).toMatch(/over the 2000-byte limit/);
    expect(report.errors.find((e) => e.path === 'broken.md')!.message).toMatch(/broken front matter/);

    const [top] = await kb.search('my pod was killed with exit code 137', 3);
    expect(top!.chunk).toMatchObject({ title: 'Container OOMKilled', path: 'oom.md' });
    expect(top!.chunk.url).toMatch(/^https:\/\/docs\.example\/oom\/#/);
    const [tls] = await kb.search('x509 certificate expired', 1);
    expect(tls!.chunk).toMatchObject({ title: 'Certificates', path: 'guide/tls.html', section: 'Expiry' });
    const [txt] = await kb.search('ImagePullBackOff registry credentials', 1);
    expect(txt!.chunk.path).toBe('notes.txt');
  });

  it('re-ingests incrementally by content hash and forgets removed files', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kb-'));
    writeCorpus(dir, PAGES);
    const kb = new KnowledgeBase({ config, embedder: lsa() });
    await kb.ingest({ path: dir });

    const again = await kb.ingest({ path: dir });
    expect(again).toMatchObject({ added: 0, updated: 0, removed: 0, unchanged: 5 });

    writeFileSync(
      join(dir, 'dns.md'),
      `---\ntitle: DNS failures\n---\n## Symptoms\nNodeLocal DNSCache stops answering on port 53.\n`,
    );
    rmSync(join(dir, 'pending.md'));
    const changed = await kb.ingest({ path: dir });
    expect(changed).toMatchObject({ added: 0, updated: 1, removed: 1, unchanged: 3 });
    expect((await kb.search('FailedScheduling Insufficient cpu', 5)).map((h) => h.chunk.path)).not.toContain(
      'pending.md',
    );
    expect((await kb.search('NodeLocal DNSCache port 53', 1))[0]!.chunk.path).toBe('dns.md');
    expect(kb.stats().sources[0]!.files).toBe(4);

    expect((await kb.removeSource(kb.stats().sources[0]!.name)).chunks).toBeGreaterThan(0);
    expect(kb.stats().chunks).toBe(0);
  });

  it('a folder known under a name is replaced, not copied, when ingested again by its path', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kb-'));
    writeCorpus(dir, PAGES);
    const kb = new KnowledgeBase({ config, embedder: lsa() });
    const named = await kb.ingest({ path: dir, name: 'runbooks' });
    const again = await kb.ingest({ path: join(dir, '.') });
    expect(again.unchanged).toBe(named.added);
    expect(again.totalChunks).toBe(named.totalChunks);
    expect(kb.stats().sources.map((s) => s.name)).toEqual(['runbooks']);
  });

  it("reads a git checkout's docs folder", async () => {
    dir = mkdtempSync(join(tmpdir(), 'kb-'));
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, 'README.md'), '# Top level readme about something else entirely\n');
    writeCorpus(join(dir, 'docs'), { 'oom.md': PAGES['oom.md']! });
    const kb = new KnowledgeBase({ config, embedder: lsa() });
    const report = await kb.ingest({ path: dir });
    expect(report.root).toBe(join(dir, 'docs'));
    expect(report.added).toBe(1);
  });
});

describe('KnowledgeBase persistence in a real Redis', () => {
  let redis: RedisServer;
  let dir: string;
  const stores: RedisStore[] = [];
  const store = () => {
    const s = new RedisStore({ url: redis.url, keyPrefix: 'kbtest:' });
    stores.push(s);
    return s;
  };

  beforeAll(async () => {
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), 'kb-'));
    writeCorpus(dir, PAGES);
  });
  afterAll(async () => {
    for (const s of stores) await s.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a second replica serves the same knowledge, and it survives a Redis restart', async () => {
    const a = new KnowledgeBase({ config, embedder: lsa(), store: store() });
    await a.ingest({ path: dir });
    const expected = (await a.search('CoreDNS SERVFAIL lookups', 3)).map((h) => h.chunk.id);

    const b = new KnowledgeBase({ config, embedder: lsa(), store: store() });
    expect(await b.load()).toBe(true);
    expect((await b.search('CoreDNS SERVFAIL lookups', 3)).map((h) => h.chunk.id)).toEqual(expected);
    expect(b.stats()).toMatchObject({ chunks: a.stats().chunks, embedder: a.stats().embedder });

    // Replica A changes the knowledge; B notices the new version on its next search.
    writeFileSync(
      join(dir, 'quota.md'),
      '---\ntitle: Resource quotas\n---\n## Exceeded\nA ResourceQuota exceeded error blocks new pods.\n',
    );
    await a.ingest({ path: dir });
    await b.refresh(true);
    expect((await b.search('ResourceQuota exceeded', 1))[0]!.chunk.path).toBe('quota.md');
    const latest = (await b.search('CoreDNS SERVFAIL lookups', 3)).map((h) => h.chunk.id);

    await redis.restart();
    const c = new KnowledgeBase({ config, embedder: lsa(), store: store() });
    expect(await c.load()).toBe(true);
    expect((await c.search('CoreDNS SERVFAIL lookups', 3)).map((h) => h.chunk.id)).toEqual(latest);
    expect(c.stats().chunks).toBe(a.stats().chunks);
  });

  it('two replicas ingesting at once both land (a store lock serialises them)', async () => {
    const s = store();
    await s.del(...(await s.keys('assistant:kb:')));
    const other = mkdtempSync(join(tmpdir(), 'kb-other-'));
    try {
      writeFileSync(
        join(other, 'kafka.md'),
        '---\ntitle: Kafka lag\n---\nConsumer lag grows when consumers are too slow.\n',
      );
      const a = new KnowledgeBase({ config, embedder: lsa(), store: s });
      const b = new KnowledgeBase({ config, embedder: lsa(), store: store() });
      await Promise.all([a.ingest({ path: dir }), b.ingest({ path: other })]);
      const c = new KnowledgeBase({ config, embedder: lsa(), store: store() });
      await c.load();
      expect(
        c
          .stats()
          .sources.map((x) => x.root)
          .sort(),
      ).toEqual([dir, other].sort());
      expect(await s.exists('assistant:kb:lock')).toBe(false);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('persists and reloads an HNSW index when the collection is above the ANN threshold', async () => {
    const annConfig = { ...config, retrieval: { ...config.retrieval, annThreshold: 2 } };
    const s = store();
    await s.del(...(await s.keys('assistant:kb:')));
    const a = new KnowledgeBase({ config: annConfig, embedder: lsa(), store: s });
    await a.ingest({ path: dir });
    expect(a.stats().vectorIndex).toBe('hnsw');
    const b = new KnowledgeBase({ config: annConfig, embedder: lsa(), store: store() });
    await b.load();
    expect(b.stats().vectorIndex).toBe('hnsw');
    expect((await b.search('expired x509 certificate', 2)).map((h) => h.chunk.id)).toEqual(
      (await a.search('expired x509 certificate', 2)).map((h) => h.chunk.id),
    );
  });
});

describe('embedders', () => {
  let server: FakeOpenAiServer;
  let dir: string;
  beforeAll(async () => {
    server = await startFakeOpenAiServer();
    dir = mkdtempSync(join(tmpdir(), 'kb-'));
    writeCorpus(dir, PAGES);
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('embeds through an OpenAI-compatible embeddings API and re-embeds only changed chunks', async () => {
    const provider = new OpenAIProvider({
      baseURL: server.baseURL,
      apiKey: '',
      chatModel: 'fake-chat',
      embeddingModel: 'fake-embed',
      timeoutSeconds: 10,
      maxRetries: 0,
    });
    const kb = new KnowledgeBase({
      config,
      embedder: new OpenAIEmbedder(provider, 64),
      store: new MemoryStore(),
    });
    await kb.ingest({ path: dir });
    const embeddedFirst = server.embeddingRequests.reduce((s, r) => s + r.input.length, 0);
    expect(embeddedFirst).toBe(kb.stats().chunks);
    expect(kb.stats().embedder).toBe('openai:fake-embed');
    expect((await kb.search('CoreDNS SERVFAIL', 1))[0]!.chunk.path).toBe('dns.md');

    writeFileSync(join(dir, 'notes.txt'), 'Registry credentials rotate monthly.');
    const before = server.embeddingRequests.reduce((s, r) => s + r.input.length, 0);
    await kb.ingest({ path: dir });
    const documentsEmbedded = server.embeddingRequests.reduce((s, r) => s + r.input.length, 0) - before;
    expect(documentsEmbedded).toBe(1);
  });

  it('the ONNX embedder fails clearly when the model folder is missing or incomplete', async () => {
    await expect(new OnnxEmbedder(join(dir, 'no-such-model'), 'mean', 8).load()).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      message: expect.stringMatching(/does not exist/),
      issues: [{ field: 'assistant.embedder.modelPath' }],
    });
    const partial = join(dir, 'partial-model');
    mkdirSync(partial);
    writeFileSync(join(partial, 'config.json'), '{}');
    await expect(new OnnxEmbedder(partial, 'mean', 8).load()).rejects.toMatchObject({
      message: expect.stringMatching(/lacks tokenizer\.json, onnx\/model\.onnx/),
    });
    mkdirSync(join(partial, 'onnx'));
    writeFileSync(join(partial, 'tokenizer.json'), '{}');
    writeFileSync(join(partial, 'onnx', 'model.onnx'), 'not a model');
    await expect(new OnnxEmbedder(partial, 'mean', 8).load()).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      message: expect.stringMatching(/could not load the ONNX model/),
    });
  });
});
