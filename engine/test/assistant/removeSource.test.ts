import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { configSchema, type EngineConfigInput } from '../../src/config/schema.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { buildApp } from '../../src/server/app.js';
import { startServer } from '../../src/server/startServer.js';
import { runCliInProcess } from '../support/runCliInProcess.js';

/**
 * DELETE /api/v1/assistant/sources/:name and `aicloudops kb remove <name>`: one source leaves search and status at
 * once and stays out after a restart (memory store with its dataDir snapshot); admin only, as ingest; 404 names an
 * unknown source; 409 for one the config would ingest again at the next start.
 */
describe('removing one knowledge-base source', () => {
  const top = mkdtempSync(join(tmpdir(), 'kb-remove-'));
  afterAll(() => rmSync(top, { recursive: true, force: true }));
  const dataDir = join(top, 'data');
  const viewer = 'viewer-token-0123456789';
  const admin = 'admin-token-0123456789ab';
  const operator = 'operator-token-0123456789';
  const folder = (name: string, word: string) => {
    const dir = join(top, name);
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'page.md'),
      `# ${name}\n\nHow to rotate the ${word} credentials, step by step.\n`,
    );
    return dir;
  };
  const docs = folder('docs', 'quokkabridge');
  const configured = folder('configured', 'wombatgate');
  const input = {
    logLevel: 'silent' as const,
    dataDir,
    cluster: { kind: 'simulated', injectFaults: false },
    assistant: { sources: [{ path: configured }], ingest: { roots: [top] } },
    server: {
      auth: {
        enabled: true,
        tokens: [
          { name: 'v', token: viewer, role: 'viewer' },
          { name: 'o', token: operator, role: 'operator' },
          { name: 'a', token: admin, role: 'admin' },
        ],
      },
    },
  } satisfies EngineConfigInput;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  /** An engine on the shared dataDir with its app; the configured source is ingested (a job at start) before use. */
  async function open(): Promise<{ engine: Engine; app: Awaited<ReturnType<typeof buildApp>> }> {
    const engine = await createEngine(configSchema.parse(input));
    const app = await buildApp(engine);
    await app.ready();
    const assistant = await engine.services.assistant();
    await vi.waitFor(() => expect(assistant.kb.stats().sources.map((s) => s.root)).toContain(configured), {
      timeout: 30_000,
      interval: 100,
    });
    return { engine, app };
  }
  type App = Awaited<ReturnType<typeof open>>['app'];
  const sourcesFound = async (app: App, q: string) => {
    const res = await app.inject({ url: `/api/v1/assistant/search?q=${q}&k=10`, headers: auth(viewer) });
    expect(res.statusCode).toBe(200);
    return new Set((res.json() as { results: Array<{ source: string }> }).results.map((r) => r.source));
  };
  const listed = async (app: App) => {
    const res = await app.inject({ url: '/api/v1/assistant/status', headers: auth(admin) });
    return (res.json() as { sources: Array<{ name: string; root: string }> }).sources;
  };
  const remove = (app: App, name: string, token = admin) =>
    app.inject({
      method: 'DELETE',
      url: `/api/v1/assistant/sources/${encodeURIComponent(name)}`,
      headers: auth(token),
    });

  let docsName = '';

  it('leaves search and status at once, admin only; unknown is 404 and configured 409, each naming the source', async () => {
    const { engine, app } = await open();
    try {
      const ingest = await app.inject({
        method: 'POST',
        url: '/api/v1/assistant/ingest',
        headers: auth(admin),
        payload: { paths: [docs] },
      });
      expect(ingest.statusCode).toBe(202);
      expect((await engine.context.jobs.wait(ingest.json<{ id: string }>().id)).status).toBe('succeeded');
      docsName = (await listed(app)).find((s) => s.root === docs)!.name;
      expect(await sourcesFound(app, 'quokkabridge')).toContain(docsName);

      for (const token of [viewer, operator]) {
        const refused = await remove(app, docsName, token);
        expect(refused.statusCode).toBe(403);
      }

      const unknown = await remove(app, 'no-such-source');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({
        error: { code: 'NOT_FOUND', message: expect.stringContaining('"no-such-source"') },
      });

      const configuredName = (await listed(app)).find((s) => s.root === configured)!.name;
      for (const [name, setting] of [
        [configuredName, 'assistant.sources'],
        ['runbooks', 'assistant.includeRunbooks'],
      ] as const) {
        const conflict = await remove(app, name);
        expect(conflict.statusCode).toBe(409);
        const { error } = conflict.json<{ error: { code: string; message: string } }>();
        expect(error.code).toBe('CONFLICT');
        expect(error.message).toContain(`"${name}"`);
        expect(error.message).toContain(setting);
        expect(error.message).toContain('edit the config');
      }

      const removed = await remove(app, docsName);
      expect(removed.statusCode).toBe(200);
      expect(removed.json()).toMatchObject({ name: docsName, root: docs, files: 1 });
      expect(removed.json<{ chunks: number }>().chunks).toBeGreaterThan(0);
      expect(await sourcesFound(app, 'quokkabridge')).not.toContain(docsName);
      expect((await listed(app)).map((s) => s.name)).not.toContain(docsName);
      // The refused ones are still there.
      expect(await sourcesFound(app, 'wombatgate')).toContain(configuredName);
      expect((await listed(app)).map((s) => s.name)).toContain('runbooks');
      expect((await remove(app, docsName)).statusCode).toBe(404);
    } finally {
      await app.close();
      await engine.close();
    }
  }, 120_000);

  it('stays removed after a restart, and the OpenAPI document names the operation', async () => {
    expect(docsName).not.toBe('');
    const { engine, app } = await open();
    try {
      expect((await listed(app)).map((s) => s.root)).not.toContain(docs);
      expect(await sourcesFound(app, 'quokkabridge')).not.toContain(docsName);
      const spec = (await app.inject({ url: '/api/v1/openapi.json' })).json<{
        paths: Record<string, { delete?: { operationId: string; 'x-min-role'?: string } }>;
      }>();
      expect(spec.paths['/api/v1/assistant/sources/{name}']?.delete?.operationId).toBe(
        'deleteAssistantSourcesByName',
      );
    } finally {
      await app.close();
      await engine.close();
    }
  }, 120_000);

  it('removes a source stored under its host path (names with slashes travel encoded)', async () => {
    const engine = await createEngine(configSchema.parse(input));
    const app = await buildApp(engine);
    await app.ready();
    try {
      const assistant = await engine.services.assistant();
      // Earlier versions named a source by its path; such a name must still be removable.
      await assistant.kb.ingest({ path: docs, name: docs });
      expect((await listed(app)).map((s) => s.name)).toContain(docs);
      const removed = await remove(app, docs);
      expect(removed.statusCode).toBe(200);
      expect((await listed(app)).map((s) => s.name)).not.toContain(docs);
    } finally {
      await app.close();
      await engine.close();
    }
  }, 120_000);

  it('aicloudops kb remove <name>: one-shot on the config, and --server against a running engine', async () => {
    const configFile = join(top, 'config.yaml');
    // YAML takes JSON; the one-shot engine reads the same dataDir snapshot the server writes.
    writeFileSync(configFile, JSON.stringify({ ...input, server: { auth: { enabled: false, tokens: [] } } }));
    const ingested = await runCliInProcess(['ingest', docs, '--config', configFile]);
    expect(ingested.exitCode).toBe(0);

    const missing = await runCliInProcess(['kb', 'remove', 'no-such-source', '--config', configFile]);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('"no-such-source" not found');
    expect(missing.stderr).toContain('<name>');
    // The names it could have been, as `rca -s nosuch` lists the known services.
    expect(missing.stderr).toMatch(new RegExp(`<name>: unknown; known: .*\\b${docsName}\\b`));

    const local = await runCliInProcess(['kb', 'remove', docsName, '--config', configFile, '--json']);
    expect(local.exitCode).toBe(0);
    expect(JSON.parse(local.stdout)).toMatchObject({ name: docsName, root: docs });
    // The next one-shot run starts from the snapshot the removal wrote.
    const again = await runCliInProcess(['kb', 'remove', docsName, '--config', configFile]);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain(`"${docsName}" not found`);

    // Ingested again, then removed by a running engine (its admin token), which then no longer lists it.
    expect((await runCliInProcess(['ingest', docs, '--config', configFile])).exitCode).toBe(0);
    const server = await startServer({
      config: { ...input, server: { ...input.server, host: '127.0.0.1', port: 0 } },
    });
    try {
      const asViewer = await runCliInProcess([
        'kb',
        'remove',
        docsName,
        '--server',
        server.url,
        '--token',
        viewer,
      ]);
      expect(asViewer.exitCode).toBe(1);
      expect(asViewer.stderr).toMatch(/FORBIDDEN|403|role/i);
      const remote = await runCliInProcess([
        'kb',
        'remove',
        docsName,
        '--server',
        server.url,
        '--token',
        admin,
      ]);
      expect(remote.stderr).toBe('');
      expect(remote.exitCode).toBe(0);
      expect(remote.stdout).toContain(`removed ${docsName} (${docs}): 1 file`);
      const conflict = await runCliInProcess([
        'kb',
        'remove',
        'runbooks',
        '--server',
        server.url,
        '--token',
        admin,
      ]);
      expect(conflict.exitCode).toBe(1);
      expect(conflict.stderr).toContain('edit the config');
      expect(conflict.stderr).toContain('<name>');
      const assistant = await server.engine.services.assistant();
      expect(assistant.kb.stats().sources.map((s) => s.name)).not.toContain(docsName);
    } finally {
      await server.close();
    }
  }, 180_000);

  it('a one-shot kb remove on the dataDir of a running memory-store engine reaches that engine, and its next write keeps it out', async () => {
    const configFile = join(top, 'config-running.yaml');
    writeFileSync(configFile, JSON.stringify({ ...input, server: { auth: { enabled: false, tokens: [] } } }));
    const other = folder('other', 'platypusvault');
    let name = '';
    const server = await startServer({
      config: { ...input, server: { ...input.server, host: '127.0.0.1', port: 0 } },
    });
    try {
      const assistant = await server.engine.services.assistant();
      await vi.waitFor(() => expect(assistant.kb.stats().sources.map((s) => s.root)).toContain(configured), {
        timeout: 30_000,
        interval: 100,
      });
      await assistant.kb.ingest({ path: docs });
      name = assistant.kb.stats().sources.find((s) => s.root === docs)!.name;

      // The CLI's own engine, not the server: it writes only the dataDir snapshot.
      const local = await runCliInProcess(['kb', 'remove', name, '--config', configFile]);
      expect(local.stderr).toBe('');
      expect(local.exitCode).toBe(0);
      // The running engine notices at its next version check (2 s), as a replica notices Redis.
      await vi.waitFor(
        async () => {
          const hits = await assistant.kb.search('quokkabridge credentials', 10);
          expect(hits.map((h) => h.chunk.source)).not.toContain(name);
        },
        { timeout: 15_000, interval: 250 },
      );
      // Its own next write starts from that version, so the removed source does not come back.
      await assistant.kb.ingest({ path: other });
      expect(assistant.kb.stats().sources.map((s) => s.root)).toEqual(
        expect.arrayContaining([configured, other]),
      );
      expect(assistant.kb.stats().sources.map((s) => s.root)).not.toContain(docs);
    } finally {
      await server.close();
    }
    // And the snapshot that engine wrote last still lacks it.
    const after = await runCliInProcess(['kb', 'remove', name, '--config', configFile]);
    expect(after.exitCode).toBe(1);
    expect(after.stderr).toContain(`"${name}" not found`);
  }, 180_000);
});
