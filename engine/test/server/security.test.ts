import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestReport } from '../../src/assistant/kb/KnowledgeBase.js';
import { configSchema } from '../../src/config/schema.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { EngineError } from '../../src/errors.js';
import { buildApp } from '../../src/server/app.js';
import { loggerRedaction } from '../../src/util/redact.js';

/**
 * Issue 9 (items 1 and 4) on the real app: host files stay on the host, secrets stay in the engine. Auth on, the demo
 * world, a Prometheus URL with credentials (nothing listens there) and a log sink that records every line.
 */
describe('security: ingest roots, redaction, readiness', () => {
  const top = mkdtempSync(join(tmpdir(), 'security-'));
  const docs = join(top, 'docs');
  const outside = join(top, 'outside');
  const CANARY = `canary-${process.pid}-host-file`;
  const ENV_CANARY = `envcanary${process.pid}secret`;
  const QUERY = `qcanary${process.pid}`;
  const viewer = 'viewer-token-0123456789';
  const admin = 'admin-token-0123456789ab';
  const secrets = ['prom-secret', 'prom-header-secret', viewer, admin];
  const logLines: string[] = [];
  let engine: Engine;
  let app: FastifyInstance;

  beforeAll(async () => {
    process.env.SECURITY_TEST_SECRET = ENV_CANARY;
    mkdirSync(join(docs, 'examples'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.md'), `# Secret\n\n${CANARY}\n`);
    writeFileSync(join(docs, 'examples', 'pod.yaml'), 'kind: Pod\nmetadata:\n  name: legit-example\n');
    writeFileSync(
      join(docs, 'crashloop.md'),
      [
        '# CrashLoopBackOff runbook',
        'Look at the previous logs. {{< codenew file="pod.yaml" >}}',
        '{{< codenew file="../../../../../../../../proc/self/environ" >}}',
        '{{% code_sample file="/etc/passwd" %}}',
        '{{< codenew file="../../../../../../../../etc/passwd" >}}',
        '{{< include file="../outside/secret.md" >}}',
      ].join('\n\n'),
    );
    symlinkSync(join(outside, 'secret.md'), join(docs, 'linked.md'));
    symlinkSync(outside, join(docs, 'door'));
    writeFileSync(join(docs, 'image.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00]));
    writeFileSync(join(docs, 'dump.md'), `# Dump\n\n${'x '.repeat(40_000)}`);

    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    engine = await createEngine(
      configSchema.parse({
        dataDir: join(top, 'data'),
        cluster: { kind: 'simulated', injectFaults: false },
        metrics: {
          kind: 'prometheus',
          url: 'http://promuser:prom-secret@127.0.0.1:9',
          timeoutSeconds: 1,
          headers: { Authorization: 'Bearer prom-header-secret' },
        },
        assistant: { ingest: { roots: [docs], maxFileBytes: 50_000 } },
        // Slack keeps a webhook's secret in its path; the other one's is a query parameter.
        alerts: {
          notify: {
            webhooks: [
              { url: 'https://hooks.slack.com/services/T000/B000/slack-path-secret', format: 'slack' },
              { url: 'https://hooks.example.com/notify?token=query-token-secret&team=ops' },
            ],
          },
        },
        server: {
          auth: {
            enabled: true,
            tokens: [
              { name: 'v', token: viewer, role: 'viewer' },
              { name: 'a', token: admin, role: 'admin' },
            ],
          },
        },
      }),
      { logger: pino({ level: 'info', redact: loggerRedaction() }, sink) },
    );
    app = await buildApp(engine);
    await app.ready();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await engine?.close();
    delete process.env.SECURITY_TEST_SECRET;
    rmSync(top, { recursive: true, force: true });
  });

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const ingest = (paths: string[], token = admin) =>
    app.inject({ method: 'POST', url: '/api/v1/assistant/ingest', headers: auth(token), payload: { paths } });

  it('refuses host paths outside assistant.ingest.roots with a 400 naming the path, without saying whether they exist', async () => {
    const etc = await ingest(['/etc']);
    expect(etc.statusCode).toBe(400);
    expect(etc.json().error.issues).toEqual([
      { field: 'body.paths.0', message: 'outside the folders the engine may read (assistant.ingest.roots)' },
    ]);
    const second = await ingest([docs, '/etc/']);
    expect(second.statusCode).toBe(400);
    expect(second.json().error.issues[0].field).toBe('body.paths.1');
    for (const path of [`${docs}/../outside`, join(docs, 'door'), '/proc/self', join(top, 'data')]) {
      const res = await ingest([path]);
      expect(res.statusCode, path).toBe(400);
      expect(res.json().error.issues[0].field).toBe('body.paths.0');
    }
    const missing = await ingest(['/no/such/host/dir']);
    expect(missing.json().error.issues).toEqual(etc.json().error.issues);
    expect((await ingest(['/etc'], viewer)).statusCode).toBe(403);
  });

  it('ingests the allowed folder, reports every refused file, and serves no byte from outside it', async () => {
    const accepted = await ingest([docs]);
    expect(accepted.statusCode).toBe(202);
    const job = await engine.context.jobs.wait<IngestReport[]>(accepted.json().id);
    expect(job.status).toBe('succeeded');
    const errors = job.result![0]!.errors.map((e) => `${e.path}: ${e.message}`);
    for (const pattern of [
      /^crashloop\.md: include ".*proc\/self\/environ" refused: outside the ingest root/,
      /^crashloop\.md: include ".*etc\/passwd" refused: outside the ingest root/,
      /^crashloop\.md: include "\.\.\/outside\/secret\.md" refused: outside the ingest root/,
      /^linked\.md: symbolic link leads outside the ingest root/,
      /^image\.md: binary file/,
      /^dump\.md: file is \d+ bytes, over the 50000-byte limit/,
    ]) {
      expect(
        errors.some((e) => pattern.test(e)),
        pattern.source,
      ).toBe(true);
    }

    const documents = await app.inject({
      method: 'GET',
      url: '/api/v1/assistant/documents?maxChars=100000',
      headers: auth(viewer),
    });
    expect(documents.statusCode).toBe(200);
    const body = documents.body;
    expect(body).toContain('legit-example');
    for (const leaked of [CANARY, ENV_CANARY, 'root:x:0:0', 'PATH=']) expect(body).not.toContain(leaked);
    const paths = (documents.json().items as Array<{ path: string }>).map((d) => d.path);
    expect(paths).not.toEqual(expect.arrayContaining(['linked.md']));
    const search = await app.inject({
      method: 'GET',
      url: `/api/v1/assistant/search?q=${CANARY}`,
      headers: auth(viewer),
    });
    expect(search.statusCode).toBe(200);
    expect(search.body).not.toContain(CANARY);
  });

  it('GET /api/v1/config shows no credential, token or header value', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/config', headers: auth(admin) });
    expect(res.statusCode).toBe(200);
    for (const secret of secrets) expect(res.body).not.toContain(secret);
    const config = res.json();
    expect(config.metrics.url).toBe('http://promuser:***@127.0.0.1:9');
    expect(config.metrics.headers).toEqual({ Authorization: '[redacted]' });
    expect(res.body).not.toMatch(/slack-path-secret|query-token-secret/);
    expect(config.alerts.notify.webhooks.map((w: { url: string }) => w.url)).toEqual([
      'https://hooks.slack.com/***',
      'https://hooks.example.com/***',
    ]);
    expect(config.server.auth.tokens.map((t: { token: string }) => t.token)).toEqual([
      '[redacted]',
      '[redacted]',
    ]);
  });

  it("/readyz tells anonymous callers each source's state only; token holders get details with credentials masked", async () => {
    const anonymous = await app.inject({ method: 'GET', url: '/readyz' });
    expect(anonymous.statusCode).toBe(503);
    const checks = anonymous.json().checks as Array<{ name: string; ok: boolean; detail: string }>;
    expect(checks.find((c) => c.name === 'metrics')).toMatchObject({ ok: false });
    expect(anonymous.body).not.toMatch(/127\.0\.0\.1|http:|promuser|Redis at|prom-secret/);

    const known = await app.inject({ method: 'GET', url: '/readyz', headers: auth(viewer) });
    const metrics = (known.json().checks as Array<{ name: string; detail: string }>).find(
      (c) => c.name === 'metrics',
    )!;
    expect(metrics.detail).toMatch(/check metrics\.url/);
    for (const secret of secrets) expect(known.body).not.toContain(secret);
    const wrong = await app.inject({
      method: 'GET',
      url: '/readyz',
      headers: auth('not-a-token-0123456789'),
    });
    expect(wrong.body).toBe(anonymous.body);
  });

  it("an upstream error names its source without the source's credentials", async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/metrics/query?query=up',
      headers: auth(viewer),
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(500);
    // The URL's credentials travel as a Basic header, so the source's name is its bare URL.
    expect(res.json().error.message).toContain('Prometheus at http://127.0.0.1:9 ');
    for (const secret of secrets) expect(res.body).not.toContain(secret);
  });

  it("a failed job's record keeps no credential from its error", async () => {
    const job = await engine.context.jobs.start('security.probe', {}, async () => {
      throw new EngineError(
        'UPSTREAM_UNAVAILABLE',
        'Prometheus at http://promuser:prom-secret@127.0.0.1:9 is unreachable',
      );
    });
    const done = await engine.context.jobs.wait(job.id);
    expect(done.error).toEqual({
      code: 'UPSTREAM_UNAVAILABLE',
      message: 'Prometheus at http://promuser:***@127.0.0.1:9 is unreachable',
    });
    const read = await app.inject({ method: 'GET', url: `/api/v1/jobs/${job.id}`, headers: auth(viewer) });
    expect(read.body).not.toContain('prom-secret');
  });

  it('does not log what users search for, nor any credential', async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/assistant/search?q=${QUERY}+payments`,
      headers: auth(viewer),
    });
    expect(res.statusCode).toBe(200);
    const text = logLines.join('');
    expect(text).toContain('/api/v1/assistant/search?q=%5Bredacted%5D');
    expect(text).not.toContain(QUERY);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});
