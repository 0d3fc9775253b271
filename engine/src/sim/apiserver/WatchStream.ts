import type { ServerResponse } from 'node:http';
import { ApiError } from './ApiError.js';
import type { KubeObject } from './KubeObject.js';
import type { ObjectStore } from './ObjectStore.js';
import { objectFilter } from './ResourceHandlers.js';
import type { RequestTarget } from './RequestTarget.js';
import { apiVersionOf, presented, resourceKey } from './ResourceType.js';
import type { StoredEvent } from './WatchHub.js';
import { toTable } from './tableView.js';

export interface WatchOptions {
  /** How often a BOOKMARK is sent when the client allows them. */
  bookmarkIntervalMs: number;
  /** kubectl get -w asks for Table rows instead of objects. */
  table?: boolean;
}

/**
 * One `?watch=true` request: newline-delimited JSON events on a chunked 200 response. Without a resourceVersion it
 * starts with ADDED for every current object; with one it replays the history after it, or sends an ERROR event with
 * a 410 Expired Status when that history is gone (what kube-apiserver does after compaction).
 */
export function serveWatch(
  store: ObjectStore,
  target: RequestTarget,
  query: URLSearchParams,
  res: ServerResponse,
  options: WatchOptions,
): () => void {
  const { type, namespace } = target;
  const key = resourceKey(type);
  const filter = objectFilter(type, query, namespace);
  const nameFilter = target.name;
  const matches = (obj: KubeObject | undefined) =>
    obj !== undefined && filter(obj) && (nameFilter === undefined || obj.metadata.name === nameFilter);

  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Transfer-Encoding': 'chunked',
    'Cache-Control': 'no-cache',
  });
  // Send the headers now: a client awaiting the response must not wait for the first event.
  res.flushHeaders();
  const send = (eventType: string, object: unknown) => {
    const payload =
      options.table && eventType !== 'ERROR' && eventType !== 'BOOKMARK'
        ? toTable(type, [object as KubeObject], String(store.resourceVersion))
        : object;
    res.write(JSON.stringify({ type: eventType, object: payload }) + '\n');
  };

  const forward = (event: StoredEvent) => {
    if (event.resource !== key) return;
    // A view (events.k8s.io/v1 over core/v1 Events) filters and sends objects in its own version.
    const object = presented(type, event.object);
    const previous = event.previous && presented(type, event.previous);
    const now = matches(object);
    const before = matches(previous);
    if (event.type === 'ADDED' && now) send('ADDED', object);
    else if (event.type === 'DELETED' && (before || now)) send('DELETED', object);
    else if (event.type === 'MODIFIED') {
      if (now && before) send('MODIFIED', object);
      else if (now) send('ADDED', object);
      else if (before) send('DELETED', object);
    }
  };

  const rvParam = query.get('resourceVersion');
  let cleanup = () => {};
  if (!rvParam || rvParam === '0') {
    for (const stored of store.view(key, namespace)) {
      const obj = presented(type, stored);
      if (matches(obj)) send('ADDED', obj);
    }
  } else {
    const from = Number(rvParam);
    const replay = Number.isFinite(from) ? store.hub.since(from) : undefined;
    if (!replay) {
      const gone = new ApiError('Expired', `too old resource version: ${rvParam} (${store.resourceVersion})`);
      send('ERROR', gone.toStatus());
      res.end();
      return cleanup;
    }
    for (const event of replay) forward(event);
  }
  const unsubscribe = store.hub.subscribe(forward);
  const timers: NodeJS.Timeout[] = [];
  if (query.get('allowWatchBookmarks') === 'true') {
    timers.push(
      setInterval(() => {
        send('BOOKMARK', {
          kind: type.kind,
          apiVersion: apiVersionOf(type),
          metadata: { resourceVersion: String(store.resourceVersion) },
        });
      }, options.bookmarkIntervalMs),
    );
  }
  const timeoutSeconds = Number(query.get('timeoutSeconds') ?? 0);
  if (timeoutSeconds > 0) timers.push(setTimeout(() => cleanup(), timeoutSeconds * 1000));
  let closed = false;
  cleanup = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    if (!res.writableEnded) res.end();
  };
  res.on('close', cleanup);
  return cleanup;
}
