/** Where the API server reads container logs from; the controller's log book implements it. */
export interface LogLine {
  /** RFC 3339 time the line was written. */
  time: string;
  text: string;
}

export interface PodLogSource {
  /** Lines of the current (or, with `previous`, the last terminated) instance; undefined when there is none. */
  lines(namespace: string, pod: string, container: string, previous: boolean): LogLine[] | undefined;
  /** Calls `onLine` for every line the container writes from now on (`follow=true`); returns an unsubscribe. */
  follow?(namespace: string, pod: string, container: string, onLine: (line: LogLine) => void): () => void;
}
