import { useEffect, useState } from 'react';
import type { EngineApi } from './EngineApi';
import type { JobRecordOf } from './types';
import { useEngineApi } from './useEngineApi';

export interface JobStreamOptions {
  /** Reconnections in a row without a message before falling back to polling. */
  maxReconnects?: number;
  /** First wait before reconnecting; doubles per failure up to 5 s. */
  reconnectMs?: number;
  /** Polling interval once the stream is given up (a proxy that buffers or refuses event streams). */
  pollMs?: number;
}

export interface JobStreamState<R> {
  job?: JobRecordOf<R>;
  error?: unknown;
  /** `stream` while events arrive over SSE, `poll` after falling back. */
  transport: 'stream' | 'poll';
}

const isFinal = (job: { status: string }) => job.status !== 'queued' && job.status !== 'running';
const MAX_BACKOFF_MS = 5000;

/**
 * Follows a job to its final record: over the engine's SSE stream, reconnecting with backoff when the connection
 * drops (a reconnect gets the current record first, so nothing is missed), and polling when the stream keeps
 * failing. Every page that waits on a job uses this one hook.
 */
export function useJobStream<R = unknown>(
  jobId: string | undefined,
  options: JobStreamOptions = {}
): JobStreamState<R> {
  const api = useEngineApi();
  // Keyed by job: a new id shows nothing of the previous job's stream.
  const [state, setState] = useState<JobStreamState<R> & { id?: string }>({ transport: 'stream' });
  const { maxReconnects = 3, reconnectMs = 500, pollMs = 1000 } = options;

  useEffect(() => {
    if (!jobId) {
      return undefined;
    }
    const abort = new AbortController();
    const update = (next: Partial<JobStreamState<R>>) =>
      !abort.signal.aborted &&
      setState((prev) => ({ ...(prev.id === jobId ? prev : { transport: 'stream' as const }), ...next, id: jobId }));
    void follow<R>(api, jobId, abort.signal, update, { maxReconnects, reconnectMs, pollMs });
    return () => abort.abort();
  }, [api, jobId, maxReconnects, reconnectMs, pollMs]);

  return state.id === jobId
    ? { job: state.job, error: state.error, transport: state.transport }
    : { transport: 'stream' };
}

async function follow<R>(
  api: EngineApi,
  id: string,
  signal: AbortSignal,
  update: (next: Partial<JobStreamState<R>>) => void,
  options: Required<JobStreamOptions>
): Promise<void> {
  let failures = 0;
  while (!signal.aborted && failures <= options.maxReconnects) {
    try {
      for await (const record of api.jobEvents<R>(id, signal)) {
        failures = 0;
        update({ job: record, error: undefined });
        if (isFinal(record)) {
          return;
        }
      }
      failures++; // the stream ended before the job did: the connection was cut
    } catch {
      if (signal.aborted) {
        return;
      }
      failures++;
      if (failures > options.maxReconnects) {
        break;
      }
    }
    await sleep(Math.min(options.reconnectMs * 2 ** (failures - 1), MAX_BACKOFF_MS), signal);
  }
  if (!signal.aborted) {
    update({ transport: 'poll' });
    await poll<R>(api, id, signal, update, options.pollMs);
  }
}

async function poll<R>(
  api: EngineApi,
  id: string,
  signal: AbortSignal,
  update: (next: Partial<JobStreamState<R>>) => void,
  pollMs: number
): Promise<void> {
  while (!signal.aborted) {
    try {
      const record = await api.job<R>(id);
      update({ job: record, error: undefined });
      if (isFinal(record)) {
        return;
      }
    } catch (error) {
      update({ error });
    }
    await sleep(pollMs, signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
