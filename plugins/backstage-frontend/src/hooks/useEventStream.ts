import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { EngineApiError } from '@ai-cloudops/engine-client';
import {
  cloudOpsApiRef,
  StreamInterruptedError,
  type AskStreamEvent,
  type CloudOpsApi,
} from '../api/CloudOpsApi';
import {
  isUnavailable,
  type Answer,
  type Citation,
  type JobRecordDto,
  type ToolCallRecord,
} from '../api/types';

/**
 * The tab's one module for the engine's server-sent events, read through the backend's /engine pass-through: job
 * progress (a GET stream, resumable) and the assistant's answer (a POST stream, not resumable).
 */

export interface ReconnectOptions {
  /** Reconnections in a row without a message before giving the stream up. */
  maxReconnects?: number;
  /** First wait before reconnecting; doubles per failure up to 5 s. */
  reconnectMs?: number;
}

const MAX_BACKOFF_MS = 5000;

/**
 * Follows a GET event stream to its last message, opening it again after a drop with backoff (a message resets the
 * count). Only for streams whose first message after a reconnect is the current state, as the job stream's is, so
 * nothing is missed. Resolves true once `onMessage` says the stream is over; false when it was given up or aborted.
 */
export async function followEvents<T>(
  open: (signal: AbortSignal) => AsyncIterable<T>,
  onMessage: (message: T) => boolean,
  signal: AbortSignal,
  { maxReconnects = 3, reconnectMs = 500 }: ReconnectOptions = {},
): Promise<boolean> {
  let failures = 0;
  while (!signal.aborted) {
    try {
      for await (const message of open(signal)) {
        failures = 0;
        if (onMessage(message)) return true;
      }
    } catch {
      // Refused or dropped: counted below, like a stream that ended before its last message.
    }
    failures++;
    if (signal.aborted || failures > maxReconnects) return false;
    await sleep(Math.min(reconnectMs * 2 ** (failures - 1), MAX_BACKOFF_MS), signal);
  }
  return false;
}

// ---- Job progress -------------------------------------------------------------------------------------------

export interface JobStreamOptions extends ReconnectOptions {
  /** Polling interval once the stream is given up (a proxy that buffers or refuses event streams). */
  pollMs?: number;
}

export interface JobStreamState {
  job?: JobRecordDto;
  error?: Error;
  /** `stream` while events arrive over SSE, `poll` after falling back. */
  transport: 'stream' | 'poll';
}

export const isFinalJob = (job: { status: string }) => job.status !== 'queued' && job.status !== 'running';

/**
 * Follows a job to its final record over the engine's SSE stream (followEvents: reconnects with backoff, and a
 * reconnect starts with the current record) and polls when streams keep failing, as proxies between browser and
 * Backstage sometimes buffer them.
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
  const finished = await followEvents(
    (s) => api.jobEvents(id, s),
    (record) => {
      update({ job: record, error: undefined });
      return isFinalJob(record);
    },
    signal,
    options,
  );
  if (finished || signal.aborted) return;
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

// ---- The assistant's answer ---------------------------------------------------------------------------------

export type AskRequest = { question: string; namespace?: string; workload?: string };

export interface AskStreamState {
  phase: 'idle' | 'streaming' | 'done' | 'error';
  /** The answer text received so far. */
  text: string;
  /** What the assistant read (pods, events, logs, metrics), as it read it. */
  tools: ToolCallRecord[];
  citations: Citation[];
  /** The whole answer, once `done` arrived (or the JSON answer when no stream could be opened). */
  answer?: Answer;
  /** The engine offers no assistant: a note, not an error. */
  unavailable?: string;
  error?: Error;
  /** The connection dropped after the question was sent: `text` is partial and the question was not sent again. */
  interrupted: boolean;
  transport: 'stream' | 'json';
}

const IDLE: AskStreamState = {
  phase: 'idle',
  text: '',
  tools: [],
  citations: [],
  interrupted: false,
  transport: 'stream',
};

