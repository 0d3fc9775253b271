import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoServerPerFile } from '../support/demoServerPerFile.js';
import { runCliProcess } from '../support/runCliProcess.js';

/**
 * Found walking the README with an unknown service: `rca -s nosuchservice --server URL` printed the job's error twice,
 * as a last progress line (`rca: no series or workload named ...`) and as the error, where one-shot prints it once.
 */
describe('aicloudops --server prints a failed job its error once', () => {
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
});
