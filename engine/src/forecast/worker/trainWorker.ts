import { parentPort, workerData } from 'node:worker_threads';
import { isEngineError } from '../../errors.js';
import { runTrainingTask, type TrainingTask } from './trainingTask.js';

/** Worker entry: runs one training task off the main thread and reports progress, then the outcome. */
const port = parentPort!;
const task = workerData as TrainingTask;
let last = 0;
runTrainingTask(task, (fraction, message) => {
  const now = Date.now();
  if (now - last < 200 && fraction < 1) return;
  last = now;
  port.postMessage({ type: 'progress', fraction, message });
})
  .then((outcome) => port.postMessage({ type: 'done', outcome }))
  .catch((error: unknown) =>
    port.postMessage({
      type: 'error',
      code: isEngineError(error) ? error.code : 'INTERNAL',
      message: error instanceof Error ? error.message : String(error),
      issues: isEngineError(error) ? error.issues : [],
    }),
  );
