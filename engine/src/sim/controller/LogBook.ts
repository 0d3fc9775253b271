import type { LogLine, PodLogSource } from '../apiserver/PodLogSource.js';

interface ContainerLogs {
  current: LogLine[];
  previous?: LogLine[];
}

/** Container log lines per pod, current and last terminated instance, bounded like a kubelet's log rotation. */
export class LogBook implements PodLogSource {
  private readonly containers = new Map<string, ContainerLogs>();
  private readonly followers = new Map<string, Set<(line: LogLine) => void>>();

  constructor(private readonly maxLines = 1_000) {}

  private static key(namespace: string, pod: string, container: string): string {
    return `${namespace}/${pod}/${container}`;
  }

  append(namespace: string, pod: string, container: string, line: LogLine): void {
    const key = LogBook.key(namespace, pod, container);
    let logs = this.containers.get(key);
    if (!logs) {
      logs = { current: [] };
      this.containers.set(key, logs);
    }
    logs.current.push(line);
    for (const follower of this.followers.get(key) ?? []) follower(line);
    if (logs.current.length > this.maxLines) logs.current.splice(0, logs.current.length - this.maxLines);
  }

  /** A container restarted: what it wrote becomes `previous`, the new instance starts empty. */
  rotate(namespace: string, pod: string, container: string): void {
    const key = LogBook.key(namespace, pod, container);
    const logs = this.containers.get(key);
    this.containers.set(key, { current: [], previous: logs?.current ?? [] });
  }

  forget(namespace: string, pod: string): void {
    const prefix = `${namespace}/${pod}/`;
    for (const key of this.containers.keys()) if (key.startsWith(prefix)) this.containers.delete(key);
  }

  /** Drops the logs of pods that no longer exist (deleted without the kubelet seeing them terminate). */
  retainPods(alive: Set<string>): void {
    for (const key of this.containers.keys()) {
      const [namespace, pod] = key.split('/');
      if (!alive.has(`${namespace}/${pod}`)) this.containers.delete(key);
    }
  }

  lines(namespace: string, pod: string, container: string, previous: boolean): LogLine[] | undefined {
    const logs = this.containers.get(LogBook.key(namespace, pod, container));
    if (!logs) return previous ? undefined : [];
    return previous ? logs.previous : logs.current;
  }

  follow(namespace: string, pod: string, container: string, onLine: (line: LogLine) => void): () => void {
    const key = LogBook.key(namespace, pod, container);
    let set = this.followers.get(key);
    if (!set) {
      set = new Set();
      this.followers.set(key, set);
    }
    set.add(onLine);
    return () => {
      set.delete(onLine);
      if (set.size === 0) this.followers.delete(key);
    };
  }
}
