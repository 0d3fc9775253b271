import { describe, expect, it } from 'vitest';
import { runCliProcess } from '../support/runCliProcess.js';

/**
 * `--json` output on stdout is the command's JSON and nothing else, whatever the engine logs meanwhile: a one-shot
 * command's engine logs to stderr. Before, pino wrote to stdout, and a warning during a run (seen under load in
 * test/repair/repairCli.test.ts) left a line after the JSON that broke every parser reading it.
 */
describe('aicloudops --json keeps logs off stdout', () => {
  it('prints only JSON on stdout with the engine logging at info, and the logs on stderr', async () => {
    const run = await runCliProcess(['--json', 'repair', 'scan'], { AICLOUDOPS_LOG_LEVEL: 'info' }, 90_000);
    expect(run.code, run.stderr).toBe(0);
    expect(() => JSON.parse(run.stdout)).not.toThrow();
    expect(run.stderr).toMatch(/"level":30/);
  }, 120_000);
});
