import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);

/**
 * Calls (and awaits) `exportName` of a TypeScript module on each input in a worker thread and answers whether every call returned
 * within `deadlineMs`. A regular expression that backtracks holds the thread that runs it, so a test timeout in the
 * same thread never fires; a worker can be stopped from outside. For ReDoS tests: pick inputs the vulnerable pattern
 * needs minutes for, and a deadline far above what a linear one needs (the bound, not a speed assertion).
 */
export async function finishesWithin(
  moduleUrl: URL,
  exportName: string,
  inputs: string[],
  deadlineMs: number,
): Promise<boolean> {
  const pkgPath = require.resolve('tsx/package.json');
  const pkg = require(pkgPath) as { exports: Record<string, { import: { default: string } }> };
  const tsx = pathToFileURL(join(dirname(pkgPath), pkg.exports['./esm/api']!.import.default)).href;
  const code = `
    const { parentPort, workerData } = await import('node:worker_threads');
    const api = await import(${JSON.stringify(tsx)});
    api.register();
    const mod = await import(${JSON.stringify(moduleUrl.href)});
    parentPort.postMessage('loaded');
    for (const input of workerData) await mod[${JSON.stringify(exportName)}](input);
    parentPort.postMessage('done');`;
  const worker = new Worker(`(async () => {${code}})()`, { eval: true, workerData: inputs });
  try {
    return await new Promise<boolean>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      worker.on('error', reject);
      worker.on('message', (message) => {
        // The deadline starts once the module is loaded: loading through tsx on a busy machine is not what is bounded.
        if (message === 'loaded') timer = setTimeout(() => resolve(false), deadlineMs);
        if (message === 'done') {
          clearTimeout(timer);
          resolve(true);
        }
      });
    });
  } finally {
    await worker.terminate();
  }
}
