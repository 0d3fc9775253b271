import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startPrometheus, type PrometheusServer } from '../support/index.js';

/**
 * The compose stack's Prometheus is published on 127.0.0.1, which every web page the laptop's user opens can reach:
 * a `fetch(url, { method: 'POST', mode: 'no-cors' })` with a text/plain body needs no CORS preflight, and
 * Prometheus checks neither Origin nor Host. With `--web.enable-lifecycle` such a page stopped it (`POST /-/quit`
 * answered 200 "Requesting termination... Goodbye!"). Started here with the compose file's own flags.
 */
const COMPOSE = resolve(import.meta.dirname, '..', '..', '..', 'provisioning', 'docker-compose.yml');

function composePrometheusFlags(): string[] {
  const compose = parse(readFileSync(COMPOSE, 'utf8')) as {
    services: { prometheus: { command: string[] } };
  };
  // The config and storage paths are the container's; startPrometheus sets its own.
  return compose.services.prometheus.command.filter(
    (flag) => !/^--(config\.file|storage\.tsdb\.path)=/.test(flag),
  );
}

describe("the compose stack's Prometheus", () => {
  let prometheus: PrometheusServer;
  beforeAll(async () => {
    prometheus = await startPrometheus({ args: composePrometheusFlags() });
  }, 60_000);
  afterAll(async () => prometheus?.stop());

  it.each(['/-/quit', '/-/reload'])('refuses a cross-site POST %s from a web page', async (path) => {
    const response = await fetch(`${prometheus.url}${path}`, {
      method: 'POST',
      headers: {
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
        'content-type': 'text/plain',
      },
      body: '',
    });
    expect(response.ok).toBe(false);
    await new Promise((done) => setTimeout(done, 500));
    expect((await fetch(`${prometheus.url}/-/ready`)).status).toBe(200);
  });
});
