import { parentPort } from 'node:worker_threads';
import { isEngineError } from '../../errors.js';
import { analyzeIncident } from '../analyzeIncident.js';
import type { RcaWorkerRequest, RcaWorkerReply } from './RcaWorkerPool.js';

/** Worker entry: runs analyzeIncident on each request it is sent (one at a time) and answers with the output. */
const port = parentPort!;
port.on('message', (request: RcaWorkerRequest) => {
  const reply = (message: RcaWorkerReply) => port.postMessage(message);
  try {
    const output = analyzeIncident(request.input, request.config, (fraction, message) =>
      reply({ type: 'progress', id: request.id, fraction, message }),
    );
    reply({ type: 'done', id: request.id, output });
  } catch (error) {
    reply({
      type: 'error',
      id: request.id,
      code: isEngineError(error) ? error.code : 'INTERNAL',
      message: error instanceof Error ? error.message : String(error),
    });
  }
});
