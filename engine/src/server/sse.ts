import type { FastifyReply, FastifyRequest } from 'fastify';
import { EngineError } from '../errors.js';
import { redactText } from '../util/redact.js';

export { iterateSubscription } from '../jobs/iterateSubscription.js';

export interface SseEvent {
  event: string;
  data: unknown;
  id?: string;
}

/** An event source; given a function, it receives a signal that aborts when the client goes away. */
export type SseSource = AsyncIterable<SseEvent> | ((signal: AbortSignal) => AsyncIterable<SseEvent>);

let openStreams = 0;
/** SSE responses currently open in this process (each holds one heartbeat timer); tests check it returns to 0. */
export const openSseStreams = () => openStreams;

const HEARTBEAT_MS = 15_000;

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Open SSE streams of this app and their cap (server.maxSseStreams), and per caller (server.maxSseStreamsPerCaller):
     * open streams by callerKey.
     */
    sseStreams?: {
      open: number;
      max: number;
      maxPerCaller?: number;
      byCaller?: Map<string, number>;
      /** Open subscriptions (streams with no end of their own), ended when the app closes (endSubscriptions). */
      subscriptions?: Set<AbortController>;
    };
  }
}

/**
 * Refuses a new stream when the app's cap is reached (429 with Retry-After, before anything is written), so a
 * caller looping on connections cannot take every socket and file descriptor. Routes that subscribe before they
 * stream call it first; streamSse calls it too.
 */
export function assertSseCapacity(request: FastifyRequest): void {
  const streams = request.server.sseStreams;
  if (streams && streams.open >= streams.max) {
    throw new EngineError(
      'RATE_LIMITED',
      `too many event streams open (server.maxSseStreams: ${streams.max}); try again later`,
      {
        retryAfterSeconds: 5,
      },
    );
  }
  const mine = streams?.byCaller?.get(callerKey(request)) ?? 0;
  if (streams?.maxPerCaller !== undefined && mine >= streams.maxPerCaller) {
    throw new EngineError(
      'RATE_LIMITED',
      `you have ${mine} event streams open (server.maxSseStreamsPerCaller: ${streams.maxPerCaller}); close one or try again later`,
      { retryAfterSeconds: 5 },
    );
  }
}

/**
 * Who a stream is counted against: the token's name when the caller presented one, else the client address (with
 * auth off every caller is the same anonymous admin, so the name would make the cap a global one). A front-end acting
 * for its users (auth.ts, USER_HEADER) counts as its token, as server.maxSseStreamsPerCaller documents.
 */
export function callerKey(request: FastifyRequest): string {
  const name = request.principal?.token ?? request.principal?.name;
  return name && name !== 'anonymous' ? `token:${name}` : `ip:${request.ip}`;
}

function countCaller(
  streams: NonNullable<FastifyRequest['server']['sseStreams']>,
  caller: string,
  by: 1 | -1,
): void {
  if (!streams.byCaller) return;
  const next = (streams.byCaller.get(caller) ?? 0) + by;
  if (next > 0) streams.byCaller.set(caller, next);
  else streams.byCaller.delete(caller);
}

export interface StreamSseOptions {
  /**
   * The stream has no end of its own (incident or repair events): it is ended when the app starts closing, so the
   * client reconnects to a replica that stays. A bounded stream (an answer, a job's progress) is left to finish
   * within the shutdown grace.
   */
  subscription?: boolean;
}

/**
 * Ends every open subscription of this app (a preClose hook). Without it one open incident stream, which every
 * visible Backstage entity tab holds (its Incidents card), kept SIGTERM waiting for the force timer: `serve` exited
 * after 35 s (shutdownGraceSeconds + 5) with code 1, past Kubernetes' default 30 s grace.
 */
export function endSubscriptions(app: FastifyRequest['server']): void {
  for (const stream of app.sseStreams?.subscriptions ?? []) stream.abort();
}

/**
 * Streams server-sent events. Hijacks the reply (fastify no longer serialises it), sends a comment every 15 s so
 * proxies keep the connection, and when the client goes away stops at once: the source's signal aborts (so it drops
 * its subscriptions), a pending read is abandoned, and the heartbeat timer and close listener are released.
 */
export async function streamSse(
  request: FastifyRequest,
  reply: FastifyReply,
  source: SseSource,
  options: StreamSseOptions = {},
): Promise<void> {
  assertSseCapacity(request);
  const counted = request.server.sseStreams;
  const caller = callerKey(request);
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': String(request.id),
  });
  const gone = new AbortController();
  const left = new Promise<'left'>((resolve) =>
    gone.signal.addEventListener('abort', () => resolve('left'), { once: true }),
  );
  // The response's close fires when the socket closes before the end (the request's fires once its body is read).
  const onClose = () => gone.abort();
  raw.on('close', onClose);
  const subscriptions = options.subscription ? counted?.subscriptions : undefined;
  subscriptions?.add(gone);
  openStreams++;
  if (counted) {
    counted.open++;
    countCaller(counted, caller, 1);
  }
  const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
  const events = typeof source === 'function' ? source(gone.signal) : source;
  const iterator = events[Symbol.asyncIterator]();
  try {
    while (!gone.signal.aborted) {
      const next = await Promise.race([iterator.next(), left]);
      if (next === 'left' || next.done) break;
      raw.write(formatSse(next.value));
    }
  } catch (error) {
    if (!gone.signal.aborted) raw.write(formatSse({ event: 'error', data: sseError(error) }));
  } finally {
    openStreams--;
    if (counted) {
      counted.open--;
      countCaller(counted, caller, -1);
    }
    subscriptions?.delete(gone);
    clearInterval(heartbeat);
    raw.off('close', onClose);
    gone.abort();
    // A generator busy in an await finishes that step first; its return is then queued, never awaited here.
    void Promise.resolve(iterator.return?.()).catch(() => undefined);
    raw.end();
  }
}

/**
 * An error as a stream tells it, by the rules of the HTTP error handler: an engine error's code and message with URL
 * credentials masked, anything else 'internal error' (a driver's message can name hosts, keys and query text).
 */
function sseError(error: unknown): { code: string; message: string } {
  const code = (error as { code?: unknown }).code;
  if (error instanceof EngineError && code !== 'INTERNAL')
    return { code: error.code, message: redactText(error.message) };
  return { code: 'INTERNAL', message: 'internal error' };
}

export function formatSse(event: SseEvent): string {
  const lines = [`event: ${event.event}`];
  if (event.id) lines.push(`id: ${event.id}`);
  for (const line of JSON.stringify(event.data).split('\n')) lines.push(`data: ${line}`);
  return lines.join('\n') + '\n\n';
}
