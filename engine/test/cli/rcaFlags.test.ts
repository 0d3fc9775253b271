import { describe, expect, it } from 'vitest';
import { MIN_SINCE_SECONDS } from '../../src/cli/commands/rca.js';
import { MIN_WINDOW_SECONDS } from '../../src/rca/RcaService.js';
import { runCliProcess, type CliProcessRun } from '../support/runCliProcess.js';

function rca(args: string[]): Promise<CliProcessRun> {
  return runCliProcess(['rca', ...args]);
}

/**
 * Found walking the README's `rca [--since 15m | --start T --end T]`: given both, --start won and --since was
 * dropped without a word; `--end` alone and `--signal` without `-s` were ignored. Refused before any engine starts.
 */
describe('aicloudops rca refuses window and target flags that do not go together', () => {
  it.each([
    [['--since', '15m', '--start', '2026-01-01T00:00:00Z'], '--since is a window ending now'],
    [['--since', '15m', '--end', '2026-01-01T00:00:00Z'], '--since is a window ending now'],
    [['--end', '2026-01-01T00:00:00Z'], '--end needs --start'],
    [['--signal', 'latency_p99'], '--signal needs -s/--service'],
    // A zero --since was falsy: `0m` ran the default 15-minute window and `0h --start T` passed the check above.
    [['--since', '0m'], '--since must be at least 60 s'],
    [['--since', '00m'], '--since must be at least 60 s'],
    [['--since', '0h', '--start', '2026-12-07T16:00:00Z'], '--since must be at least 60 s'],
    // Too short: the engine refused it naming --end, a flag not given.
    [['--since', '30s'], '--since must be at least 60 s'],
  ])(
    'rca %j: INVALID_INPUT naming the flag, exit 2',
    async (args, message) => {
      const run = await rca(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`error INVALID_INPUT: ${message}`);
      expect(run.stdout).toBe('');
    },
    60_000,
  );

  it("a --since over the engine's longest window is refused naming --since, not --start", async () => {
    // The window --since makes was refused as `--start: the window must be at most 161385 s long`.
    const run = await rca(['--since', '99d']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error INVALID_INPUT: invalid request: --since: the window must be at most/);
    expect(run.stderr).not.toContain('--start');
    const json = await rca(['--json', '--since', '99d']);
    expect(JSON.parse(json.stdout).error.issues.map((i: { field: string }) => i.field)).toEqual(['since']);
  }, 60_000);

  it("--since's floor is the engine's shortest RCA window", () => {
    expect(MIN_SINCE_SECONDS).toBe(MIN_WINDOW_SECONDS);
  });

  it('the same flags as JSON name the field', async () => {
    const run = await rca(['--json', '--signal', 'cpu']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error.issues).toEqual([
      { field: 'signal', message: 'needs -s/--service, the service whose signal it is' },
    ]);
  }, 60_000);
});
