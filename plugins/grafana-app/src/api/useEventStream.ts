import { useCallback, useEffect, useRef, useState } from 'react';
import { EngineApiError, StreamInterruptedError, type AskStreamEvent, type EngineApi } from './EngineApi';
import type { Answer, AskRequest, Citation, JobRecordOf, ToolCallRecord } from './types';
import { useEngineApi } from './useEngineApi';

/**
 * The app's one module for the engine's server-sent events: job progress (a GET stream, resumable) and the
 * assistant's answer (a POST stream, not resumable). Both read through `EngineApi`, whose streams use the browser's
 * fetch on the plugin-proxy URL (Grafana's backend service buffers whole responses, which would defeat streaming).
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
  { maxReconnects = 3, reconnectMs = 500 }: ReconnectOptions = {}
): Promise<boolean> {
  let failures = 0;
  while (!signal.aborted) {
    try {
      for await (const message of open(signal)) {
        failures = 0;
        if (onMessage(message)) {
          return true;
        }
      }
    } catch {
      // Refused or dropped: counted below, like a stream that ended before its last message.
    }
    failures++;
    if (signal.aborted || failures > maxReconnects) {
      return false;
    }
    await sleep(Math.min(reconnectMs * 2 ** (failures - 1), MAX_BACKOFF_MS), signal);
  }
  return false;
}

// ---- Job progress -------------------------------------------------------------------------------------------

export interface JobStreamOptions extends ReconnectOptions {
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

/**
 * Follows a job to its final record over its SSE stream (followEvents: reconnects with backoff, and a reconnect gets
 * the current record first), polling when the stream keeps failing. Every page that waits on a job uses this hook.
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
    void followJob<R>(api, jobId, abort.signal, update, { maxReconnects, reconnectMs, pollMs });
    return () => abort.abort();
  }, [api, jobId, maxReconnects, reconnectMs, pollMs]);

  return state.id === jobId
    ? { job: state.job, error: state.error, transport: state.transport }
    : { transport: 'stream' };
}

async function followJob<R>(
  api: EngineApi,
  id: string,
  signal: AbortSignal,
  update: (next: Partial<JobStreamState<R>>) => void,
  options: Required<JobStreamOptions>
): Promise<void> {
  const finished = await followEvents(
    (s) => api.jobEvents<R>(id, s),
    (record) => {
      update({ job: record, error: undefined });
      return isFinal(record);
    },
    signal,
    options
  );
  if (finished || signal.aborted) {
    return;
  }
  update({ transport: 'poll' });
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
    await sleep(options.pollMs, signal);
  }
}

// ---- The assistant's answer ---------------------------------------------------------------------------------

export interface AskStreamState {
  phase: 'idle' | 'streaming' | 'done' | 'error';
  question?: string;
  /** The answer text received so far. */
  text: string;
  /** What the assistant read (pods, events, logs, metrics), as it read it. */
  tools: ToolCallRecord[];
  citations: Citation[];
  /** The whole answer, once `done` arrived (or the JSON answer when no stream could be opened). */
  answer?: Answer;
  error?: unknown;
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

/**
 * Asks the assistant over SSE, rendering tokens, tool calls and citations as they come. `ask` resolves with the final
 * answer, or undefined when it failed (the state says why). A new question aborts the previous stream.
 */
export function useAskStream(): { state: AskStreamState; ask: (request: AskRequest) => Promise<Answer | undefined> } {
  const api = useEngineApi();
  const [state, setState] = useState<AskStreamState>(IDLE);
  const current = useRef<AbortController>();
  useEffect(() => () => current.current?.abort(), []);

  const ask = useCallback(
    (request: AskRequest) => {
      current.current?.abort();
      const abort = new AbortController();
      current.current = abort;
      setState({ ...IDLE, phase: 'streaming', question: request.question });
      const update: AskUpdate = (change) => !abort.signal.aborted && setState(change);
      return askOverStream(api, request, abort.signal, update);
    },
    [api]
  );
  return { state, ask };
}

/**
 * One question, sent once. A POST is not resumable: sending it again would be a second question (a second model
 * call, a second turn in the conversation), so unlike job streams it is never re-sent on a drop:
 * - no stream could be opened (the fetch failed before any response, or a proxy refused the stream with an error of
 *   its own): ask once over JSON instead, since the engine never got the question;
 * - the connection dropped after the stream opened: stop with a clear error, keeping the partial answer.
 */
export async function askOverStream(
  api: Pick<EngineApi, 'ask' | 'askStream'>,
  request: AskRequest,
  signal: AbortSignal,
  update: AskUpdate
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
    if (signal.aborted) {
      return undefined;
    }
    if (error instanceof StreamInterruptedError || isEngineOwnError(error)) {
      update((s) => ({ ...s, phase: 'error', error, interrupted: error instanceof StreamInterruptedError }));
      return undefined;
    }
    return askOverJson(api, request, update);
  }
}

async function askOverJson(api: Pick<EngineApi, 'ask'>, request: AskRequest, update: AskUpdate) {
  update((s) => ({ ...s, transport: 'json' }));
  try {
    const answer = await api.ask(request);
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
    update((s) => ({ ...s, phase: 'error', error }));
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

/** An error body the engine itself sent (bad input, unknown conversation): JSON would get the same answer. */
const isEngineOwnError = (error: unknown) =>
  error instanceof EngineApiError && !/^HTTP_\d+$/.test(error.code) && error.code !== 'BAD_RESPONSE';

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
