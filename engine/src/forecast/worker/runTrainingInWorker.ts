import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { EngineError, type ErrorCode, type FieldIssue } from '../../errors.js';
import type { TrainingOutcome, TrainingTask } from './trainingTask.js';

const require = createRequire(import.meta.url);

type WorkerMessage =
  | { type: 'progress'; fraction: number; message: string }
  | { type: 'done'; outcome: TrainingOutcome }
  | { type: 'error'; code: ErrorCode; message: string; issues: FieldIssue[] };

/**
 * Runs a training task in a worker thread so the server's event loop stays free (tfjs computes synchronously).
 * From source (tsx, vitest) the worker is the .ts file loaded through tsx; from the build it is the .js beside this.
 * Aborting terminates the worker.
 */
export function runTrainingInWorker(
  task: TrainingTask,
  options: { signal?: AbortSignal; onProgress?: (fraction: number, message: string) => void } = {},
): Promise<TrainingOutcome> {
  const js = new URL('./trainWorker.js', import.meta.url);
  const ts = new URL('./trainWorker.ts', import.meta.url);
  const fromSource = !existsSync(fileURLToPath(js)) && existsSync(fileURLToPath(ts));
  const worker = fromSource
    ? // A worker does not inherit tsx's loader hooks: register them first, then import the TypeScript entry.
      new Worker(
        `import(${JSON.stringify(tsxEsmApi())})` +
          `.then((api) => { api.register(); return import(${JSON.stringify(ts.href)}); })`,
        { eval: true, workerData: task },
      )
    : new Worker(js, { workerData: task });
  return new Promise<TrainingOutcome>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    const onAbort = () => finish(() => reject(new EngineError('TIMEOUT', 'training cancelled')));
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort);
    worker.on('message', (msg: WorkerMessage) => {
      if (msg.type === 'progress') options.onProgress?.(msg.fraction, msg.message);
      else if (msg.type === 'done') finish(() => resolve(restoreBuffers(msg.outcome)));
      else finish(() => reject(new EngineError(msg.code, msg.message, { issues: msg.issues })));
    });
    worker.on('error', (error) => finish(() => reject(new EngineError('INTERNAL', `training worker failed: ${error.message}`, { cause: error }))));
    worker.on('exit', (code) => {
      if (!settled) finish(() => reject(new EngineError('INTERNAL', `training worker exited with code ${code}`)));
    });
  });
}

/** Buffers arrive as Uint8Array after structured cloning. */
function restoreBuffers(outcome: TrainingOutcome): TrainingOutcome {
  if (!outcome.lstm) return outcome;
  const w = outcome.lstm.weights as unknown as Uint8Array;
  return { ...outcome, lstm: { modelJson: outcome.lstm.modelJson, weights: Buffer.from(w.buffer, w.byteOffset, w.byteLength) } };
}

/** The ESM build of tsx's register API (require.resolve would give the CJS build, which cannot register in a worker). */
function tsxEsmApi(): string {
  const pkgPath = require.resolve('tsx/package.json');
  const pkg = require(pkgPath) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(join(dirname(pkgPath), pkg.exports['./esm/api']!.import.default)).href;
}
