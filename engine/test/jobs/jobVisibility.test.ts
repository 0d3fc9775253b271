import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { buildApp } from '../../src/server/app.js';

/**
 * Job params are the submitter's inputs: an ingest's folders on the engine host. On the real app with auth on, a
 * viewer reads the job (kind, status, progress, result summary) without them, on every job route; operators and
 * admins still see them.
 */
describe('job records: params are for operators and admins', () => {
  const top = mkdtempSync(join(tmpdir(), 'job-visibility-'));
  // A folder name no other field of the record would carry, so finding it anywhere in a reply is a leak.
  const docs = join(top, `host-folder-${process.pid}-private`);
  const TOKENS = {
    viewer: 'viewer-token-0123456789',
    operator: 'operator-token-0123456789',
    admin: 'admin-token-0123456789ab',
  };
  let engine: Engine;
  let app: FastifyInstance;
  let jobId: string;

  beforeAll(async () => {
    mkdirSync(docs, { recursive: true });
    writeFileSync(
      join(docs, 'crashloop.md'),
      '# CrashLoopBackOff\n\nLook at the previous logs of the container.\n',
    );
    engine = await createEngine(
      configSchema.parse({
        dataDir: join(top, 'data'),
        cluster: { kind: 'simulated', injectFaults: false },
        assistant: { ingest: { roots: [top] } },
        server: {
          auth: {
            enabled: true,
            tokens: Object.entries(TOKENS).map(([role, token]) => ({ name: role, token, role })),
          },
        },
      }),
      { logger: pino({ level: 'silent' }) },
    );
    app = await buildApp(engine);
    await app.ready();
    const started = await app.inject({
      method: 'POST',
      url: '/api/v1/assistant/ingest',
      headers: auth(TOKENS.admin),
      payload: { paths: [docs] },
    });
    expect(started.statusCode).toBe(202);
    jobId = started.json().id;
    const done = await engine.context.jobs.wait(jobId);
    expect(done.status).toBe('succeeded');
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await engine?.close();
    rmSync(top, { recursive: true, force: true });
  });

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const read = (url: string, token: string) => app.inject({ method: 'GET', url, headers: auth(token) });

  it('a viewer reads kind, status, progress and a result summary, and nothing that names the folder', async () => {
    for (const url of [
      '/api/v1/jobs',
      `/api/v1/jobs/${jobId}`,
      `/api/v1/jobs/${jobId}/events`,
      '/api/v1/jobs?kind=assistant.ingest',
    ]) {
      const res = await read(url, TOKENS.viewer);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).not.toContain(docs);
      expect(res.body, url).not.toContain('"params"');
    }
    const job = (await read(`/api/v1/jobs/${jobId}`, TOKENS.viewer)).json();
    expect(job).toMatchObject({ id: jobId, kind: 'assistant.ingest', status: 'succeeded', progress: 1 });
    expect(job.createdAt).toEqual(expect.any(String));
    expect(job.finishedAt).toEqual(expect.any(String));
    expect(job.result).toEqual([expect.objectContaining({ added: 1, errorCount: 0 })]);
  });

  it('a caller that asks to be served as a viewer (X-AICloudOps-Role) is, and no caller is raised by it', async () => {
    const as = (token: string, role: string) => ({ ...auth(token), 'x-aicloudops-role': role });
    for (const url of [`/api/v1/jobs/${jobId}`, `/api/v1/jobs/${jobId}/events`, '/api/v1/jobs']) {
      const lowered = await app.inject({ method: 'GET', url, headers: as(TOKENS.operator, 'viewer') });
      expect(lowered.statusCode, url).toBe(200);
      expect(lowered.body, url).not.toContain(docs);
    }
    const raised = await app.inject({
      method: 'GET',
      url: `/api/v1/jobs/${jobId}`,
      headers: as(TOKENS.viewer, 'admin'),
    });
    expect(raised.body).not.toContain(docs);
    expect(
      (
        await app.inject({
          method: 'DELETE',
          url: `/api/v1/jobs/${jobId}`,
          headers: as(TOKENS.viewer, 'admin'),
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await app.inject({
          method: 'DELETE',
          url: `/api/v1/jobs/${jobId}`,
          headers: as(TOKENS.admin, 'viewer'),
        })
      ).statusCode,
    ).toBe(403);
    const bad = await app.inject({
      method: 'GET',
      url: `/api/v1/jobs/${jobId}`,
      headers: as(TOKENS.admin, 'root'),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues).toEqual([
      { field: 'headers.x-aicloudops-role', message: 'must be viewer, operator or admin' },
    ]);
  });

  it("the assistant's status and document list name no host folder to a viewer; operators see the roots", async () => {
    for (const url of ['/api/v1/assistant/status', '/api/v1/assistant/documents']) {
      const res = await read(url, TOKENS.viewer);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).not.toContain(top);
    }
    const viewer = (await read('/api/v1/assistant/status', TOKENS.viewer)).json();
    expect(viewer.sources).toContainEqual(expect.objectContaining({ files: 1 }));
    expect(viewer.sources.every((s: { root?: string }) => s.root === undefined)).toBe(true);
    const operator = (await read('/api/v1/assistant/status', TOKENS.operator)).json();
    expect(operator.sources.map((s: { root: string }) => s.root)).toContain(docs);
  });

  it('operators and admins still see the params', async () => {
    for (const token of [TOKENS.operator, TOKENS.admin]) {
      const job = (await read(`/api/v1/jobs/${jobId}`, token)).json();
      expect(job.params).toEqual(expect.objectContaining({ paths: [docs] }));
      const list = (await read('/api/v1/jobs', token)).json();
      expect(list.items.find((j: { id: string }) => j.id === jobId).params.paths).toEqual([docs]);
      expect((await read(`/api/v1/jobs/${jobId}/events`, token)).body).toContain(docs);
    }
  });
});
