import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/startServer.js';
import { runCliInProcess as run } from '../support/runCliInProcess.js';

const OPERATOR = 'cli-server-operator-token';
/** 2026-12-07 00:00 UTC: shipping's crash loop ranks first at every 5 minutes from 23:00 to 01:00. */
const NOW = 1_796_601_600;

/**
 * `--server URL --token T` on the one-shot commands: the CLI works on the running engine's simulated shop and store,
 * so what it analyses is what the API (and so the Grafana page) lists, and what the API stored the CLI shows.
 */
describe('aicloudops --server', () => {
  let server: RunningServer;
  const dataDir = mkdtempSync(join(tmpdir(), 'cli-server-'));
  const remote = () => ['--server', server.url, '--token', OPERATOR, '--json'];
  const humanRemote = () => ['--server', server.url, '--token', OPERATOR];

  beforeAll(async () => {
    // The analysis ends at the wall clock, and the demo's daily cycle decides what else stands out: at 06:33 and
    // 08:33 UTC ads and redis-cart outranked shipping. Date starts at NOW and runs on; timers stay real.
    vi.useFakeTimers({ toFake: ['Date'], now: NOW * 1000, shouldAdvanceTime: true });
    server = await startServer({
      config: {
        logLevel: 'silent',
        dataDir,
        server: {
          host: '127.0.0.1',
          port: 0,
          auth: { enabled: true, tokens: [{ name: 'cli', token: OPERATOR, role: 'operator' }] },
        },
        cluster: { kind: 'simulated', injectFaults: false },
        alerts: { autoRca: false },
      },
    });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
    vi.useRealTimers();
  });

  async function api<T>(path: string): Promise<T> {
    const response = await fetch(`${server.url}${path}`, {
      headers: { authorization: `Bearer ${OPERATOR}` },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  }

  it('rca runs on the running engine: the API lists the result and --show reads one the API stored', async () => {
    const injected = await fetch(`${server.url}/api/v1/demo/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${OPERATOR}` },
      body: JSON.stringify({ type: 'crash-loop', service: 'shipping' }),
    });
    expect(injected.status).toBe(201);
    server.engine.demo!.cluster.step(20);
    const analysed = await run([...remote(), 'rca', '--since', '10m']);
    expect(analysed.exitCode).toBe(0);
    const result = JSON.parse(analysed.stdout) as { id: string; candidates: Array<{ service: string }> };
    expect(result.candidates[0]?.service).toBe('shipping');
    const stored = await api<{ id: string }>(`/api/v1/rca/${result.id}`);
    expect(stored.id).toBe(result.id);

    const listed = await run([...remote(), 'rca', '--list']);
    expect((JSON.parse(listed.stdout) as { items: Array<{ id: string }> }).items.map((r) => r.id)).toContain(
      result.id,
    );
    const shown = await run([...remote(), 'rca', '--show', result.id]);
    expect((JSON.parse(shown.stdout) as { id: string }).id).toBe(result.id);
    // The human form says what the scores were measured against: the demo has a week of history.
    const human = await run([...humanRemote(), 'rca', '--show', result.id]);
    expect(human.stdout).toMatch(
      /^baseline: the same hours on 7 earlier days and the hour before, \d+ points, trust (high|medium)$/m,
    );
    // The window line names the hour before, not "baseline from" (which read as if the baseline began an hour ago).
    expect(human.stdout).toMatch(/^window \S+ → \S+ \(the hour before from \S+\), namespace shop, id /m);
  }, 120_000);

  it('forecast, doctor and incidents answer from the running engine', async () => {
    const forecast = await run([...remote(), 'forecast', '-s', 'checkout', '--horizon', '30']);
    expect(forecast.exitCode).toBe(0);
    expect((JSON.parse(forecast.stdout) as { points: unknown[] }).points.length).toBeGreaterThan(0);

    const models = await run([...remote(), 'forecast', '--models']);
    expect(models.exitCode).toBe(0);
    expect(JSON.parse(models.stdout)).toEqual({ items: expect.any(Array) });

    const doctor = await run([...remote(), 'doctor']);
    expect(doctor.exitCode).toBe(0);
    const checks = (JSON.parse(doctor.stdout) as { checks: Array<{ name: string }> }).checks.map(
      (c) => c.name,
    );
    expect(checks).toEqual(expect.arrayContaining(['store', 'cluster:simulated']));

    const incidents = await run([...remote(), 'incidents']);
    expect(incidents.exitCode).toBe(0);
    expect(JSON.parse(incidents.stdout)).toHaveProperty('items');
  }, 120_000);

  it("keeps the engine's refusals: code, fields and exit code as a one-shot run prints them", async () => {
    const missing = await run([...remote(), 'rca', '--show', 'no-such-result']);
    expect(missing.exitCode).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: { code: 'NOT_FOUND' } });

    const badStart = await run([...remote(), 'rca', '--start', 'banana']);
    expect(badStart.exitCode).toBe(2);
    expect(JSON.parse(badStart.stdout)).toMatchObject({
      error: { code: 'INVALID_INPUT', issues: [expect.objectContaining({ field: 'start' })] },
    });

    const human = await run([...humanRemote(), 'forecast', '-s', 'checkout', '--signal', 'no_such_signal']);
    expect(human.exitCode).toBe(2);
    expect(human.stderr).toMatch(/^error INVALID_INPUT: /);
  }, 60_000);

  it('a bad option value is refused naming the flag, whether the CLI or the engine checks it', async () => {
    const top = await run([...remote(), 'rca', '--top', 'abc']);
    expect(top.exitCode).toBe(2);
    expect(JSON.parse(top.stdout)).toMatchObject({
      error: {
        code: 'INVALID_INPUT',
        issues: [{ field: 'top', message: 'must be a whole number of at least 1' }],
      },
    });

    // Not a number: refused at the edge, before any request.
    const horizon = await run([...humanRemote(), 'forecast', '-s', 'checkout', '--horizon', 'abc']);
    expect(horizon.exitCode).toBe(2);
    expect(horizon.stderr).toContain('--horizon must be a whole number of at least 1, got "abc"');
    // Over the engine's bound (its schema holds it): the engine's message names the flag, not body.horizonMinutes.
    const far = await run([...humanRemote(), 'forecast', '-s', 'checkout', '--horizon', '999999']);
    expect(far.exitCode).toBe(2);
    expect(far.stderr).toContain('--horizon');
    expect(far.stderr).not.toContain('body.horizonMinutes');
    // The engine's bodies take numbers only: --test-days reaches it as one, so its range check speaks, not its type.
    const testDays = await run([
      ...humanRemote(),
      'forecast',
      '-s',
      'checkout',
      '--backtest',
      '--test-days',
      '99',
    ]);
    expect(testDays.exitCode).toBe(2);
    expect(testDays.stderr).toContain('--test-days');
    expect(testDays.stderr).toMatch(/30/);
    expect(testDays.stderr).not.toContain('received string');
    const capacity = await run([...humanRemote(), 'scale-plan', '-w', 'checkout', '--capacity', 'lots']);
    expect(capacity.exitCode).toBe(2);
    expect(capacity.stderr).toContain('--capacity must be a number above 0, got "lots"');

    // Listed before the request: a one-shot engine used to list nothing for a status that does not exist.
    const status = await run([...humanRemote(), 'incidents', '--status', 'bogus']);
    expect(status.exitCode).toBe(2);
    expect(status.stderr).toBe(
      'error INVALID_INPUT: --status must be one of open, resolved, all, got "bogus"\n',
    );
    const limit = await run([...remote(), 'alerts', '--limit', '0']);
    expect(JSON.parse(limit.stdout)).toMatchObject({ error: { issues: [{ field: 'limit' }] } });
  }, 60_000);

  it("the engine's refusals of forecast, scale-plan and ask name the flag or argument, never the request field", async () => {
    // The issue line came out as `signal: must be one of …`, the engine's field without the flag's dashes.
    const signal = await run([...humanRemote(), 'forecast', '-s', 'frontend', '--signal', 'bogus']);
    expect(signal.exitCode).toBe(2);
    expect(signal.stderr).toContain('\n  --signal: must be one of ');
    expect(signal.stderr).not.toMatch(/^ {2}(body\.)?signal:/m);
    const signalJson = await run([...remote(), 'forecast', '-s', 'frontend', '--signal', 'bogus']);
    expect(JSON.parse(signalJson.stdout).error.issues).toEqual([
      expect.objectContaining({ field: 'signal' }),
    ]);

    // Not in the table: the cluster registry's `cluster` came back as `cluster: must be one of simulated`.
    const cluster = await run([...humanRemote(), 'scale-plan', '-w', 'checkout', '--cluster', 'nosuch']);
    expect(cluster.exitCode).toBe(1);
    expect(cluster.stderr).toBe(
      'error NOT_FOUND: unknown cluster "nosuch"; configured: simulated\n  --cluster: must be one of simulated\n',
    );

    // A positional argument is named as the usage line shows it, and by its bare name in JSON.
    const empty = await run([...humanRemote(), 'ask', '']);
    expect(empty.exitCode).toBe(2);
    expect(empty.stderr).toContain('<question>: must not be empty');
    expect(empty.stderr).not.toContain('body.question');
    const emptyJson = await run([...remote(), 'ask', '  ']);
    expect(JSON.parse(emptyJson.stdout).error.issues).toEqual([
      { field: 'question', message: 'must not be empty' },
    ]);
    const conversation = await run([...humanRemote(), 'ask', 'why?', '--conversation', 'no spaces!']);
    expect(conversation.exitCode).toBe(2);
    expect(conversation.stderr).toContain('--conversation');
    expect(conversation.stderr).not.toContain('body.');
  }, 60_000);

  it('alerts --send names the file it cannot read or parse', async () => {
    const notJson = join(dataDir, 'not-json.json');
    writeFileSync(notJson, 'not json\n');
    const parsed = await run([...remote(), 'alerts', '--send', notJson]);
    expect(parsed.exitCode).toBe(2);
    const body = JSON.parse(parsed.stdout) as { error: { code: string; message: string } };
    expect(body).toMatchObject({
      error: { code: 'INVALID_INPUT', issues: [expect.objectContaining({ field: 'send' })] },
    });
    expect(body.error.message).toContain(notJson);

    const absent = join(dataDir, 'absent.json');
    const read = await run([...humanRemote(), 'alerts', '--send', absent]);
    expect(read.exitCode).toBe(2);
    expect(read.stderr).toContain(`error INVALID_INPUT: --send: cannot read ${absent}`);
  }, 60_000);

  it("alerts --send names a refused file's fields by their keys in the file, as a config file's are named", async () => {
    // It said `invalid request: body.version: ...`: the engine's name for the request, not the file the user wrote.
    const wrong = join(dataDir, 'wrong.json');
    writeFileSync(
      wrong,
      JSON.stringify({
        version: '3',
        groupKey: 'g',
        status: 'firing',
        receiver: 'r',
        alerts: [{ status: 'firing', labels: {}, startsAt: 'soon' }],
      }),
    );
    const human = await run([...humanRemote(), 'alerts', '--send', wrong]);
    expect(human.exitCode).toBe(2);
    expect(human.stderr).toBe(
      `error INVALID_INPUT: invalid webhook file ${wrong}: version: only Alertmanager webhook payload version "4" is supported; alerts.0.startsAt: must be an RFC 3339 time\n`,
    );
    const json = await run([...remote(), 'alerts', '--send', wrong]);
    expect(json.exitCode).toBe(2);
    expect(
      (JSON.parse(json.stdout) as { error: { issues: { field: string }[] } }).error.issues.map(
        (i) => i.field,
      ),
    ).toEqual(['version', 'alerts.0.startsAt']);
  }, 60_000);

  it("alerts and incidents name --limit over the route's bound, not querystring.limit", async () => {
    const alerts = await run([...humanRemote(), 'alerts', '--limit', '99999999']);
    expect(alerts.exitCode).toBe(2);
    expect(alerts.stderr).toBe(
      'error INVALID_INPUT: invalid request: --limit: Too big: expected number to be <=5000\n',
    );
    const incidents = await run([...remote(), 'incidents', '--limit', '5000']);
    expect(incidents.exitCode).toBe(2);
    expect(JSON.parse(incidents.stdout).error.issues).toEqual([
      { field: 'limit', message: 'Too big: expected number to be <=1000' },
    ]);
  }, 60_000);

  it('names --server when it is not a URL, and reports the engine refusing a missing token', async () => {
    const bad = await run(['--server', 'not a url', 'rca']);
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toMatch(/--server must be an http\(s\) URL/);

    const closed = await freePort();
    const down = await run(['--server', `http://127.0.0.1:${closed}`, 'rca', '--list']);
    expect(down.exitCode).not.toBe(0);
    expect(down.stderr).toContain(`cannot reach the engine at http://127.0.0.1:${closed} (ECONNREFUSED)`);

    const anonymous = await run(['--server', server.url, 'rca', '--list']);
    expect(anonymous.exitCode).not.toBe(0);
    expect(anonymous.stderr).toMatch(/401|UNAUTHENTICATED|token/i);
  }, 60_000);
});

/** A loopback port nothing listens on (taken, then released). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
