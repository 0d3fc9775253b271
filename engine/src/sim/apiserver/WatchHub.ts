import type { KubeObject } from './KubeObject.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoredEvent {
  resourceVersion: number;
  resource: string;
  type: WatchEventType;
  object: KubeObject;
  /** The object before the change, so selector-filtered watches can turn "left the selection" into DELETED. */
  previous?: KubeObject;
}

export type WatchListener = (event: StoredEvent) => void;

/**
 * Fans store changes out to open watches and keeps a bounded history so a watch can resume from a resourceVersion;
 * anything older than the history is answered with 410 Gone, as an etcd compaction would.
 */
export class WatchHub {
  private readonly history: StoredEvent[] = [];
  private readonly listeners = new Set<WatchListener>();
  /** Highest resourceVersion that has fallen out of the history. */
  private compactedThrough = 0;

  constructor(private readonly capacity = 5_000) {}

  publish(event: StoredEvent): void {
    this.history.push(event);
    if (this.history.length > this.capacity) {
      const dropped = this.history.splice(0, this.history.length - this.capacity);
      this.compactedThrough = dropped[dropped.length - 1]!.resourceVersion;
    }
    for (const listener of this.listeners) listener(event);
  }

  /** Events after `resourceVersion`, or undefined when that version was compacted away. */
  since(resourceVersion: number): StoredEvent[] | undefined {
    if (resourceVersion < this.compactedThrough) return undefined;
    let lo = 0;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.history[mid]!.resourceVersion <= resourceVersion) lo = mid + 1;
      else hi = mid;
    }
    return this.history.slice(lo);
  }

  subscribe(listener: WatchListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Drops history up to a version; tests use it to provoke 410 Gone. */
  compact(throughResourceVersion: number): void {
    const keep = this.history.filter((e) => e.resourceVersion > throughResourceVersion);
    this.history.splice(0, this.history.length, ...keep);
    this.compactedThrough = Math.max(this.compactedThrough, throughResourceVersion);
  }

  get openWatches(): number {
    return this.listeners.size;
  }
}
