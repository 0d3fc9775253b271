import { from, type Observable } from 'rxjs';
import { setBackendSrv, type BackendSrv, type BackendSrvRequest, type FetchResponse } from '@grafana/runtime';

/**
 * Stands in for Grafana's backend service, the one runtime boundary the tests cannot have without a Grafana server.
 * It behaves as Grafana does on the wire: `responseType: 'text'` gives the raw body, non-2xx answers throw a
 * FetchError-shaped object with the parsed body. Answers come from a handler (a canned engine reply, or a forward
 * to a real engine, see `proxyTo`).
 */

export interface RecordedRequest {
  url: string;
  /** Path without the query string; `query` holds it parsed. */
  path: string;
  query: URLSearchParams;
  method: string;
  data?: unknown;
  headers: Record<string, string>;
}

export interface HandlerReply {
  status: number;
  body?: unknown;
}

export type Handler = (request: RecordedRequest) => HandlerReply | Promise<HandlerReply>;

export class FakeBackendSrv {
  readonly requests: RecordedRequest[] = [];

  constructor(private readonly handler: Handler) {}

  /** Installs this fake as Grafana's backend service for the code under test. */
  install(): this {
    setBackendSrv(this as unknown as BackendSrv);
    return this;
  }

  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    const [path, search = ''] = options.url.split('?');
    const request: RecordedRequest = {
      url: options.url,
      path: path!,
      query: new URLSearchParams(search),
      method: (options.method ?? 'GET').toUpperCase(),
      data: options.data,
      headers: { ...(options.headers ?? {}) },
    };
    this.requests.push(request);
    return from(
      (async () => {
        const reply = await this.handler(request);
        const text =
          reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
        if (reply.status >= 400) {
          throw { status: reply.status, statusText: '', data: parse(text), config: options };
        }
        return {
          status: reply.status,
          statusText: 'OK',
          ok: true,
          data: (options.responseType === 'text' ? text : parse(text)) as T,
          headers: new Headers(),
          redirected: false,
          type: 'basic' as ResponseType,
          url: options.url,
          config: options,
        };
      })()
    );
  }
}

/** Routes `METHOD /path` (path without the query string) to replies; anything else is a 404 like Grafana's. */
export function routes(
  table: Record<string, (request: RecordedRequest) => HandlerReply | Promise<HandlerReply>>
): Handler {
  return (request) => {
    const route = table[`${request.method} ${request.path}`];
    return route
      ? route(request)
      : { status: 404, body: { message: `no route for ${request.method} ${request.path}` } };
  };
}

/** Emulates a Grafana proxy route: strips `prefix` and forwards to a real engine at `target` with Node's fetch. */
export function proxyTo(prefix: string, target: string, fallback?: Handler): Handler {
  return async (request) => {
    if (!request.url.startsWith(prefix)) {
      return fallback ? fallback(request) : { status: 404, body: { message: `no proxy for ${request.url}` } };
    }
    const response = await fetch(`${target}${request.url.slice(prefix.length)}`, {
      method: request.method,
      headers: request.headers,
      body:
        request.data === undefined
          ? undefined
          : typeof request.data === 'string'
            ? request.data
            : JSON.stringify(request.data),
    });
    return { status: response.status, body: await response.text() };
  };
}

/** Forwards like `proxyTo` and keeps every reply, so tests compare what the page shows with what the engine said. */
export function recording(handler: Handler): {
  handler: Handler;
  replies: Array<{ url: string; reply: HandlerReply }>;
} {
  const replies: Array<{ url: string; reply: HandlerReply }> = [];
  return {
    replies,
    handler: async (request) => {
      const reply = await handler(request);
      replies.push({ url: request.url, reply });
      return reply;
    },
  };
}

/** The JSON body of a recorded reply. */
export const replyJson = <T>(reply: HandlerReply): T => JSON.parse(reply.body as string) as T;

function parse(text: string): unknown {
  if (!text) {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
