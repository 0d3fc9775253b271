import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { printTable, repoRoot, type BenchMain } from './lib.js';
import { startServer } from '../src/server/startServer.js';

/**
 * `npm run bench -- cli-speed [--runs 3]`: wall time of each one-shot command of the demo as a user runs it
 * (`npx aicloudops ...` on a fresh clone runs the TypeScript sources through tsx), the median of --runs. Baselines in
 * the same run: `aicloudops --help` (start-up alone) and `kubectl version --client` when kubectl is installed. The same
 * commands with `--server` against a demo engine started by the bench show the cost without a one-shot shop.
 */
const bin = resolve(repoRoot, 'engine', 'bin', 'aicloudops.js');

const COMMANDS: Record<string, string[]> = {
  rca: ['rca'],
  rca_list: ['rca', '--list'],
  forecast: ['forecast', '-s', 'checkout'],
  scale_plan: ['scale-plan', '-w', 'checkout'],
  doctor: ['doctor'],
  ask: ['ask', 'why is a pod crash looping?'],
  incidents: ['incidents'],
  alerts_stats: ['alerts', '--stats'],
  repair_scan: ['repair', 'scan'],
};

function timeOnce(file: string, args: string[], env: Record<string, string>): Promise<number> {
  const started = performance.now();
  return new Promise((done, fail) =>
    execFile(file, args, { env: { ...process.env, ...env }, timeout: 120_000 }, (error, _stdout, stderr) =>
      error
        ? fail(new Error(`${args.join(' ')} failed: ${stderr || error.message}`))
        : done((performance.now() - started) / 1000),
    ),
  );
}

async function median(
  runs: number,
  file: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<number> {
  const seconds: number[] = [];
  for (let i = 0; i < runs; i++) seconds.push(await timeOnce(file, args, env));
  return seconds.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

export const main: BenchMain = async (ctx) => {
  const runs = ctx.numberOption('runs', 3);
  const env = { AICLOUDOPS_FROM_SOURCE: '1', AICLOUDOPS_URL: '', AICLOUDOPS_TOKEN: '' };
  const results: Record<string, number> = {
    startup_s: await median(runs, process.execPath, [bin, '--help'], env),
  };
  const kubectl = await median(runs, 'kubectl', ['version', '--client']).catch(() => undefined);
  if (kubectl !== undefined) results.kubectl_s = kubectl;

  const dataDir = mkdtempSync(join(tmpdir(), 'cli-speed-'));
  const server = await startServer({
    config: { logLevel: 'silent', dataDir, server: { host: '127.0.0.1', port: 0 } },
  });
  const rows: Array<[string, number, number]> = [];
  try {
    for (const [name, args] of Object.entries(COMMANDS)) {
      const oneShot = await median(runs, process.execPath, [bin, ...args], env);
      const remote = await median(runs, process.execPath, [bin, '--server', server.url, ...args], env);
      results[`${name}_s`] = oneShot;
      results[`${name}_server_s`] = remote;
      rows.push([args.join(' '), oneShot, remote]);
    }
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  results.max_one_shot_s = Math.max(...rows.map((r) => r[1]));
  results.max_server_s = Math.max(...rows.map((r) => r[2]));
  printTable(
    `cli-speed: median of ${runs} runs from the sources; start-up alone (--help) ${results.startup_s!.toFixed(2)} s` +
      (kubectl !== undefined ? `, kubectl version --client ${kubectl.toFixed(2)} s` : ''),
    ['command', 'one-shot demo s', '--server s'],
    rows,
  );
  return results;
};
