import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  createAsker,
  followJob,
  IDLE_ASK_STATE,
  type AskStreamState as SharedAskState,
  type JobStreamOptions,
} from '@ai-cloudops/engine-client';
import type { Answer, AskRequest, JobRecordOf } from './types';
import { useEngineApi } from './useEngineApi';

/**
 * The app's React hooks over the engine's server-sent events: job progress (a GET stream, resumable) and the
 * assistant's answer (a POST stream, not resumable). Reconnects, fallbacks and "never ask twice" are the shared
 * functions of @ai-cloudops/engine-client (the Backstage frontend uses the same ones); these hooks feed them
 * `EngineApi`'s calls, whose streams use the browser's fetch on the plugin-proxy URL (Grafana's backend service
 * buffers whole responses, which would defeat streaming).
 */

export { askOverStream, followEvents, type JobStreamOptions, type ReconnectOptions } from '@ai-cloudops/engine-client';

// ---- Job progress -------------------------------------------------------------------------------------------

export interface JobStreamState<R> {
  job?: JobRecordOf<R>;
  error?: unknown;
  /** `stream` while events arrive over SSE, `poll` after falling back. */
  transport: 'stream' | 'poll';
}

/**
 * Follows a job to its final record over its SSE stream (reconnecting with backoff; a reconnect gets the current
 * record first), polling when the stream keeps failing. Every page that waits on a job uses this hook.
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
    const source = { openStream: (s: AbortSignal) => api.jobEvents<R>(jobId, s), getJob: () => api.job<R>(jobId) };
    void followJob(source, abort.signal, update, { maxReconnects, reconnectMs, pollMs });
    return () => abort.abort();
  }, [api, jobId, maxReconnects, reconnectMs, pollMs]);

  return state.id === jobId
    ? { job: state.job, error: state.error, transport: state.transport }
    : { transport: 'stream' };
}

// ---- The assistant's answer ---------------------------------------------------------------------------------

export interface AskStreamState extends SharedAskState {
  question?: string;
}

/**
 * Asks the assistant over SSE, rendering tokens, tool calls and citations as they come. `ask` resolves with the final
 * answer, or undefined when it failed (the state says why). A new question aborts the previous stream.
 */
export function useAskStream(): { state: AskStreamState; ask: (request: AskRequest) => Promise<Answer | undefined> } {
  const api = useEngineApi();
  const [state, setState] = useState<AskStreamState>(IDLE_ASK_STATE);
  const asker = useMemo(() => createAsker<AskRequest, AskStreamState>(api, setState), [api]);
  useEffect(() => () => asker.abort(), [asker]);
  const ask = useCallback(
    (request: AskRequest) => asker.ask(request, { ...IDLE_ASK_STATE, phase: 'streaming', question: request.question }),
    [asker]
  );
  return { state, ask };
}
