import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { EngineError, type ErrorCode } from '../../errors.js';
import { startModuleWorker } from '../../util/startModuleWorker.js';
import type { AnalysisOutput } from '../analyzeIncident.js';
import type { RcaConfig } from '../config.js';
import type { ProgressFn, RcaInput } from '../types.js';

export interface RcaWorkerRequest {
  id: number;
  input: RcaInput;
  config: RcaConfig;
}

export type RcaWorkerReply =
  | { type: 'progress'; id: number; fraction: number; message: string }
  | { type: 'done'; id: number; output: AnalysisOutput }
  | { type: 'error'; id: number; code: ErrorCode; message: string };

interface Task {
  request: RcaWorkerRequest;
  progress?: ProgressFn;
  resolve(output: AnalysisOutput): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  task?: Task;
}

/**
 * Runs analyzeIncident (pure, synchronous, 10–500 ms per incident) on worker threads so the event loop keeps serving
 * requests: before, 60 concurrent analyses held `/healthz` for 4.5 s. Workers are started on first use and kept (a
 * worker's start costs more than an analysis, ~1 s from source through tsx); tasks beyond the pool wait in FIFO order.
 * The default size leaves one core to the event loop: one worker on a 2-core machine, at most 4.
 */
export class RcaWorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly size = Math.max(1, Math.min(4, availableParallelism() - 1))) {}

  /** Runs one analysis; `signal` drops it from the queue, or stops the worker running it (a new one starts on demand). */
  analyze(
    input: RcaInput,
    config: RcaConfig,
    progress?: ProgressFn,
    signal?: AbortSignal,
  ): Promise<AnalysisOutput> {
    if (this.closed)
      return Promise.reject(new EngineError('UPSTREAM_UNAVAILABLE', 'the RCA worker pool is closed'));
    if (signal?.aborted) return Promise.reject(new EngineError('TIMEOUT', 'RCA cancelled'));
    return new Promise<AnalysisOutput>((resolve, reject) => {
      const task: Task = {
        request: { id: this.nextId++, input, config },
        ...(progress ? { progress } : {}),
        resolve,
        reject,
      };
      signal?.addEventListener('abort', () => this.cancel(task), { once: true });
      this.queue.push(task);
      this.dispatch();
    });
  }

  private cancel(task: Task): void {
    const error = new EngineError('TIMEOUT', 'RCA cancelled');
    const queued = this.queue.indexOf(task);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      task.reject(error);
      return;
    }
    const slot = this.slots.find((s) => s.task === task);
    if (!slot) return;
    this.slots.splice(this.slots.indexOf(slot), 1);
    slot.task = undefined;
    void slot.worker.terminate();
    task.reject(error);
    if (!this.closed) this.dispatch();
  }

  /** Tasks waiting for a worker (the admission limit counts them with the running ones). */
  get waiting(): number {
    return this.queue.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0))
      task.reject(new EngineError('UPSTREAM_UNAVAILABLE', 'the RCA worker pool closed'));
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot =
        this.slots.find((s) => !s.task) ?? (this.slots.length < this.size ? this.spawn() : undefined);
      if (!slot) return;
      const task = this.queue.shift()!;
      try {
        slot.worker.postMessage(task.request);
      } catch (error) {
        task.reject(
          new EngineError('INTERNAL', `RCA input cannot be sent to a worker: ${(error as Error).message}`, {
            cause: error,
          }),
        );
        continue;
      }
      slot.task = task;
      slot.worker.ref();
    }
  }

  private spawn(): Slot {
    const worker = startModuleWorker(import.meta.url, 'rcaWorker');
    const slot: Slot = { worker };
    worker.on('message', (reply: RcaWorkerReply) => this.onReply(slot, reply));
    worker.on('error', (error) =>
      this.onExit(slot, new EngineError('INTERNAL', `RCA worker failed: ${error.message}`, { cause: error })),
    );
    worker.on('exit', (code) =>
      this.onExit(slot, new EngineError('INTERNAL', `RCA worker exited with code ${code}`)),
    );
    this.slots.push(slot);
    return slot;
  }

  private onReply(slot: Slot, reply: RcaWorkerReply): void {
    const task = slot.task;
    if (!task || task.request.id !== reply.id) return;
    if (reply.type === 'progress') {
      task.progress?.(reply.fraction, reply.message);
      return;
    }
    slot.task = undefined;
    // An idle worker must not keep the process alive.
    slot.worker.unref();
    if (reply.type === 'done') task.resolve(reply.output);
    else task.reject(new EngineError(reply.code, reply.message));
    this.dispatch();
  }

  /** A worker that died takes its task with it; the next task gets a fresh worker. */
  private onExit(slot: Slot, error: EngineError): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    slot.task?.reject(error);
    slot.task = undefined;
    void slot.worker.terminate();
    if (!this.closed) this.dispatch();
  }
}
