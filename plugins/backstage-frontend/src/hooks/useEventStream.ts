import { useCallback, useEffect, useMemo, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  createAsker,
  ENGINE_RETRY,
  followJob as followJobShared,
  IDLE_ASK_STATE,
  isRetryableEngineError,
  retryDelayMs,
  sleep,
  type AskStreamState,
  type JobStreamOptions,
  type RetryPolicy,
} from '@ai-cloudops/engine-client';
import { cloudOpsApiRef, type CloudOpsApi } from '../api/CloudOpsApi';
import type { Answer, EntityScope, IncidentStreamMessage, JobRecordDto } from '../api/types';

/**
 * The tab's React hooks over the engine's server-sent events, read through the backend's /engine pass-through: job
 * progress (a GET stream, resumable), the assistant's answer (a POST stream, not resumable) and the incident stream
 * (open as long as the card). Reconnects,
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

// ---- Incidents ----------------------------------------------------------------------------------------------

export interface IncidentStreamState {
  /** From the stream's `ready` until it drops: changes arrive as they happen, so the card need not poll meanwhile. */
  live: boolean;
  /**
   * Bumped for each change to an incident naming one of the scope's services, and on each (re)connect, since changes
   * may have been missed before it: a card reads its list again on a bump (useEngineRetry's `changes`).
   */
  changes: number;
}

/**
 * Follows the engine's incident stream for an entity's services while the card is open and the page visible, and
 * closes it on unmount and while the page is hidden: each open stream holds one of the user's slots at the backend
 * (`aicloudops.proxy.maxStreamsPerUser`, 10) and one of the portal token's at the engine, which job progress and the
 * assistant's answers share, so a tab left in the background should not keep one. Shown again, the stream's `ready`
 * reads the list once. A CloudOpsApi without `incidentEvents` never goes live, so the card keeps polling.
 */
export function useIncidentStream(
  scope: EntityScope,
  policy: RetryPolicy = ENGINE_RETRY,
): IncidentStreamState {
  const api = useApi(cloudOpsApiRef);
  const [state, setState] = useState<IncidentStreamState>({ live: false, changes: 0 });
  const visible = usePageVisible();
  const names = scope.names.join('\n');
  const { firstMs, maxMs } = policy;

  useEffect(() => {
    if (!api.incidentEvents || !visible) return undefined;
    const abort = new AbortController();
    // The engine filters the stream to the entity's services (in an alert storm a tab got every change); the
    // summaries are still checked below, as they name no namespace.
    const open = (signal: AbortSignal) => api.incidentEvents!(signal, names.split('\n'));
    const update = (change: (prev: IncidentStreamState) => IncidentStreamState) => {
      if (!abort.signal.aborted) setState(change);
    };
    void followIncidents(open, new Set(names.split('\n')), abort.signal, update, { firstMs, maxMs });
    return () => {
      abort.abort();
      setState((prev) => (prev.live ? { ...prev, live: false } : prev));
    };
  }, [api, names, firstMs, maxMs, visible]);

  return state;
}

function usePageVisible(): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState !== 'hidden');
  useEffect(() => {
    const onChange = () => setVisible(document.visibilityState !== 'hidden');
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);
  return visible;
}

/**
 * The hook's work, apart from React. Never gives up on a stream the pass-through may serve later: it opens it again
 * after a drop or a refusal on the cards' retry steps (ENGINE_RETRY: 2 s doubling to 30 s, never sooner than a
 * Retry-After, so a 429 from the backend's per-user stream cap waits its 5 s), while the card polls. followEvents is
 * not used: it gives a job's stream up after a few failures and does not see a Retry-After. Only a refusal that would
 * repeat (403 without the read permission, 404 from an engine without the route) ends it, leaving the card polling.
 */
export async function followIncidents(
  open: (signal: AbortSignal) => AsyncIterable<IncidentStreamMessage>,
  services: ReadonlySet<string>,
  signal: AbortSignal,
  update: (change: (prev: IncidentStreamState) => IncidentStreamState) => void,
  policy: RetryPolicy,
): Promise<void> {
  const bump = (live: boolean) => update((prev) => ({ live, changes: prev.changes + 1 }));
  let failures = 0;
  while (!signal.aborted) {
    let error: unknown;
    try {
      for await (const message of open(signal)) {
        if (message.event === 'ready') {
          failures = 0;
          bump(true);
        } else if (message.data.incident.services.some((s) => services.has(s))) {
          // The summary names no namespace: a namesake in another one costs a read the list's filter then drops.
          bump(true);
        }
      }
    } catch (e) {
      error = e;
    }
    if (signal.aborted) return;
    update((prev) => (prev.live ? { ...prev, live: false } : prev));
    if (error !== undefined && !isRetryableEngineError(error)) return;
    failures += 1;
    await sleep(retryDelayMs(failures, policy, Math.random, error), signal);
  }
}
