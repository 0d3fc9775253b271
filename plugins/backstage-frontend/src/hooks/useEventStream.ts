import { useCallback, useEffect, useMemo, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  createAsker,
  followJob as followJobShared,
  IDLE_ASK_STATE,
  type AskStreamState,
  type JobStreamOptions,
} from '@ai-cloudops/engine-client';
import { cloudOpsApiRef, type CloudOpsApi } from '../api/CloudOpsApi';
import type { Answer, JobRecordDto } from '../api/types';

/**
 * The tab's React hooks over the engine's server-sent events, read through the backend's /engine pass-through: job
 * progress (a GET stream, resumable) and the assistant's answer (a POST stream, not resumable). Reconnects,
 * fallbacks and "never ask twice" are the shared functions of @ai-cloudops/engine-client (the Grafana app uses the
 * same ones); these hooks feed them `CloudOpsApi`'s calls.
 */

export {
  askOverStream,
  followEvents,
  isFinalJob,
  type AskStreamState,
  type JobStreamOptions,
  type ReconnectOptions,
} from '@ai-cloudops/engine-client';

// ---- Job progress -------------------------------------------------------------------------------------------

export interface JobStreamState {
  job?: JobRecordDto;
  error?: Error;
  /** `stream` while events arrive over SSE, `poll` after falling back. */
  transport: 'stream' | 'poll';
}

/**
 * Follows a job to its final record over the engine's SSE stream (reconnects with backoff, and a reconnect starts
 * with the current record) and polls when streams keep failing, as proxies between browser and Backstage sometimes
 * buffer them.
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

/** The hook's work, apart from React: the shared followJob on this api's job calls. */
export function followJob(
  api: Pick<CloudOpsApi, 'job' | 'jobEvents'>,
  id: string,
  signal: AbortSignal,
  update: (next: Partial<JobStreamState>) => void,
  options: Required<JobStreamOptions>,
): Promise<void> {
  const source = { openStream: (s: AbortSignal) => api.jobEvents(id, s), getJob: () => api.job(id) };
  return followJobShared(source, signal, update, options);
}

// ---- The assistant's answer ---------------------------------------------------------------------------------

export type AskRequest = { question: string; namespace?: string; workload?: string };

/** Asks the assistant over SSE, showing tokens, tool calls and citations as they come; a new question aborts the last. */
export function useAskStream(): {
  state: AskStreamState;
  ask: (request: AskRequest) => Promise<Answer | undefined>;
} {
  const api = useApi(cloudOpsApiRef);
  const [state, setState] = useState<AskStreamState>(IDLE_ASK_STATE);
  const asker = useMemo(() => createAsker<AskRequest, AskStreamState>(api, setState), [api]);
  useEffect(() => () => asker.abort(), [asker]);
  const ask = useCallback(
    (request: AskRequest) => asker.ask(request, { ...IDLE_ASK_STATE, phase: 'streaming' }),
    [asker],
  );
  return { state, ask };
}
