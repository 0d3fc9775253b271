import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { cloudOpsApiRef, type CloudOpsApi } from '../api/CloudOpsApi';
import type { JobRecordDto } from '../api/types';

export interface JobStreamOptions {
  /** Reconnections in a row without a message before falling back to polling. */
  maxReconnects?: number;
  /** First wait before reconnecting; doubles per failure up to 5 s. */
  reconnectMs?: number;
  /** Polling interval once the stream is given up (a proxy that buffers or refuses event streams). */
  pollMs?: number;
}

export interface JobStreamState {
  job?: JobRecordDto;
  error?: Error;
  /** `stream` while events arrive over SSE, `poll` after falling back. */
  transport: 'stream' | 'poll';
}

const MAX_BACKOFF_MS = 5000;
export const isFinalJob = (job: { status: string }) => job.status !== 'queued' && job.status !== 'running';

/**
 * Follows a job to its final record over the engine's SSE stream (through the backend's pass-through), reconnecting
 * with backoff when the connection drops (a reconnect starts with the current record, so nothing is missed) and
 * polling when streams keep failing, as proxies between browser and Backstage sometimes buffer them.
 */
export function useJobStream(jobId: string | undefined, options: JobStreamOptions = {}): JobStreamState {
  const api = useApi(cloudOpsApiRef);
  const [state, setState] = useState<JobStreamState & { id?: string }>({ transport: 'stream' });
  const { maxReconnects = 3, reconnectMs = 500, pollMs = 1000 } = options;

  useEffect(() => {
    if (!jobId) return undefined;
    const abort = new AbortController();
    const update = (next: Partial<JobStreamState>) => {
      if (abort.signal.aborted) return;
      setState((prev) => ({
        ...(prev.id === jobId ? prev : { transport: 'stream' as const }),
        ...next,
        id: jobId,
      }));
    };
    void followJob(api, jobId, abort.signal, update, { maxReconnects, reconnectMs, pollMs });
    return () => abort.abort();
  }, [api, jobId, maxReconnects, reconnectMs, pollMs]);

  return state.id === jobId
    ? { job: state.job, error: state.error, transport: state.transport }
    : { transport: 'stream' };
}

/** The hook's work, apart from React: stream, reconnect, then poll, reporting each record through `update`. */
export async function followJob(
  api: Pick<CloudOpsApi, 'job' | 'jobEvents'>,
  id: string,
  signal: AbortSignal,
  update: (next: Partial<JobStreamState>) => void,
  options: Required<JobStreamOptions>,
): Promise<void> {
  let failures = 0;
  while (!signal.aborted && failures <= options.maxReconnects) {
    try {
      for await (const record of api.jobEvents(id, signal)) {
        failures = 0;
        update({ job: record, error: undefined });
        if (isFinalJob(record)) return;
      }
      failures++; // the stream ended before the job did: the connection was cut
    } catch {
      if (signal.aborted) return;
      failures++;
      if (failures > options.maxReconnects) break;
    }
    await sleep(Math.min(options.reconnectMs * 2 ** (failures - 1), MAX_BACKOFF_MS), signal);
  }
  if (signal.aborted) return;
  update({ transport: 'poll' });
  while (!signal.aborted) {
    try {
      const record = await api.job(id);
      update({ job: record, error: undefined });
      if (isFinalJob(record)) return;
    } catch (error) {
      update({ error: error as Error });
    }
    await sleep(options.pollMs, signal);
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
