import type { FastifyReply, FastifyRequest } from 'fastify';

export interface SseEvent {
  event: string;
  data: unknown;
  id?: string;
}

/**
 * Streams server-sent events from an async iterable. Hijacks the reply (fastify no longer serialises it), sends a
 * comment every 15 s so proxies keep the connection, and stops iterating when the client goes away.
 */
export async function streamSse(
  request: FastifyRequest,
  reply: FastifyReply,
  events: AsyncIterable<SseEvent>,
): Promise<void> {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': String(request.id),
  });
  let closed = false;
  const onClose = () => {
    closed = true;
  };
  request.raw.on('close', onClose);
  const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), 15_000);
  try {
    for await (const event of events) {
      if (closed) break;
      raw.write(formatSse(event));
    }
  } catch (error) {
    if (!closed) {
      const message = error instanceof Error ? error.message : String(error);
      const code = (error as { code?: string }).code ?? 'INTERNAL';
      raw.write(formatSse({ event: 'error', data: { code, message } }));
    }
  } finally {
    clearInterval(heartbeat);
    request.raw.off('close', onClose);
    raw.end();
  }
}

export function formatSse(event: SseEvent): string {
  const lines = [`event: ${event.event}`];
  if (event.id) lines.push(`id: ${event.id}`);
  for (const line of JSON.stringify(event.data).split('\n')) lines.push(`data: ${line}`);
  return lines.join('\n') + '\n\n';
}

/** Adapts a push-style subscription into an async iterable that ends when `isLast` says so. */
export function iterateSubscription<T>(
  subscribe: (push: (value: T) => void) => () => void,
  isLast: (value: T) => boolean,
  initial?: T,
): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const queue: T[] = initial === undefined ? [] : [initial];
      let wake: (() => void) | undefined;
      let done = initial !== undefined && isLast(initial);
      const unsubscribe = done
        ? () => undefined
        : subscribe((value) => {
            queue.push(value);
            if (isLast(value)) done = true;
            wake?.();
          });
      return {
        async next(): Promise<IteratorResult<T>> {
          while (queue.length === 0) {
            if (done) {
              unsubscribe();
              return { value: undefined, done: true };
            }
            await new Promise<void>((resolve) => (wake = resolve));
            wake = undefined;
          }
          return { value: queue.shift()!, done: false };
        },
        async return(): Promise<IteratorResult<T>> {
          unsubscribe();
          return { value: undefined, done: true };
        },
      };
    },
  };
}
