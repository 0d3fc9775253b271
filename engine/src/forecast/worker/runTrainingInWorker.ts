import { startModuleWorker } from '../../util/startModuleWorker.js';
import { EngineError, type ErrorCode, type FieldIssue } from '../../errors.js';
import type { TrainingOutcome, TrainingTask } from './trainingTask.js';

type WorkerMessage =
  | { type: 'progress'; fraction: number; message: string }
  | { type: 'done'; outcome: TrainingOutcome }
  | { type: 'error'; code: ErrorCode; message: string; issues: FieldIssue[] };

/**
 * Runs a training task in a worker thread so the server's event loop stays free (tfjs computes synchronously).
 * `startModuleWorker` picks the .js beside this (the build) or the .ts through tsx (source), as for RCA's workers.
 * Aborting terminates the worker.
 */
export function runTrainingInWorker(
  task: TrainingTask,
  options: { signal?: AbortSignal; onProgress?: (fraction: number, message: string) => void } = {},
): Promise<TrainingOutcome> {
  const worker = startModuleWorker(import.meta.url, 'trainWorker', task);
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
    worker.on('error', (error) =>
      finish(() =>
        reject(new EngineError('INTERNAL', `training worker failed: ${error.message}`, { cause: error })),
      ),
    );
    worker.on('exit', (code) => {
      if (!settled)
        finish(() => reject(new EngineError('INTERNAL', `training worker exited with code ${code}`)));
    });
  });
}

/** Buffers arrive as Uint8Array after structured cloning. */
function restoreBuffers(outcome: TrainingOutcome): TrainingOutcome {
  if (!outcome.lstm) return outcome;
  const w = outcome.lstm.weights as unknown as Uint8Array;
  return {
    ...outcome,
    lstm: { modelJson: outcome.lstm.modelJson, weights: Buffer.from(w.buffer, w.byteOffset, w.byteLength) },
  };
}
