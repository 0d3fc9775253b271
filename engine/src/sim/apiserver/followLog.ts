import type { ServerResponse } from 'node:http';
import type { ObjectStore } from './ObjectStore.js';
import type { PodLogSource } from './PodLogSource.js';
import type { RequestTarget } from './RequestTarget.js';

/**
 * `GET .../pods/P/log?follow=true`: the requested backlog, then every new line as the container writes it, until
 * the client goes away or the pod is deleted (as kubectl logs -f ends when the pod does).
 */
export function followLog(
  store: ObjectStore,
  logs: PodLogSource,
  target: RequestTarget,
  query: URLSearchParams,
  res: ServerResponse,
  backlog: string,
): () => void {
  const pod = store.get('/pods', target.namespace, target.name!)!;
  const container =
    query.get('container') || (pod['spec'] as { containers: Array<{ name: string }> }).containers[0]!.name;
  const timestamps = query.get('timestamps') === 'true';
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
  // Send the headers now: a client awaiting the response must not wait for the first event.
  res.flushHeaders();
  if (backlog) res.write(backlog);
  let stopped = false;
  const unfollow = logs.follow!(target.namespace!, target.name!, container, (line) => {
    res.write((timestamps ? `${line.time} ${line.text}` : line.text) + '\n');
  });
  const unwatch = store.hub.subscribe((event) => {
    if (
      event.resource === '/pods' &&
      event.type === 'DELETED' &&
      event.object.metadata.namespace === target.namespace &&
      event.object.metadata.name === target.name
    ) {
      stop();
    }
  });
  function stop(): void {
    if (stopped) return;
    stopped = true;
    unfollow();
    unwatch();
    if (!res.writableEnded) res.end();
  }
  res.on('close', stop);
  return stop;
}
