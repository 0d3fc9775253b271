import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/startServer.js';
import { SSE_ROUTES } from '../../src/server/openApiDocument.js';

/**
 * The published OpenAPI document as a client generator sees it: redocly's recommended rules pass with no error,
 * every operation has a unique operationId and error responses with the shared ErrorBody, schemas are named
 * components, and each SSE route both declares text/event-stream and really answers with it.
 */
const run = promisify(execFile);
const redocly = resolve(import.meta.dirname, '..', '..', '..', 'node_modules', '.bin', 'redocly');

type Operation = {
  operationId?: string;
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
};
type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
};

let server: RunningServer;
let doc: Doc;

beforeAll(async () => {
  server = await startServer({
    config: { logLevel: 'silent', server: { port: 0 }, cluster: { kind: 'simulated', injectFaults: false } },
    logger: pino({ level: 'silent' }),
  });
  doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as Doc;
}, 60_000);

afterAll(async () => {
  await server?.close();
});

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
  );

describe('OpenAPI document', () => {
  it('passes redocly lint (recommended rules) with no errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openapi-lint-'));
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    const result = await run(redocly, ['lint', file, '--format=json', '--extends=recommended'], {
      timeout: 60_000,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const report = JSON.parse(result.stdout) as {
      totals: { errors: number; warnings: number };
      problems: Array<{ ruleId: string; severity: string; message: string }>;
    };
    const errors = report.problems.filter((p) => p.severity === 'error');
    expect(errors.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals.errors).toBe(0);
  }, 90_000);

  it('gives every operation a unique operationId and error responses with the shared ErrorBody', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(30);
    const ids = ops.map(({ op }) => op.operationId);
    expect(ids.filter((id) => !id)).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, method, op } of ops) {
      const errors = Object.keys(op.responses).filter((s) => Number(s) >= 400);
      expect(errors, `${method} ${path}`).toContain('500');
      const ref = op.responses['500']!.content?.['application/json']?.schema?.$ref;
      expect(ref, `${method} ${path}`).toBe('#/components/schemas/ErrorBody');
    }
  });

  it('names the request and response schemas as components', () => {
    const names = Object.keys(doc.components.schemas);
    expect(names).toEqual(expect.arrayContaining(['ErrorBody', 'JobRecord']));
    expect(names.length).toBeGreaterThan(20);
    const jobs = doc.paths['/api/v1/jobs/{id}']!['get']!;
    expect(jobs.responses['200']!.content!['application/json']!.schema!.$ref).toBe(
      '#/components/schemas/JobRecord',
    );
  });

  it('declares text/event-stream on each SSE route, and each answers with it', async () => {
    for (const [route, kind] of Object.entries(SSE_ROUTES)) {
      const [method, path] = route.split(' ') as [string, string];
      const openApiPath = path.replace(/:(\w+)/g, '{$1}');
      const op = doc.paths[openApiPath]?.[method.toLowerCase()];
      expect(op, route).toBeDefined();
      expect(Object.keys(op!.responses['200']!.content ?? {}), route).toContain('text/event-stream');
      if (kind === 'both')
        expect(Object.keys(op!.responses['200']!.content ?? {}), route).toContain('application/json');
    }
    // The live routes: a job's events and the incident stream answer text/event-stream.
    const job = (await (
      await fetch(`${server.url}/api/v1/rca`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ namespace: 'shop' }),
      })
    ).json()) as { jobId?: string; id?: string };
    const jobId = job.jobId ?? job.id;
    for (const path of [
      `/api/v1/jobs/${jobId}/events`,
      '/api/v1/incidents/events',
      '/api/v1/repair/events',
    ]) {
      const controller = new AbortController();
      const res = await fetch(`${server.url}${path}`, {
        headers: { accept: 'text/event-stream' },
        signal: controller.signal,
      });
      expect(res.headers.get('content-type'), path).toMatch(/^text\/event-stream/);
      controller.abort();
    }
  }, 60_000);
});
