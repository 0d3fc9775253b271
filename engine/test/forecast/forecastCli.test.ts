import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Command } from 'commander';
import { CliContext } from '../../src/cli/CliContext.js';
import { registerForecast } from '../../src/cli/commands/forecast.js';
import { runCliInProcess } from '../support/runCliInProcess.js';

/**
 * `aicloudops forecast` and `aicloudops scale-plan` in process against the demo profile, with the same global options
 * as the real program (main.ts registers commands from commands/index.ts). stdout is captured, not faked.
 */
function program(): Command {
  const p = new Command('aicloudops')
    .option('-c, --config <file>')
    .option('-p, --profile <profile>')
    .option('--json')
    .exitOverride();
  registerForecast(p, new CliContext(p));
  return p;
}

async function run(args: string[]): Promise<{ stdout: string; code: number }> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  process.exitCode = 0;
  try {
    await program().parseAsync(['node', 'aicloudops', ...args]);
  } finally {
    spy.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { stdout: chunks.join(''), code };
}

describe('forecast CLI', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    // The demo's synthetic metrics are computed per step: keep the history short.
    process.env.AICLOUDOPS_FORECAST__HISTORY_DAYS = '1';
    process.env.AICLOUDOPS_LOG_LEVEL = 'silent';
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('forecast --json prints the forecast document', async () => {
    const { stdout, code } = await run(['--json', 'forecast', '-s', 'cart', '--horizon', '15']);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc).toMatchObject({ seriesKey: 'shop/cart/request_rate', source: 'cold-start' });
    expect(doc.points).toHaveLength(3);
  });

  it('scale-plan --mode hpa prints the plan and an HPA manifest', async () => {
    const { stdout, code } = await run([
      '--json',
      'scale-plan',
      '-w',
      'cart',
      '--capacity',
      '5',
      '--mode',
      'hpa',
    ]);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc.plan.recommendedReplicas).toBeGreaterThanOrEqual(1);
    expect(doc.manifests[0].yaml).toContain('kind: HorizontalPodAutoscaler');
  });

  it('bad input exits 2 naming the flag', async () => {
    // The whole program (main.ts), whose handler turns a flag parser's refusal into the error document.
    const { stdout, exitCode } = await runCliInProcess([
      '--json',
      'scale-plan',
      '-w',
      'cart',
      '--capacity',
      '-3',
    ]);
    expect(exitCode).toBe(2);
    const { error } = JSON.parse(stdout);
    expect(error.issues).toEqual([{ field: 'capacity', message: 'must be a number above 0' }]);
    expect(error.message).toContain('--capacity must be a number above 0');
  });

  it('--horizon past the model, and past a week, is refused alike by forecast and scale-plan, naming the flag', async () => {
    // scale-plan stopped at 1,440 minutes where forecast takes 10,080: 2,000 was refused for different reasons.
    for (const [minutes, message] of [
      [
        '2000',
        'must be at most 60 minutes for this series: its model forecasts 12 steps of 300 s (forecast.horizonSteps)',
      ],
      ['10081', 'must be at most 10080 minutes'],
    ]) {
      for (const command of [
        ['forecast', '-s', 'cart'],
        ['scale-plan', '-w', 'cart', '--capacity', '5'],
      ]) {
        const { stdout, exitCode } = await runCliInProcess(['--json', ...command, '--horizon', minutes!]);
        expect(exitCode, `${command[0]} ${minutes}`).toBe(2);
        const { error } = JSON.parse(stdout);
        expect(error.issues, `${command[0]} ${minutes}`).toEqual([{ field: 'horizon', message }]);
        expect(error.message).toContain(`--horizon: ${message}`);
      }
    }
  }, 120_000);
});
