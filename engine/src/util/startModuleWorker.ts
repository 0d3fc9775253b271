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
  if (!fromSource) return new Worker(js, { workerData });
  return new Worker(
    `import(${JSON.stringify(tsxEsmApi())}).then((api) => { api.register(); return import(${JSON.stringify(ts.href)}); })`,
    { eval: true, workerData },
  );
}

/** The ESM build of tsx's register API (require.resolve would give the CJS build, which cannot register in a worker). */
function tsxEsmApi(): string {
  const pkgPath = require.resolve('tsx/package.json');
  const pkg = require(pkgPath) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(join(dirname(pkgPath), pkg.exports['./esm/api']!.import.default)).href;
}
