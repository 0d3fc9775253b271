import { describe, expect, it } from 'vitest';
import { runCliProcess, type CliProcessRun } from '../support/runCliProcess.js';

function cli(args: string[]): Promise<CliProcessRun> {
  return runCliProcess(args, { AICLOUDOPS_CLUSTER__INJECT_FAULTS: 'false' });
}

/**
 * Found walking the README with bad input: `forecast -s checkout --signal nosuch` printed only
 * `error INVALID_INPUT: unknown signal "nosuch"`; the signals it may be were in the error's issues, shown by --json only.
 */
describe('aicloudops prints the issues an error message does not already say', () => {
  it('an unknown signal lists the configured ones under the message', async () => {
    const run = await cli(['forecast', '-s', 'checkout', '--signal', 'nosuch']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'error INVALID_INPUT: unknown signal "nosuch"\n' +
        '  --signal: must be one of request_rate, error_ratio, latency_p99, cpu, memory, restarts\n',
    );
  }, 60_000);

  it('a message built from its issues is printed once, without repeating them', async () => {
    const run = await cli(['rca', '-n', 'Bad_NS']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('--namespace: must be a Kubernetes namespace');
  }, 60_000);

  it('a one-shot engine refuses a list filter that does not exist instead of listing nothing', async () => {
    const run = await cli(['--json', 'incidents', '--status', 'bogus']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({
      error: {
        code: 'INVALID_INPUT',
        message: '--status must be one of open, resolved, all, got "bogus"',
        issues: [{ field: 'status', message: 'must be one of open, resolved, all' }],
      },
    });
  }, 60_000);

  it.each([
    [['alerts', '--limit', '99999999'], '<=5000'],
    [['incidents', '--limit', '5000'], '<=1000'],
  ])(
    'a one-shot %j refuses a --limit over the route bound, naming --limit',
    async (args, bound) => {
      // It listed everything one-shot, where a running engine refused `querystring.limit`.
      const run = await cli(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        `error INVALID_INPUT: invalid request: --limit: Too big: expected number to be ${bound}\n`,
      );
    },
    60_000,
  );

  it("a one-shot audit check says its empty trail is the memory store's, not the running engine's", async () => {
    const run = await cli(['repair', 'audit', '--verify']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('audit chain intact: 0 records');
    expect(run.stdout).toContain('pass --server URL');
  }, 60_000);

  it('a one-shot audit refuses a time it cannot read, naming the flag, instead of listing no records', async () => {
    const run = await cli(['repair', 'audit', '--since', 'yesterday']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'error INVALID_INPUT: invalid request: --since: must be an RFC 3339 time with its offset, e.g. 2026-01-01T00:00:00Z\n',
    );
  }, 60_000);

  it('a one-shot engine words a refused request as the server does', async () => {
    // It said `invalid forecast request:` (and `invalid RCA request:`, `invalid body:`), the server `invalid request:`.
    const run = await cli(['forecast', '-s', 'checkout', '--horizon', '1e9']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error INVALID_INPUT: invalid request: --horizon: /);
  }, 60_000);

  it('a query that does not parse names --query and is a usage error', async () => {
    const run = await cli(['forecast', '-s', 'checkout', '--query', 'sum((']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error PROMQL_ERROR: --query: parse error/);
    expect(run.stderr).toContain('--query');
  }, 60_000);
});
