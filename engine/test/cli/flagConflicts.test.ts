import { describe, expect, it } from 'vitest';
import { runCliProcess, type CliProcessRun } from '../support/runCliProcess.js';

function cli(args: string[]): Promise<CliProcessRun> {
  return runCliProcess(args);
}

/**
 * Found walking the README's command table: of two actions given at once, one won silently
 * (`forecast --train --backtest` only backtested, `alerts --stats --send F` only sent, `incidents --ack A --resolve B`
 * only acknowledged A). Commander refuses the pair, naming both options, before anything runs.
 */
describe('aicloudops refuses two actions of one command at once', () => {
  it.each([
    [
      ['forecast', '-s', 'checkout', '--train', '--backtest'],
      "option '--train' cannot be used with option '--backtest'",
    ],
    [
      ['forecast', '-s', 'checkout', '--train', '--models'],
      "option '--train' cannot be used with option '--models'",
    ],
    [
      ['forecast', '-s', 'checkout', '--backtest', '--models'],
      "option '--backtest' cannot be used with option '--models'",
    ],
    [
      ['forecast', '-s', 'checkout', '--signal', 'cpu', '--query', 'up'],
      "option '--signal <signal>' cannot be used with option '--query <promql>'",
    ],
    [
      ['scale-plan', '-w', 'checkout', '--query', 'up', '--signal', 'cpu'],
      "option '--signal <signal>' cannot be used with option '--query <promql>'",
    ],
    [
      ['alerts', '--stats', '--send', 'webhook.json'],
      "option '--stats' cannot be used with option '--send <file>'",
    ],
    [
      ['incidents', '--ack', 'a', '--resolve', 'b'],
      "option '--ack <id>' cannot be used with option '--resolve <id>'",
    ],
    [
      ['incidents', '--show', 'a', '--resolve', 'a'],
      "option '--show <id>' cannot be used with option '--resolve <id>'",
    ],
  ])(
    '%j',
    async (args, message) => {
      const run = await cli(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`error: ${message}`);
      expect(run.stdout).toBe('');
    },
    60_000,
  );
});
