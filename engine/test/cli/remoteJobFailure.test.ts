import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoServerPerFile } from '../support/demoServerPerFile.js';
import { runCliProcess } from '../support/runCliProcess.js';

/** What a run said about its error: the error line and the issue lines under it. */
const errorLines = (stderr: string) =>
  stderr.split('\n').filter((line) => line.startsWith('error ') || line.startsWith('  '));

/**
 * Found walking the README with an unknown service: `rca -s nosuchservice --server URL` printed the job's error twice,
 * as a last progress line (`rca: no series or workload named ...`) and as the error, where one-shot prints it once;
 * and without the known services, which the job record dropped (it kept the error's code and message only).
 */
describe('aicloudops --server prints a failed job its error as one-shot does', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cli-job-failure-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const server = demoServerPerFile({ dataDir, alerts: { autoRca: false } });

  it('rca with a service nobody runs', async () => {
    const run = await runCliProcess(['--server', server.url, 'rca', '-s', 'nosuchservice']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const said = run.stderr.split('\n').filter((line) => line.includes('no series or workload named'));
    expect(said).toEqual([
      'error NOT_FOUND: no series or workload named "nosuchservice" in namespace "shop"',
    ]);
  }, 60_000);

  it('lists the known services under the error, the same lines as a one-shot run', async () => {
    const [remote, oneShot] = await Promise.all([
      runCliProcess(['--server', server.url, 'rca', '-s', 'nosuchservice']),
      runCliProcess(['rca', '-s', 'nosuchservice'], { AICLOUDOPS_CLUSTER__INJECT_FAULTS: 'false' }),
    ]);
    expect(errorLines(remote.stderr)).toEqual(errorLines(oneShot.stderr));
    expect(errorLines(remote.stderr)[1]).toMatch(
      /^ {2}--service: unknown in namespace shop; known: .*\bcart\b/,
    );
  }, 60_000);

  it('a one-shot training job that fails prints its error once, not also as a progress line', async () => {
    // `train: no series for service "nosuch"` came before the same error: LocalBackend followed every update, the
    // final one too, where RemoteBackend followed only a job under way.
    const run = await runCliProcess(['forecast', '-s', 'nosuchservice', '--train'], {
      AICLOUDOPS_CLUSTER__INJECT_FAULTS: 'false',
    });
    expect(run.code).toBe(1);
    const said = run.stderr
      .split('\n')
      .filter((line) => !line.startsWith('{') && line.includes('no series for service'));
    expect(said).toEqual(['error NOT_FOUND: no series for service "nosuchservice"']);
    // Nor as a warning log line with its stack: an unknown service is the caller's error, not the engine's.
    expect(run.stderr.split('\n').filter((line) => line.startsWith('{'))).toEqual([]);
  }, 60_000);

  it('GET /jobs/:id keeps the failed job its error issues', async () => {
    const started = await fetch(`${server.url}/api/v1/rca`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ target: { service: 'nosuchservice' } }),
    });
    const { id } = (await started.json()) as { id: string };
    let job: { status: string; error?: { issues?: { field: string; message: string }[] } };
    do {
      await new Promise((r) => setTimeout(r, 100));
      job = (await (await fetch(`${server.url}/api/v1/jobs/${id}`)).json()) as typeof job;
    } while (job.status === 'queued' || job.status === 'running');
    expect(job.status).toBe('failed');
    expect(job.error?.issues).toEqual([
      { field: 'body.target.service', message: expect.stringMatching(/^unknown in namespace shop; known: /) },
    ]);
  }, 60_000);
});