type AskUpdate = (change: (state: AskStreamState) => AskStreamState) => void;

/** Asks the assistant over SSE, showing tokens, tool calls and citations as they come; a new question aborts the last. */
export function useAskStream(): {
  state: AskStreamState;
  ask: (request: AskRequest) => Promise<Answer | undefined>;
} {
  const api = useApi(cloudOpsApiRef);
  const [state, setState] = useState<AskStreamState>(IDLE);
  const current = useRef<AbortController>();
  useEffect(() => () => current.current?.abort(), []);

  const ask = useCallback(
    (request: AskRequest) => {
      current.current?.abort();
      const abort = new AbortController();
      current.current = abort;
      setState({ ...IDLE, phase: 'streaming' });
      const update: AskUpdate = (change) => {
        if (!abort.signal.aborted) setState(change);
      };
      return askOverStream(api, request, abort.signal, update);
    },
    [api],
  );
  return { state, ask };
}

/**
 * One question, sent once. A POST is not resumable: sending it again would be a second question (a second model
 * call, a second turn in the conversation), so unlike job streams it is never re-sent on a drop:
 * - no stream could be opened (the fetch failed before any response, or something between refused the stream):
 *   ask once over JSON instead, since the engine never got the question;
 * - the connection dropped after the stream opened: stop with a clear error, keeping the partial answer.
 */
export async function askOverStream(
  api: Pick<CloudOpsApi, 'ask' | 'askStream'>,
  request: AskRequest,
  signal: AbortSignal,
  update: AskUpdate,
): Promise<Answer | undefined> {
  try {
    for await (const message of api.askStream(request, signal)) {
      if (message.event === 'done') {
        update((s) => ({ ...s, phase: 'done', answer: message.data, text: message.data.answer }));
        return message.data;
      }
      if (message.event === 'error') {
        const error = new EngineApiError(0, message.data.code, message.data.message);
        update((s) => ({ ...s, phase: 'error', error }));
        return undefined;
      }
      update((s) => applyEvent(s, message));
    }
    throw new StreamInterruptedError('the answer stream ended before the answer was complete');
  } catch (error) {
    if (signal.aborted) return undefined;
    if (error instanceof StreamInterruptedError || isEngineOwnError(error)) {
      const interrupted = error instanceof StreamInterruptedError;
      update((s) => ({ ...s, phase: 'error', error: error as Error, interrupted }));
      return undefined;
    }
    return askOverJson(api, request, update);
  }
}

async function askOverJson(api: Pick<CloudOpsApi, 'ask'>, request: AskRequest, update: AskUpdate) {
  update((s) => ({ ...s, transport: 'json' }));
  try {
    const answer = await api.ask(request);
    if (isUnavailable(answer)) {
      update((s) => ({ ...s, phase: 'done', unavailable: answer.message }));
      return undefined;
    }
    update((s) => ({
      ...s,
      phase: 'done',
      answer,
      text: answer.answer,
      tools: answer.toolCalls,
      citations: answer.citations,
    }));
    return answer;
  } catch (error) {
    update((s) => ({ ...s, phase: 'error', error: error as Error }));
    return undefined;
  }
}

function applyEvent(state: AskStreamState, message: AskStreamEvent): AskStreamState {
  switch (message.event) {
    case 'token':
      return { ...state, text: state.text + message.data.text };
    case 'tool':
      return { ...state, tools: [...state.tools, message.data.call] };
    case 'citation':
      return { ...state, citations: [...state.citations, message.data.citation] };
    default:
      return state;
  }
}

/**
 * An error the engine itself sent about the question (bad input, unknown conversation): JSON would get the same.
 * A 404 is not one of them: an engine without the assistant answers it, and the JSON call turns it into a note.
 */
const isEngineOwnError = (error: unknown) =>
  error instanceof EngineApiError &&
  error.status !== 404 &&
  !/^HTTP_\d+$/.test(error.code) &&
  error.code !== 'BAD_RESPONSE';

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
