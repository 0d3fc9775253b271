import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);

/**
 * Starts a worker thread on a module given as `<name>.js` beside the caller's module. From the build that file
 * exists; from source (tsx, vitest) only `<name>.ts` does, and a worker does not inherit tsx's loader hooks, so the
 * worker registers them first and then imports the TypeScript entry (the same bootstrap as the forecast training worker).
 */
export function startModuleWorker(callerUrl: string, name: string, workerData?: unknown): Worker {
  const js = new URL(`./${name}.js`, callerUrl);
  const ts = new URL(`./${name}.ts`, callerUrl);
  const fromSource = !existsSync(fileURLToPath(js)) && existsSync(fileURLToPath(ts));
  const execArgv = workerExecArgv();
  if (!fromSource) return new Worker(js, { workerData, execArgv });
  return new Worker(
    `import(${JSON.stringify(tsxEsmApi())}).then((api) => { api.register(); return import(${JSON.stringify(ts.href)}); })`,
    { eval: true, workerData, execArgv },
  );
}

/**
 * The process's Node flags without those that only make sense for a main script: an engine started with
 * `node --input-type=module -e ...` (as embedders' test helpers do) would otherwise hand `--input-type` to every
 * worker, which then fails at once ("--input-type can only be used with string input") and every RCA job with it.
 */
export function workerExecArgv(argv: readonly string[] = process.execArgv): string[] {
  const dropped = new Set(['--input-type', '-e', '--eval', '-p', '--print']);
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const name = flag.split('=')[0]!;
    if (!dropped.has(name)) {
      kept.push(flag);
      continue;
    }
    // Each of them takes a value: `--input-type=module` carries it, `--input-type module` and `-e CODE` do not.
    if (!flag.includes('=')) i++;
  }
  return kept;
}

/** The ESM build of tsx's register API (require.resolve would give the CJS build, which cannot register in a worker). */
function tsxEsmApi(): string {
  const pkgPath = require.resolve('tsx/package.json');
  const pkg = require(pkgPath) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(join(dirname(pkgPath), pkg.exports['./esm/api']!.import.default)).href;
}
