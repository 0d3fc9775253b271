import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../bench');

/**
 * Every `npm run bench -- NAME` module loads outside vitest and exports `main`. The benches import test fixtures;
 * when test/support/index.ts re-exported one that registers vitest hooks, `npm run bench -- alert-noise` failed with
 * "Vitest failed to access its internal state" and no test noticed. Loaded in a plain Node process, as bench/run.ts does.
 */
describe('the benchmark modules', () => {
  it('each loads in plain Node and exports main', async () => {
    const names = readdirSync(benchDir).filter((f) => f.endsWith('.bench.ts'));
    expect(names.length).toBeGreaterThan(10);
    const script = `
      const failed = [];
      for (const href of ${JSON.stringify(names.map((n) => pathToFileURL(resolve(benchDir, n)).href))}) {
        try {
          const m = await import(href);
          if (typeof m.main !== 'function') failed.push(href + ': no main export');
        } catch (error) {
          failed.push(href + ': ' + (error instanceof Error ? error.message : String(error)));
        }
      }
      console.log(JSON.stringify(failed));`;
    const run = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: resolve(benchDir, '..'), timeout: 90_000 },
    );
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1)!)).toEqual([]);
  }, 120_000);
});
