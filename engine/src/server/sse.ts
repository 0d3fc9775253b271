import type { FastifyReply, FastifyRequest } from 'fastify';

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

/**
 * Streams server-sent events. Hijacks the reply (fastify no longer serialises it), sends a comment every 15 s so
 * proxies keep the connection, and when the client goes away stops at once: the source's signal aborts (so it drops
 * its subscriptions), a pending read is abandoned, and the heartbeat timer and close listener are released.
 */
export async function streamSse(request: FastifyRequest, reply: FastifyReply, source: SseSource): Promise<void> {
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
  const left = new Promise<'left'>((resolve) => gone.signal.addEventListener('abort', () => resolve('left'), { once: true }));
  // The response's close fires when the socket closes before the end (the request's fires once its body is read).
  const onClose = () => gone.abort();
  raw.on('close', onClose);
  openStreams++;
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
    if (!gone.signal.aborted) {
      const message = error instanceof Error ? error.message : String(error);
      const code = (error as { code?: string }).code ?? 'INTERNAL';
      raw.write(formatSse({ event: 'error', data: { code, message } }));
    }
  } finally {
    openStreams--;
    clearInterval(heartbeat);
    raw.off('close', onClose);
    gone.abort();
    // A generator busy in an await finishes that step first; its return is then queued, never awaited here.
    void Promise.resolve(iterator.return?.()).catch(() => undefined);
    raw.end();
  }
}

export function formatSse(event: SseEvent): string {
  const lines = [`event: ${event.event}`];
  if (event.id) lines.push(`id: ${event.id}`);
  for (const line of JSON.stringify(event.data).split('\n')) lines.push(`data: ${line}`);
  return lines.join('\n') + '\n\n';
}
