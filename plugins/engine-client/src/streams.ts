import { EngineApiError } from './EngineClient.js';
import type { Answer, Citation, ToolCallRecord } from './types.js';

/**
 * Following the engine's server-sent events with no framework: job progress (a GET stream, resumable) and the
 * assistant's answer (a POST stream, not resumable). The Grafana app and the Backstage frontend wrap these in their
 * React hooks, passing the calls of their own api object (`openStream`, `getJob`, `ask`, `askStream`), so reconnect,
 * fallback and "never ask twice" behave the same in both.
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

/** One change to a followed job: its newest record, the last poll's error, or the switch to polling. */
export interface JobProgress<J> {
  job?: J;
  error?: Error;
  /** `stream` while events arrive over SSE, `poll` after falling back. */
  transport?: 'stream' | 'poll';
}

/** The two calls following a job needs, bound to the job by the caller. */
export interface JobSource<J> {
  /** The job's event stream: each record as it changes, the final one last. */
  openStream(signal: AbortSignal): AsyncIterable<J>;
  /** The job's record now, for polling. */
  getJob(): Promise<J>;
}

export const isFinalJob = (job: { status: string }): boolean =>
  job.status !== 'queued' && job.status !== 'running';

/**
 * Follows a job to its final record over its SSE stream (followEvents: reconnects with backoff, and a reconnect
 * starts with the current record), polling when streams keep failing, as proxies in front of Grafana or Backstage
 * sometimes buffer or refuse them. Each record, error and the switch to polling go to `update`.
 */
export async function followJob<J extends { status: string }>(
  source: JobSource<J>,
  signal: AbortSignal,
  update: (next: JobProgress<J>) => void,
  options: Required<JobStreamOptions>,
): Promise<void> {
  const finished = await followEvents(
    (s) => source.openStream(s),
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
      const record = await source.getJob();
      update({ job: record, error: undefined });
      if (isFinalJob(record)) return;
    } catch (error) {
      update({ error: asError(error) });
    }
    await sleep(options.pollMs, signal);
  }
}

// ---- The assistant's answer ---------------------------------------------------------------------------------

/** The assistant's answer stream (POST /api/v1/assistant/ask with Accept: text/event-stream), event by event. */
export type AskStreamEvent =
  | { event: 'tool'; data: { call: ToolCallRecord } }
  | { event: 'token'; data: { text: string } }
  | { event: 'citation'; data: { citation: Citation } }
  | { event: 'done'; data: Answer }
  | { event: 'error'; data: { code: string; message: string } };

/** The answer stream opened and then dropped: the engine had the question, so it is not sent again. */
export class StreamInterruptedError extends Error {
  override name = 'StreamInterruptedError';
}

/** What an api object answers instead of an error when the engine offers no such capability (Backstage's does). */
export interface UnavailableNote {
  unavailable: true;
  message: string;
}

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

export const IDLE_ASK_STATE: AskStreamState = {
  phase: 'idle',
  text: '',
  tools: [],
  citations: [],
  interrupted: false,
  transport: 'stream',
};

export type AskUpdate<S extends AskStreamState = AskStreamState> = (change: (state: S) => S) => void;

/** The two calls asking needs; `askStream` throws StreamInterruptedError when it drops after opening. */
export interface AskCalls<Q> {
  ask(request: Q): Promise<Answer | UnavailableNote>;
  askStream(request: Q, signal: AbortSignal): AsyncIterable<AskStreamEvent>;
}

/**
 * One question, sent once. A POST is not resumable: sending it again would be a second question (a second model
 * call, a second turn in the conversation), so unlike job streams it is never re-sent on a drop:
 * - no stream could be opened (the fetch failed before any response, or something between refused the stream with
 *   an error of its own): ask once over JSON instead, since the engine never got the question;
 * - the connection dropped after the stream opened: stop with a clear error, keeping the partial answer.
 * Resolves with the answer, or undefined when it failed or was aborted (the state says why).
 */
export async function askOverStream<Q, S extends AskStreamState = AskStreamState>(
  api: AskCalls<Q>,
  request: Q,
  signal: AbortSignal,
  update: AskUpdate<S>,
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
      update((s) => ({ ...s, phase: 'error', error: asError(error), interrupted }));
      return undefined;
    }
    return askOverJson(api, request, update);
  }
}

/** Questions asked one at a time into one state: a new question aborts the last one's stream and drops its updates. */
export interface Asker<Q, S extends AskStreamState> {
  /** Sets `start` as the state, then asks (askOverStream); resolves with the answer or undefined. */
  ask(request: Q, start: S): Promise<Answer | undefined>;
  /** Aborts the question in flight (when the view showing it goes away). */
  abort(): void;
}

/** An Asker writing into `setState` (React's state setter fits: it takes a state or a change). */
export function createAsker<Q, S extends AskStreamState>(
  api: AskCalls<Q>,
  setState: (next: S | ((state: S) => S)) => void,
): Asker<Q, S> {
  let current: AbortController | undefined;
  return {
    ask(request, start) {
      current?.abort();
      const abort = new AbortController();
      current = abort;
      setState(start);
      return askOverStream<Q, S>(api, request, abort.signal, (change) => {
        if (!abort.signal.aborted) setState(change);
      });
    },
    abort: () => current?.abort(),
  };
}

/** The question asked once over JSON, after no stream could be opened. */
export async function askOverJson<Q, S extends AskStreamState = AskStreamState>(
  api: Pick<AskCalls<Q>, 'ask'>,
  request: Q,
  update: AskUpdate<S>,
): Promise<Answer | undefined> {
  update((s) => ({ ...s, transport: 'json' }));
  try {
    const answer = await api.ask(request);
    if (isUnavailableNote(answer)) {
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
    update((s) => ({ ...s, phase: 'error', error: asError(error) }));
    return undefined;
  }
}

/** Folds one streamed event (a token, a tool call, a citation) into the state; other events leave it as it is. */
export function applyEvent<S extends AskStreamState>(state: S, message: AskStreamEvent): S {
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
 * A 404 is not one of them: an engine without the assistant answers it, and the JSON call turns it into a note
 * (Backstage) or shows the engine's 404 (Grafana); either way the engine never took the question.
 */
const isEngineOwnError = (error: unknown): boolean =>
  error instanceof EngineApiError &&
  error.status !== 404 &&
  !/^HTTP_\d+$/.test(error.code) &&
  error.code !== 'BAD_RESPONSE';

const isUnavailableNote = (value: Answer | UnavailableNote): value is UnavailableNote =>
  (value as Partial<UnavailableNote>).unavailable === true;

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/** Waits `ms`, or less when `signal` aborts (resolving, not rejecting: the caller checks `signal.aborted`). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
